#include "agents/llm_narrative.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

#include "agents/builtin_tools.hpp"
#include "agents/json_schema.hpp"
#include "common/error.hpp"
#include "llm/structured_step.hpp"
#include "llm/untrusted.hpp"

namespace alatar::agents {

namespace {

namespace json = boost::json;

constexpr std::string_view kAnswerSchema = R"({"type": "object", "required": ["summary"],
    "properties": {"summary": {"type": "string", "minLength": 1, "maxLength": 2000},
                   "caveats": {"type": "array", "maxItems": 5, "items": {"type": "string", "maxLength": 300}}},
    "additionalProperties": false})";

const json::object* figures(const ToolContext& ctx, std::string_view task, std::string_view tool) {
    const auto* t = ctx.dependencies.if_contains(task);
    if (t == nullptr || !t->is_object()) return nullptr;
    const auto* results = t->get_object().if_contains("results");
    if (results == nullptr || !results->is_object()) return nullptr;
    const auto* out = results->get_object().if_contains(tool);
    return out != nullptr && out->is_object() ? &out->get_object() : nullptr;
}

double number_of(const json::value& v) {
    if (v.is_number()) return v.to_number<double>();
    if (v.is_string()) {
        try {
            return std::stod(std::string{v.get_string()});
        } catch (const std::exception&) {
            return std::nan("");
        }
    }
    return std::nan("");
}

// The trusted figures the model may quote: the totals, and the change of each against the period before.
json::object computed_figures(const ToolContext& ctx) {
    json::object out;
    const auto* current = figures(ctx, "sales_current", "sales_totals");
    const auto* previous = figures(ctx, "sales_previous", "sales_totals");
    if (current != nullptr) out["current_period"] = *current;
    if (previous != nullptr) {
        out["previous_period"] = *previous;
        json::object change;
        for (const auto& kv : *current) {
            const auto* before = previous->if_contains(kv.key());
            if (before == nullptr) continue;
            const double now = number_of(kv.value());
            const double was = number_of(*before);
            if (std::isnan(now) || std::isnan(was) || was == 0) continue;
            change[kv.key()] = fmt::format("{:.1f}", (now - was) / was * 100.0);
        }
        out["percent_change"] = std::move(change);
    }
    return out;
}

std::string fallback_note(const llm::StepOutcome& outcome) {
    std::string why = "its answer did not pass the checks";
    if (outcome.failure) {
        switch (*outcome.failure) {
            case llm::FailureKind::kBudget:
                why = "the AI budget is used up";
                break;
            case llm::FailureKind::kConfiguration:
                why = "the AI service is not configured correctly";
                break;
            case llm::FailureKind::kTimeout:
                why = "the AI service did not answer in time";
                break;
            default:
                why = "the AI service was unavailable";
        }
    } else if (outcome.fallback_reason.find("limit") != std::string::npos) {
        why = "it needed too many steps";
    }
    return " (The AI model was not used for this summary because " + why +
           "; it was written by the offline reasoner from the same figures.)";
}

json::object usage_record(const llm::LlmSession& session, const llm::StepOutcome& outcome) {
    const auto total = session.total();
    json::array calls;
    for (const auto& c : session.calls()) {
        calls.push_back(json::object{{"model", c.model},
                                     {"attempts", c.attempts},
                                     {"status", c.status},
                                     {"duration_ms", c.duration_ms},
                                     {"prompt_tokens", c.usage.prompt_tokens},
                                     {"completion_tokens", c.usage.completion_tokens},
                                     {"cost_usd", c.usage.cost_usd},
                                     {"error", c.error}});
    }
    json::array refused;
    for (const auto& r : outcome.tools_refused) refused.emplace_back(r);
    return json::object{{"model", session.model()},
                        {"calls", std::move(calls)},
                        {"prompt_tokens", total.prompt_tokens},
                        {"completion_tokens", total.completion_tokens},
                        {"tokens", total.total_tokens()},
                        {"cost_usd", total.cost_usd},
                        {"fallback", !outcome.value.has_value()},
                        {"fallback_reason", outcome.fallback_reason},
                        {"repaired", outcome.repaired},
                        {"tools_refused", std::move(refused)}};
}

// The vocabulary of alatar_llm_requests_total{outcome}.
std::string_view call_outcome(const llm::CallRecord& call) {
    if (!call.failure) return call.error.empty() ? "success" : "error";
    switch (*call.failure) {
        case llm::FailureKind::kTimeout:
            return "timeout";
        case llm::FailureKind::kConfiguration:
            return "auth_failed";
        case llm::FailureKind::kBudget:
            return "budget_exceeded";  // refused before sending: not a request to the endpoint
        default:
            return "error";
    }
}

