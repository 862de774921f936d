#include "api/jwks_cache.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

#include "common/crypto.hpp"
#include "common/error.hpp"
#include "shopify/http_client.hpp"

namespace alatar::api {

namespace json = boost::json;

namespace {

struct BnFree {
    void operator()(BIGNUM* b) const noexcept { BN_free(b); }
};
struct BldFree {
    void operator()(OSSL_PARAM_BLD* b) const noexcept { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
    void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
};
struct CtxFree {
    void operator()(EVP_PKEY_CTX* c) const noexcept { EVP_PKEY_CTX_free(c); }
};

std::unique_ptr<BIGNUM, BnFree> bignum(std::string_view base64url) {
    const auto bytes = crypto::base64url_decode(base64url);
    if (!bytes || bytes->empty()) return nullptr;
    return std::unique_ptr<BIGNUM, BnFree>(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()),  // NOLINT
                                                     static_cast<int>(bytes->size()), nullptr));
}

PublicKey rsa_key(std::string_view n64, std::string_view e64) {
    const auto n = bignum(n64);
    const auto e = bignum(e64);
    if (!n || !e || BN_num_bits(n.get()) < 2048) return nullptr;
    const std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
        return nullptr;
    }
    const std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
    const std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY* key = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
        return nullptr;
    }
    return PublicKey(key, EVP_PKEY_free);
}

std::string_view text(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

}  // namespace

std::map<std::string, PublicKey, std::less<>> parse_jwks(std::string_view document) {
    boost::system::error_code ec;
    const json::value doc = json::parse(document, ec);
    const auto* keys = !ec && doc.is_object() ? doc.get_object().if_contains("keys") : nullptr;
    if (keys == nullptr || !keys->is_array()) throw std::invalid_argument("not a JWKS document");
    std::map<std::string, PublicKey, std::less<>> out;
    for (const auto& k : keys->get_array()) {
        if (!k.is_object()) continue;
        const auto& o = k.get_object();
        const auto use = text(o, "use");
        if (text(o, "kty") != "RSA" || (!use.empty() && use != "sig") || text(o, "kid").empty()) continue;
        if (auto key = rsa_key(text(o, "n"), text(o, "e"))) out.emplace(std::string(text(o, "kid")), std::move(key));
    }
    return out;
}

JwksCache::JwksCache(std::shared_ptr<shopify::HttpClient> http, std::chrono::seconds ttl,
                     std::chrono::seconds min_refresh)
    : http_(std::move(http)), ttl_(ttl), min_refresh_(min_refresh) {}

void JwksCache::refresh(const std::string& url, Entry& entry) {
    const auto res = http_->send(shopify::HttpRequest::get(url), Deadline::after(std::chrono::seconds(10)));
    if (res.status != 200) {
        throw Error(ErrorCode::kUpstreamUnavailable, "The identity provider's keys could not be fetched.");
    }
    try {
        entry.keys = parse_jwks(res.body);
    } catch (const std::invalid_argument&) {
        throw Error(ErrorCode::kUpstreamUnavailable, "The identity provider published no usable keys.");
    }
    entry.fetched_at = std::chrono::steady_clock::now();
    ++fetches_;
}

PublicKey JwksCache::key(const std::string& url, std::string_view kid) {
    // One lock around the fetch too: concurrent sign-ins wait for a single download instead of repeating it.
    const std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    auto [it, inserted] = sets_.try_emplace(url);
    Entry& entry = it->second;
    const bool stale = inserted || now - entry.fetched_at > ttl_;
    const bool unknown = entry.keys.find(kid) == entry.keys.end();
    if (stale || (unknown && now - entry.fetched_at > min_refresh_)) {
        try {
            refresh(url, entry);
        } catch (const std::exception&) {
            if (inserted) sets_.erase(it);
            if (inserted || entry.keys.empty()) throw;  // nothing cached to fall back to
        }
    }
    const auto found = entry.keys.find(kid);
    return found == entry.keys.end() ? nullptr : found->second;
}

int JwksCache::fetches() const {
    const std::lock_guard lock(mutex_);
    return fetches_;
}

}  // namespace alatar::api
