#pragma once
// Test support for platform sign-in: an RSA key pair generated in the test, ID tokens signed with it (RS256),
// and a tiny HTTP server on 127.0.0.1 serving its JWKS (counting downloads).
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/crypto.hpp"

namespace alatar::api::test {

class RsaKey {
  public:
    explicit RsaKey(std::string kid) : kid_(std::move(kid)), key_(EVP_RSA_gen(2048), EVP_PKEY_free) {
        if (!key_) throw std::runtime_error("RSA key generation failed");
    }
    const std::string& kid() const { return kid_; }

    // The public key as a JWK.
    boost::json::object jwk() const {
        return boost::json::object{{"kty", "RSA"}, {"use", "sig"},    {"alg", "RS256"},
                                   {"kid", kid_},  {"n", param("n")}, {"e", param("e")}};
    }

    // header.payload.signature with RS256 over `claims` (and any extra header fields).
    std::string sign(const boost::json::object& claims, boost::json::object header = {}) const {
        if (!header.contains("alg")) header["alg"] = "RS256";
        if (!header.contains("kid")) header["kid"] = kid_;
        header["typ"] = "JWT";
        const std::string input = crypto::base64url_encode(boost::json::serialize(header)) + "." +
                                  crypto::base64url_encode(boost::json::serialize(claims));
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
        std::size_t len = 0;
        EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get());
        const auto* data = reinterpret_cast<const unsigned char*>(input.data());  // NOLINT
        EVP_DigestSign(ctx.get(), nullptr, &len, data, input.size());
        std::string sig(len, '\0');
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, data, input.size());  // NOLINT
        sig.resize(len);
        return input + "." + crypto::base64url_encode(sig);
    }

  private:
    std::string param(const char* name) const {
        BIGNUM* bn = nullptr;
        EVP_PKEY_get_bn_param(key_.get(), name, &bn);
        std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
        BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));  // NOLINT
        BN_free(bn);
        return crypto::base64url_encode(bytes);
    }

    std::string kid_;
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
};

// Serves `document` for every GET until destroyed.
class JwksServer {
  public:
    explicit JwksServer(std::string document) : document_(std::move(document)) {
        namespace asio = boost::asio;
        acceptor_.open(asio::ip::tcp::v4());
        acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
        acceptor_.listen();
        thread_ = std::thread([this] { serve(); });
    }
    ~JwksServer() {
        stopping_ = true;
        boost::system::error_code ec;
        boost::asio::ip::tcp::socket poke{io_};
        poke.connect(acceptor_.local_endpoint(), ec);  // wakes the blocking accept
        thread_.join();
    }
    JwksServer(const JwksServer&) = delete;
    JwksServer& operator=(const JwksServer&) = delete;

    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/jwks";
    }
    int hits() const { return hits_; }
    void set_document(std::string document) {
        const std::lock_guard lock(mutex_);
        document_ = std::move(document);
    }

  private:
    void serve() {
        namespace http = boost::beast::http;
        while (!stopping_) {
            boost::system::error_code ec;
            boost::asio::ip::tcp::socket socket{io_};
            acceptor_.accept(socket, ec);
            if (ec || stopping_) continue;
            boost::beast::flat_buffer buffer;
            http::request<http::string_body> req;
            http::read(socket, buffer, req, ec);
            if (ec) continue;
            ++hits_;
            http::response<http::string_body> res{http::status::ok, 11};
            res.set(http::field::content_type, "application/json");
            {
                const std::lock_guard lock(mutex_);
                res.body() = document_;
            }
            res.keep_alive(false);
            res.prepare_payload();
            http::write(socket, res, ec);
            socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
        }
    }

    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_{io_};
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> hits_{0};
    std::mutex mutex_;
    std::string document_;
};

}  // namespace alatar::api::test
