#pragma once
// A scripted OpenAI-compatible chat-completions server for tests, speaking real HTTP/1.1 on 127.0.0.1.
// Each POST /v1/chat/completions takes the next scripted reply: a completion, a tool-call turn, or a fault
// (an error status with headers such as Retry-After, a malformed body, a delay, or a hang that never
// answers). Every request is recorded so tests can check what the client sent.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace alatar::testing {

struct ScriptedReply {
    unsigned status{200};
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::milliseconds delay{0};
    bool hang{false};

    // A final answer with this content and usage (cost < 0: no cost reported).
    static ScriptedReply completion(std::string content, std::int64_t prompt_tokens = 100,
                                    std::int64_t completion_tokens = 50, double cost = 0.001);
    // An assistant turn calling tools: (name, JSON arguments text) pairs.
    static ScriptedReply tool_calls(const std::vector<std::pair<std::string, std::string>>& calls,
                                    std::int64_t prompt_tokens = 100, std::int64_t completion_tokens = 20);
    // An OpenAI-style error body; retry_after_seconds >= 0 adds a Retry-After header.
    static ScriptedReply error(unsigned status, std::string message, int retry_after_seconds = -1);
    static ScriptedReply malformed();
    static ScriptedReply hang_forever();
};

struct RecordedRequest {
    std::string method;
    std::string target;
    std::string authorization;
    std::string body;
    boost::json::object json;  // the body parsed (empty when it is not a JSON object)
};

class ScriptedLlmServer {
  public:
    ScriptedLlmServer();
    ~ScriptedLlmServer();
    ScriptedLlmServer(const ScriptedLlmServer&) = delete;
    ScriptedLlmServer& operator=(const ScriptedLlmServer&) = delete;
    ScriptedLlmServer(ScriptedLlmServer&&) = delete;
    ScriptedLlmServer& operator=(ScriptedLlmServer&&) = delete;

    void enqueue(ScriptedReply reply);
    // "http://127.0.0.1:<port>/v1"
    std::string base_url() const;
    std::vector<RecordedRequest> requests() const;
    std::size_t unused_replies() const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace alatar::testing
