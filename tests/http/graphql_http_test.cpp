// GraphQL over HTTP transport rules, following the graphql-http server audit (MUST and SHOULD items).
#include <gtest/gtest.h>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "test_support.hpp"

namespace alatar::http::test {
namespace {

constexpr std::string_view kGqlResponse = "application/graphql-response+json";

class GraphQLHttpTest : public ::testing::Test {
  protected:
    bhttp::response<bhttp::string_body> post(std::string body, std::string_view accept = {},
                                             std::string_view content_type = "application/json") {
        return fetch(s_.port(), post_json(std::move(body), accept, content_type));
    }
    static std::string enc(std::string_view v) { return boost::urls::encode(v, boost::urls::unreserved_chars); }
    TestServer s_;
};

bool has_errors(const bhttp::response<bhttp::string_body>& r) {
    return boost::json::parse(r.body()).as_object().contains("errors");
}

TEST_F(GraphQLHttpTest, AcceptNegotiation) {
    const auto gql = post(R"({"query":"{ __typename }"})", kGqlResponse);
    EXPECT_EQ(gql.result_int(), 200);
    EXPECT_EQ(gql[bhttp::field::content_type], "application/graphql-response+json; charset=utf-8");
    const auto json = post(R"({"query":"{ __typename }"})", "application/json");
    EXPECT_EQ(json.result_int(), 200);
    EXPECT_EQ(json[bhttp::field::content_type], "application/json; charset=utf-8");
    EXPECT_EQ(post(R"({"query":"{ __typename }"})", "*/*")[bhttp::field::content_type],
              "application/json; charset=utf-8");
    EXPECT_EQ(post(R"({"query":"{ __typename }"})")[bhttp::field::content_type], "application/json; charset=utf-8");
    EXPECT_EQ(post(R"({"query":"{ __typename }"})", "text/html").result_int(), 406);
}

TEST_F(GraphQLHttpTest, Utf8RequestsAndCharset) {
    const auto ok =
        post(R"({"query":"{ __type(name: \"Run🏃Swim🏊\") { name } }"})", {}, "application/json; charset=utf-8");
    EXPECT_EQ(ok.result_int(), 200);
    EXPECT_EQ(post(R"({"query":"{ __typename }"})", {}, "application/json; charset=latin1").result_int(), 415);
}

TEST_F(GraphQLHttpTest, ContentTypeRules) {
    EXPECT_EQ(post(R"({"query":"{ __typename }"})", {}, "").result_int(), 415);
    EXPECT_EQ(post(R"({"query":"{ __typename }"})", {}, "text/plain").result_int(), 415);
    EXPECT_EQ(post(R"({"query":"{ __typename }"})", {}, "application/x-www-form-urlencoded").result_int(), 415);
}

TEST_F(GraphQLHttpTest, MalformedRequestsAre400InBothMediaTypes) {
    for (std::string_view accept : {std::string_view{}, std::string_view{"application/json"}, kGqlResponse}) {
        EXPECT_EQ(post("", accept).result_int(), 400);
        EXPECT_EQ(post(R"({ "not a JSON)", accept).result_int(), 400);
        EXPECT_EQ(post("[1]", accept).result_int(), 400);
        EXPECT_EQ(post(R"({"notquery":"{ __typename }"})", accept).result_int(), 400);
        for (const char* bad : {R"({"obj":"ect"})", "0", "false", R"(["array"])"}) {
            EXPECT_EQ(post(std::string{R"({"query":)"} + bad + "}", accept).result_int(), 400) << bad;
            EXPECT_EQ(
                post(std::string{R"({"query":"{ __typename }","operationName":)"} + bad + "}", accept).result_int(),
                400)
                << bad;
        }
        for (const char* bad : {R"("string")", "0", "false", R"(["array"])"}) {
            EXPECT_EQ(post(std::string{R"({"query":"{ __typename }","variables":)"} + bad + "}", accept).result_int(),
                      400);
            EXPECT_EQ(post(std::string{R"({"query":"{ __typename }","extensions":)"} + bad + "}", accept).result_int(),
                      400);
        }
    }
    const auto r = post(R"({ "not a JSON)", kGqlResponse);
    EXPECT_FALSE(boost::json::parse(r.body()).as_object().contains("data"));
}

TEST_F(GraphQLHttpTest, WellFormedParametersAreAccepted) {
    for (std::string_view accept : {std::string_view{"application/json"}, kGqlResponse}) {
        for (const char* p : {"variables", "operationName", "extensions"}) {
            const auto r = post(std::string{R"({"query":"{ __typename }",")"} + p + R"(":null})", accept);
            EXPECT_EQ(r.result_int(), 200) << p;
            EXPECT_FALSE(has_errors(r));
        }
        const auto named = post(R"({"query":"query Query { __typename }","operationName":"Query"})", accept);
        EXPECT_EQ(named.result_int(), 200);
        EXPECT_FALSE(has_errors(named));
        const auto vars =
            post(R"({"query":"query Type($name: String!) { __type(name: $name) { name } }","variables":{"name":"x"}})",
                 accept);
        EXPECT_EQ(vars.result_int(), 200);
        EXPECT_FALSE(has_errors(vars));
        EXPECT_EQ(post(R"({"query":"{ __typename }","extensions":{"some":"value"}})", accept).result_int(), 200);
    }
}

TEST_F(GraphQLHttpTest, RequestErrorsStatusDependsOnMediaType) {
    const char* parse_error = R"({"query":"{"})";
    const char* validation_error = R"({"query":"{ 8f31403dfe404bccbb0e835f2629c6a7 }"})";
    const char* coercion_error = R"({"query":"query CoerceFailure($id: ID!){ __typename }","variables":{"id":null}})";
    for (const char* body : {parse_error, validation_error, coercion_error}) {
        const auto json = post(body, "application/json");
        EXPECT_EQ(json.result_int(), 200) << body;
        EXPECT_TRUE(has_errors(json));
        const auto gql = post(body, kGqlResponse);
        EXPECT_EQ(gql.result_int(), 400) << body;
        EXPECT_FALSE(boost::json::parse(gql.body()).as_object().contains("data"));
    }
}

TEST_F(GraphQLHttpTest, GetQueriesWithVariables) {
    const std::string target = "/graphql?query=" + enc("query Type($name: String!) { __type(name: $name) { name } }") +
                               "&variables=" + enc(R"({"name":"sometype"})");
    const auto gql = fetch(s_.port(), get(target, kGqlResponse));
    EXPECT_EQ(gql.result_int(), 200);
    EXPECT_FALSE(has_errors(gql));
    EXPECT_EQ(fetch(s_.port(), get(target, "application/json")).result_int(), 200);
    // Spaces encoded as '+' (application/x-www-form-urlencoded).
    const auto plus = fetch(s_.port(), get("/graphql?query=query+Q+%7B+plus+%7D", "application/json"));
    EXPECT_EQ(plus.result_int(), 200);
    EXPECT_EQ(plus.body(), R"({"data":{"plus":"Query"}})");
    EXPECT_EQ(fetch(s_.port(), get("/graphql?query=%7Bx%7D&variables=notjson", "application/json")).result_int(), 400);
}

TEST_F(GraphQLHttpTest, MutationOverGetIs405) {
    const auto r = fetch(s_.port(), get("/graphql?query=" + enc("mutation { __typename }"), kGqlResponse));
    EXPECT_EQ(r.result_int(), 405);
    EXPECT_EQ(r[bhttp::field::allow], "POST");
    EXPECT_EQ(s_.executor->executions.load(), 0);
    // The same mutation over POST runs.
    EXPECT_EQ(post(R"({"query":"mutation { __typename }"})").result_int(), 200);
}

TEST_F(GraphQLHttpTest, CsrfRefusesGetWithoutJsonAcceptOrCustomHeader) {
    const std::string target = "/graphql?query=" + enc("{ __typename }");
    EXPECT_EQ(fetch(s_.port(), get(target)).result_int(), 400);
    EXPECT_EQ(fetch(s_.port(), get(target, "*/*")).result_int(), 400);
    EXPECT_EQ(fetch(s_.port(), get(target, "text/html,*/*;q=0.8")).result_int(), 400);
    auto custom = get(target);
    custom.set("X-Requested-With", "XMLHttpRequest");
    EXPECT_EQ(fetch(s_.port(), custom).result_int(), 200);
    EXPECT_EQ(s_.executor->executions.load(), 1);
}

TEST_F(GraphQLHttpTest, OtherMethodsAre405) {
    bhttp::request<bhttp::string_body> put{bhttp::verb::put, "/graphql", 11};
    const auto r = fetch(s_.port(), put);
    EXPECT_EQ(r.result_int(), 405);
    EXPECT_EQ(r[bhttp::field::allow], "GET, POST");
}

TEST_F(GraphQLHttpTest, SubscriptionOverHttpIsARequestError) {
    EXPECT_EQ(post(R"({"query":"subscription { ticks }"})", kGqlResponse).result_int(), 400);
    const auto json = post(R"({"query":"subscription { ticks }"})", "application/json");
    EXPECT_EQ(json.result_int(), 200);
    EXPECT_TRUE(has_errors(json));
}

TEST_F(GraphQLHttpTest, LoginUsesTheStrictBucket) {
    int refused = 0;
    std::string retry_after;
    for (int i = 0; i < 8; ++i) {
        const auto r = post(R"({"query":"mutation { login(email: \"a\", password: \"b\") { token } }"})");
        if (r.result_int() == 429) {
            ++refused;
            retry_after = std::string{r["Retry-After"]};
            EXPECT_EQ(boost::json::parse(r.body()).at("errors").at(0).at("extensions").at("code").as_string(),
                      "RATE_LIMITED");
        }
    }
    EXPECT_EQ(refused, 3);  // burst of 5
    EXPECT_FALSE(retry_after.empty());
    // Ordinary operations from the same address are not affected.
    EXPECT_EQ(post(R"({"query":"{ __typename }"})").result_int(), 200);
}

}  // namespace
}  // namespace alatar::http::test
