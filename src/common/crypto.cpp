#include "common/crypto.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace alatar::crypto {

namespace {

constexpr std::string_view kSealVersion = "v1";
constexpr std::size_t kMaxKidLength = 32;
constexpr unsigned long long kPwOpsLimit = 2;                       // OWASP argon2id: t=2
constexpr std::size_t kPwMemLimit = std::size_t{19} * 1024 * 1024;  // m=19 MiB, p=1 (libsodium's fixed p)

// sodium_init is idempotent and thread-safe; the static makes the check happen once per process.
void ensure_sodium() {
    static const int kInit = sodium_init();
    if (kInit < 0) throw std::runtime_error("libsodium initialisation failed");
}

// libsodium takes unsigned char*; our byte strings are char-based.
const unsigned char* u8(const char* p) { return reinterpret_cast<const unsigned char*>(p); }
unsigned char* u8(char* p) { return reinterpret_cast<unsigned char*>(p); }

std::string encode_base64(std::string_view bytes, int variant) {
    ensure_sodium();
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), u8(bytes.data()), bytes.size(), variant);
    out.resize(out.size() - 1);  // drop the terminating NUL
    return out;
}

std::optional<std::string> decode_base64(std::string_view text, int variant) {
    ensure_sodium();
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(u8(out.data()), out.size(), text.data(), text.size(), nullptr, &len, &end, variant) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(len);
    return out;
}

