#include "http/media_type.hpp"

#include <gtest/gtest.h>

namespace alatar::http {
namespace {

TEST(MediaType, ParsesTypeSubtypeAndParameters) {
    const auto m = parse_media_type("Application/JSON; Charset=\"UTF-8\"; q=0.5");
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->is("application", "json"));
    EXPECT_EQ(m->param("charset"), "UTF-8");
    EXPECT_EQ(m->param("q"), "0.5");
    EXPECT_FALSE(parse_media_type("json"));
    EXPECT_FALSE(parse_media_type("application/json; broken"));
}

TEST(Negotiation, MissingOrEmptyAcceptMeansApplicationJson) {
    EXPECT_EQ(negotiate_graphql_response(std::nullopt), GraphQLMediaType::kJson);
    EXPECT_EQ(negotiate_graphql_response(""), GraphQLMediaType::kJson);
}

TEST(Negotiation, ExplicitTypes) {
    EXPECT_EQ(negotiate_graphql_response("application/graphql-response+json"), GraphQLMediaType::kGraphQLResponseJson);
    EXPECT_EQ(negotiate_graphql_response("application/json"), GraphQLMediaType::kJson);
    EXPECT_EQ(negotiate_graphql_response("application/graphql-response+json, application/json"),
              GraphQLMediaType::kGraphQLResponseJson);
    EXPECT_EQ(negotiate_graphql_response("application/json, application/graphql-response+json;q=0.9"),
              GraphQLMediaType::kJson);
    EXPECT_EQ(negotiate_graphql_response("application/json;q=0.1, application/graphql-response+json;q=0.9"),
              GraphQLMediaType::kGraphQLResponseJson);
}

TEST(Negotiation, WildcardsPreferApplicationJsonForLegacyClients) {
    EXPECT_EQ(negotiate_graphql_response("*/*"), GraphQLMediaType::kJson);
    EXPECT_EQ(negotiate_graphql_response("application/*"), GraphQLMediaType::kJson);
    EXPECT_EQ(negotiate_graphql_response("text/html, */*;q=0.8"), GraphQLMediaType::kJson);
    EXPECT_EQ(negotiate_graphql_response("application/graphql-response+json, */*;q=0.1"),
              GraphQLMediaType::kGraphQLResponseJson);
}

TEST(Negotiation, NothingAcceptableIsNullopt) {
    EXPECT_EQ(negotiate_graphql_response("text/html"), std::nullopt);
    EXPECT_EQ(negotiate_graphql_response("application/json;q=0"), std::nullopt);
    EXPECT_EQ(negotiate_graphql_response("*/*;q=0, text/plain"), std::nullopt);
}

TEST(Negotiation, AcceptNamesJson) {
    EXPECT_TRUE(accept_names_json("application/json"));
    EXPECT_TRUE(accept_names_json("text/html, application/graphql-response+json"));
    EXPECT_FALSE(accept_names_json("*/*"));
    EXPECT_FALSE(accept_names_json("application/json;q=0"));
    EXPECT_FALSE(accept_names_json(std::nullopt));
}

}  // namespace
}  // namespace alatar::http
