#include "llm/chat_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <stdexcept>
#include <thread>

namespace alatar::llm {

namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

ErrorCode code_for(FailureKind kind) {
    switch (kind) {
        case FailureKind::kConfiguration:
            return ErrorCode::kInternal;
        case FailureKind::kRejected:
            return ErrorCode::kBadUserInput;
        case FailureKind::kUnavailable:
        case FailureKind::kMalformed:
            return ErrorCode::kUpstreamUnavailable;
        case FailureKind::kTimeout:
            return ErrorCode::kTimeout;
        case FailureKind::kBudget:
            return ErrorCode::kRateLimited;
    }
    return ErrorCode::kInternal;
}

// The endpoint's own error message ({"error": {"message": ...}}), shortened; bodies are not echoed whole.
std::string error_excerpt(std::string_view body) {
    boost::system::error_code ec;
    const auto doc = json::parse(body, ec);
    std::string message;
    if (!ec && doc.is_object()) {
        if (const auto* e = doc.get_object().if_contains("error"); e != nullptr) {
            if (e->is_object()) {
                if (const auto* m = e->get_object().if_contains("message"); m != nullptr && m->is_string()) {
                    message = std::string{m->get_string()};
                }
            } else if (e->is_string()) {
                message = std::string{e->get_string()};
            }
        }
    }
    if (message.size() > 200) {
        message.resize(200);
        message += "...";
    }
    return message;
}

std::string trimmed_base(std::string base) {
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
}

bool retryable_status(long status) { return status == 429 || status >= 500; }

double elapsed_ms(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::string_view failure_kind_name(FailureKind kind) noexcept {
    switch (kind) {
        case FailureKind::kConfiguration:
            return "configuration";
        case FailureKind::kRejected:
            return "rejected";
        case FailureKind::kUnavailable:
            return "unavailable";
        case FailureKind::kTimeout:
            return "timeout";
        case FailureKind::kMalformed:
            return "malformed";
        case FailureKind::kBudget:
            return "budget";
    }
    return "unknown";
}

LlmFailure::LlmFailure(FailureKind kind, long status, const std::string& message)
    : Error(code_for(kind), message), kind_(kind), status_(status) {}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    std::int64_t seconds = -1;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc{} || ptr != value.data() + value.size() || seconds < 0 || seconds > 86400) {
        return std::nullopt;
    }
    return std::chrono::seconds{seconds};
}

ChatClient::ChatClient(HttpTransport& transport, ChatClientOptions options)
    : transport_(transport), options_(std::move(options)) {
    options_.base_url = trimmed_base(options_.base_url);
}

