#include "agents/json_schema.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace alatar::agents {
namespace {

std::vector<SchemaViolation> check(std::string_view schema, std::string_view value) {
    return validate_schema(parse_schema(schema), boost::json::parse(value));
}

TEST(JsonSchema, AcceptsConformingObject) {
    constexpr std::string_view kSchema = R"({"type": "object", "required": ["a"], "additionalProperties": false,
        "properties": {"a": {"type": "integer", "minimum": 1, "maximum": 3}, "b": {"type": ["string", "null"]}}})";
    EXPECT_TRUE(check(kSchema, R"({"a": 2, "b": null})").empty());
    EXPECT_TRUE(check(kSchema, R"({"a": 3.0, "b": "x"})").empty());
}

TEST(JsonSchema, ReportsEachViolationWithItsPath) {
    constexpr std::string_view kSchema = R"({"type": "object", "required": ["a", "c"], "additionalProperties": false,
        "properties": {"a": {"type": "integer", "minimum": 1}, "b": {"type": "array", "items": {"enum": ["x", "y"]}}}})";
    const auto v = check(kSchema, R"({"a": 0, "b": ["x", "z"], "d": true})");
    ASSERT_EQ(v.size(), 4U) << describe_violations(v);
    EXPECT_EQ(v[0].path, "/c");
    EXPECT_EQ(v[0].message, "missing required property");
    EXPECT_EQ(v[1].path, "/a");
    EXPECT_EQ(v[1].message, "must be >= 1");
    EXPECT_EQ(v[2].path, "/b/1");
    EXPECT_EQ(v[3].path, "/d");
    EXPECT_EQ(v[3].message, "unknown property");
}

TEST(JsonSchema, TypeMismatchStopsAtTheValue) {
    const auto v = check(R"({"type": "integer", "minimum": 5})", R"("7")");
    ASSERT_EQ(v.size(), 1U);
    EXPECT_EQ(v[0].message, "expected integer");
    EXPECT_EQ(check(R"({"type": "integer"})", "1.5").size(), 1U);
    EXPECT_EQ(check(R"({"type": ["integer", "null"]})", "true")[0].message, "expected integer or null");
}

TEST(JsonSchema, LengthsAndItemCounts) {
    EXPECT_EQ(check(R"({"type": "string", "minLength": 2, "maxLength": 3})", R"("a")").size(), 1U);
    EXPECT_EQ(check(R"({"type": "string", "minLength": 2, "maxLength": 3})", R"("abcd")").size(), 1U);
    EXPECT_TRUE(check(R"({"type": "string", "minLength": 2, "maxLength": 3})", R"("abc")").empty());
    EXPECT_EQ(check(R"({"type": "array", "maxItems": 1})", "[1, 2]").size(), 1U);
}

TEST(JsonSchema, AdditionalPropertiesAsSchemaAndFalseSchema) {
    EXPECT_EQ(check(R"({"type": "object", "additionalProperties": {"type": "number"}})", R"({"x": "no"})")[0].path,
              "/x");
    EXPECT_EQ(check("false", "1").size(), 1U);
    EXPECT_TRUE(check("true", "1").empty());
}

TEST(JsonSchema, PointerEscapesAndDescription) {
    const auto v = check(R"({"type": "object", "required": ["a/b~c"]})", "{}");
    ASSERT_EQ(v.size(), 1U);
    EXPECT_EQ(v[0].path, "/a~1b~0c");
    EXPECT_EQ(describe_violations(v), "/a~1b~0c: missing required property");
    EXPECT_THROW(parse_schema("{not json"), std::invalid_argument);
}

}  // namespace
}  // namespace alatar::agents
