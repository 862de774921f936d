#pragma once
// Cryptographic building blocks (libsodium): encodings, random tokens, SHA-256, HMAC-SHA256, constant-time
// comparison, argon2id password hashes and authenticated encryption of secrets at rest with key rotation.
//
// Byte strings are std::string / std::string_view (binary-safe). All functions are thread-safe; libsodium is
// initialised on first use (sodium_init is itself idempotent and thread-safe).
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace alatar::crypto {

// A failure of a cryptographic operation on bad input: malformed ciphertext or key spec, unknown key id,
// or failed authentication (tampering, wrong key, wrong associated data). Never carries key material.
// ErrorCode is kInternal: clients only ever see "internal error".
class CryptoError : public Error {
  public:
    enum class Kind { kMalformed, kUnknownKey, kAuthenticationFailed };
    CryptoError(Kind kind, const std::string& message) : Error(ErrorCode::kInternal, message), kind_(kind) {}
    Kind kind() const noexcept { return kind_; }

  private:
    Kind kind_;
};

// --- encodings -------------------------------------------------------------------------------------------
std::string base64_encode(std::string_view bytes);                   // standard alphabet, padded
std::optional<std::string> base64_decode(std::string_view text);     // strict: standard alphabet, padded
std::string base64url_encode(std::string_view bytes);                // URL-safe alphabet, no padding
std::optional<std::string> base64url_decode(std::string_view text);  // URL-safe, padding optional
std::string hex_encode(std::string_view bytes);                      // lower case
std::optional<std::string> hex_decode(std::string_view text);        // either case; even length

// --- randomness, hashing, MACs ----------------------------------------------------------------------------
std::string random_bytes(std::size_t n);
// base64url of `bytes` random bytes (default 32 = 256 bits): session tokens, OAuth state, nonces.
std::string random_token(std::size_t bytes = 32);
std::string sha256(std::string_view data);  // 32 raw bytes
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 raw bytes; any key length
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
std::string hmac_sha256_base64(std::string_view key, std::string_view data);
// Constant-time check of a base64 HMAC-SHA256 as sent by Shopify (X-Shopify-Hmac-Sha256) and similar.
bool verify_hmac_sha256_base64(std::string_view key, std::string_view data, std::string_view mac_base64);
// Constant-time for equal lengths (sodium_memcmp); different lengths compare unequal immediately.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

// --- passwords (argon2id, OWASP: 19 MiB memory, 2 iterations, parallelism 1) ---------------------------------
// Each call costs ~19 MiB and tens of ms of CPU: callers rate-limit and run it off the I/O threads.
std::string hash_password(std::string_view password);
// False for a wrong password or a malformed hash.
bool verify_password(std::string_view hash, std::string_view password);
// True when `hash` was made with other parameters than hash_password() uses now (rehash after login).
bool password_needs_rehash(std::string_view hash);

// --- secrets at rest ---------------------------------------------------------------------------------------
// XChaCha20-Poly1305 with a key id so that keys can be rotated: encrypt() always uses the current key,
// decrypt() picks the key named in the ciphertext. Sealed format: "v1.<kid>.<base64url(nonce || ciphertext)>".
// The version and kid are authenticated together with the caller's associated data (bind a ciphertext to its
// row, e.g. "shop_token:42", so it cannot be swapped into another one).
class Keyring {
  public:
    static constexpr std::size_t kKeyBytes = 32;
    static constexpr std::string_view kDefaultKid = "k1";

    // From configuration (ALATAR_MASTER_KEY): either one base64 key (kid "k1") or "kid:base64,kid:base64,...";
    // the first entry is the current key. Base64 may be standard or URL-safe. Kids are [A-Za-z0-9_-]{1,32}.
    // Throws CryptoError(kMalformed) (message names the entry, not the key).
    static Keyring parse(std::string_view spec);
    // A fresh random key, base64, for `alatar keys` and tests.
    static std::string generate_key_base64();

    // keys: kid -> 32 raw bytes. Throws CryptoError(kMalformed) on bad kids/lengths or a missing current kid.
    Keyring(std::string current_kid, const std::map<std::string, std::string, std::less<>>& keys);

    const std::string& current_kid() const noexcept;
    std::vector<std::string> kids() const;

    std::string encrypt(std::string_view plaintext, std::string_view associated_data = {}) const;
    // Throws CryptoError: kMalformed, kUnknownKey, kAuthenticationFailed.
    std::string decrypt(std::string_view sealed, std::string_view associated_data = {}) const;
    // The kid a sealed value was made with (nullopt when malformed): lets a job re-encrypt old rows.
    static std::optional<std::string> kid_of(std::string_view sealed);

  private:
    struct Keys;
    std::shared_ptr<const Keys> keys_;  // immutable and shared: copies are cheap; key bytes wiped on destruction
};

}  // namespace alatar::crypto