bool valid_kid(std::string_view kid) {
    if (kid.empty() || kid.size() > kMaxKidLength) return false;
    for (char c : kid) {
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::optional<std::string> decode_key(std::string_view text) {
    auto key = decode_base64(text, sodium_base64_VARIANT_ORIGINAL);
    if (!key) key = decode_base64(text, sodium_base64_VARIANT_URLSAFE);
    if (!key) key = decode_base64(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (!key) key = decode_base64(text, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    return key;
}

// Version and kid are authenticated with the caller's data; kids contain no '.', so this is unambiguous.
std::string full_associated_data(std::string_view kid, std::string_view associated_data) {
    std::string ad;
    ad.reserve(kSealVersion.size() + kid.size() + associated_data.size() + 2);
    ad.append(kSealVersion).append(".").append(kid).append(".").append(associated_data);
    return ad;
}

struct SealedParts {
    std::string_view kid;
    std::string_view payload;  // base64url(nonce || ciphertext)
};

std::optional<SealedParts> split_sealed(std::string_view sealed) {
    const auto first = sealed.find('.');
    if (first == std::string_view::npos || sealed.substr(0, first) != kSealVersion) return std::nullopt;
    const auto second = sealed.find('.', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    SealedParts parts{sealed.substr(first + 1, second - first - 1), sealed.substr(second + 1)};
    if (!valid_kid(parts.kid)) return std::nullopt;
    return parts;
}

}  // namespace

std::string base64_encode(std::string_view bytes) { return encode_base64(bytes, sodium_base64_VARIANT_ORIGINAL); }
std::optional<std::string> base64_decode(std::string_view text) {
    return decode_base64(text, sodium_base64_VARIANT_ORIGINAL);
}
std::string base64url_encode(std::string_view bytes) {
    return encode_base64(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}
std::optional<std::string> base64url_decode(std::string_view text) {
    if (!text.empty() && text.back() == '=') return decode_base64(text, sodium_base64_VARIANT_URLSAFE);
    return decode_base64(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string hex_encode(std::string_view bytes) {
    ensure_sodium();
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), u8(bytes.data()), bytes.size());
    out.pop_back();
    return out;
}

std::optional<std::string> hex_decode(std::string_view text) {
    ensure_sodium();
    if (text.size() % 2 != 0) return std::nullopt;
    std::string out(text.size() / 2, '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_hex2bin(u8(out.data()), out.size(), text.data(), text.size(), nullptr, &len, &end) != 0 ||
        end != text.data() + text.size() || len != out.size()) {
        return std::nullopt;
    }
    return out;
}

std::string random_bytes(std::size_t n) {
    ensure_sodium();
    std::string out(n, '\0');
    randombytes_buf(out.data(), out.size());
    return out;
}

std::string random_token(std::size_t bytes) { return base64url_encode(random_bytes(bytes)); }

std::string sha256(std::string_view data) {
    ensure_sodium();
    std::string out(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256(u8(out.data()), u8(data.data()), data.size());
    return out;
}

std::string sha256_hex(std::string_view data) { return hex_encode(sha256(data)); }

std::string hmac_sha256(std::string_view key, std::string_view data) {
    ensure_sodium();
    // The init/update/final API accepts keys of any length (RFC 2104: long keys are hashed first).
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, u8(key.data()), key.size());
    crypto_auth_hmacsha256_update(&state, u8(data.data()), data.size());
    std::string out(crypto_auth_hmacsha256_BYTES, '\0');
    crypto_auth_hmacsha256_final(&state, u8(out.data()));
    sodium_memzero(&state, sizeof state);
    return out;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) { return hex_encode(hmac_sha256(key, data)); }
std::string hmac_sha256_base64(std::string_view key, std::string_view data) {
    return base64_encode(hmac_sha256(key, data));
}

bool verify_hmac_sha256_base64(std::string_view key, std::string_view data, std::string_view mac_base64) {
    const auto given = base64_decode(mac_base64);
    return given && constant_time_equal(*given, hmac_sha256(key, data));
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hash_password(std::string_view password) {
    ensure_sodium();
    std::array<char, crypto_pwhash_STRBYTES> out{};
    if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), kPwOpsLimit, kPwMemLimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw std::runtime_error("argon2id hashing failed (out of memory)");
    }
    return std::string{out.data()};
}

bool verify_password(std::string_view hash, std::string_view password) {
    ensure_sodium();
    // crypto_pwhash_str_verify wants a NUL-terminated string of bounded length.
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    const std::string terminated{hash};
    return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(std::string_view hash) {
    ensure_sodium();
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return true;
    const std::string terminated{hash};
    // Non-zero: different parameters (1) or not an argon2id hash at all (-1).
    return crypto_pwhash_argon2id_str_needs_rehash(terminated.c_str(), kPwOpsLimit, kPwMemLimit) != 0;
}

// --- Keyring ------------------------------------------------------------------------------------------------

struct Keyring::Keys {
    using Key = std::array<unsigned char, kKeyBytes>;
    std::string current;
    std::map<std::string, Key, std::less<>> by_kid;

    Keys() = default;
    Keys(const Keys&) = delete;
    Keys& operator=(const Keys&) = delete;
    ~Keys() {
        for (auto& [kid, key] : by_kid) sodium_memzero(key.data(), key.size());
    }
};

Keyring::Keyring(std::string current_kid, const std::map<std::string, std::string, std::less<>>& keys) {
    ensure_sodium();
    auto built = std::make_shared<Keys>();
    for (const auto& [kid, key] : keys) {
        if (!valid_kid(kid)) {
            throw CryptoError(CryptoError::Kind::kMalformed, "key id must match [A-Za-z0-9_-]{1,32}: '" + kid + "'");
        }
        if (key.size() != kKeyBytes) {
            throw CryptoError(CryptoError::Kind::kMalformed, "key '" + kid + "' must be exactly 32 bytes");
        }
        Keys::Key raw{};
        std::copy(key.begin(), key.end(), reinterpret_cast<char*>(raw.data()));
        built->by_kid.emplace(kid, raw);
        sodium_memzero(raw.data(), raw.size());
    }
    if (!built->by_kid.contains(current_kid)) {
        throw CryptoError(CryptoError::Kind::kMalformed, "current key id '" + current_kid + "' has no key");
    }
    built->current = std::move(current_kid);
    keys_ = std::move(built);
}

Keyring Keyring::parse(std::string_view spec) {
    std::map<std::string, std::string, std::less<>> keys;
    std::string current;
    auto wipe = [&keys] {
        for (auto& [kid, key] : keys) sodium_memzero(key.data(), key.size());
    };
    std::size_t start = 0;
    std::size_t index = 0;
    while (start <= spec.size()) {
        const auto comma = spec.find(',', start);
        std::string_view entry = spec.substr(start, comma == std::string_view::npos ? comma : comma - start);
        while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
        while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
        ++index;
        const auto colon = entry.find(':');
        std::string kid{colon == std::string_view::npos ? kDefaultKid : entry.substr(0, colon)};
        const std::string_view encoded = colon == std::string_view::npos ? entry : entry.substr(colon + 1);
        auto key = decode_key(encoded);
        if (!valid_kid(kid) || !key || key->size() != kKeyBytes || keys.contains(kid)) {
            if (key) sodium_memzero(key->data(), key->size());
            wipe();
            throw CryptoError(CryptoError::Kind::kMalformed,
                              "master key entry " + std::to_string(index) +
                                  " must be base64 of 32 bytes, optionally prefixed by a unique 'kid:'");
        }
        if (current.empty()) current = kid;
        keys.emplace(std::move(kid), std::move(*key));
        sodium_memzero(key->data(), key->size());
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    Keyring ring{current, keys};
    wipe();
    return ring;
}

std::string Keyring::generate_key_base64() {
    std::string key = random_bytes(kKeyBytes);
    std::string encoded = base64_encode(key);
    sodium_memzero(key.data(), key.size());
    return encoded;
}

const std::string& Keyring::current_kid() const noexcept { return keys_->current; }

std::vector<std::string> Keyring::kids() const {
    std::vector<std::string> out;
    for (const auto& [kid, key] : keys_->by_kid) out.push_back(kid);
    return out;
}

std::string Keyring::encrypt(std::string_view plaintext, std::string_view associated_data) const {
    const auto& kid = keys_->current;
    const auto& key = keys_->by_kid.find(kid)->second;
    const std::string ad = full_associated_data(kid, associated_data);
    constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    std::string box(kNonce + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    randombytes_buf(box.data(), kNonce);  // 192-bit random nonces: collisions are negligible
    unsigned long long cipher_len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(u8(box.data()) + kNonce, &cipher_len, u8(plaintext.data()),
                                               plaintext.size(), u8(ad.data()), ad.size(), nullptr, u8(box.data()),
                                               key.data());
    box.resize(kNonce + cipher_len);
    std::string sealed{kSealVersion};
    sealed.append(".").append(kid).append(".").append(base64url_encode(box));
    return sealed;
}

std::string Keyring::decrypt(std::string_view sealed, std::string_view associated_data) const {
    const auto parts = split_sealed(sealed);
    if (!parts) throw CryptoError(CryptoError::Kind::kMalformed, "sealed value is not in v1.<kid>.<data> form");
    const auto it = keys_->by_kid.find(parts->kid);
    if (it == keys_->by_kid.end()) {
        throw CryptoError(CryptoError::Kind::kUnknownKey, "no key with id '" + std::string{parts->kid} + "'");
    }
    const auto box = base64url_decode(parts->payload);
    constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    if (!box || box->size() < kNonce + crypto_aead_xchacha20poly1305_ietf_ABYTES) {
        throw CryptoError(CryptoError::Kind::kMalformed, "sealed value payload is malformed");
    }
    const std::string ad = full_associated_data(parts->kid, associated_data);
    std::string plain(box->size() - kNonce - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    unsigned long long plain_len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(u8(plain.data()), &plain_len, nullptr, u8(box->data()) + kNonce,
                                                   box->size() - kNonce, u8(ad.data()), ad.size(), u8(box->data()),
                                                   it->second.data()) != 0) {
        throw CryptoError(CryptoError::Kind::kAuthenticationFailed,
                          "sealed value failed authentication (tampered, wrong key or wrong associated data)");
    }
    plain.resize(plain_len);
    return plain;
}

std::optional<std::string> Keyring::kid_of(std::string_view sealed) {
    const auto parts = split_sealed(sealed);
    if (!parts) return std::nullopt;
    return std::string{parts->kid};
}

}  // namespace alatar::crypto
