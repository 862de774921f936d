#pragma once
// Platform sign-in with an OpenID Connect ID token (Google, Sign in with Apple): an RS256 JWS checked against the
// provider's JWKS, then iss, aud, exp (and iat, nbf) checked; the subject signs in or is linked to the account.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.hpp"
#include "db/transaction.hpp"

namespace alatar::api {

class JwksCache;

struct IdTokenProvider {
    std::string name;                  // "google" / "apple": identities.provider
    std::vector<std::string> issuers;  // accepted "iss" values
    std::vector<std::string> audiences;
    std::string jwks_url;
};

struct IdTokenClaims {
    std::string subject;
    std::optional<std::string> email;  // only when the provider says it is verified
};

// The settings of GOOGLE or APPLE (the schema's IdTokenProvider). Throws Error(BAD_USER_INPUT) for another name
// or a provider without configured client ids.
IdTokenProvider provider_settings(const Config& config, std::string_view provider);

// Verifies `token`. Throws Error(UNAUTHENTICATED, "The ID token is not valid: ...") on every refusal and
// Error(UPSTREAM_UNAVAILABLE) when the provider's keys cannot be fetched. Blocking (JWKS download on a miss).
IdTokenClaims verify_id_token(JwksCache& jwks, const IdTokenProvider& provider, std::string_view token,
                              std::chrono::seconds leeway = std::chrono::seconds(60));

// The user to sign in: the one already holding this identity, else `current_user` (linking), else a new account
// (with the verified e-mail when no account has it yet). Throws Error(CONFLICT) when the identity belongs to
// another account than `current_user`, or when the e-mail belongs to an existing account (sign in to it first
// and then link, so nobody takes over an account through an e-mail claim alone).
std::string sign_in_or_link(db::Transaction& tx, const IdTokenProvider& provider, const IdTokenClaims& claims,
                            const std::optional<std::string>& current_user);

}  // namespace alatar::api
