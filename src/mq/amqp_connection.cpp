#include "mq/amqp_connection.hpp"

#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <sys/time.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace alatar::mq {
namespace {

constexpr int kFrameMax = 131072;

amqp_bytes_t bytes_of(std::string_view s) noexcept {
    amqp_bytes_t b;
    b.len = s.size();
    b.bytes = const_cast<char*>(s.data());  // NOLINT: rabbitmq-c takes non-const pointers it never writes through
    return b;
}

std::string string_of(amqp_bytes_t b) {
    if (b.len == 0 || b.bytes == nullptr) return {};
    return {static_cast<const char*>(b.bytes), b.len};
}

timeval to_timeval(std::chrono::milliseconds d) noexcept {
    d = std::clamp(d, std::chrono::milliseconds{0}, std::chrono::milliseconds{24L * 3600 * 1000});
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(d.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
    return tv;
}

// Encodes Headers into rabbitmq-c's table. The entries point into `headers`, which must outlive the table.
class TableView {
  public:
    explicit TableView(const Headers& headers) {
        entries_.reserve(headers.size());
        for (const auto& [key, value] : headers) {
            amqp_table_entry_t e{};
            e.key = bytes_of(key);
            if (const auto* s = std::get_if<std::string>(&value)) {
                e.value.kind = AMQP_FIELD_KIND_UTF8;
                e.value.value.bytes = bytes_of(*s);
            } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
                e.value.kind = AMQP_FIELD_KIND_I64;
                e.value.value.i64 = *i;
            } else {
                e.value.kind = AMQP_FIELD_KIND_BOOLEAN;
                e.value.value.boolean = std::get<bool>(value) ? 1 : 0;
            }
            entries_.push_back(e);
        }
    }
    amqp_table_t table() noexcept {
        amqp_table_t t;
        t.num_entries = static_cast<int>(entries_.size());
        t.entries = entries_.empty() ? nullptr : entries_.data();
        return t;
    }

  private:
    std::vector<amqp_table_entry_t> entries_;
};

std::optional<std::int64_t> integer_of(const amqp_field_value_t& v) {
    switch (v.kind) {
        case AMQP_FIELD_KIND_I8:
            return v.value.i8;
        case AMQP_FIELD_KIND_U8:
            return v.value.u8;
        case AMQP_FIELD_KIND_I16:
            return v.value.i16;
        case AMQP_FIELD_KIND_U16:
            return v.value.u16;
        case AMQP_FIELD_KIND_I32:
            return v.value.i32;
        case AMQP_FIELD_KIND_U32:
            return v.value.u32;
        case AMQP_FIELD_KIND_I64:
            return v.value.i64;
        case AMQP_FIELD_KIND_U64:
        case AMQP_FIELD_KIND_TIMESTAMP:
            return static_cast<std::int64_t>(v.value.u64);
        default:
            return std::nullopt;
    }
}

DeathRecord death_of(const amqp_table_t& t) {
    DeathRecord d;
    for (int i = 0; i < t.num_entries; ++i) {
        const auto& e = t.entries[i];
        const auto key = string_of(e.key);
        const bool is_text = e.value.kind == AMQP_FIELD_KIND_UTF8 || e.value.kind == AMQP_FIELD_KIND_BYTES;
        if (key == "queue" && is_text) d.queue = string_of(e.value.value.bytes);
        if (key == "reason" && is_text) d.reason = string_of(e.value.value.bytes);
        if (key == "exchange" && is_text) d.exchange = string_of(e.value.value.bytes);
        if (key == "count") d.count = integer_of(e.value).value_or(0);
        if (key == "routing-keys" && e.value.kind == AMQP_FIELD_KIND_ARRAY) {
            const auto& a = e.value.value.array;
            for (int j = 0; j < a.num_entries; ++j) {
                if (a.entries[j].kind == AMQP_FIELD_KIND_UTF8 || a.entries[j].kind == AMQP_FIELD_KIND_BYTES)
                    d.routing_keys.push_back(string_of(a.entries[j].value.bytes));
            }
        }
    }
    return d;
}

void decode_headers(const amqp_table_t& t, Message& m) {
    for (int i = 0; i < t.num_entries; ++i) {
        const auto& e = t.entries[i];
        auto key = string_of(e.key);
        if (key == "x-death" && e.value.kind == AMQP_FIELD_KIND_ARRAY) {
            const auto& a = e.value.value.array;
            for (int j = 0; j < a.num_entries; ++j) {
                if (a.entries[j].kind == AMQP_FIELD_KIND_TABLE) m.deaths.push_back(death_of(a.entries[j].value.table));
            }
            continue;
        }
        if (e.value.kind == AMQP_FIELD_KIND_UTF8 || e.value.kind == AMQP_FIELD_KIND_BYTES) {
            m.headers.emplace(std::move(key), string_of(e.value.value.bytes));
        } else if (e.value.kind == AMQP_FIELD_KIND_BOOLEAN) {
            m.headers.emplace(std::move(key), e.value.value.boolean != 0);
        } else if (const auto n = integer_of(e.value)) {
            m.headers.emplace(std::move(key), *n);
        }
        // Other kinds (floats, nested tables) are not used by Alatar and are dropped.
    }
}

Message message_of(const amqp_message_t& in) {
    Message m;
    m.body = string_of(in.body);
    const auto& p = in.properties;
    m.content_type = (p._flags & AMQP_BASIC_CONTENT_TYPE_FLAG) ? string_of(p.content_type) : std::string{};
    if (p._flags & AMQP_BASIC_MESSAGE_ID_FLAG) m.message_id = string_of(p.message_id);
    if (p._flags & AMQP_BASIC_TYPE_FLAG) m.type = string_of(p.type);
    m.persistent = (p._flags & AMQP_BASIC_DELIVERY_MODE_FLAG) && p.delivery_mode == 2;
    if (p._flags & AMQP_BASIC_HEADERS_FLAG) decode_headers(p.headers, m);
    return m;
}

ErrorCode code_for_reply(int reply_code) {
    switch (reply_code) {
        case 403:
            return ErrorCode::kForbidden;  // ACCESS_REFUSED
        case 404:
            return ErrorCode::kNotFound;  // NOT_FOUND
        case 405:                         // RESOURCE_LOCKED (exclusive queue of another connection)
        case 406:
            return ErrorCode::kConflict;  // PRECONDITION_FAILED (arguments differ)
        default:
            return ErrorCode::kUpstreamUnavailable;  // 320 CONNECTION_FORCED, 541 INTERNAL_ERROR, ...
    }
}

}  // namespace

