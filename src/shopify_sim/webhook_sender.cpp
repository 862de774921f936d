#include "shopify_sim/webhook_sender.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

namespace alatar::shopify_sim {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

asio::awaitable<unsigned> post(const OutgoingWebhook& hook, const boost::urls::url_view& url,
                               std::chrono::milliseconds timeout) {
    auto executor = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(executor);
    beast::tcp_stream stream(executor);
    const std::string host(url.host());
    const std::string port = url.has_port() ? std::string(url.port()) : std::string("80");
    stream.expires_after(timeout);
    const auto endpoints = co_await resolver.async_resolve(host, port, asio::use_awaitable);
    co_await stream.async_connect(endpoints, asio::use_awaitable);
    std::string target(url.encoded_path());
    if (target.empty()) target = "/";
    if (url.has_query()) target += "?" + std::string(url.encoded_query());
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, url.has_port() ? host + ":" + port : host);
    req.set(http::field::user_agent, "Shopify-Captain-Hook");
    for (const auto& [name, value] : hook.headers) req.set(name, value);
    req.body() = hook.body;
    req.prepare_payload();
    stream.expires_after(timeout);
    co_await http::async_write(stream, req, asio::use_awaitable);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    co_await http::async_read(stream, buffer, res, asio::use_awaitable);
    beast::error_code ec;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    co_return res.result_int();
}

}  // namespace

bool post_once(const OutgoingWebhook& hook, std::chrono::milliseconds timeout, unsigned* status) {
    const auto parsed = boost::urls::parse_uri(hook.url);
    if (!parsed || parsed->scheme() != "http") return false;
    asio::io_context ioc;
    unsigned result = 0;
    std::exception_ptr failure;
    asio::co_spawn(ioc, post(hook, *parsed, timeout), [&](const std::exception_ptr& e, unsigned s) {
        failure = e;
        result = s;
    });
    ioc.run();
    if (status != nullptr) *status = result;
    return !failure && result >= 200 && result < 300;
}

WebhookSender::WebhookSender(alatar::Logger log, WebhookSenderOptions options)
    : log_(std::move(log)), options_(options), worker_([this] { run(); }) {}

WebhookSender::~WebhookSender() { stop(); }

void WebhookSender::send(OutgoingWebhook hook) {
    {
        const std::lock_guard lock(mutex_);
        if (stopping_) return;
        queue_.push_back(std::move(hook));
    }
    wake_.notify_one();
}

void WebhookSender::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
}

std::uint64_t WebhookSender::delivered() const {
    const std::lock_guard lock(mutex_);
    return delivered_;
}

std::uint64_t WebhookSender::failed() const {
    const std::lock_guard lock(mutex_);
    return failed_;
}

void WebhookSender::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_) {
            if (!queue_.empty()) log_.warning("webhooks dropped at shutdown", {{"count", queue_.size()}});
            return;
        }
        OutgoingWebhook hook = std::move(queue_.front());
        queue_.pop_front();
        std::string topic;
        for (const auto& [name, value] : hook.headers) {
            if (name == "X-Shopify-Topic") topic = value;
        }
        bool ok = false;
        auto backoff = options_.first_backoff;
        for (int attempt = 1; attempt <= options_.attempts && !stopping_; ++attempt) {
            lock.unlock();
            unsigned status = 0;
            ok = post_once(hook, options_.timeout, &status);
            lock.lock();
            log_.info(ok ? "webhook delivered" : "webhook delivery failed",
                      {{"topic", topic}, {"url", hook.url}, {"attempt", attempt}, {"status", status}});
            if (ok) break;
            if (attempt < options_.attempts) wake_.wait_for(lock, backoff, [&] { return stopping_; });
            backoff *= 2;
        }
        ++(ok ? delivered_ : failed_);
    }
}

}  // namespace alatar::shopify_sim
