#include "support/scripted_llm_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <thread>

namespace alatar::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using asio::ip::tcp;

namespace {

json::object usage(std::int64_t prompt, std::int64_t completion, double cost) {
    json::object u{{"prompt_tokens", prompt}, {"completion_tokens", completion}, {"total_tokens", prompt + completion}};
    if (cost >= 0) u["cost"] = cost;
    return u;
}

std::string envelope(json::object message, std::string_view finish, json::object use) {
    return json::serialize(json::object{
        {"id", "chatcmpl-scripted"},
        {"object", "chat.completion"},
        {"model", "scripted/model"},
        {"choices",
         json::array{json::object{{"index", 0}, {"message", std::move(message)}, {"finish_reason", finish}}}},
        {"usage", std::move(use)}});
}

}  // namespace

ScriptedReply ScriptedReply::completion(std::string content, std::int64_t prompt_tokens, std::int64_t completion_tokens,
                                        double cost) {
    ScriptedReply r;
    r.body = envelope(json::object{{"role", "assistant"}, {"content", std::move(content)}}, "stop",
                      usage(prompt_tokens, completion_tokens, cost));
    return r;
}

ScriptedReply ScriptedReply::tool_calls(const std::vector<std::pair<std::string, std::string>>& calls,
                                        std::int64_t prompt_tokens, std::int64_t completion_tokens) {
    json::array list;
    int n = 0;
    for (const auto& [name, args] : calls) {
        list.push_back(json::object{{"id", "call_" + std::to_string(++n)},
                                    {"type", "function"},
                                    {"function", json::object{{"name", name}, {"arguments", args}}}});
    }
    ScriptedReply r;
    r.body = envelope(json::object{{"role", "assistant"}, {"content", nullptr}, {"tool_calls", std::move(list)}},
                      "tool_calls", usage(prompt_tokens, completion_tokens, -1));
    return r;
}

ScriptedReply ScriptedReply::error(unsigned status, std::string message, int retry_after_seconds) {
    ScriptedReply r;
    r.status = status;
    r.body = json::serialize(json::object{{"error", json::object{{"message", std::move(message)}, {"code", status}}}});
    if (retry_after_seconds >= 0) r.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
    return r;
}

ScriptedReply ScriptedReply::malformed() {
    ScriptedReply r;
    r.body = R"({"id": "chatcmpl-broken", "choices": [{"message": {"content": "unterminated)";
    return r;
}

ScriptedReply ScriptedReply::hang_forever() {
    ScriptedReply r;
    r.hang = true;
    return r;
}

struct ScriptedLlmServer::Impl {
    asio::io_context io;
    tcp::acceptor acceptor{io};
    std::thread thread;
    mutable std::mutex mutex;
    std::deque<ScriptedReply> script;
    std::vector<RecordedRequest> recorded;
    unsigned short port{0};

    std::optional<ScriptedReply> next() {
        const std::lock_guard lock{mutex};
        if (script.empty()) return std::nullopt;
        ScriptedReply r = std::move(script.front());
        script.pop_front();
        return r;
    }

    asio::awaitable<void> session(tcp::socket socket) {
        beast::tcp_stream stream{std::move(socket)};
        beast::flat_buffer buffer;
        try {
            while (true) {
                http::request<http::string_body> req;
                co_await http::async_read(stream, buffer, req, asio::use_awaitable);
                RecordedRequest rec{std::string{req.method_string()},
                                    std::string{req.target()},
                                    std::string{req[http::field::authorization]},
                                    req.body(),
                                    {}};
                boost::system::error_code ec;
                auto parsed = json::parse(req.body(), ec);
                if (!ec && parsed.is_object()) rec.json = std::move(parsed.as_object());
                {
                    const std::lock_guard lock{mutex};
                    recorded.push_back(std::move(rec));
                }
                ScriptedReply reply;
                if (req.method() != http::verb::post || req.target() != "/v1/chat/completions") {
                    reply = ScriptedReply::error(404, "no such endpoint");
                } else if (auto n = next()) {
                    reply = std::move(*n);
                } else {
                    reply = ScriptedReply::error(500, "script exhausted");
                }
                if (reply.hang || reply.delay.count() > 0) {
                    asio::steady_timer timer{stream.get_executor()};
                    timer.expires_after(reply.hang ? std::chrono::hours{1} : reply.delay);
                    co_await timer.async_wait(asio::use_awaitable);
                }
                http::response<http::string_body> res{static_cast<http::status>(reply.status), req.version()};
                res.set(http::field::content_type, "application/json");
                for (const auto& [name, value] : reply.headers) res.set(name, value);
                res.body() = reply.body;
                res.keep_alive(req.keep_alive());
                res.prepare_payload();
                co_await http::async_write(stream, res, asio::use_awaitable);
                if (!req.keep_alive()) break;
            }
        } catch (const boost::system::system_error&) {
            // The client went away (or timed out): nothing to answer.
        }
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    }

    asio::awaitable<void> accept_loop() {
        while (true) {
            tcp::socket socket = co_await acceptor.async_accept(asio::use_awaitable);
            asio::co_spawn(io, session(std::move(socket)), asio::detached);
        }
    }
};

ScriptedLlmServer::ScriptedLlmServer() : impl_(std::make_unique<Impl>()) {
    const tcp::endpoint endpoint{asio::ip::make_address("127.0.0.1"), 0};
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen();
    impl_->port = impl_->acceptor.local_endpoint().port();
    asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
    impl_->thread = std::thread([this] { impl_->io.run(); });
}

ScriptedLlmServer::~ScriptedLlmServer() {
    impl_->io.stop();
    impl_->thread.join();
}

void ScriptedLlmServer::enqueue(ScriptedReply reply) {
    const std::lock_guard lock{impl_->mutex};
    impl_->script.push_back(std::move(reply));
}

std::string ScriptedLlmServer::base_url() const { return "http://127.0.0.1:" + std::to_string(impl_->port) + "/v1"; }

std::vector<RecordedRequest> ScriptedLlmServer::requests() const {
    const std::lock_guard lock{impl_->mutex};
    return impl_->recorded;
}

std::size_t ScriptedLlmServer::unused_replies() const {
    const std::lock_guard lock{impl_->mutex};
    return impl_->script.size();
}

}  // namespace alatar::testing