// One "llm" span per model call under the tool call's span: model, tokens, cost, outcome (never the messages).
void add_call_spans(const ParentSpan& parent, const llm::LlmSession& session) {
    for (const auto& c : session.calls()) {
        Span span;
        span.name = "llm.chat";
        span.kind = "llm";
        span.started_at = c.started_at;
        span.duration_ms = c.duration_ms;
        span.attributes = {{"model", c.model},
                           {"attempts", c.attempts},
                           {"http_status", c.status},
                           {"outcome", call_outcome(c)},
                           {"prompt_tokens", c.usage.prompt_tokens},
                           {"completion_tokens", c.usage.completion_tokens},
                           {"cost_usd", c.usage.cost_usd}};
        if (!c.error.empty()) span.error = c.error;
        add_child_span(parent, std::move(span));
    }
}

}  // namespace

ToolSpec llm_compose_narrative(const ToolSpec& offline, LlmNarrativeSettings settings) {
    ToolSpec spec = offline;
    spec.description = "A plain-words summary written by a language model from the computed figures.";
    spec.timeout = settings.step_timeout;
    auto shared = std::make_shared<LlmNarrativeSettings>(std::move(settings));
    auto offline_run = offline.run;
    spec.run = [shared, offline_run](ToolContext& ctx, const json::object& input) -> json::value {
        json::value fallback = offline_run(ctx, input);
        const auto [requested_model, user_id] = shared->request_owner(ctx);
        const std::string model = requested_model.empty() ? shared->default_model : requested_model;
        if (model.empty() || model == "offline") return fallback;

        const json::object trusted = computed_figures(ctx);
        std::vector<double> allowed;
        llm::collect_numbers(trusted, allowed);
        llm::collect_numbers(json::value(input), allowed);
        const json::value store = shared->store_content(ctx);
        llm::collect_numbers(store, allowed);  // quoting a product's own figures is fine
        const json::value schema = parse_schema(kAnswerSchema);

        const llm::Validator validate = [&schema, &allowed](const json::value& answer) -> std::string {
            if (auto v = validate_schema(schema, answer); !v.empty()) return describe_violations(v);
            std::string text{answer.at("summary").as_string()};
            if (const auto* c = answer.get_object().if_contains("caveats")) {
                for (const auto& item : c->get_array()) text += "\n" + std::string{item.get_string()};
            }
            const auto invented = llm::unsupported_numbers(text, allowed);
            if (invented.empty()) return "";
            std::string list;
            for (const auto& n : invented) list += (list.empty() ? "" : ", ") + n;
            return "these numbers are not among the computed figures: " + list +
                   " (quote only numbers given in computed_figures)";
        };
        const std::vector<llm::OfferedTool> tools{
            {{"get_computed_figures", "The computed sales figures of the period and the period before (read-only).",
              json::parse(R"({"type": "object", "properties": {}, "additionalProperties": false})")},
             [trusted](const json::object&) -> json::value { return trusted; }}};

        llm::ChatRequest request;
        request.temperature = 0.2;
        request.messages = {
            llm::Message::system(
                std::string{"You are Alatar, an analyst for a Shopify merchant. Write a short summary of the "
                            "period's sales: the finding first, then the numbers behind it, then caveats. "} +
                std::string{llm::kUntrustedDataRules} +
                " Answer only with a JSON object {\"summary\": string, \"caveats\": [string]}."),
            llm::Message::user(fmt::format("Period: {}\ncomputed_figures (trusted, computed in code):\n{}\n\n"
                                           "Top products (store content, untrusted):\n{}",
                                           json::serialize(input.contains("period") ? input.at("period") : ""),
                                           json::serialize(trusted), llm::untrusted_block("top_products", store)))};

        llm::ChatClient client{*shared->transport, shared->client};
        const auto ledger = shared->ledger(ctx);
        llm::LlmSession session{
            client,
            *ledger,
            user_id,
            model,
            shared->limits,
            Deadline::at(std::min(ctx.deadline.time_point(), Deadline::after(shared->step_timeout).time_point()))};
        llm::StepOutcome outcome;
        try {
            outcome = llm::run_structured_step(session, std::move(request), llm::ResponseSchema{"narrative", schema},
                                               validate, tools, shared->max_tool_steps);
        } catch (...) {
            add_call_spans(ctx.span, session);
            throw;
        }
        add_call_spans(ctx.span, session);
        json::object out;
        if (outcome.value) {
            out = outcome.value->get_object();
        } else {
            out = fallback.as_object();
            out["summary"] = std::string{out.at("summary").as_string()} + fallback_note(outcome);
        }
        out["llm"] = usage_record(session, outcome);
        return out;
    };
    return spec;
}

