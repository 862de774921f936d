#pragma once
// An OpenAI-compatible chat-completions client (OpenRouter by default; any compatible endpoint works).
//
// One complete() is one logical call: POST {base_url}/chat/completions, retried on 429, 5xx, transport errors
// and unparseable answers with exponential backoff (honouring Retry-After in seconds when it fits the
// deadline), failing fast on other 4xx: 401/403 is a configuration error (a bad key), other 4xx a rejected
// request. Every attempt is bounded by the per-call timeout and the caller's deadline.
//
// LlmSession wraps the client for one analysis request and one user: it enforces the budgets before each
// call, prices the usage when the endpoint does not report a cost, and keeps a record of every call for the
// trace.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/time.hpp"
#include "llm/budget.hpp"
#include "llm/chat_types.hpp"
#include "llm/http_transport.hpp"

namespace alatar::llm {

enum class FailureKind {
    kConfiguration,  // 401/403: the API key (or account) is wrong; retrying cannot help
    kRejected,       // other 4xx: the endpoint refused this request (unknown model, bad parameters)
    kUnavailable,    // 429/5xx/transport errors after every retry
    kTimeout,        // the deadline or the per-call timeout passed
    kMalformed,      // 2xx answers that are not a chat completion, after every retry
    kBudget,         // a budget cap was reached before the call
};

std::string_view failure_kind_name(FailureKind kind) noexcept;

// what() is safe to show: status, kind and a short excerpt of the endpoint's error message, never the key.
class LlmFailure : public Error {
  public:
    LlmFailure(FailureKind kind, long status, const std::string& message);
    FailureKind kind() const noexcept { return kind_; }
    long status() const noexcept { return status_; }

  private:
    FailureKind kind_;
    long status_;
};

struct ChatClientOptions {
    std::string base_url{"https://openrouter.ai/api/v1"};
    std::string api_key;  // secret: only ever put in the Authorization header
    std::chrono::milliseconds timeout{60000};
    int max_retries{3};
    std::chrono::milliseconds backoff_base{500};
    std::chrono::milliseconds backoff_max{8000};
    // Prices used when the endpoint reports no cost (USD per million tokens).
    double usd_per_mtok_prompt{0};
    double usd_per_mtok_completion{0};
    std::string app_title{"Alatar"};
};

// One logical call, for the trace.
struct CallRecord {
    std::string model;
    int attempts{0};
    long status{0};  // last HTTP status (0: none)
    double duration_ms{0};
    Usage usage;
    std::string error;  // empty on success
    SystemTime started_at{};
    std::optional<FailureKind> failure;  // why it failed (kBudget: never sent)
};

class ChatClient {
  public:
    // `transport` must outlive the client.
    ChatClient(HttpTransport& transport, ChatClientOptions options);

    // Throws LlmFailure. `record` (optional) is filled in either way.
    ChatResponse complete(const ChatRequest& request, Deadline deadline, CallRecord* record = nullptr);

    const ChatClientOptions& options() const noexcept { return options_; }

  private:
    HttpTransport& transport_;
    ChatClientOptions options_;
};

// Seconds from a Retry-After header (delta-seconds form); nullopt for a date or garbage.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value);

class LlmSession {
  public:
    // References must outlive the session.
    LlmSession(ChatClient& client, DailyUsageLedger& ledger, std::string user_id, std::string model,
               BudgetLimits limits, Deadline deadline);

    // Sets the model, caps max_tokens by what the budgets leave, records usage. Throws LlmFailure (kBudget
    // when a cap is reached before the call).
    ChatResponse chat(ChatRequest request);

    const std::string& model() const noexcept { return model_; }
    const std::vector<CallRecord>& calls() const noexcept { return calls_; }
    Usage total() const noexcept { return total_; }

  private:
    ChatClient& client_;
    DailyUsageLedger& ledger_;
    std::string user_id_;
    std::string model_;
    BudgetLimits limits_;
    Deadline deadline_;
    std::vector<CallRecord> calls_;
    Usage total_;
};

}  // namespace alatar::llm
