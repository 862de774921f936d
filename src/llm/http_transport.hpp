#pragma once
// The one HTTP exchange the LLM client needs: POST a JSON body, read the whole answer. An interface so the
// client's retry and budget logic can be tested against the scripted server or a fake.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace alatar::llm {

struct HttpPost {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{60000};  // the whole exchange, connect included
};

struct HttpAnswer {
    long status{0};
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased

    std::optional<std::string> header(std::string_view lower_case_name) const;
};

// No HTTP status came back: refused, reset, or the timeout passed.
class TransportFailure : public Error {
  public:
    TransportFailure(bool timed_out, const std::string& message)
        : Error(timed_out ? ErrorCode::kTimeout : ErrorCode::kUpstreamUnavailable, message), timed_out_(timed_out) {}
    bool timed_out() const noexcept { return timed_out_; }

  private:
    bool timed_out_;
};

class HttpTransport {
  public:
    HttpTransport() = default;
    virtual ~HttpTransport() = default;
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;
    HttpTransport(HttpTransport&&) = delete;
    HttpTransport& operator=(HttpTransport&&) = delete;

    // Throws TransportFailure.
    virtual HttpAnswer post(const HttpPost& request) = 0;
};

// libcurl, one easy handle per call (calls run on worker threads, never on I/O threads).
class CurlTransport final : public HttpTransport {
  public:
    CurlTransport();
    HttpAnswer post(const HttpPost& request) override;
};

}  // namespace alatar::llm