AmqpConnection::AmqpConnection(const AmqpUrl& url, const ConnectOptions& options) : url_(url) {
    conn_ = amqp_new_connection();
    if (conn_ == nullptr) throw Error(ErrorCode::kInternal, "amqp_new_connection failed");
    // From here on the destructor does not run if we throw, so failures go through this guard.
    try {
        amqp_socket_t* socket = amqp_tcp_socket_new(conn_);
        if (socket == nullptr) fail_status(AMQP_STATUS_NO_MEMORY, "socket");
        timeval tv = to_timeval(options.connect_timeout);
        const std::string host = url_.host;
        if (const int rc = amqp_socket_open_noblock(socket, host.c_str(), url_.port, &tv); rc != AMQP_STATUS_OK)
            fail_status(rc, "connect");
        timeval handshake = to_timeval(options.connect_timeout);
        amqp_set_handshake_timeout(conn_, &handshake);
        timeval rpc = to_timeval(options.rpc_timeout);
        amqp_set_rpc_timeout(conn_, &rpc);

        amqp_table_entry_t name_entry{};
        name_entry.key = amqp_cstring_bytes("connection_name");
        name_entry.value.kind = AMQP_FIELD_KIND_UTF8;
        name_entry.value.value.bytes = bytes_of(options.connection_name);
        amqp_table_t props{1, &name_entry};
        const auto reply =
            amqp_login_with_properties(conn_, url_.vhost.c_str(), 0, kFrameMax, url_.heartbeat_seconds, &props,
                                       AMQP_SASL_METHOD_PLAIN, url_.user.c_str(), url_.password.c_str());
        if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
            broken_ = true;
            // A wrong password makes RabbitMQ drop the socket (library error) or refuse with 403.
            const bool refused = reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION;
            throw Error(refused ? ErrorCode::kForbidden : ErrorCode::kUpstreamUnavailable,
                        "AMQP login to " + url_.redacted() + " failed (check user, password and vhost)");
        }
    } catch (...) {
        amqp_destroy_connection(conn_);
        throw;
    }
}

