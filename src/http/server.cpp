#include "http/server.hpp"

#include <openssl/rand.h>
#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/detail/with_timeout.hpp"
#include "http/ws_protocol.hpp"

namespace alatar::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

std::string random_request_id() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(32);
    for (unsigned char b : bytes) {
        out += kHex[b >> 4];
        out += kHex[b & 0xF];
    }
    return out;
}

// Incoming ids are echoed and logged, so only a short, harmless alphabet is accepted.
bool valid_request_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || c == '.' || c == ':';
        if (!ok) return false;
    }
    return true;
}

std::string_view method_label(std::string_view m) {
    for (std::string_view known : {"GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"}) {
        if (m == known) return known;
    }
    return "OTHER";
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// "https://host:port" of an Origin header compared with the Host header (same-origin WebSocket upgrades).
bool same_origin(std::string_view origin, std::string_view host) {
    const auto scheme_end = origin.find("://");
    if (scheme_end == std::string_view::npos) return false;
    return iequals(origin.substr(scheme_end + 3), host);
}

std::string default_user_key(const Request& req) {
    const auto auth = req.headers.get("Authorization");
    if (!auth || auth->empty()) return {};
    // A bucket key only: the credential itself is never stored or logged.
    return "auth:" + std::to_string(std::hash<std::string_view>{}(*auth));
}

struct ServerMetrics {
    metrics::Family<metrics::Counter>& requests;
    metrics::Family<metrics::Histogram>& request_duration;
    metrics::Gauge& in_flight;
    metrics::Gauge& connections;
    metrics::Counter& rejected_connections;
    metrics::Gauge& ws_connections;
    metrics::Gauge& ws_subscriptions;
    metrics::Counter& ws_slow_consumers;
    metrics::Family<metrics::Counter>& graphql_errors;

    explicit ServerMetrics(metrics::Registry& r)
        : requests(r.counter("alatar_http_requests_total", "HTTP requests by route, method and status.",
                             {"route", "method", "status"})),
          request_duration(
              r.histogram("alatar_http_request_duration_seconds", "HTTP request latency by route.", {"route"})),
          in_flight(r.gauge("alatar_http_in_flight_requests", "HTTP requests being handled.").get()),
          connections(r.gauge("alatar_http_connections", "Open client connections (HTTP and WebSocket).").get()),
          rejected_connections(
              r.counter("alatar_http_rejected_connections_total", "Connections refused at the connection limit.")
                  .get()),
          ws_connections(r.gauge("alatar_ws_connections", "Open graphql-transport-ws connections.").get()),
          ws_subscriptions(r.gauge("alatar_ws_subscriptions", "Running operations over WebSocket.").get()),
          ws_slow_consumers(
              r.counter("alatar_ws_slow_consumers_total", "WebSocket clients disconnected because they did not read.")
                  .get()),
          graphql_errors(r.counter("alatar_graphql_errors_total", "GraphQL errors by extensions.code.", {"code"}, 64)) {
    }
};

// Decrements a gauge when a scope ends.
class GaugeGuard {
  public:
    explicit GaugeGuard(metrics::Gauge& g) : g_(&g) { g_->inc(); }
    ~GaugeGuard() { g_->dec(); }
    GaugeGuard(const GaugeGuard&) = delete;
    GaugeGuard& operator=(const GaugeGuard&) = delete;

  private:
    metrics::Gauge* g_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Core: everything the sessions share. Sessions keep a plain reference: the io_context (and with it every session
// coroutine) is destroyed before the members it may touch.

class Connection;
using detail::ServerCore;

struct detail::ServerCore {
    ServerOptions options;
    Router router;
    alatar::Logger log;
    std::shared_ptr<metrics::Registry> registry;
    ServerMetrics m;
    RateLimiter per_address;
    RateLimiter per_user;
    Cors cors;
    std::shared_ptr<SubscriptionHandler> subscriptions;
    std::function<std::string(const Request&)> user_key = default_user_key;
    LogRateLimiter accept_log_limiter;

    std::mutex conn_mutex;
    std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> conns;
    std::atomic<std::uint64_t> next_conn_id{1};
    std::atomic<std::size_t> conn_count{0};
    std::atomic<bool> stopping{false};

    std::mutex state_mutex;
    std::condition_variable state_cv;
    bool started = false;
    bool joining = false;   // a wait() is joining the threads
    bool finished = false;  // threads joined
    std::vector<std::thread> threads;
    std::uint16_t bound_port = 0;

    // Declared after the state above: destroyed first, so pending coroutines can still reach it.
    asio::io_context ioc;
    asio::strand<asio::io_context::executor_type> listener_strand{ioc.get_executor()};
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::optional<asio::ssl::context> ssl;
    tcp::acceptor acceptor{ioc};
    std::optional<asio::signal_set> signals;

    ServerCore(ServerOptions o, Router r, alatar::Logger l, std::shared_ptr<metrics::Registry> reg)
        : options(std::move(o)),
          router(std::move(r)),
          log(std::move(l)),
          registry(std::move(reg)),
          m(*registry),
          per_address(options.per_address),
          per_user(options.per_user),
          cors(options.cors),
          ioc(static_cast<int>(options.io_threads)) {}

    asio::awaitable<void> listen();
    void start_session(tcp::socket socket);
    void drain_backlog();
    asio::awaitable<void> wait_for_signal();
    asio::awaitable<void> graceful_stop();
    asio::awaitable<Response> dispatch(Request& req);
    void track(const std::shared_ptr<Connection>& c, std::uint64_t id);
    void untrack(std::uint64_t id);
    std::vector<std::shared_ptr<Connection>> snapshot();
    void count_transport_response(unsigned status);
    std::string client_address(const Request& req, const std::string& peer) const;
    void begin_stop();
};

// A tracked connection: the server reaches it for shutdown. Both calls are thread-safe (they post to the strand).
class Connection {
  public:
    Connection(ServerCore& core, std::uint64_t id) : core_(core), id_(id) {
        core_.conn_count.fetch_add(1);
        core_.m.connections.inc();
    }
    virtual ~Connection() {
        core_.untrack(id_);
        core_.conn_count.fetch_sub(1);
        core_.m.connections.dec();
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Finish the current request (or close the WebSocket with 1001), then close.
    virtual void begin_shutdown() = 0;
    // Close the socket now.
    virtual void force_close() = 0;

  protected:
    ServerCore& core_;
    std::uint64_t id_;
};

void ServerCore::track(const std::shared_ptr<Connection>& c, std::uint64_t id) {
    std::lock_guard lock{conn_mutex};
    conns[id] = c;
}

void ServerCore::untrack(std::uint64_t id) {
    std::lock_guard lock{conn_mutex};
    conns.erase(id);
}

std::vector<std::shared_ptr<Connection>> ServerCore::snapshot() {
    std::vector<std::shared_ptr<Connection>> out;
    std::lock_guard lock{conn_mutex};
    for (auto& [id, w] : conns) {
        if (auto c = w.lock()) out.push_back(std::move(c));
    }
    return out;
}

void ServerCore::count_transport_response(unsigned status) {
    m.requests.with({"_transport", "OTHER", std::to_string(status)}).inc();
}

std::string ServerCore::client_address(const Request& req, const std::string& peer) const {
    if (options.trust_forwarded_for) {
        if (const auto xff = req.headers.get("X-Forwarded-For")) {
            const auto comma = xff->rfind(',');
            const auto last = trim(comma == std::string_view::npos ? *xff : xff->substr(comma + 1));
            if (!last.empty() && last.size() <= 64) return std::string{last};
        }
    }
    return peer;
}

// ---------------------------------------------------------------------------------------------------------------
// Request dispatch: routing, rate limits, the deadline, the global exception handler and the common headers.

asio::awaitable<Response> ServerCore::dispatch(Request& req) {
    const auto started_at = Clock::now();
    RequestContext ctx;
    const auto incoming_id = req.headers.get("X-Request-Id");
    ctx.request_id = incoming_id && valid_request_id(*incoming_id) ? std::string{*incoming_id} : random_request_id();
    ctx.client_address = req.client_address;
    ctx.tls = req.tls;
    ctx.deadline = started_at + options.request_timeout;
    ctx.log = log.with({{"request_id", ctx.request_id}});
    GaugeGuard in_flight{m.in_flight};

    std::string route_label = "not_found";
    Response res;
    std::exception_ptr failure;
    try {
        const Route* route = nullptr;
        bool decided = false;
        if (Cors::is_preflight(req)) {
            route_label = "preflight";
            res = cors.preflight(req);
            decided = true;
        } else {
            route = router.find(req.path);
            if (route) {
                route_label = route->path;
            } else if (router.static_files() && (req.method == "GET" || req.method == "HEAD")) {
                route_label = "static";
            }
        }
        ctx.user_key = user_key(req);
        if (!decided && options.rate_limit && (route == nullptr || route->options.rate_limited)) {
            auto d = per_address.take(ctx.client_address);
            if (d.allowed && !ctx.user_key.empty()) d = per_user.take(ctx.user_key);
            if (!d.allowed) {
                res = Response::json(429, error_body("Too many requests, retry later", "RATE_LIMITED", ctx.request_id));
                res.headers.set("Retry-After", std::to_string(d.retry_after.count()));
                m.graphql_errors.with({"RATE_LIMITED"}).inc();
                decided = true;
            }
        }
        if (!decided) {
            if (route) {
                auto r = co_await detail::with_timeout(route->handler(req, ctx), options.request_timeout);
                if (r) {
                    res = std::move(*r);
                } else {
                    ctx.log.warning("request deadline exceeded", {{"path", req.path}});
                    res = Response::json(504, error_body("The request took too long", "TIMEOUT", ctx.request_id));
                    m.graphql_errors.with({"TIMEOUT"}).inc();
                }
            } else if (route_label == "static") {
                res = router.static_files()->serve(req);
            } else {
                res = Response::json(404, error_body("Not found", "NOT_FOUND", ctx.request_id));
            }
        }
    } catch (...) {
        failure = std::current_exception();
    }
    if (failure) {
        // The global handler: the client gets a generic INTERNAL error with the request id, the log gets the rest.
        ctx.log.log_exception(LogLevel::kError, "request failed", failure, {{"path", req.path}});
        res = Response::json(500, error_body("Internal server error", "INTERNAL", ctx.request_id));
        m.graphql_errors.with({"INTERNAL"}).inc();
    }

    cors.decorate(req, res);
    apply_security_headers(res, options.security, req.tls);
    res.headers.set("X-Request-Id", ctx.request_id);
    res.headers.set_default("Cache-Control", "no-store");

    const double secs = std::chrono::duration<double>(Clock::now() - started_at).count();
    m.requests.with({route_label, std::string{method_label(req.method)}, std::to_string(res.status)}).inc();
    m.request_duration.with({route_label}).observe(secs);
    ctx.log.info(
        "request",
        {{"method", method_label(req.method)}, {"path", req.path}, {"status", res.status}, {"dur_ms", secs * 1000.0}});
    co_return res;
}

// ---------------------------------------------------------------------------------------------------------------
// WebSocket session (graphql-transport-ws): a reader coroutine feeding WsProtocol, a writer draining a bounded queue.

namespace {

// Shared between a session and its sinks (which live on other threads): the outbound byte budget.
struct Outbox {
    std::mutex mutex;
    bool closed = false;
    std::size_t pending = 0;
    std::size_t limit = 0;
    std::size_t peak = 0;

    void release(std::size_t n) {
        std::lock_guard lock{mutex};
        pending -= std::min(pending, n);
    }
};

enum class SinkEvent { kNext, kError, kComplete };

class WsSessionBase {
  public:
    virtual ~WsSessionBase() = default;
    virtual void deliver(SinkEvent event, const std::string& id, std::string payload, std::size_t bytes) = 0;
    virtual void overflow() = 0;
    virtual void shutdown() = 0;
    virtual void force_close() = 0;
};

class Sink final : public SubscriptionSink {
  public:
    Sink(std::shared_ptr<Outbox> outbox, std::weak_ptr<WsSessionBase> session, asio::any_io_executor ex, std::string id)
        : outbox_(std::move(outbox)), session_(std::move(session)), ex_(std::move(ex)), id_(std::move(id)) {}

    bool next(std::string execution_result) override { return post(SinkEvent::kNext, std::move(execution_result)); }
    void error(std::string errors_array) override { post(SinkEvent::kError, std::move(errors_array)); }
    void complete() override { post(SinkEvent::kComplete, {}); }
    bool closed() const override { return done_.load(); }
    std::size_t pending_bytes() const override {
        std::lock_guard lock{outbox_->mutex};
        return outbox_->pending;
    }
    void mark_done() { done_.store(true); }

  private:
    bool post(SinkEvent event, std::string payload) {
        if (done_.load()) return false;
        const std::size_t bytes = payload.size() + id_.size() + 48;  // frame overhead
        std::lock_guard lock{outbox_->mutex};
        if (outbox_->closed) {
            done_.store(true);
            return false;
        }
        // Only results count against the budget: error/complete end the operation, so they are bounded anyway.
        if (event == SinkEvent::kNext && outbox_->pending + bytes > outbox_->limit) {
            done_.store(true);
            outbox_->closed = true;
            asio::post(ex_, [w = session_] {
                if (auto s = w.lock()) s->overflow();
            });
            return false;
        }
        if (event != SinkEvent::kNext) done_.store(true);
        outbox_->pending += bytes;
        outbox_->peak = std::max(outbox_->peak, outbox_->pending);
        asio::post(ex_, [w = session_, event, id = id_, p = std::move(payload), bytes]() mutable {
            if (auto s = w.lock()) s->deliver(event, id, std::move(p), bytes);
        });
        return true;
    }

    std::shared_ptr<Outbox> outbox_;
    std::weak_ptr<WsSessionBase> session_;
    asio::any_io_executor ex_;
    std::string id_;
    std::atomic<bool> done_{false};
};

std::vector<std::string> requested_subprotocols(std::string_view header) {
    std::vector<std::string> out;
    while (!header.empty()) {
        const auto comma = header.find(',');
        const auto item = trim(header.substr(0, comma));
        if (!item.empty()) out.emplace_back(item);
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    }
    return out;
}

template <class Stream>
class WsSession final : public WsSessionBase, public std::enable_shared_from_this<WsSession<Stream>> {
  public:
    WsSession(ServerCore& core, Stream&& stream, WsConnectionInfo info)
        : core_(core),
          ws_(std::move(stream)),
          proto_(core.options.ws.max_subscriptions),
          info_(std::move(info)),
          outbox_(std::make_shared<Outbox>()),
          wake_(ws_.get_executor()),
          init_timer_(ws_.get_executor()) {
        outbox_->limit = core_.options.ws.max_outbound_bytes;
    }

    ~WsSession() override {
        std::lock_guard lock{outbox_->mutex};
        outbox_->closed = true;
    }

    asio::awaitable<void> run(bhttp::request<bhttp::string_body> req) {
        bool protocol_ok = false;
        for (const auto& p : requested_subprotocols(req[bhttp::field::sec_websocket_protocol])) {
            protocol_ok = protocol_ok || p == kGraphQLTransportWs;
        }
        websocket::stream_base::timeout t{};
        t.handshake_timeout = core_.options.header_timeout;
        t.idle_timeout = core_.options.ws.idle_timeout;
        t.keep_alive_pings = true;
        ws_.set_option(t);
        ws_.set_option(websocket::stream_base::decorator([protocol_ok](websocket::response_type& res) {
            if (protocol_ok) res.set(bhttp::field::sec_websocket_protocol, kGraphQLTransportWs);
        }));
        ws_.read_message_max(core_.options.ws.max_message_bytes);
        beast::get_lowest_layer(ws_).expires_never();  // the websocket timeouts take over

        auto [ec] = co_await ws_.async_accept(req, kUseTuple);
        if (ec) co_return;
        GaugeGuard connected{core_.m.ws_connections};
        info_.log.info("websocket open", {{"subprotocol_ok", protocol_ok}});
        if (!protocol_ok) {
            // graphql-ws: a socket without the graphql-transport-ws subprotocol is closed with 4406.
            co_await ws_.async_close(
                websocket::close_reason(static_cast<websocket::close_code>(ws_close::kSubprotocolNotAcceptable),
                                        "Subprotocol not acceptable"),
                kUseTuple);
            co_return;
        }
        auto self = this->shared_from_this();
        asio::co_spawn(ws_.get_executor(), writer(self), asio::detached);
        asio::co_spawn(ws_.get_executor(), init_timeout(self), asio::detached);

        beast::flat_buffer buffer;
        for (;;) {
            auto [rec, n] = co_await ws_.async_read(buffer, kUseTuple);
            if (rec) break;
            if (!ws_.got_text()) {
                std::vector<WsAction> refuse;
                refuse.push_back(proto_.close(ws_close::kBadRequest, "Binary messages are not supported"));
                co_await apply(std::move(refuse));
            } else {
                const std::string text = beast::buffers_to_string(buffer.data());
                co_await apply(proto_.on_message(text));
            }
            buffer.consume(buffer.size());
        }
        finish();
        info_.log.info("websocket closed", {});
    }

    void deliver(SinkEvent event, const std::string& id, std::string payload, std::size_t bytes) override {
        std::optional<std::string> frame;
        switch (event) {
            case SinkEvent::kNext:
                frame = proto_.next(id, payload);
                break;
            case SinkEvent::kError:
                frame = proto_.error(id, payload);
                if (frame) end_operation(id);
                break;
            case SinkEvent::kComplete:
                frame = proto_.complete(id);
                if (frame) end_operation(id);
                break;
        }
        if (!frame || close_queued_) {
            outbox_->release(bytes);
            return;
        }
        queue_.push_back(OutItem{std::move(*frame), bytes});
        wake_.cancel();
    }

    void overflow() override {
        if (hard_closed_) return;
        core_.m.ws_slow_consumers.inc();
        info_.log.warning("websocket client too slow, disconnecting",
                          {{"max_outbound_bytes", core_.options.ws.max_outbound_bytes}});
        close_now();
    }

    void shutdown() override {
        if (close_queued_ || hard_closed_) return;
        auto a = proto_.close(ws_close::kGoingAway, "Server shutting down");
        enqueue_close(a.code, std::move(a.text));
    }

    void force_close() override { close_now(); }

  private:
    struct OutItem {
        std::string text;
        std::size_t bytes = 0;
        bool close = false;
        std::uint16_t code = 0;
    };

    asio::awaitable<void> apply(std::vector<WsAction> actions) {
        for (auto& a : actions) {
            switch (a.kind) {
                case WsAction::Kind::kSend:
                    enqueue_text(std::move(a.text));
                    break;
                case WsAction::Kind::kClose:
                    enqueue_close(a.code, std::move(a.text));
                    break;
                case WsAction::Kind::kAuthenticate:
                    co_await authenticate(std::move(a.payload));
                    break;
                case WsAction::Kind::kSubscribe:
                    start_operation(a.id, a.payload);
                    break;
                case WsAction::Kind::kUnsubscribe:
                    stop_operation(a.id);
                    break;
            }
        }
    }

    asio::awaitable<void> authenticate(boost::json::object payload) {
        InitDecision decision;
        std::exception_ptr failure;
        try {
            decision = co_await core_.subscriptions->on_connection_init(payload, info_);
        } catch (...) {
            failure = std::current_exception();
        }
        if (failure) {
            info_.log.log_exception(LogLevel::kError, "connection_init handler failed", failure);
            if (proto_.state() != WsProtocol::State::kClosed) {
                auto a = proto_.close(ws_close::kInternalServerError, "Internal server error");
                enqueue_close(a.code, std::move(a.text));
            }
            co_return;
        }
        if (decision.accepted) info_.principal = std::move(decision.principal);
        co_await apply(proto_.on_init_result(decision.accepted, decision.ack_payload));
    }

    void start_operation(const std::string& id, const boost::json::object& payload) {
        auto sink = std::make_shared<Sink>(outbox_, this->weak_from_this(), ws_.get_executor(), id);
        sinks_[id] = sink;
        core_.m.ws_subscriptions.inc();
        try {
            core_.subscriptions->subscribe(info_, id, payload, sink);
        } catch (const std::exception& e) {
            info_.log.log_exception(LogLevel::kError, "subscribe handler failed", e, {{"operation_id", id}});
            if (auto frame =
                    proto_.error(id, R"([{"message":"Internal server error","extensions":{"code":"INTERNAL"}}])")) {
                end_operation(id);
                enqueue_text(std::move(*frame));
            }
        }
    }

    void stop_operation(const std::string& id) {
        end_operation(id);
        try {
            core_.subscriptions->unsubscribe(info_, id);
        } catch (const std::exception& e) {
            info_.log.log_exception(LogLevel::kError, "unsubscribe handler failed", e, {{"operation_id", id}});
        }
    }

    // The operation is over: its sink stops accepting results.
    void end_operation(const std::string& id) {
        const auto it = sinks_.find(id);
        if (it == sinks_.end()) return;
        it->second->mark_done();
        sinks_.erase(it);
        core_.m.ws_subscriptions.dec();
    }

    void enqueue_text(std::string text) {
        if (close_queued_ || hard_closed_) return;
        const std::size_t bytes = text.size();
        {
            std::lock_guard lock{outbox_->mutex};
            // Protocol replies (pongs) count too: a client that pings without reading is also a slow client.
            if (outbox_->pending + bytes > outbox_->limit) {
                outbox_->closed = true;
            } else {
                outbox_->pending += bytes;
                outbox_->peak = std::max(outbox_->peak, outbox_->pending);
            }
        }
        if (outbox_->closed) {
            overflow();
            return;
        }
        queue_.push_back(OutItem{std::move(text), bytes});
        wake_.cancel();
    }

    void enqueue_close(std::uint16_t code, std::string reason) {
        if (close_queued_ || hard_closed_) return;
        close_queued_ = true;
        if (reason.size() > 123) reason.resize(123);  // RFC 6455 §5.5: control frame payload <= 125 bytes
        queue_.push_back(OutItem{std::move(reason), 0, true, code});
        wake_.cancel();
    }

    void close_now() {
        if (hard_closed_) return;
        hard_closed_ = true;
        {
            std::lock_guard lock{outbox_->mutex};
            outbox_->closed = true;
        }
        boost::system::error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
        wake_.cancel();
    }

    asio::awaitable<void> writer(std::shared_ptr<WsSession> self) {
        (void)self;  // keeps the session alive while writing
        for (;;) {
            while (queue_.empty() && !reader_done_ && !hard_closed_) {
                wake_.expires_at(Clock::time_point::max());
                co_await wake_.async_wait(kUseTuple);
            }
            if (queue_.empty() || hard_closed_) break;
            OutItem item = std::move(queue_.front());
            queue_.pop_front();
            if (item.close) {
                co_await ws_.async_close(
                    websocket::close_reason(static_cast<websocket::close_code>(item.code), item.text), kUseTuple);
                break;
            }
            ws_.text(true);
            auto [ec, n] = co_await ws_.async_write(asio::buffer(item.text), kUseTuple);
            outbox_->release(item.bytes);
            if (ec) break;
        }
        for (const auto& item : queue_) outbox_->release(item.bytes);
        queue_.clear();
    }

    asio::awaitable<void> init_timeout(std::shared_ptr<WsSession> self) {
        (void)self;
        init_timer_.expires_after(core_.options.ws.init_timeout);
        auto [ec] = co_await init_timer_.async_wait(kUseTuple);
        if (ec || reader_done_) co_return;
        co_await apply(proto_.on_init_timeout());
    }

    void finish() {
        reader_done_ = true;
        init_timer_.cancel();
        {
            std::lock_guard lock{outbox_->mutex};
            outbox_->closed = true;
        }
        // Operations still running when the socket closed are stopped in the handler.
        const std::vector<std::string> running(proto_.active().begin(), proto_.active().end());
        for (const auto& id : running) {
            if (sinks_.contains(id)) stop_operation(id);
        }
        wake_.cancel();
    }

    ServerCore& core_;
    websocket::stream<Stream> ws_;
    WsProtocol proto_;
    WsConnectionInfo info_;
    std::shared_ptr<Outbox> outbox_;
    std::deque<OutItem> queue_;
    asio::steady_timer wake_;
    asio::steady_timer init_timer_;
    std::unordered_map<std::string, std::shared_ptr<Sink>> sinks_;
    bool reader_done_ = false;
    bool close_queued_ = false;
    bool hard_closed_ = false;
};

// ---------------------------------------------------------------------------------------------------------------
// HTTP session: one request at a time, in order (pipelined requests wait in the read buffer).

template <class Stream>
constexpr bool kIsTls = !std::is_same_v<Stream, beast::tcp_stream>;

template <class Stream>
class HttpSession final : public Connection, public std::enable_shared_from_this<HttpSession<Stream>> {
  public:
    HttpSession(ServerCore& core, std::uint64_t id, Stream stream, std::string peer)
        : Connection(core, id), stream_(std::move(stream)), peer_(std::move(peer)) {}

    void begin_shutdown() override {
        asio::post(executor_, [self = this->shared_from_this()] { self->on_shutdown(); });
    }
    void force_close() override {
        asio::post(executor_, [self = this->shared_from_this()] {
            if (self->ws_) {
                self->ws_->force_close();
            } else if (!self->upgraded_) {
                boost::system::error_code ignored;
                beast::get_lowest_layer(self->stream_).socket().close(ignored);
            }
        });
    }

    asio::awaitable<void> run() {
        auto& lowest = beast::get_lowest_layer(stream_);
        const auto& o = core_.options;
        if constexpr (kIsTls<Stream>) {
            lowest.expires_after(o.header_timeout);
            auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kUseTuple);
            if (ec) co_return;
        }
        bool first = true;
        bool keep_alive = true;
        while (keep_alive) {
            // Stopping: serve only a request whose bytes already arrived (the client considers it sent).
            if (stopping_ && buffer_.size() == 0 && !bytes_waiting()) break;
            // Wait for the first byte of the next request: the idle timeout between requests, the header deadline
            // for the first one. Pipelined requests are already in the buffer.
            if (buffer_.size() == 0) {
                lowest.expires_after(first ? o.header_timeout : o.idle_timeout);
                waiting_idle_ = true;
                auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(4096), kUseTuple);
                waiting_idle_ = false;
                if (ec) break;
                buffer_.commit(n);
            }
            first = false;

            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(o.header_limit);
            parser.body_limit(o.body_limit);
            lowest.expires_after(o.header_timeout);  // slowloris: the whole head within the deadline
            auto [hec, hn] = co_await bhttp::async_read_header(stream_, buffer_, parser, kUseTuple);
            if (hec == bhttp::error::header_limit) {
                co_await write_error(431, "Request header fields too large");
                break;
            }
            if (hec == bhttp::error::body_limit) {  // a Content-Length above the limit fails while reading the head
                co_await write_error(413, "Request body too large");
                break;
            }
            if (hec == bhttp::error::end_of_stream || hec == beast::error::timeout ||
                hec == asio::error::operation_aborted || hec == asio::error::eof ||
                hec == asio::ssl::error::stream_truncated) {
                break;
            }
            if (hec) {
                core_.log.debug("malformed request head", {{"error", hec.message()}, {"peer", peer_}});
                co_await write_error(400, "Malformed request");
                break;
            }
            auto& head = parser.get();
            if (const auto cl = parser.content_length(); cl && *cl > o.body_limit) {
                co_await write_error(413, "Request body too large");
                break;
            }
            if (beast::websocket::is_upgrade(head)) {
                co_await upgrade(parser.release());
                co_return;
            }
            if (iequals(head[bhttp::field::expect], "100-continue")) {
                bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, head.version()};
                lowest.expires_after(o.request_timeout);
                auto [cec, cn] = co_await bhttp::async_write(stream_, cont, kUseTuple);
                if (cec) break;
            }
            lowest.expires_after(o.request_timeout);
            auto [bec, bn] = co_await bhttp::async_read(stream_, buffer_, parser, kUseTuple);
            if (bec == bhttp::error::body_limit) {
                co_await write_error(413, "Request body too large");
                break;
            }
            if (bec) break;

            auto hreq = parser.release();
            keep_alive = hreq.keep_alive();
            Request req = to_request(hreq);
            in_request_ = true;
            Response res = co_await core_.dispatch(req);
            in_request_ = false;
            keep_alive = keep_alive && !stopping_ && !core_.stopping.load();

            bhttp::response<bhttp::string_body> out;
            out.version(hreq.version());
            out.result(res.status);
            for (const auto& h : res.headers.items()) out.insert(h.name, h.value);
            out.body() = std::move(res.body);
            out.keep_alive(keep_alive);
            out.prepare_payload();
            lowest.expires_after(o.request_timeout);
            auto [wec, wn] = co_await bhttp::async_write(stream_, out, kUseTuple);
            if (wec) co_return;
        }
        co_await close_gracefully();
    }

  private:
    void on_shutdown() {
        if (ws_) {
            ws_->shutdown();
            return;
        }
        stopping_ = true;
        // An idle keep-alive connection is closed now, unless its next request has already arrived; one with a
        // request in flight finishes it first.
        if (waiting_idle_ && !upgraded_ && !bytes_waiting()) beast::get_lowest_layer(stream_).cancel();
    }

    bool bytes_waiting() {
        boost::system::error_code ec;
        return beast::get_lowest_layer(stream_).socket().available(ec) > 0 && !ec;
    }

    Request to_request(bhttp::request<bhttp::string_body>& hreq) {
        Request req;
        req.method = std::string{hreq.method_string()};
        req.target = std::string{hreq.target()};
        const auto q = req.target.find('?');
        req.path = req.target.substr(0, q);
        if (q != std::string::npos) req.query = req.target.substr(q + 1);
        for (const auto& f : hreq) req.headers.add(f.name_string(), f.value());
        req.body = std::move(hreq.body());
        req.tls = kIsTls<Stream>;
        req.client_address = core_.client_address(req, peer_);
        return req;
    }

    asio::awaitable<void> write_error(unsigned status, std::string_view message) {
        core_.count_transport_response(status);
        bhttp::response<bhttp::string_body> out;
        out.version(11);
        out.result(status);
        out.set(bhttp::field::content_type, "application/json");
        out.body() = error_body(message, "BAD_USER_INPUT");
        out.keep_alive(false);
        out.prepare_payload();
        beast::get_lowest_layer(stream_).expires_after(core_.options.request_timeout);
        co_await bhttp::async_write(stream_, out, kUseTuple);
        co_await close_gracefully();
    }

    asio::awaitable<void> close_gracefully() {
        auto& lowest = beast::get_lowest_layer(stream_);
        if constexpr (kIsTls<Stream>) {
            lowest.expires_after(std::chrono::seconds(1));
            co_await stream_.async_shutdown(kUseTuple);
        } else {
            boost::system::error_code ignored;
            // cppcheck-suppress missingReturn ; coroutine (cppcheck does not model co_await)
            lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
        }
    }

    asio::awaitable<void> upgrade(bhttp::request<bhttp::string_body> hreq) {
        Request req = to_request(hreq);
        const auto& o = core_.options;
        const bool path_ok = core_.subscriptions && req.path == o.ws.path;
        const auto origin = req.headers.get("Origin");
        const auto host = req.headers.get("Host").value_or("");
        unsigned refusal = 0;
        if (!path_ok) {
            refusal = 404;
        } else if (origin && !core_.cors.origin_allowed(*origin) && !same_origin(*origin, host)) {
            refusal = 403;  // cross-site WebSocket hijacking
        } else if (o.rate_limit && !core_.per_address.take(req.client_address).allowed) {
            refusal = 429;
        }
        if (refusal != 0) {
            // NOLINTNEXTLINE(bugprone-use-after-move): false positive on the coroutine parameter copy
            co_await write_error(refusal, refusal == 404   ? "Not found"
                                          : refusal == 403 ? "Origin not allowed"
                                                           : "Too many requests");
            co_return;
        }
        const auto incoming_id = req.headers.get("X-Request-Id");
        WsConnectionInfo info;
        info.connection_id = id_;
        info.client_address = req.client_address;
        info.request_id =
            incoming_id && valid_request_id(*incoming_id) ? std::string{*incoming_id} : random_request_id();
        info.log = core_.log.with({{"request_id", info.request_id}, {"conn", id_}});
        core_.m.requests.with({o.ws.path, "GET", "101"}).inc();
        upgraded_ = true;
        auto ws = std::make_shared<WsSession<Stream>>(core_, std::move(stream_), std::move(info));
        ws_ = ws;
        if (stopping_ || core_.stopping.load()) ws->shutdown();
        co_await ws->run(std::move(hreq));
        ws_.reset();
    }

    Stream stream_;
    asio::any_io_executor executor_{stream_.get_executor()};
    std::string peer_;
    beast::flat_buffer buffer_;
    bool in_request_ = false;
    bool waiting_idle_ = false;
    bool stopping_ = false;
    bool upgraded_ = false;
    std::shared_ptr<WsSessionBase> ws_;
};

template <class Stream>
asio::awaitable<void> run_session(std::shared_ptr<HttpSession<Stream>> session) {
    co_await session->run();
}

asio::awaitable<void> refuse_connection(tcp::socket socket, bool tls) {
    // Over the connection limit: a short 503 (plain HTTP only) and close, so clients see why.
    if (!tls) {
        beast::tcp_stream stream{std::move(socket)};
        stream.expires_after(std::chrono::seconds(1));
        static constexpr std::string_view kResponse =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
            "Connection: close\r\nContent-Length: 2\r\n\r\n{}";
        co_await asio::async_write(stream, asio::buffer(kResponse), kUseTuple);
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        // cppcheck-suppress missingReturn ; coroutine (cppcheck does not model co_await)
    }
}

void log_spawn_failure(const alatar::Logger& log, const std::exception_ptr& e, std::string_view what) {
    if (e) log.log_exception(LogLevel::kError, what, e);
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Listener, signals, shutdown.

asio::awaitable<void> ServerCore::listen() {
    for (;;) {
        tcp::socket socket{asio::make_strand(ioc)};
        auto [ec] = co_await acceptor.async_accept(socket, kUseTuple);
        if (ec) {
            if (stopping.load() || ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
            // EMFILE and friends: back off instead of spinning.
            log.log_limited(accept_log_limiter, LogLevel::kError, "accept failed", {{"error", ec.message()}});
            asio::steady_timer backoff{listener_strand, std::chrono::milliseconds(50)};
            co_await backoff.async_wait(kUseTuple);
            continue;
        }
        start_session(std::move(socket));
        if (stopping.load()) co_return;
    }
}

void ServerCore::start_session(tcp::socket socket) {
    if (conn_count.load() >= options.max_connections) {
        m.rejected_connections.inc();
        auto ex = socket.get_executor();
        asio::co_spawn(ex, refuse_connection(std::move(socket), ssl.has_value()), asio::detached);
        return;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    const auto remote = socket.remote_endpoint(ignored);
    std::string peer = ignored ? std::string{"unknown"} : remote.address().to_string();
    const std::uint64_t id = next_conn_id.fetch_add(1);
    auto ex = socket.get_executor();
    auto on_done = [this](const std::exception_ptr& e) { log_spawn_failure(log, e, "connection failed"); };
    if (ssl) {
        using Stream = beast::ssl_stream<beast::tcp_stream>;
        auto s = std::make_shared<HttpSession<Stream>>(*this, id, Stream{beast::tcp_stream{std::move(socket)}, *ssl},
                                                       std::move(peer));
        track(s, id);
        asio::co_spawn(ex, run_session(std::move(s)), on_done);
    } else {
        auto s = std::make_shared<HttpSession<beast::tcp_stream>>(*this, id, beast::tcp_stream{std::move(socket)},
                                                                  std::move(peer));
        track(s, id);
        asio::co_spawn(ex, run_session(std::move(s)), on_done);
    }
}

void ServerCore::drain_backlog() {
    // Connections the kernel completed but we had not accepted yet carry requests their clients consider sent;
    // closing the acceptor would reset them. Accept what is queued, without waiting for more.
    boost::system::error_code ec;
    acceptor.cancel(ec);
    acceptor.non_blocking(true, ec);
    if (ec) return;
    for (;;) {
        tcp::socket socket{asio::make_strand(ioc)};
        acceptor.accept(socket, ec);
        if (ec) return;
        start_session(std::move(socket));
    }
}

asio::awaitable<void> ServerCore::wait_for_signal() {
    auto [ec, sig] = co_await signals->async_wait(kUseTuple);
    if (ec) co_return;
    log.info("signal received, stopping", {{"signal", sig}});
    begin_stop();
}

void ServerCore::begin_stop() {
    if (stopping.exchange(true)) return;
    asio::co_spawn(listener_strand, graceful_stop(), [this](const std::exception_ptr& e) {
        log_spawn_failure(log, e, "graceful stop failed");
        work.reset();
        ioc.stop();
    });
}

asio::awaitable<void> ServerCore::graceful_stop() {
    boost::system::error_code ignored;
    drain_backlog();
    acceptor.close(ignored);
    if (signals) signals->cancel(ignored);
    for (auto& c : snapshot()) c->begin_shutdown();

    const auto deadline = Clock::now() + options.shutdown_grace;
    asio::steady_timer tick{listener_strand};
    while (conn_count.load() > 0 && Clock::now() < deadline) {
        tick.expires_after(std::chrono::milliseconds(10));
        co_await tick.async_wait(kUseTuple);
    }
    if (conn_count.load() > 0) {
        log.warning("shutdown grace period over, closing connections", {{"open", conn_count.load()}});
        for (auto& c : snapshot()) c->force_close();
        const auto hard_deadline = Clock::now() + std::chrono::seconds(1);
        while (conn_count.load() > 0 && Clock::now() < hard_deadline) {
            tick.expires_after(std::chrono::milliseconds(10));
            co_await tick.async_wait(kUseTuple);
        }
        // cppcheck-suppress missingReturn ; coroutine (cppcheck does not model co_await)
    }
    log.info("server stopped", {});
    // Ends run() in every thread once the remaining handlers are done; ioc.stop() covers stragglers.
    work.reset();
    ioc.stop();
}

// ---------------------------------------------------------------------------------------------------------------
// Server

Server::Server(ServerOptions options, Router router, alatar::Logger log, std::shared_ptr<metrics::Registry> registry)
    : core_(std::make_shared<detail::ServerCore>(std::move(options), std::move(router), std::move(log),
                                                 std::move(registry))) {}

Server::~Server() {
    try {
        stop();
    } catch (const std::exception& e) {
        core_->log.log_exception(LogLevel::kError, "server stop failed", e);
    }
}

void Server::set_subscription_handler(std::shared_ptr<SubscriptionHandler> handler) {
    core_->subscriptions = std::move(handler);
}

void Server::set_user_key(std::function<std::string(const Request&)> user_key) {
    core_->user_key = std::move(user_key);
}

void Server::start() {
    auto& c = *core_;
    std::lock_guard lock{c.state_mutex};
    if (c.started) return;
    if (c.options.tls) {
        auto& ctx = c.ssl.emplace(asio::ssl::context::tls_server);
        ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                        asio::ssl::context::single_dh_use | asio::ssl::context::no_compression);
        SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
        // TLS 1.2: forward secrecy and AEAD only (TLS 1.3 suites are modern by construction).
        SSL_CTX_set_cipher_list(ctx.native_handle(),
                                "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
        ctx.use_certificate_chain_file(c.options.tls->certificate_chain_file);
        ctx.use_private_key_file(c.options.tls->private_key_file, asio::ssl::context::pem);
    }
    const tcp::endpoint ep{asio::ip::make_address(c.options.host), c.options.port};
    c.acceptor.open(ep.protocol());
    c.acceptor.set_option(asio::socket_base::reuse_address(true));
    c.acceptor.bind(ep);
    c.acceptor.listen(asio::socket_base::max_listen_connections);
    c.bound_port = c.acceptor.local_endpoint().port();

    c.work.emplace(c.ioc.get_executor());
    asio::co_spawn(c.listener_strand, c.listen(),
                   [&c](const std::exception_ptr& e) { log_spawn_failure(c.log, e, "listener failed"); });
    if (c.options.handle_signals) {
        c.signals.emplace(c.ioc, SIGINT, SIGTERM);
        asio::co_spawn(c.listener_strand, c.wait_for_signal(), asio::detached);
    }
    std::size_t n = c.options.io_threads;
    if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
    for (std::size_t i = 0; i < n; ++i) {
        c.threads.emplace_back([&c] {
            for (;;) {
                try {
                    c.ioc.run();
                    return;
                } catch (const std::exception& e) {
                    // Handlers catch their own errors; reaching here is a bug, but the thread keeps serving.
                    c.log.log_exception(LogLevel::kCritical, "io thread caught an exception", e);
                }
            }
        });
    }
    c.started = true;
    c.log.info("listening",
               {{"host", c.options.host}, {"port", c.bound_port}, {"tls", c.ssl.has_value()}, {"io_threads", n}});
}

std::uint16_t Server::port() const { return core_->bound_port; }

std::size_t Server::connections() const { return core_->conn_count.load(); }

void Server::stop() {
    {
        std::lock_guard lock{core_->state_mutex};
        if (!core_->started || core_->finished) return;
    }
    core_->begin_stop();
    wait();
}

void Server::wait() {
    std::unique_lock lock{core_->state_mutex};
    if (!core_->started || core_->finished) return;
    if (core_->joining) {
        core_->state_cv.wait(lock, [this] { return core_->finished; });
        return;
    }
    core_->joining = true;
    auto threads = std::move(core_->threads);
    core_->threads.clear();
    lock.unlock();
    for (auto& t : threads) {
        if (t.joinable()) t.join();
    }
    lock.lock();
    core_->finished = true;
    core_->state_cv.notify_all();
}

}  // namespace alatar::http
