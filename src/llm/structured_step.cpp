#include "llm/structured_step.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace alatar::llm {

namespace {

namespace json = boost::json;

// Models sometimes wrap JSON in a Markdown fence even when asked not to.
std::string_view strip_fence(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\r')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    if (text.starts_with("```") && text.ends_with("```") && text.size() >= 6) {
        text.remove_suffix(3);
        const auto newline = text.find('\n');
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    }
    return text;
}

// The problem with an answer, or "" when it is acceptable.
std::string check_answer(const std::string& content, const Validator& validate, json::value& parsed) {
    boost::system::error_code ec;
    parsed = json::parse(strip_fence(content), ec);
    if (ec) return "the answer is not valid JSON";
    return validate(parsed);
}

json::value run_tool(const OfferedTool& tool, const ToolCall& call) {
    boost::system::error_code ec;
    const auto args = call.arguments.empty() ? json::value(json::object{}) : json::parse(call.arguments, ec);
    if (ec || !args.is_object()) return json::object{{"error", "arguments must be a JSON object"}};
    try {
        return tool.run(args.get_object());
    } catch (const std::exception& e) {
        return json::object{{"error", e.what()}};
    }
}

}  // namespace

StepOutcome run_structured_step(LlmSession& session, ChatRequest request, const ResponseSchema& schema,
                                const Validator& validate, const std::vector<OfferedTool>& tools, int max_tool_steps) {
    StepOutcome out;
    request.response_format = schema;
    request.tools.clear();
    for (const auto& t : tools) request.tools.push_back(t.definition);
    try {
        while (true) {
            ChatResponse response = session.chat(request);
            if (!response.message.tool_calls.empty()) {
                if (out.tool_steps >= max_tool_steps) {
                    out.fallback_reason =
                        fmt::format("the model kept calling tools past the limit of {} steps", max_tool_steps);
                    return out;
                }
                ++out.tool_steps;
                request.messages.push_back(response.message);
                for (const auto& call : response.message.tool_calls) {
                    const auto it = std::find_if(tools.begin(), tools.end(),
                                                 [&](const OfferedTool& t) { return t.definition.name == call.name; });
                    json::value result;
                    if (it == tools.end()) {
                        out.tools_refused.push_back(call.name);
                        result = json::object{{"error", "no such tool; only the listed read-only tools exist"}};
                    } else {
                        out.tools_called.push_back(call.name);
                        result = run_tool(*it, call);
                    }
                    request.messages.push_back(Message::tool(call.id, json::serialize(result)));
                }
                continue;
            }
            json::value parsed;
            const std::string problem = check_answer(response.message.content, validate, parsed);
            if (problem.empty()) {
                out.value = std::move(parsed);
                return out;
            }
            if (out.repaired) {
                out.fallback_reason = "the model's answer was still invalid after one repair: " + problem;
                return out;
            }
            out.repaired = true;
            request.messages.push_back(response.message);
            request.messages.push_back(
                Message::user("Your answer was rejected: " + problem +
                              ". Reply again with only a JSON object that matches the required schema and rules."));
        }
    } catch (const LlmFailure& e) {
        out.failure = e.kind();
        out.fallback_reason = e.what();
    }
    return out;
}

}  // namespace alatar::llm
