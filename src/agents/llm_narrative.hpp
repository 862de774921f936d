#pragma once
// The qualitative step with a language model: when an API key is configured, compose_narrative asks the
// model to write the summary; otherwise (and whenever the model cannot be used) the offline reasoner's text
// stands, and the answer says so.
//
// What the model gets: the computed figures (trusted, from the quantitative tools) and store content (top
// products' titles and descriptions) inside an <untrusted_store_data> block whose instructions have no
// authority. What it can do: call read-only tools that return computed figures, and answer with JSON that
// must pass the output schema and a check in code that every number it states is one of the computed ones.
// It can approve, execute or change nothing. Usage and cost of every call go into the tool output ("llm")
// for the trace, and count against the per-request and per-user daily budgets.
#include <boost/json/array.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "agents/tools.hpp"
#include "common/config.hpp"
#include "common/log.hpp"
#include "llm/budget.hpp"
#include "llm/chat_client.hpp"

namespace alatar::agents {

struct LlmNarrativeSettings {
    std::shared_ptr<llm::HttpTransport> transport;
    llm::ChatClientOptions client;
    std::string default_model;  // when the request names none
    llm::BudgetLimits limits;
    int max_tool_steps{4};
    std::chrono::milliseconds step_timeout{90000};
    // Usage already spent today by a user (the database-backed ledger in production; a fake in tests).
    std::function<std::shared_ptr<llm::DailyUsageLedger>(ToolContext&)> ledger;
    // Top products of the window with title, product type, units, revenue and description (store content).
    std::function<boost::json::array(ToolContext&)> store_content;
    // (model, user id) of the request; model "" or "offline" means the offline reasoner.
    std::function<std::pair<std::string, std::string>(ToolContext&)> request_owner;
};

// compose_narrative backed by a model, falling back to `offline` (the builtin tool) for the step.
ToolSpec llm_compose_narrative(const ToolSpec& offline, LlmNarrativeSettings settings);

// The production settings from the configuration (curl transport, database ledger and lookups).
LlmNarrativeSettings llm_narrative_settings(const Config& config);

// `tools` with compose_narrative replaced by the model-backed one when config has an llm_api_key and models;
// unchanged otherwise (today's offline behaviour).
ToolRegistry with_llm_narrative(ToolRegistry tools, const Config& config, const Logger& log);

}  // namespace alatar::agents