AmqpConnection::~AmqpConnection() {
    if (!broken_) {
        // Best effort: a clean close lets the broker forget the connection at once.
        amqp_connection_close(conn_, AMQP_REPLY_SUCCESS);
    }
    amqp_destroy_connection(conn_);
}

void AmqpConnection::fail_status(int status, std::string_view what) {
    // An unreachable broker is "unavailable" however it fails; a timed-out RPC on a live connection is a timeout.
    const bool timeout = status == AMQP_STATUS_TIMEOUT && what != "connect";
    // A timed-out RPC leaves the protocol state unknown, so the connection is unusable either way.
    broken_ = true;
    throw Error(timeout ? ErrorCode::kTimeout : ErrorCode::kUpstreamUnavailable,
                "AMQP " + std::string(what) + " on " + url_.redacted() + " failed: " + amqp_error_string2(status));
}

void AmqpConnection::check_reply(std::string_view what) {
    const amqp_rpc_reply_t r = amqp_get_rpc_reply(conn_);
    switch (r.reply_type) {
        case AMQP_RESPONSE_NORMAL:
            return;
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            fail_status(r.library_error, what);
        case AMQP_RESPONSE_SERVER_EXCEPTION: {
            broken_ = true;
            int code = 0;
            std::string text;
            if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
                const auto* m = static_cast<const amqp_connection_close_t*>(r.reply.decoded);
                code = m->reply_code;
                text = string_of(m->reply_text);
            } else if (r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
                const auto* m = static_cast<const amqp_channel_close_t*>(r.reply.decoded);
                code = m->reply_code;
                text = string_of(m->reply_text);
            }
            throw Error(code_for_reply(code),
                        "AMQP " + std::string(what) + " refused by the broker: " + std::to_string(code) + " " + text);
        }
        case AMQP_RESPONSE_NONE:
        default:
            broken_ = true;
            throw Error(ErrorCode::kInternal, "AMQP " + std::string(what) + ": no reply from rabbitmq-c");
    }
}

void AmqpConnection::open_channel(std::uint16_t channel) {
    amqp_channel_open(conn_, channel);
    check_reply("channel.open");
}

void AmqpConnection::declare_exchange(std::uint16_t channel, std::string_view name, std::string_view type,
                                      bool durable) {
    amqp_exchange_declare(conn_, channel, bytes_of(name), bytes_of(type), 0, durable ? 1 : 0, 0, 0, amqp_empty_table);
    check_reply("exchange.declare " + std::string(name));
}

QueueInfo AmqpConnection::declare_queue(std::uint16_t channel, const QueueSpec& spec) {
    TableView args(spec.arguments);
    const auto* ok = amqp_queue_declare(conn_, channel, bytes_of(spec.name), 0, spec.durable ? 1 : 0,
                                        spec.exclusive ? 1 : 0, spec.auto_delete ? 1 : 0, args.table());
    check_reply("queue.declare " + spec.name);
    return QueueInfo{string_of(ok->queue), ok->message_count, ok->consumer_count};
}

QueueInfo AmqpConnection::inspect_queue(std::uint16_t channel, std::string_view name) {
    const auto* ok = amqp_queue_declare(conn_, channel, bytes_of(name), 1, 0, 0, 0, amqp_empty_table);
    check_reply("queue.declare(passive) " + std::string(name));
    return QueueInfo{string_of(ok->queue), ok->message_count, ok->consumer_count};
}

void AmqpConnection::bind_queue(std::uint16_t channel, std::string_view queue, std::string_view exchange,
                                std::string_view key) {
    amqp_queue_bind(conn_, channel, bytes_of(queue), bytes_of(exchange), bytes_of(key), amqp_empty_table);
    check_reply("queue.bind " + std::string(queue));
}

void AmqpConnection::delete_queue(std::uint16_t channel, std::string_view queue) {
    amqp_queue_delete(conn_, channel, bytes_of(queue), 0, 0);
    check_reply("queue.delete " + std::string(queue));
}

void AmqpConnection::delete_exchange(std::uint16_t channel, std::string_view exchange) {
    amqp_exchange_delete(conn_, channel, bytes_of(exchange), 0);
    check_reply("exchange.delete " + std::string(exchange));
}

