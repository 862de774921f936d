#include "shopify/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>

namespace alatar::shopify {
namespace {

struct EasyDeleter {
    void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
    std::string* body = nullptr;
    const std::function<void(std::string_view)>* on_chunk = nullptr;
    CURL* handle = nullptr;
    std::exception_ptr error;
};

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t n = size * count;
    if (sink->on_chunk != nullptr) {
        long status = 0;
        curl_easy_getinfo(sink->handle, CURLINFO_RESPONSE_CODE, &status);
        if (status < 200 || status >= 300) return n;  // an error page: not data
        try {
            (*sink->on_chunk)(std::string_view(data, n));
        } catch (...) {
            sink->error = std::current_exception();
            return 0;  // aborts the transfer
        }
        return n;
    }
    sink->body->append(data, n);
    return n;
}

struct HeaderSink {
    std::vector<std::pair<std::string, std::string>> headers;
};

std::string_view trim(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ' || v.back() == '\t'))
        v.remove_suffix(1);
    return v;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<HeaderSink*>(user);
    const std::size_t n = size * count;
    const std::string_view line(data, n);
    if (line.starts_with("HTTP/")) sink->headers.clear();  // a new response (after a 100 Continue or redirect)
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return n;
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    sink->headers.emplace_back(std::move(name), std::string(trim(line.substr(colon + 1))));
    return n;
}

long timeout_ms(Deadline deadline) {
    if (deadline.is_never()) return 0;
    const auto ms = deadline.remaining_ms().count();
    return ms <= 0 ? 1 : static_cast<long>(ms);
}

// Runs a prepared handle; throws TransportError when no HTTP answer came.
long perform(CURL* h, const std::string& url, Deadline deadline, Sink& sink) {
    if (deadline.expired()) throw TransportError(true, "deadline passed before the request to Shopify");
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms(deadline));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     std::min(timeout_ms(deadline) == 0 ? 10000L : timeout_ms(deadline), 10000L));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    sink.handle = h;
    const CURLcode rc = curl_easy_perform(h);
    if (sink.error) std::rethrow_exception(sink.error);
    if (rc != CURLE_OK) {
        // The URL may carry a signed query; name only the failure.
        throw TransportError(rc == CURLE_OPERATION_TIMEDOUT,
                             std::string("Shopify request failed: ") + curl_easy_strerror(rc));
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view lower_case_name) const {
    for (const auto& [name, value] : headers) {
        if (name == lower_case_name) return value;
    }
    return std::nullopt;
}

CurlHttpClient::CurlHttpClient() { global_init(); }

HttpResponse CurlHttpClient::send(const HttpRequest& request, Deadline deadline) {
    const Easy h(curl_easy_init());
    if (!h) throw TransportError(false, "cannot create an HTTP handle");
    Slist headers;
    for (const auto& [name, value] : request.headers) {
        std::string line = name;
        line += ": ";
        line += value;
        curl_slist* next = curl_slist_append(headers.get(), line.c_str());
        if (next == nullptr) throw TransportError(false, "cannot build HTTP headers");
        static_cast<void>(headers.release());
        headers.reset(next);
    }
    curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, headers.get());
    if (request.method == "POST") {
        curl_easy_setopt(h.get(), CURLOPT_POST, 1L);
        curl_easy_setopt(h.get(), CURLOPT_POSTFIELDS, request.body.c_str());
        curl_easy_setopt(h.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
    } else if (request.method != "GET") {
        curl_easy_setopt(h.get(), CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    HeaderSink header_sink;
    curl_easy_setopt(h.get(), CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(h.get(), CURLOPT_HEADERDATA, &header_sink);
    HttpResponse response;
    Sink sink;
    sink.body = &response.body;
    response.status = perform(h.get(), request.url, deadline, sink);
    response.headers = std::move(header_sink.headers);
    return response;
}

long CurlHttpClient::stream(const std::string& url, Deadline deadline,
                            const std::function<void(std::string_view)>& on_chunk) {
    const Easy h(curl_easy_init());
    if (!h) throw TransportError(false, "cannot create an HTTP handle");
    curl_easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h.get(), CURLOPT_MAXREDIRS, 3L);
    Sink sink;
    sink.on_chunk = &on_chunk;
    return perform(h.get(), url, deadline, sink);
}

void LineSplitter::feed(std::string_view chunk) {
    while (!chunk.empty()) {
        const auto nl = chunk.find('\n');
        if (nl == std::string_view::npos) {
            partial_.append(chunk);
            return;
        }
        std::string_view piece = chunk.substr(0, nl);
        chunk.remove_prefix(nl + 1);
        if (partial_.empty()) {
            if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
            on_line_(piece);
        } else {
            partial_.append(piece);
            if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
            const std::string line = std::move(partial_);
            partial_.clear();
            on_line_(line);
        }
    }
}

void LineSplitter::finish() {
    if (partial_.empty()) return;
    const std::string line = std::move(partial_);
    partial_.clear();
    on_line_(line);
}

}  // namespace alatar::shopify