ChatResponse ChatClient::complete(const ChatRequest& request, Deadline deadline, CallRecord* record) {
    CallRecord local;
    CallRecord& rec = record != nullptr ? *record : local;
    rec = CallRecord{};
    rec.model = request.model;
    rec.started_at = std::chrono::system_clock::now();
    const auto start = std::chrono::steady_clock::now();
    HttpPost post;
    post.url = options_.base_url + "/chat/completions";
    post.headers = {{"Content-Type", "application/json"},
                    {"Accept", "application/json"},
                    {"Authorization", "Bearer " + options_.api_key},
                    {"X-Title", options_.app_title}};
    post.body = json::serialize(to_json(request));

    auto fail = [&](FailureKind kind, long status, const std::string& message) -> LlmFailure {
        rec.duration_ms = elapsed_ms(start);
        rec.error = message;
        rec.failure = kind;
        return LlmFailure(kind, status, message);
    };
    std::string last_problem;
    FailureKind last_kind = FailureKind::kUnavailable;
    std::chrono::milliseconds backoff = options_.backoff_base;
    for (int attempt = 0; attempt <= options_.max_retries; ++attempt) {
        const auto left = deadline.remaining_ms();
        if (left <= std::chrono::milliseconds::zero())
            throw fail(FailureKind::kTimeout, rec.status, "LLM call ran out of time" + last_problem);
        post.timeout = std::min(options_.timeout, left);
        rec.attempts = attempt + 1;
        std::optional<std::chrono::milliseconds> wait;
        try {
            const HttpAnswer answer = transport_.post(post);
            rec.status = answer.status;
            if (answer.status >= 200 && answer.status < 300) {
                try {
                    ChatResponse response = parse_chat_response(answer.body);
                    if (!response.cost_reported) {
                        response.usage.cost_usd =
                            (static_cast<double>(response.usage.prompt_tokens) * options_.usd_per_mtok_prompt +
                             static_cast<double>(response.usage.completion_tokens) * options_.usd_per_mtok_completion) /
                            1e6;
                    }
                    rec.usage = response.usage;
                    rec.duration_ms = elapsed_ms(start);
                    return response;
                } catch (const std::invalid_argument& e) {
                    last_kind = FailureKind::kMalformed;
                    last_problem = fmt::format(" (last answer malformed: {})", e.what());
                }
            } else if (answer.status == 401 || answer.status == 403) {
                const auto excerpt = error_excerpt(answer.body);
                throw fail(FailureKind::kConfiguration, answer.status,
                           fmt::format("LLM endpoint refused the API key (HTTP {}){}{}: check llm_api_key and "
                                       "llm_base_url",
                                       answer.status, excerpt.empty() ? "" : ": ", excerpt));
            } else if (!retryable_status(answer.status)) {
                const auto excerpt = error_excerpt(answer.body);
                throw fail(FailureKind::kRejected, answer.status,
                           fmt::format("LLM endpoint rejected the request (HTTP {}){}{}", answer.status,
                                       excerpt.empty() ? "" : ": ", excerpt));
            } else {
                last_kind = FailureKind::kUnavailable;
                last_problem = fmt::format(" (last answer HTTP {})", answer.status);
                if (const auto ra = answer.header("retry-after")) wait = parse_retry_after(*ra);
            }
        } catch (const TransportFailure& e) {
            last_kind = e.timed_out() ? FailureKind::kTimeout : FailureKind::kUnavailable;
            last_problem = fmt::format(" ({})", e.what());
        }
        if (attempt == options_.max_retries) break;
        const auto pause = wait.value_or(backoff);
        if (pause >= deadline.remaining_ms()) {
            throw fail(
                FailureKind::kTimeout, rec.status,
                fmt::format("LLM endpoint asked to wait {} ms, past the deadline{}", pause.count(), last_problem));
        }
        std::this_thread::sleep_for(pause);
        backoff = std::min(backoff * 2, options_.backoff_max);
    }
    throw fail(last_kind, rec.status, fmt::format("LLM call failed after {} attempts{}", rec.attempts, last_problem));
}

LlmSession::LlmSession(ChatClient& client, DailyUsageLedger& ledger, std::string user_id, std::string model,
                       BudgetLimits limits, Deadline deadline)
    : client_(client),
      ledger_(ledger),
      user_id_(std::move(user_id)),
      model_(std::move(model)),
      limits_(limits),
      deadline_(deadline) {}

ChatResponse LlmSession::chat(ChatRequest request) {
    const std::int64_t day = utc_day_now();
    const BudgetCheck budget = check_budget(limits_, total_, ledger_.used(user_id_, day));
    if (!budget.allowed) {
        calls_.push_back(CallRecord{.model = model_,
                                    .error = budget.reason,
                                    .started_at = std::chrono::system_clock::now(),
                                    .failure = FailureKind::kBudget});
        throw LlmFailure(FailureKind::kBudget, 0, "LLM not called: " + budget.reason);
    }
    request.model = model_;
    request.max_tokens = std::min(request.max_tokens.value_or(budget.tokens_left), budget.tokens_left);
    CallRecord record;
    try {
        ChatResponse response = client_.complete(request, deadline_, &record);
        calls_.push_back(record);
        total_ += record.usage;
        ledger_.add(user_id_, day, record.usage);
        return response;
    } catch (...) {
        calls_.push_back(record);
        throw;
    }
}

}  // namespace alatar::llm
