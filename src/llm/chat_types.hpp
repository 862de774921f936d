#pragma once
// The OpenAI chat-completions wire format, the subset Alatar sends and reads:
//   request  {model, messages[{role, content, tool_calls?, tool_call_id?}], tools?[{type:function, function:
//            {name, description, parameters}}], response_format? {type: json_schema, json_schema: {name, strict,
//            schema}}, max_tokens?, temperature?, usage: {include: true}}
//   response {choices[0].message{content, tool_calls[{id, type, function{name, arguments}}]}, finish_reason,
//            usage{prompt_tokens, completion_tokens, total_tokens, cost?}}
// `usage.include` asks OpenRouter for the call's cost; other endpoints ignore it.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alatar::llm {

struct ToolCall {
    std::string id;
    std::string name;
    std::string arguments;  // JSON text as the model wrote it (may be malformed)
};

struct Message {
    std::string role;  // system, user, assistant, tool
    std::string content;
    std::vector<ToolCall> tool_calls;  // assistant only
    std::string tool_call_id;          // tool only

    static Message system(std::string text) { return {"system", std::move(text), {}, {}}; }
    static Message user(std::string text) { return {"user", std::move(text), {}, {}}; }
    static Message tool(std::string call_id, std::string text) {
        return {"tool", std::move(text), {}, std::move(call_id)};
    }
};

struct ToolDefinition {
    std::string name;
    std::string description;
    boost::json::value parameters;  // JSON Schema of the arguments object
};

struct ResponseSchema {
    std::string name;
    boost::json::value schema;
};

struct ChatRequest {
    std::string model;
    std::vector<Message> messages;
    std::vector<ToolDefinition> tools;
    std::optional<ResponseSchema> response_format;
    std::optional<std::int64_t> max_tokens;
    std::optional<double> temperature;
};

struct Usage {
    std::int64_t prompt_tokens{0};
    std::int64_t completion_tokens{0};
    double cost_usd{0};  // reported by the endpoint, else priced from ChatClientOptions

    std::int64_t total_tokens() const noexcept { return prompt_tokens + completion_tokens; }
    Usage& operator+=(const Usage& other) noexcept {
        prompt_tokens += other.prompt_tokens;
        completion_tokens += other.completion_tokens;
        cost_usd += other.cost_usd;
        return *this;
    }
};

struct ChatResponse {
    Message message;  // role assistant
    std::string finish_reason;
    std::string model;  // as answered (may name the routed model)
    Usage usage;
    bool cost_reported{false};
};

boost::json::object to_json(const ChatRequest& request);

// Throws std::invalid_argument naming what is missing or of the wrong type.
ChatResponse parse_chat_response(std::string_view body);

}  // namespace alatar::llm
