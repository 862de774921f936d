#pragma once
// RSA signing keys of identity providers, fetched from their JWKS URL and cached: a key is reused for an hour,
// and an unknown kid (the provider rotated) refetches the set at most once a minute per URL.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

using EVP_PKEY = struct evp_pkey_st;

namespace alatar::shopify {
class HttpClient;
}

namespace alatar::api {

using PublicKey = std::shared_ptr<EVP_PKEY>;

// The RSA keys ("kty":"RSA", "use" absent or "sig") of a JWKS document by kid. Keys of other types are skipped.
// Throws std::invalid_argument for a document that is not a JWKS.
std::map<std::string, PublicKey, std::less<>> parse_jwks(std::string_view json);

class JwksCache {
  public:
    explicit JwksCache(std::shared_ptr<shopify::HttpClient> http, std::chrono::seconds ttl = std::chrono::hours(1),
                       std::chrono::seconds min_refresh = std::chrono::minutes(1));

    // The key `kid` of the set at `url`, or nullptr when the provider does not publish it. Blocking (HTTP on a
    // miss). Throws Error(UPSTREAM_UNAVAILABLE) when the set cannot be fetched and none is cached.
    PublicKey key(const std::string& url, std::string_view kid);

    // How many times a set was downloaded (for tests of the cache).
    int fetches() const;

  private:
    struct Entry {
        std::map<std::string, PublicKey, std::less<>> keys;
        std::chrono::steady_clock::time_point fetched_at;
    };
    void refresh(const std::string& url, Entry& entry);

    std::shared_ptr<shopify::HttpClient> http_;
    std::chrono::seconds ttl_;
    std::chrono::seconds min_refresh_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry, std::less<>> sets_;
    int fetches_ = 0;
};

}  // namespace alatar::api
