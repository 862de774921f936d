#include "api/id_token.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <chrono>
#include <memory>

#include "api/jwks_cache.hpp"
#include "common/crypto.hpp"
#include "common/error.hpp"

namespace alatar::api {

namespace json = boost::json;

namespace {

[[noreturn]] void invalid(const std::string& why) {
    throw Error(ErrorCode::kUnauthenticated, "The ID token is not valid: " + why + ".");
}

json::object decode_part(std::string_view part, const char* what) {
    const auto bytes = crypto::base64url_decode(part);
    if (!bytes) invalid(std::string("malformed ") + what);
    boost::system::error_code ec;
    json::value v = json::parse(*bytes, ec);
    if (ec || !v.is_object()) invalid(std::string("malformed ") + what);
    return std::move(v.as_object());
}

std::string_view text(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

std::optional<std::int64_t> number(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64() && v->get_uint64() < (1ULL << 62)) return static_cast<std::int64_t>(v->get_uint64());
    if (v->is_double()) return static_cast<std::int64_t>(v->get_double());
    return std::nullopt;
}

bool verify_rs256(EVP_PKEY* key, std::string_view signing_input, std::string_view signature) {
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) return false;
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),             // NOLINT
                            signature.size(), reinterpret_cast<const unsigned char*>(signing_input.data()),  // NOLINT
                            signing_input.size()) == 1;
}

bool audience_matches(const json::object& claims, const std::vector<std::string>& audiences) {
    const auto* aud = claims.if_contains("aud");
    const auto accepted = [&](std::string_view a) {
        return std::find(audiences.begin(), audiences.end(), a) != audiences.end();
    };
    if (aud == nullptr) return false;
    if (aud->is_string()) return accepted(aud->get_string());
    if (!aud->is_array() || aud->get_array().empty()) return false;
    // Several audiences: every one must be ours (OIDC core §3.1.3.7: untrusted extra audiences are refused).
    return std::all_of(aud->get_array().begin(), aud->get_array().end(),
                       [&](const json::value& a) { return a.is_string() && accepted(a.get_string()); });
}

bool email_verified(const json::object& claims) {
    const auto* v = claims.if_contains("email_verified");
    if (v == nullptr) return false;
    if (v->is_bool()) return v->get_bool();
    return v->is_string() && v->get_string() == "true";  // Apple sends a string
}

}  // namespace

IdTokenProvider provider_settings(const Config& config, std::string_view provider) {
    IdTokenProvider p;
    if (provider == "GOOGLE") {
        p = {"google",
             {"https://accounts.google.com", "accounts.google.com"},
             config.google_client_ids,
             config.google_jwks_url};
    } else if (provider == "APPLE") {
        p = {"apple", {"https://appleid.apple.com"}, config.apple_client_ids, config.apple_jwks_url};
    } else {
        throw Error(ErrorCode::kBadUserInput, "Unknown identity provider.");
    }
    if (p.audiences.empty()) throw Error(ErrorCode::kBadUserInput, "Sign-in with this provider is not enabled.");
    return p;
}

IdTokenClaims verify_id_token(JwksCache& jwks, const IdTokenProvider& provider, std::string_view token,
                              std::chrono::seconds leeway) {
    if (token.size() > 16 * 1024) invalid("too long");
    const auto dot1 = token.find('.');
    const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) invalid("malformed");
    const json::object header = decode_part(token.substr(0, dot1), "header");
    if (text(header, "alg") != "RS256") invalid("only RS256 is accepted");
    if (header.contains("crit")) invalid("unsupported critical header");
    const auto kid = text(header, "kid");
    if (kid.empty()) invalid("no key id");
    const auto signature = crypto::base64url_decode(token.substr(dot2 + 1));
    if (!signature) invalid("malformed signature");

    const PublicKey key = jwks.key(provider.jwks_url, kid);
    if (!key) invalid("unknown signing key");
    if (!verify_rs256(key.get(), token.substr(0, dot2), *signature)) invalid("bad signature");

    const json::object claims = decode_part(token.substr(dot1 + 1, dot2 - dot1 - 1), "payload");
    const auto iss = text(claims, "iss");
    if (std::find(provider.issuers.begin(), provider.issuers.end(), iss) == provider.issuers.end()) {
        invalid("wrong issuer");
    }
    if (!audience_matches(claims, provider.audiences)) invalid("wrong audience");
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const auto exp = number(claims, "exp");
    if (!exp) invalid("no expiry");
    if (*exp + leeway.count() < now) invalid("expired");
    if (const auto nbf = number(claims, "nbf"); nbf && *nbf - leeway.count() > now) invalid("not yet valid");
    if (const auto iat = number(claims, "iat"); iat && *iat - leeway.count() > now) invalid("issued in the future");
    const auto sub = text(claims, "sub");
    if (sub.empty() || sub.size() > 255) invalid("no subject");

    IdTokenClaims out;
    out.subject = std::string(sub);
    const auto email = text(claims, "email");
    if (!email.empty() && email_verified(claims)) {
        std::string lower(email);
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        out.email = std::move(lower);
    }
    return out;
}

std::string sign_in_or_link(db::Transaction& tx, const IdTokenProvider& provider, const IdTokenClaims& claims,
                            const std::optional<std::string>& current_user) {
    const auto found = tx.exec("SELECT user_id::text FROM identities WHERE provider = $1 AND subject = $2",
                               db::Params{provider.name, claims.subject});
    if (!found.empty()) {
        auto owner = found.get<std::string>(0, 0);
        if (current_user && *current_user != owner) {
            throw Error(ErrorCode::kConflict, "This sign-in is already linked to another account.");
        }
        return owner;
    }
    std::string user;
    if (current_user) {
        user = *current_user;
    } else {
        if (claims.email) {
            const auto taken = tx.exec("SELECT 1 FROM users WHERE email = $1", db::Params{*claims.email});
            if (!taken.empty()) {
                throw Error(ErrorCode::kConflict,
                            "An account with this e-mail address exists; sign in to it and then link this sign-in.");
            }
        }
        user = tx.exec("INSERT INTO users (email) VALUES ($1) RETURNING id::text", db::Params{claims.email})
                   .scalar<std::string>();
    }
    tx.exec("INSERT INTO identities (user_id, provider, subject, email) VALUES ($1, $2, $3, $4)",
            db::Params{user, provider.name, claims.subject, claims.email});
    tx.exec(
        "INSERT INTO audit_log (actor, action, subject) VALUES ($1, $2, $3)",
        db::Params{"user:" + user, current_user ? "identity.link" : "identity.create", "identity:" + provider.name});
    return user;
}

}  // namespace alatar::api