std::uint32_t AmqpConnection::purge_queue(std::uint16_t channel, std::string_view queue) {
    const auto* ok = amqp_queue_purge(conn_, channel, bytes_of(queue));
    check_reply("queue.purge " + std::string(queue));
    return ok->message_count;
}

void AmqpConnection::set_prefetch(std::uint16_t channel, std::uint16_t prefetch_count) {
    amqp_basic_qos(conn_, channel, 0, prefetch_count, 0);
    check_reply("basic.qos");
}

void AmqpConnection::enable_confirms(std::uint16_t channel) {
    amqp_confirm_select(conn_, channel);
    check_reply("confirm.select");
}

std::string AmqpConnection::consume(std::uint16_t channel, std::string_view queue, bool no_ack, bool exclusive) {
    const auto* ok = amqp_basic_consume(conn_, channel, bytes_of(queue), amqp_empty_bytes, 0, no_ack ? 1 : 0,
                                        exclusive ? 1 : 0, amqp_empty_table);
    check_reply("basic.consume " + std::string(queue));
    return string_of(ok->consumer_tag);
}

void AmqpConnection::publish(std::uint16_t channel, std::string_view exchange, std::string_view routing_key,
                             const Message& message, bool mandatory) {
    TableView headers(message.headers);
    amqp_basic_properties_t p{};
    p._flags = AMQP_BASIC_DELIVERY_MODE_FLAG;
    p.delivery_mode = message.persistent ? 2 : 1;
    if (!message.content_type.empty()) {
        p._flags |= AMQP_BASIC_CONTENT_TYPE_FLAG;
        p.content_type = bytes_of(message.content_type);
    }
    if (!message.message_id.empty()) {
        p._flags |= AMQP_BASIC_MESSAGE_ID_FLAG;
        p.message_id = bytes_of(message.message_id);
    }
    if (!message.type.empty()) {
        p._flags |= AMQP_BASIC_TYPE_FLAG;
        p.type = bytes_of(message.type);
    }
    if (!message.headers.empty()) {
        p._flags |= AMQP_BASIC_HEADERS_FLAG;
        p.headers = headers.table();
    }
    const int rc = amqp_basic_publish(conn_, channel, bytes_of(exchange), bytes_of(routing_key), mandatory ? 1 : 0, 0,
                                      &p, bytes_of(message.body));
    if (rc != AMQP_STATUS_OK) fail_status(rc, "basic.publish");
}

void AmqpConnection::ack(std::uint16_t channel, std::uint64_t delivery_tag, bool multiple) {
    const int rc = amqp_basic_ack(conn_, channel, delivery_tag, multiple ? 1 : 0);
    if (rc != AMQP_STATUS_OK) fail_status(rc, "basic.ack");
}

void AmqpConnection::nack(std::uint16_t channel, std::uint64_t delivery_tag, bool multiple, bool requeue) {
    const int rc = amqp_basic_nack(conn_, channel, delivery_tag, multiple ? 1 : 0, requeue ? 1 : 0);
    if (rc != AMQP_STATUS_OK) fail_status(rc, "basic.nack");
}

std::optional<GetResult> AmqpConnection::get(std::uint16_t channel, std::string_view queue) {
    amqp_maybe_release_buffers(conn_);
    const amqp_rpc_reply_t r = amqp_basic_get(conn_, channel, bytes_of(queue), 0);
    if (r.reply_type != AMQP_RESPONSE_NORMAL) check_reply("basic.get " + std::string(queue));
    if (r.reply.id == AMQP_BASIC_GET_EMPTY_METHOD) return std::nullopt;
    const auto* ok = static_cast<const amqp_basic_get_ok_t*>(r.reply.decoded);
    GetResult out;
    out.delivery_tag = ok->delivery_tag;
    out.redelivered = ok->redelivered != 0;
    out.exchange = string_of(ok->exchange);
    out.routing_key = string_of(ok->routing_key);
    out.message_count = ok->message_count;
    amqp_message_t msg{};
    const auto read = amqp_read_message(conn_, channel, &msg, 0);
    if (read.reply_type != AMQP_RESPONSE_NORMAL) {
        if (read.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION) fail_status(read.library_error, "basic.get content");
        broken_ = true;
        throw Error(ErrorCode::kUpstreamUnavailable, "AMQP basic.get content: unexpected frame");
    }
    out.message = message_of(msg);
    amqp_destroy_message(&msg);
    return out;
}