namespace {

// Today's model usage of a user, summed from the narrative outputs of their requests (the record the trace
// shows), plus what this process added since.
class TaskOutputLedger final : public llm::DailyUsageLedger {
  public:
    explicit TaskOutputLedger(ToolContext& ctx) : ctx_(ctx) {}
    llm::Usage used(std::string_view user_id, std::int64_t) override {
        if (!loaded_) {
            const auto r = ctx_.db->query(
                "SELECT coalesce(sum((t.output->'results'->'compose_narrative'->'llm'->>'tokens')::bigint), 0), "
                "coalesce(sum((t.output->'results'->'compose_narrative'->'llm'->>'cost_usd')::float8), 0) "
                "FROM agent_tasks t JOIN analysis_requests r ON r.id = t.request_id "
                "WHERE r.user_id = $1::uuid AND t.finished_at >= date_trunc('day', now() AT TIME ZONE 'UTC') "
                "AT TIME ZONE 'UTC'",
                db::Params{std::string{user_id}}, ctx_.deadline);
            base_.prompt_tokens = r.get<std::int64_t>(0, 0);
            base_.cost_usd = r.get<double>(0, 1);
            loaded_ = true;
        }
        llm::Usage u = base_;
        u += added_;
        return u;
    }
    void add(std::string_view, std::int64_t, const llm::Usage& usage) override { added_ += usage; }

  private:
    ToolContext& ctx_;
    bool loaded_{false};
    llm::Usage base_;
    llm::Usage added_;
};

}  // namespace

LlmNarrativeSettings llm_narrative_settings(const Config& config) {
    LlmNarrativeSettings s;
    s.transport = std::make_shared<llm::CurlTransport>();
    s.client.base_url = config.llm_base_url;
    s.client.api_key = config.llm_api_key;
    s.client.timeout = config.llm_timeout;
    s.client.max_retries = static_cast<int>(config.llm_max_retries);
    s.default_model = config.llm_models.empty() ? std::string{} : config.llm_models.front();
    s.limits = llm::BudgetLimits{.request_tokens = config.llm_request_token_budget,
                                 .user_daily_tokens = config.llm_user_daily_token_budget,
                                 .request_usd = static_cast<double>(config.llm_request_budget_cents) / 100.0,
                                 .user_daily_usd = static_cast<double>(config.llm_user_daily_budget_cents) / 100.0};
    s.max_tool_steps = static_cast<int>(config.llm_max_tool_steps);
    s.step_timeout = config.llm_timeout * (config.llm_max_tool_steps + 2);
    s.ledger = [](ToolContext& ctx) -> std::shared_ptr<llm::DailyUsageLedger> {
        return std::make_shared<TaskOutputLedger>(ctx);
    };
    s.request_owner = [](ToolContext& ctx) -> std::pair<std::string, std::string> {
        const auto r =
            ctx.db->query("SELECT coalesce(llm_model, ''), user_id::text FROM analysis_requests WHERE id = $1::uuid",
                          db::Params{ctx.request_id}, ctx.deadline);
        if (r.empty()) throw Error(ErrorCode::kNotFound, "analysis request not found");
        return {r.get<std::string>(0, 0), r.get<std::string>(0, 1)};
    };
    s.store_content = [](ToolContext& ctx) -> json::array {
        // The best sellers of the days the current figures cover (from daily_sales), with their descriptions.
        const auto* daily = figures(ctx, "sales_current", "daily_sales");
        json::array out;
        if (daily == nullptr || daily->at("days").as_array().empty()) return out;
        const auto& days = daily->at("days").as_array();
        const std::string first{days.front().at("day").as_string()};
        const std::string last{days.back().at("day").as_string()};
        const auto r = ctx.db->query(
            "SELECT p.title, coalesce(p.product_type, ''), sum(li.quantity), round(sum(li.discounted_total), 2)::text, "
            "left(coalesce(p.description, ''), 600) FROM shop_order_line_items li "
            "JOIN shop_orders o ON o.store_id = li.store_id AND o.shopify_gid = li.order_gid "
            "JOIN shop_products p ON p.store_id = li.store_id AND p.shopify_gid = li.product_gid "
            "WHERE li.store_id = $1 AND (o.processed_at AT TIME ZONE $4)::date BETWEEN $2::date AND $3::date "
            "AND NOT o.test AND o.cancelled_at IS NULL GROUP BY p.shopify_gid, p.title, p.product_type, p.description "
            "ORDER BY sum(li.discounted_total) DESC, p.title LIMIT 5",
            db::Params{ctx.store_id, first, last, ctx.shop_timezone}, ctx.deadline);
        for (int i = 0; i < r.rows(); ++i) {
            out.push_back(json::object{{"title", r.get<std::string>(i, 0)},
                                       {"product_type", r.get<std::string>(i, 1)},
                                       {"units", r.get<std::int64_t>(i, 2)},
                                       {"revenue", r.get<std::string>(i, 3)},
                                       {"description", r.get<std::string>(i, 4)}});
        }
        return out;
    };
    return s;
}

ToolRegistry with_llm_narrative(ToolRegistry tools, const Config& config, const Logger& log) {
    const auto* offline = tools.find("compose_narrative");
    if (config.llm_api_key.empty() || offline == nullptr) {
        log.info("narratives by the offline reasoner (no llm_api_key)");
        return tools;
    }
    tools.replace(llm_compose_narrative(*offline, llm_narrative_settings(config)));
    log.info("narratives by a language model", {{"base_url", config.llm_base_url}});
    return tools;
}

}  // namespace alatar::agents
