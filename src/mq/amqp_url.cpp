#include "mq/amqp_url.hpp"

#include <charconv>
#include <optional>

#include "common/error.hpp"

namespace alatar::mq {
namespace {

[[noreturn]] void fail(std::string_view why) {
    throw Error(ErrorCode::kBadUserInput, "invalid AMQP URL: " + std::string(why));
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// `what` names the component in the error message; the component's text itself is never echoed (it may be
// the password).
std::string percent_decode(std::string_view in, std::string_view what) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out.push_back(in[i]);
            continue;
        }
        if (i + 2 >= in.size()) fail(std::string(what) + " has a truncated %-escape");
        const int hi = hex_value(in[i + 1]);
        const int lo = hex_value(in[i + 2]);
        if (hi < 0 || lo < 0) fail(std::string(what) + " has a malformed %-escape");
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

std::optional<int> parse_int(std::string_view text) {
    int value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end || text.empty()) return std::nullopt;
    return value;
}

void apply_query(std::string_view query, AmqpUrl& url) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const auto eq = pair.find('=');
        const auto key = pair.substr(0, eq);
        const auto value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        if (key == "heartbeat") {
            const auto n = parse_int(value);
            if (!n || *n < 0 || *n > 3600) fail("heartbeat must be 0..3600 seconds");
            url.heartbeat_seconds = *n;
        }
        // Other RabbitMQ URI query parameters (channel_max, frame_max, ...) are accepted and ignored.
    }
}

}  // namespace

std::string AmqpUrl::redacted() const {
    std::string out = "amqp://" + user;
    if (!password.empty()) out += ":***";
    out += "@" + host + ":" + std::to_string(port) + "/" + (vhost == "/" ? std::string("%2F") : vhost);
    return out;
}

AmqpUrl parse_amqp_url(std::string_view text) {
    constexpr std::string_view kScheme = "amqp://";
    if (text.starts_with("amqps://")) fail("amqps:// is not supported");
    if (!text.starts_with(kScheme)) fail("expected the scheme amqp://");
    std::string_view rest = text.substr(kScheme.size());

    AmqpUrl url;
    if (const auto q = rest.find('?'); q != std::string_view::npos) {
        apply_query(rest.substr(q + 1), url);
        rest = rest.substr(0, q);
    }
    std::string_view authority = rest;
    std::string_view path;
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        authority = rest.substr(0, slash);
        path = rest.substr(slash + 1);
    }
    // The password may contain '@' only percent-encoded, so the last '@' ends the userinfo.
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const auto userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        const auto colon = userinfo.find(':');
        url.user = percent_decode(userinfo.substr(0, colon), "user");
        url.password =
            colon == std::string_view::npos ? std::string{} : percent_decode(userinfo.substr(colon + 1), "password");
    }
    std::string_view host = authority;
    std::string_view port;
    if (authority.starts_with('[')) {  // IPv6 literal
        const auto close = authority.find(']');
        if (close == std::string_view::npos) fail("unterminated IPv6 host");
        host = authority.substr(1, close - 1);
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') fail("unexpected text after the IPv6 host");
            port = after.substr(1);
        }
    } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (host.empty()) fail("missing host");
    url.host = std::string(host);
    if (!port.empty() || authority.ends_with(':')) {
        const auto n = parse_int(port);
        if (!n || *n < 1 || *n > 65535) fail("port must be 1..65535");
        url.port = static_cast<std::uint16_t>(*n);
    }
    if (!path.empty()) {
        if (path.find('/') != std::string_view::npos) fail("the vhost must be one path segment (write / as %2F)");
        url.vhost = percent_decode(path, "vhost");
    }
    return url;
}

}  // namespace alatar::mq
