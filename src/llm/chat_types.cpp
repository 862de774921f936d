#include "llm/chat_types.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <stdexcept>

namespace alatar::llm {

namespace {

namespace json = boost::json;

json::object message_json(const Message& m) {
    json::object o{{"role", m.role}};
    if (!m.tool_calls.empty()) {
        json::array calls;
        for (const auto& c : m.tool_calls) {
            calls.push_back(json::object{{"id", c.id},
                                         {"type", "function"},
                                         {"function", json::object{{"name", c.name}, {"arguments", c.arguments}}}});
        }
        o["tool_calls"] = std::move(calls);
        o["content"] = m.content.empty() ? json::value(nullptr) : json::value(m.content);
    } else {
        o["content"] = m.content;
    }
    if (!m.tool_call_id.empty()) o["tool_call_id"] = m.tool_call_id;
    return o;
}

const json::object& object_at(const json::object& o, std::string_view key, std::string_view where) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_object())
        throw std::invalid_argument(std::string{where} + " has no object " + std::string{key});
    return v->get_object();
}

std::string string_or_empty(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string{v->get_string()} : std::string{};
}

std::int64_t count_at(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_number()) return 0;
    const auto n = v->to_number<double>();
    return n > 0 ? static_cast<std::int64_t>(n) : 0;
}

}  // namespace

json::object to_json(const ChatRequest& request) {
    json::object o{{"model", request.model}};
    json::array messages;
    for (const auto& m : request.messages) messages.push_back(message_json(m));
    o["messages"] = std::move(messages);
    if (!request.tools.empty()) {
        json::array tools;
        for (const auto& t : request.tools) {
            tools.push_back(json::object{
                {"type", "function"},
                {"function",
                 json::object{{"name", t.name}, {"description", t.description}, {"parameters", t.parameters}}}});
        }
        o["tools"] = std::move(tools);
    }
    if (request.response_format) {
        o["response_format"] = json::object{{"type", "json_schema"},
                                            {"json_schema", json::object{{"name", request.response_format->name},
                                                                         {"strict", true},
                                                                         {"schema", request.response_format->schema}}}};
    }
    if (request.max_tokens) o["max_tokens"] = *request.max_tokens;
    if (request.temperature) o["temperature"] = *request.temperature;
    o["usage"] = json::object{{"include", true}};
    return o;
}

ChatResponse parse_chat_response(std::string_view body) {
    boost::system::error_code ec;
    const json::value doc = json::parse(body, ec);
    if (ec || !doc.is_object()) throw std::invalid_argument("response is not a JSON object");
    const auto& root = doc.get_object();
    const auto* choices = root.if_contains("choices");
    if (choices == nullptr || !choices->is_array() || choices->get_array().empty() ||
        !choices->get_array().front().is_object()) {
        throw std::invalid_argument("response has no choices");
    }
    const auto& choice = choices->get_array().front().get_object();
    const auto& message = object_at(choice, "message", "choice");
    ChatResponse r;
    r.message.role = "assistant";
    r.message.content = string_or_empty(message, "content");
    if (const auto* calls = message.if_contains("tool_calls"); calls != nullptr && calls->is_array()) {
        for (const auto& c : calls->get_array()) {
            if (!c.is_object()) throw std::invalid_argument("tool call is not an object");
            const auto& fn = object_at(c.get_object(), "function", "tool call");
            ToolCall call{string_or_empty(c.get_object(), "id"), string_or_empty(fn, "name"),
                          string_or_empty(fn, "arguments")};
            if (call.name.empty()) throw std::invalid_argument("tool call without a function name");
            r.message.tool_calls.push_back(std::move(call));
        }
    }
    r.finish_reason = string_or_empty(choice, "finish_reason");
    r.model = string_or_empty(root, "model");
    if (const auto* usage = root.if_contains("usage"); usage != nullptr && usage->is_object()) {
        const auto& u = usage->get_object();
        r.usage.prompt_tokens = count_at(u, "prompt_tokens");
        r.usage.completion_tokens = count_at(u, "completion_tokens");
        if (const auto* cost = u.if_contains("cost"); cost != nullptr && cost->is_number()) {
            r.usage.cost_usd = cost->to_number<double>();
            r.cost_reported = true;
        }
    }
    return r;
}

}  // namespace alatar::llm
