#pragma once
// An in-process API server against a fresh, migrated database of its own, plus a small synchronous HTTP client
// with socket timeouts (a broken server fails the test instead of hanging it).
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "api/server.hpp"
#include "db/connection.hpp"
#include "db/migrate.hpp"
#include "db/test_database.hpp"

namespace alatar::api::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

struct HttpResult {
    unsigned status = 0;
    std::map<std::string, std::string> headers;
    std::string body;
    json::value json() const { return json::parse(body); }
};

inline HttpResult http_request(std::uint16_t port, std::string_view method, std::string_view target,
                               const std::string& body, const std::map<std::string, std::string>& headers) {
    asio::io_context io;
    beast::tcp_stream stream{io};
    stream.expires_after(std::chrono::seconds(20));
    stream.connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), port});
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), std::string(target), 11};
    req.set(bhttp::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    bhttp::write(stream, req);
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    bhttp::read(stream, buffer, parser);
    HttpResult out;
    out.status = parser.get().result_int();
    for (const auto& f : parser.get()) out.headers[std::string(f.name_string())] = std::string(f.value());
    out.body = parser.get().body();
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return out;
}

// ALATAR_TEST_AMQP_URL or "" when unset.
inline std::string amqp_url() {
    const char* url = std::getenv("ALATAR_TEST_AMQP_URL");  // NOLINT(concurrency-mt-unsafe)
    return url == nullptr ? std::string{} : std::string{url};
}

class ApiFixture : public ::testing::Test {
  protected:
    // Options tests may adjust before the server starts (in a derived fixture's constructor).
    virtual void adjust(ApiOptions& options) { (void)options; }

    void SetUp() override {
        database_ = db::testing::TestDatabase::create();
        ASSERT_NE(database_, nullptr) << db::testing::kMissingUrlMessage;
        {
            db::Connection conn{database_->url()};
            db::apply_migrations(conn, db::load_migrations(std::filesystem::path(ALATAR_SOURCE_DIR) / "migrations"),
                                 Logger::null());
        }
        Config config = Config::defaults();
        config.database_url = database_->url();
        config.amqp_url = amqp_url().empty() ? "amqp://127.0.0.1:1" : amqp_url();
        config.amqp_prefix = "apitest" + std::to_string(::getpid());
        config.listen = "127.0.0.1:0";
        config.io_threads = 2;
        ApiOptions options = api_options(config);
        options.http.handle_signals = false;
        options.events = false;
        options.relay = false;
        options.graphql_http.strict_bucket = {1000, 1000};  // tests sign in many times from one address
        adjust(options);
        server_ = std::make_unique<ApiServer>(std::move(options), Logger::null());
        server_->start();
    }

    void TearDown() override {
        server_.reset();
        database_.reset();
    }

    // POSTs a GraphQL request; returns the parsed response body.
    HttpResult post(const std::string& query, const json::object& variables = {}, const std::string& token = {},
                    std::map<std::string, std::string> headers = {}) {
        json::object body{{"query", query}};
        if (!variables.empty()) body["variables"] = variables;
        headers.emplace("Content-Type", "application/json");
        headers.emplace("Accept", "application/graphql-response+json");
        if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
        return http_request(server_->port(), "POST", "/graphql", json::serialize(body), headers);
    }
    json::value gql(const std::string& query, const json::object& variables = {}, const std::string& token = {}) {
        return post(query, variables, token).json();
    }

    // Registers an account; returns its session token.
    std::string register_user(const std::string& email, const std::string& password = "correct horse battery") {
        const auto r = gql("mutation($i: RegisterInput!) { register(input: $i) { token user { id email } } }",
                           {{"i", json::object{{"email", email}, {"password", password}}}});
        const json::value* data = r.as_object().if_contains("data");
        const json::value* token = data != nullptr && data->is_object() && data->at("register").is_object()
                                       ? data->at("register").as_object().if_contains("token")
                                       : nullptr;
        EXPECT_NE(token, nullptr) << json::serialize(r);
        return token != nullptr ? std::string(token->as_string()) : std::string{};
    }

    // Runs SQL on the test database (seeding rows the workers would write).
    db::Result sql(const std::string& statement, const db::Params& params = {}) {
        db::Connection conn{database_->url()};
        return conn.exec(statement, params);
    }

    static std::string code_of(const json::value& response, std::size_t i = 0) {
        const auto& errors = response.at("errors").as_array();
        return std::string(errors.at(i).at("extensions").at("code").as_string());
    }

    std::unique_ptr<db::testing::TestDatabase> database_;
    std::unique_ptr<ApiServer> server_;
};

}  // namespace alatar::api::test
