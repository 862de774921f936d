#include "common/crypto.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <set>
#include <string>

namespace alatar::crypto {
namespace {

std::string repeat(char c, std::size_t n) { return std::string(n, c); }
std::string unhex(std::string_view text) {
    auto bytes = hex_decode(text);
    EXPECT_TRUE(bytes.has_value()) << text;
    return bytes.value_or("");
}

// https://www.rfc-editor.org/rfc/rfc4231 section 4 (HMAC-SHA-256 results).
TEST(HmacTest, Rfc4231Vectors) {
    struct Vector {
        std::string key;
        std::string data;
        std::string_view mac_hex;
    };
    const std::string big_key = repeat('\xaa', 131);
    const Vector vectors[] = {
        {repeat('\x0b', 20), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {repeat('\xaa', 20), repeat('\xdd', 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"), repeat('\xcd', 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {big_key, "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {big_key,
         "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
         "hashed before being used by the HMAC algorithm.",
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
    for (const auto& v : vectors) {
        EXPECT_EQ(hmac_sha256_hex(v.key, v.data), v.mac_hex);
        EXPECT_EQ(hmac_sha256(v.key, v.data), unhex(v.mac_hex));
        EXPECT_EQ(base64_decode(hmac_sha256_base64(v.key, v.data)), unhex(v.mac_hex));
    }
    // Test case 5: output truncated to 128 bits.
    EXPECT_EQ(hmac_sha256_hex(repeat('\x0c', 20), "Test With Truncation").substr(0, 32),
              "a3b6167473100ee06e0c796c2955552b");
}

TEST(HmacTest, VerifyBase64) {
    const std::string mac = hmac_sha256_base64("secret", "body");
    EXPECT_TRUE(verify_hmac_sha256_base64("secret", "body", mac));
    EXPECT_FALSE(verify_hmac_sha256_base64("secret", "body!", mac));
    EXPECT_FALSE(verify_hmac_sha256_base64("other", "body", mac));
    EXPECT_FALSE(verify_hmac_sha256_base64("secret", "body", mac.substr(0, mac.size() - 4)));
    EXPECT_FALSE(verify_hmac_sha256_base64("secret", "body", "not base64!"));
}

TEST(HashTest, Sha256KnownAnswers) {
    // FIPS 180-2 examples.
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256("abc").size(), 32U);
}

TEST(EncodingTest, Base64KnownAnswersAndRoundTrips) {
    // RFC 4648 section 10.
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
    EXPECT_FALSE(base64_decode("Zm9vYg").has_value());  // padding required
    EXPECT_FALSE(base64_decode("Zm9v!mFy").has_value());
    EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
    EXPECT_EQ(base64url_decode("-_8"), "\xfb\xff");
    EXPECT_EQ(base64url_decode("-_8="), "\xfb\xff");
    EXPECT_FALSE(base64url_decode("+/8").has_value());
    for (std::size_t n = 0; n < 70; ++n) {
        const std::string bytes = random_bytes(n);
        EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
        EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes);
        EXPECT_EQ(hex_decode(hex_encode(bytes)), bytes);
    }
}

TEST(EncodingTest, Hex) {
    EXPECT_EQ(hex_encode(std::string{"\x00\x01\xab\xff", 4}), "0001abff");
    EXPECT_EQ(hex_decode("0001ABff"), (std::string{"\x00\x01\xab\xff", 4}));
    EXPECT_FALSE(hex_decode("abc").has_value());
    EXPECT_FALSE(hex_decode("zz").has_value());
}

TEST(RandomTest, TokensAreLongAndDistinct) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const std::string token = random_token();
        EXPECT_EQ(base64url_decode(token).value_or("").size(), 32U);  // 256 bits
        EXPECT_TRUE(seen.insert(token).second);
    }
    EXPECT_EQ(random_bytes(17).size(), 17U);
}

TEST(CompareTest, ConstantTimeEqual) {
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

TEST(PasswordTest, VerifyRightAndWrong) {
    const std::string hash = hash_password("correct horse battery staple");
    EXPECT_EQ(hash.rfind("$argon2id$", 0), 0U) << hash;
    EXPECT_NE(hash.find("m=19456,t=2,p=1"), std::string::npos) << hash;
    EXPECT_TRUE(verify_password(hash, "correct horse battery staple"));
    EXPECT_FALSE(verify_password(hash, "correct horse battery stapl"));
    EXPECT_FALSE(verify_password(hash, ""));
    EXPECT_FALSE(verify_password("not a hash", "x"));
    EXPECT_FALSE(verify_password("", "x"));
    EXPECT_NE(hash_password("same"), hash_password("same"));  // salted
    EXPECT_FALSE(password_needs_rehash(hash));
    EXPECT_TRUE(password_needs_rehash("not a hash"));
}

TEST(PasswordTest, WeakerParametersNeedRehashButStillVerify) {
    // A hash made with cheaper parameters (as an older release might have) must be upgraded after login.
    std::array<char, crypto_pwhash_STRBYTES> weak{};
    const std::string password = "pw-123456";
    ASSERT_EQ(crypto_pwhash_str_alg(weak.data(), password.data(), password.size(), 1, std::size_t{8} << 20,
                                    crypto_pwhash_ALG_ARGON2ID13),
              0);
    EXPECT_TRUE(password_needs_rehash(weak.data()));
    EXPECT_TRUE(verify_password(weak.data(), password));
    EXPECT_FALSE(verify_password(weak.data(), "pw-1234567"));
}

class KeyringTest : public ::testing::Test {
  protected:
    std::string key1_ = Keyring::generate_key_base64();
    std::string key2_ = Keyring::generate_key_base64();
};

TEST_F(KeyringTest, RoundTripWithAssociatedData) {
    const auto ring = Keyring::parse(key1_);
    EXPECT_EQ(ring.current_kid(), "k1");
    for (const std::string& plain :
         {std::string{}, std::string{"shpat_secret"}, std::string(10000, 'x'), std::string{"\x00\x01\x02", 3}}) {
        const std::string sealed = ring.encrypt(plain, "shop:42");
        EXPECT_EQ(sealed.rfind("v1.k1.", 0), 0U);
        EXPECT_EQ(sealed.find(plain.empty() ? "\x01" : plain), std::string::npos);
        EXPECT_EQ(ring.decrypt(sealed, "shop:42"), plain);
        EXPECT_EQ(Keyring::kid_of(sealed), "k1");
    }
    // Random nonces: the same plaintext seals differently each time.
    EXPECT_NE(ring.encrypt("same"), ring.encrypt("same"));
}

CryptoError::Kind decrypt_failure(const Keyring& ring, std::string_view sealed, std::string_view ad) {
    try {
        (void)ring.decrypt(sealed, ad);
    } catch (const CryptoError& e) {
        return e.kind();
    }
    ADD_FAILURE() << "decrypt succeeded for " << sealed;
    return CryptoError::Kind::kMalformed;
}

TEST_F(KeyringTest, TamperingIsDetected) {
    const auto ring = Keyring::parse("a:" + key1_ + ",b:" + key2_);
    const std::string sealed = ring.encrypt("token-value", "user:7");
    const std::string prefix = "v1.a.";
    ASSERT_EQ(sealed.rfind(prefix, 0), 0U);
    const std::string box = base64url_decode(std::string_view{sealed}.substr(prefix.size())).value();

    auto with_box = [&](std::string b) { return prefix + base64url_encode(b); };
    std::string flipped_nonce = box;
    flipped_nonce[0] = static_cast<char>(flipped_nonce[0] ^ 0x01);
    std::string flipped_cipher = box;
    flipped_cipher[30] = static_cast<char>(flipped_cipher[30] ^ 0x80);
    std::string flipped_tag = box;
    flipped_tag.back() = static_cast<char>(flipped_tag.back() ^ 0x01);
    using K = CryptoError::Kind;
    EXPECT_EQ(decrypt_failure(ring, with_box(flipped_nonce), "user:7"), K::kAuthenticationFailed);
    EXPECT_EQ(decrypt_failure(ring, with_box(flipped_cipher), "user:7"), K::kAuthenticationFailed);
    EXPECT_EQ(decrypt_failure(ring, with_box(flipped_tag), "user:7"), K::kAuthenticationFailed);
    EXPECT_EQ(decrypt_failure(ring, with_box(box.substr(0, box.size() - 1)), "user:7"), K::kAuthenticationFailed);
    // Kid swapped to another known key: authenticated, so it fails.
    EXPECT_EQ(decrypt_failure(ring, "v1.b." + sealed.substr(prefix.size()), "user:7"), K::kAuthenticationFailed);
    EXPECT_EQ(decrypt_failure(ring, "v1.zz." + sealed.substr(prefix.size()), "user:7"), K::kUnknownKey);
    EXPECT_EQ(decrypt_failure(ring, sealed, "user:8"), K::kAuthenticationFailed);
    EXPECT_EQ(decrypt_failure(ring, sealed, ""), K::kAuthenticationFailed);
    EXPECT_EQ(decrypt_failure(ring, "v2" + sealed.substr(2), "user:7"), K::kMalformed);
    EXPECT_EQ(decrypt_failure(ring, "garbage", "user:7"), K::kMalformed);
    EXPECT_EQ(decrypt_failure(ring, "v1.a.!!!", "user:7"), K::kMalformed);
    EXPECT_EQ(decrypt_failure(ring, "v1.a.AAAA", "user:7"), K::kMalformed);
    EXPECT_EQ(ring.decrypt(sealed, "user:7"), "token-value");
}

TEST_F(KeyringTest, WrongKeyFails) {
    const auto ring1 = Keyring::parse(key1_);
    const auto ring2 = Keyring::parse(key2_);  // same kid "k1", different key
    const std::string sealed = ring1.encrypt("x", "ad");
    EXPECT_EQ(decrypt_failure(ring2, sealed, "ad"), CryptoError::Kind::kAuthenticationFailed);
}

TEST_F(KeyringTest, RotationKeepsOldKidsDecryptable) {
    const auto old_ring = Keyring::parse("2024:" + key1_);
    const std::string old_sealed = old_ring.encrypt("old secret", "row:1");
    const auto rotated = Keyring::parse("2025:" + key2_ + ", 2024:" + key1_);
    EXPECT_EQ(rotated.current_kid(), "2025");
    EXPECT_EQ(rotated.decrypt(old_sealed, "row:1"), "old secret");
    const std::string new_sealed = rotated.encrypt("new secret", "row:1");
    EXPECT_EQ(Keyring::kid_of(new_sealed), "2025");
    EXPECT_EQ(decrypt_failure(old_ring, new_sealed, "row:1"), CryptoError::Kind::kUnknownKey);
}

TEST_F(KeyringTest, ParseRejectsBadSpecsWithoutLeakingKeys) {
    const std::string short_key = base64_encode(std::string(31, 'k'));
    for (const std::string& bad : {std::string{""}, std::string{"not-base64!"}, short_key, "a:" + key1_ + ",a:" + key2_,
                                   "bad.kid:" + key1_, key1_ + ","}) {
        try {
            (void)Keyring::parse(bad);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const CryptoError& e) {
            EXPECT_EQ(e.kind(), CryptoError::Kind::kMalformed);
            EXPECT_EQ(std::string{e.what()}.find(key1_), std::string::npos);
        }
    }
    // URL-safe base64 and unpadded keys are accepted.
    const std::string raw = random_bytes(32);
    EXPECT_NO_THROW((void)Keyring::parse("u:" + base64url_encode(raw)));
}

}  // namespace
}  // namespace alatar::crypto
