#pragma once
// What the identity resolvers and routes need beyond Services: the configuration (Shopify app, shop suffix,
// identity providers), the Keyring sealing access tokens, an outbound HTTP client and a small pool for the
// blocking calls (libcurl, blocking database transactions) so they never run on the I/O threads.
#include <memory>
#include <optional>

#include "api/offload.hpp"
#include "common/config.hpp"
#include "common/crypto.hpp"

namespace alatar::shopify {
class HttpClient;
}

namespace alatar::api {

class JwksCache;

struct IdentityServices {
    Config config;
    std::optional<crypto::Keyring> keyring;  // nullopt when master_key is unset: linking stores is refused
    std::shared_ptr<shopify::HttpClient> http;
    std::shared_ptr<JwksCache> jwks;
    std::unique_ptr<CpuPool> blocking = std::make_unique<CpuPool>(2);

    // The keyring, or UPSTREAM_UNAVAILABLE naming the missing setting (never a secret).
    const crypto::Keyring& require_keyring() const;
};

// Builds them from the configuration. Throws CryptoError for a malformed master_key.
std::shared_ptr<IdentityServices> make_identity_services(const Config& config);

}  // namespace alatar::api
