#pragma once
// One model-driven step with structured output: the model may call the offered read-only tools (up to a
// step limit), then must answer with JSON that the caller's validator accepts. An invalid answer gets one
// repair turn that quotes the problems; after that, or on any call failure, the step reports why and the
// caller runs the offline reasoner instead (and says so in the answer).
//
// The validator is a callback so this layer needs no JSON Schema implementation of its own: the agent
// runtime passes its schema validator plus any checks in code (e.g. that every number is a computed one).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "llm/chat_client.hpp"

namespace alatar::llm {

// Runs a tool the model asked for; throws (any std::exception) to report an error back to the model.
using ToolHandler = std::function<boost::json::value(const boost::json::object& arguments)>;

struct OfferedTool {
    ToolDefinition definition;
    ToolHandler run;  // must be read-only: the model's choices never change anything
};

// "" when the value is acceptable, otherwise what is wrong (sent back to the model in the repair turn).
using Validator = std::function<std::string(const boost::json::value& value)>;

struct StepOutcome {
    std::optional<boost::json::value> value;  // validated answer; empty: use the offline reasoner
    std::string fallback_reason;              // why value is empty
    bool repaired{false};                     // the repair turn was needed
    int tool_steps{0};                        // model turns that called tools
    std::vector<std::string> tools_called;    // offered tools that ran
    std::vector<std::string> tools_refused;   // names asked for that were not offered (nothing ran)
    std::optional<FailureKind> failure;       // set when a call failed (kConfiguration: fix the setup)
};

// `request` carries the messages; its tools and response_format are set here.
StepOutcome run_structured_step(LlmSession& session, ChatRequest request, const ResponseSchema& schema,
                                const Validator& validate, const std::vector<OfferedTool>& tools, int max_tool_steps);

}  // namespace alatar::llm
