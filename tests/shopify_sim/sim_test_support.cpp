#include "sim_test_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "http/server.hpp"

namespace alatar::shopify_sim::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

std::string lower(std::string s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

}  // namespace

boost::json::value HttpReply::json() const {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    return ec ? boost::json::value(nullptr) : v;
}

HttpReply http_call(std::uint16_t port, const std::string& method, const std::string& target,
                    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
                    std::chrono::milliseconds timeout) {
    asio::io_context ioc;
    HttpReply reply;
    auto run = [&]() -> asio::awaitable<void> {
        beast::tcp_stream stream(co_await asio::this_coro::executor);
        stream.expires_after(timeout);
        co_await stream.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                      asio::use_awaitable);
        bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
        req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
        for (const auto& [name, value] : headers) req.set(name, value);
        req.body() = body;
        req.prepare_payload();
        co_await bhttp::async_write(stream, req, asio::use_awaitable);
        beast::flat_buffer buffer;
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(1U << 30);
        co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
        auto res = parser.release();
        reply.status = res.result_int();
        for (const auto& field : res)
            reply.headers[lower(std::string(field.name_string()))] = std::string(field.value());
        reply.body = std::move(res.body());
    };
    asio::co_spawn(ioc, run(), [&](const std::exception_ptr& e) {
        if (e) reply.status = 0;
    });
    ioc.run();
    return reply;
}

struct WebhookReceiver::Impl {
    std::mutex mutex;
    std::condition_variable arrived;
    std::vector<ReceivedWebhook> received;
    std::size_t attempts = 0;
    int fail_first = 0;
    std::unique_ptr<http::Server> server;
};

WebhookReceiver::WebhookReceiver(int fail_first) : impl_(std::make_unique<Impl>()) {
    impl_->fail_first = fail_first;
    http::Router router;
    Impl* self = impl_.get();
    router.add_prefix("/", [self](const http::Request& req, http::RequestContext&) -> asio::awaitable<http::Response> {
        std::unique_lock lock(self->mutex);
        ++self->attempts;
        if (self->fail_first > 0) {
            --self->fail_first;
            co_return http::Response::text(500, "try again");
        }
        ReceivedWebhook hook;
        for (const auto& h : req.headers.items()) hook.headers[lower(h.name)] = h.value;
        hook.body = req.body;
        self->received.push_back(std::move(hook));
        self->arrived.notify_all();
        co_return http::Response::text(200, "ok");
    });
    http::ServerOptions options;
    options.port = 0;
    options.io_threads = 1;
    options.rate_limit = false;
    impl_->server = std::make_unique<http::Server>(options, std::move(router), alatar::Logger::null(),
                                                   std::make_shared<http::metrics::Registry>());
    impl_->server->start();
}

WebhookReceiver::~WebhookReceiver() { impl_->server->stop(); }

std::uint16_t WebhookReceiver::port() const { return impl_->server->port(); }

std::string WebhookReceiver::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
}

bool WebhookReceiver::wait_for(const std::string& topic, ReceivedWebhook& out, std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->mutex);
    return impl_->arrived.wait_for(lock, timeout, [&] {
        for (const auto& h : impl_->received) {
            const auto it = h.headers.find("x-shopify-topic");
            if (it != h.headers.end() && it->second == topic) {
                out = h;
                return true;
            }
        }
        return false;
    });
}

std::size_t WebhookReceiver::attempts() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->attempts;
}

}  // namespace alatar::shopify_sim::testing
