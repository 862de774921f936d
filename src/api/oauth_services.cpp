#include "api/oauth_services.hpp"

#include "api/jwks_cache.hpp"
#include "common/error.hpp"
#include "shopify/http_client.hpp"

namespace alatar::api {

const crypto::Keyring& IdentityServices::require_keyring() const {
    if (!keyring) {
        throw Error(ErrorCode::kUpstreamUnavailable,
                    "Linking stores needs an encryption key on this server (ALATAR_MASTER_KEY).");
    }
    return *keyring;
}

std::shared_ptr<IdentityServices> make_identity_services(const Config& config) {
    auto id = std::make_shared<IdentityServices>();
    id->config = config;
    if (!config.master_key.empty()) id->keyring = crypto::Keyring::parse(config.master_key);
    id->http = std::make_shared<shopify::CurlHttpClient>();
    id->jwks = std::make_shared<JwksCache>(id->http);
    return id;
}

}  // namespace alatar::api