int AmqpConnection::socket_fd() const noexcept { return amqp_get_sockfd(conn_); }

bool AmqpConnection::has_buffered_input() const noexcept {
    return amqp_data_in_buffer(conn_) != 0 || amqp_frames_enqueued(conn_) != 0;
}

ConnectionEvent AmqpConnection::wait_event(std::chrono::milliseconds timeout) {
    amqp_maybe_release_buffers(conn_);
    timeval tv = to_timeval(timeout);
    amqp_frame_t frame{};
    const int rc = amqp_simple_wait_frame_noblock(conn_, &frame, &tv);
    if (rc == AMQP_STATUS_TIMEOUT) return std::monostate{};
    if (rc != AMQP_STATUS_OK) fail_status(rc, "wait");
    if (frame.frame_type != AMQP_FRAME_METHOD) return std::monostate{};  // stray content frame: nothing to do

    const auto read_content = [&](std::string_view what) {
        amqp_message_t msg{};
        const auto read = amqp_read_message(conn_, frame.channel, &msg, 0);
        if (read.reply_type != AMQP_RESPONSE_NORMAL) {
            if (read.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION) fail_status(read.library_error, what);
            broken_ = true;
            throw Error(ErrorCode::kUpstreamUnavailable, "AMQP " + std::string(what) + ": unexpected frame");
        }
        Message m = message_of(msg);
        amqp_destroy_message(&msg);
        return m;
    };

    switch (frame.payload.method.id) {
        case AMQP_BASIC_DELIVER_METHOD: {
            const auto* d = static_cast<const amqp_basic_deliver_t*>(frame.payload.method.decoded);
            ReceivedDelivery out;
            out.channel = frame.channel;
            out.delivery_tag = d->delivery_tag;
            out.redelivered = d->redelivered != 0;
            out.exchange = string_of(d->exchange);
            out.routing_key = string_of(d->routing_key);
            out.message = read_content("delivery content");
            return out;
        }
        case AMQP_BASIC_ACK_METHOD: {
            const auto* a = static_cast<const amqp_basic_ack_t*>(frame.payload.method.decoded);
            return ConfirmEvent{a->delivery_tag, a->multiple != 0, true};
        }
        case AMQP_BASIC_NACK_METHOD: {
            const auto* n = static_cast<const amqp_basic_nack_t*>(frame.payload.method.decoded);
            return ConfirmEvent{n->delivery_tag, n->multiple != 0, false};
        }
        case AMQP_BASIC_RETURN_METHOD: {
            const auto* r = static_cast<const amqp_basic_return_t*>(frame.payload.method.decoded);
            ReturnEvent out;
            out.reply_code = r->reply_code;
            out.reply_text = string_of(r->reply_text);
            out.routing_key = string_of(r->routing_key);
            out.message = read_content("returned content");
            return out;
        }
        case AMQP_CHANNEL_CLOSE_METHOD: {
            const auto* c = static_cast<const amqp_channel_close_t*>(frame.payload.method.decoded);
            const int code = c->reply_code;
            const std::string text = string_of(c->reply_text);
            amqp_channel_close_ok_t ok{};
            amqp_send_method(conn_, frame.channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
            broken_ = true;
            throw Error(code_for_reply(code),
                        "AMQP channel closed by the broker: " + std::to_string(code) + " " + text);
        }
        case AMQP_CONNECTION_CLOSE_METHOD: {
            const auto* c = static_cast<const amqp_connection_close_t*>(frame.payload.method.decoded);
            const int code = c->reply_code;
            const std::string text = string_of(c->reply_text);
            amqp_connection_close_ok_t ok{};
            amqp_send_method(conn_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
            broken_ = true;
            throw Error(ErrorCode::kUpstreamUnavailable,
                        "AMQP connection closed by the broker: " + std::to_string(code) + " " + text);
        }
        case AMQP_BASIC_CANCEL_METHOD:
            // The broker cancels a consumer when its queue is deleted or its leader moves away.
            broken_ = true;
            throw Error(ErrorCode::kUpstreamUnavailable, "AMQP consumer cancelled by the broker");
        default:
            return std::monostate{};
    }
}

}  // namespace alatar::mq
