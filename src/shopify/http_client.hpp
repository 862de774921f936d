#pragma once
// Blocking outbound HTTP for the worker side (libcurl, one easy handle per call). Fine off the I/O threads:
// Shopify calls run on worker threads and are bounded by a Deadline.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "common/time.hpp"

namespace alatar::shopify {

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    static HttpRequest get(std::string url) {
        HttpRequest r;
        r.url = std::move(url);
        return r;
    }
};

struct HttpResponse {
    long status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in arrival order

    // The first header called `lower_case_name`, if any (e.g. "retry-after", "location").
    std::optional<std::string> header(std::string_view lower_case_name) const;
};

// The request never produced an HTTP status: connection refused, reset, or the deadline passed.
class TransportError : public Error {
  public:
    TransportError(bool timed_out, const std::string& message)
        : Error(timed_out ? ErrorCode::kTimeout : ErrorCode::kUpstreamUnavailable, message), timed_out_(timed_out) {}
    bool timed_out() const noexcept { return timed_out_; }

  private:
    bool timed_out_;
};

class HttpClient {
  public:
    virtual ~HttpClient() = default;
    // Sends the request and reads the whole (small) response. Throws TransportError.
    virtual HttpResponse send(const HttpRequest& request, Deadline deadline) = 0;
    // GET whose body is handed to on_chunk piece by piece as it arrives (never held whole). Returns the status;
    // on_chunk is only called for a 2xx answer. Throws TransportError, or whatever on_chunk throws.
    virtual long stream(const std::string& url, Deadline deadline,
                        const std::function<void(std::string_view)>& on_chunk) = 0;
};

class CurlHttpClient : public HttpClient {
  public:
    CurlHttpClient();
    HttpResponse send(const HttpRequest& request, Deadline deadline) override;
    long stream(const std::string& url, Deadline deadline,
                const std::function<void(std::string_view)>& on_chunk) override;
};

// Splits a byte stream into lines ('\n', an optional '\r' dropped); keeps only the unfinished tail.
class LineSplitter {
  public:
    explicit LineSplitter(std::function<void(std::string_view)> on_line) : on_line_(std::move(on_line)) {}
    void feed(std::string_view chunk);
    // Delivers a last line without a trailing newline.
    void finish();

  private:
    std::function<void(std::string_view)> on_line_;
    std::string partial_;
};

}  // namespace alatar::shopify
