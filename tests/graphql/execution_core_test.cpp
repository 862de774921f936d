// Executor behaviour (https://spec.graphql.org/October2021/#sec-Execution) with graphql-js 17's
// messages: null propagation, lists, errors with path and locations, variables, directives,
// fragments, abstract types, async resolvers and serial mutations.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <vector>

#include "graphql/execution.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema.hpp"

namespace alatar::graphql {
namespace {

namespace json = boost::json;

constexpr const char* kSchema = R"(
  type Query {
    hello: String
    count: Int
    nonNull: String!
    nested: Nested
    nestedNonNull: Nested!
    list: [Int]
    listOfNonNull: [Int!]
    items: [Item]
    pet(id: ID): Pet
    search: [SearchResult]
    echo(arg: Int!, color: Color): String
    colors: [Color]
    slow: String
    slowNonNull: String!
  }
  type Mutation { first: String, second: String }
  type Nested { value: String, required: String!, deeper: Nested }
  type Item { id: ID, name: String }
  enum Color { RED GREEN BLUE }
  interface Pet { name: String }
  type Dog implements Pet { name: String, barks: Boolean }
  type Cat implements Pet { name: String, meows: Boolean }
  union SearchResult = Dog | Cat
)";

SchemaPtr make_schema() {
    auto built = build_schema(kSchema);
    if (auto* errors = std::get_if<Errors>(&built)) {
        ADD_FAILURE() << "schema does not build: " << (errors->empty() ? "" : errors->front().message);
        return nullptr;
    }
    return std::get<SchemaPtr>(built);
}

DocumentPtr must_parse(const std::string& text) {
    auto parsed = parse(text);
    if (auto* error = std::get_if<GraphQLError>(&parsed)) {
        ADD_FAILURE() << "parse failed: " << error->message;
        return nullptr;
    }
    return std::get<DocumentPtr>(parsed);
}

std::string run(const Schema& schema, const std::string& query, const std::string& root = "{}",
                const std::string& variables = "{}", ExecutionContext* context = nullptr) {
    ExecutionRequest request;
    request.document = must_parse(query);
    request.root_value = json::parse(root);
    request.variables = json::parse(variables).as_object();
    request.context = context;
    return json::serialize(execute_sync(schema, request));
}

class ExecutionTest : public ::testing::Test {
  protected:
    void SetUp() override {
        schema_ = make_schema();
        ASSERT_NE(schema_, nullptr);
    }
    SchemaPtr schema_;
};

TEST_F(ExecutionTest, DefaultResolverReadsRootPropertiesInSelectionOrder) {
    EXPECT_EQ(run(*schema_, "{ count hello }", R"({"hello":"world","count":3})"),
              R"({"data":{"count":3,"hello":"world"}})");
}

TEST_F(ExecutionTest, MissingPropertyIsNull) { EXPECT_EQ(run(*schema_, "{ hello }"), R"({"data":{"hello":null}})"); }

TEST_F(ExecutionTest, AliasesAndTypename) {
    EXPECT_EQ(run(*schema_, "{ a: hello b: hello __typename }", R"({"hello":"x"})"),
              R"({"data":{"a":"x","b":"x","__typename":"Query"}})");
}

TEST_F(ExecutionTest, NonNullFieldNullPropagatesToNearestNullableParent) {
    EXPECT_EQ(run(*schema_, "{ nested { value required } hello }", R"({"nested":{"value":"v"},"hello":"h"})"),
              R"({"errors":[{"message":"Cannot return null for non-nullable field Nested.required.",)"
              R"("locations":[{"line":1,"column":18}],"path":["nested","required"]}],)"
              R"("data":{"nested":null,"hello":"h"}})");
}

TEST_F(ExecutionTest, NonNullRootFieldNullsData) {
    EXPECT_EQ(run(*schema_, "{ hello nonNull }", R"({"hello":"h"})"),
              R"({"errors":[{"message":"Cannot return null for non-nullable field Query.nonNull.",)"
              R"("locations":[{"line":1,"column":9}],"path":["nonNull"]}],"data":null})");
}

TEST_F(ExecutionTest, PropagationThroughTwoNonNullLevels) {
    EXPECT_EQ(run(*schema_, "{ nested { deeper { required } } nestedNonNull { required } }",
                  R"({"nested":{"deeper":{}},"nestedNonNull":{}})"),
              R"({"errors":[{"message":"Cannot return null for non-nullable field Nested.required.",)"
              R"("locations":[{"line":1,"column":21}],"path":["nested","deeper","required"]},)"
              R"({"message":"Cannot return null for non-nullable field Nested.required.",)"
              R"("locations":[{"line":1,"column":50}],"path":["nestedNonNull","required"]}],"data":null})");
}

TEST_F(ExecutionTest, ListItemsNullableAndNonNull) {
    EXPECT_EQ(run(*schema_, "{ list listOfNonNull }", R"({"list":[1,null,3],"listOfNonNull":[1,null]})"),
              R"({"errors":[{"message":"Cannot return null for non-nullable field Query.listOfNonNull.",)"
              R"("locations":[{"line":1,"column":8}],"path":["listOfNonNull",1]}],)"
              R"("data":{"list":[1,null,3],"listOfNonNull":null}})");
}

TEST_F(ExecutionTest, NonListValueForListField) {
    EXPECT_EQ(run(*schema_, "{ list }", R"({"list":5})"),
              R"({"errors":[{"message":"Expected Iterable, but did not find one for field \"Query.list\".",)"
              R"("locations":[{"line":1,"column":3}],"path":["list"]}],"data":{"list":null}})");
}

TEST_F(ExecutionTest, ListOfObjects) {
    EXPECT_EQ(run(*schema_, "{ items { id name } }", R"({"items":[{"id":"1","name":"a"},{"id":2}]})"),
              R"({"data":{"items":[{"id":"1","name":"a"},{"id":"2","name":null}]}})");
}

TEST_F(ExecutionTest, EnumOutputMustBeAValue) {
    EXPECT_EQ(run(*schema_, "{ colors }", R"({"colors":["RED","PURPLE"]})"),
              R"({"errors":[{"message":"Enum \"Color\" cannot represent value: \"PURPLE\"",)"
              R"("locations":[{"line":1,"column":3}],"path":["colors",1]}],"data":{"colors":["RED",null]}})");
}

TEST_F(ExecutionTest, ScalarSerializationError) {
    const std::string out = run(*schema_, "{ count }", R"({"count":1.5})");
    EXPECT_NE(out.find("Int cannot represent non-integer value: 1.5"), std::string::npos) << out;
    EXPECT_NE(out.find(R"("data":{"count":null})"), std::string::npos) << out;
}

TEST_F(ExecutionTest, SkipAndIncludeWithVariables) {
    EXPECT_EQ(run(*schema_, "query($s: Boolean!, $i: Boolean!) { a: hello @skip(if: $s) b: hello @include(if: $i) }",
                  R"({"hello":"x"})", R"({"s":true,"i":true})"),
              R"({"data":{"b":"x"}})");
}

TEST_F(ExecutionTest, FragmentsMergeFields) {
    EXPECT_EQ(run(*schema_, "{ nested { ...F value } } fragment F on Nested { value deeper { value } }",
                  R"({"nested":{"value":"v","deeper":{"value":"d"}}})"),
              R"({"data":{"nested":{"value":"v","deeper":{"value":"d"}}}})");
}

TEST_F(ExecutionTest, AbstractTypeFromTypename) {
    EXPECT_EQ(run(*schema_, "{ search { __typename ... on Dog { barks } ... on Cat { meows } } }",
                  R"({"search":[{"__typename":"Dog","barks":true},{"__typename":"Cat","meows":false}]})"),
              R"({"data":{"search":[{"__typename":"Dog","barks":true},{"__typename":"Cat","meows":false}]}})");
}

TEST_F(ExecutionTest, AbstractTypeWithoutTypename) {
    const std::string out = run(*schema_, "{ pet { name } }", R"({"pet":{"name":"x"}})");
    EXPECT_NE(
        out.find("Abstract type \\\"Pet\\\" must resolve to an Object type at runtime for field \\\"Query.pet\\\"."),
        std::string::npos)
        << out;
    EXPECT_NE(out.find(R"("data":{"pet":null})"), std::string::npos) << out;
}

TEST_F(ExecutionTest, AbstractTypeResolvedToUnknownType) {
    const std::string out = run(*schema_, "{ pet { name } }", R"({"pet":{"__typename":"Bird"}})");
    EXPECT_NE(out.find(R"(was resolved to a type \"Bird\" that does not exist inside the schema.)"), std::string::npos)
        << out;
}

TEST_F(ExecutionTest, VariableErrorsPreventExecution) {
    EXPECT_EQ(
        run(*schema_, "query($a: Int!) { echo(arg: $a) }", "{}", "{}"),
        R"({"errors":[{"message":"Variable \"$a\" has invalid value: Expected a value of non-null type \"Int!\" to be provided.",)"
        R"("locations":[{"line":1,"column":7}]}]})");
}

TEST_F(ExecutionTest, VariableOfWrongType) {
    const std::string out = run(*schema_, "query($a: Int!) { echo(arg: $a) }", "{}", R"({"a":"abc"})");
    EXPECT_EQ(
        out,
        R"({"errors":[{"message":"Variable \"$a\" has invalid value: Int cannot represent non-integer value: \"abc\"",)"
        R"("locations":[{"line":1,"column":7}]}]})");
}

TEST_F(ExecutionTest, UnknownOperationName) {
    ExecutionRequest request;
    request.document = must_parse("query A { hello } query B { hello }");
    request.operation_name = "C";
    EXPECT_EQ(json::serialize(execute_sync(*schema_, request)),
              R"({"errors":[{"message":"Unknown operation named \"C\"."}]})");
    request.operation_name.reset();
    EXPECT_EQ(json::serialize(execute_sync(*schema_, request)),
              R"({"errors":[{"message":"Must provide operation name if query contains multiple operations."}]})");
}

TEST_F(ExecutionTest, SyncResolverSeesArgumentsAndErrorsBecomeFieldErrors) {
    schema_->set_resolver("Query", "echo",
                          FieldResolver{[](const ResolveInfo& info) -> json::value {
                                            const auto arg = info.args.at("arg").as_int64();
                                            if (arg < 0) throw FieldError("negative", {{"code", "BAD_USER_INPUT"}});
                                            return json::string("arg=" + std::to_string(arg));
                                        },
                                        {}});
    EXPECT_EQ(run(*schema_, "{ a: echo(arg: 4) b: echo(arg: -1) }"),
              R"({"errors":[{"message":"negative","locations":[{"line":1,"column":19}],"path":["b"],)"
              R"("extensions":{"code":"BAD_USER_INPUT"}}],"data":{"a":"arg=4","b":null}})");
}

boost::asio::awaitable<json::value> after_delay(std::string value, int milliseconds) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    timer.expires_after(std::chrono::milliseconds(milliseconds));
    co_await timer.async_wait(boost::asio::use_awaitable);
    co_return json::string(value);
}

TEST_F(ExecutionTest, AsyncResolversAreAwaited) {
    schema_->set_resolver("Query", "slow",
                          FieldResolver{{}, [](const ResolveInfo&) { return after_delay("late", 5); }});
    EXPECT_EQ(run(*schema_, "{ hello slow items { id } }", R"({"hello":"h","items":[{"id":1}]})"),
              R"({"data":{"hello":"h","slow":"late","items":[{"id":"1"}]}})");
}

TEST_F(ExecutionTest, AsyncNonNullNullPropagatesAfterTheSyncPass) {
    schema_->set_resolver(
        "Query", "slowNonNull",
        FieldResolver{{}, [](const ResolveInfo&) -> boost::asio::awaitable<json::value> { co_return nullptr; }});
    EXPECT_EQ(run(*schema_, "{ hello slowNonNull }", R"({"hello":"h"})"),
              R"({"errors":[{"message":"Cannot return null for non-nullable field Query.slowNonNull.",)"
              R"("locations":[{"line":1,"column":9}],"path":["slowNonNull"]}],"data":null})");
}

TEST_F(ExecutionTest, AsyncResolverInsideNulledSubtreeIsDropped) {
    schema_->set_resolver("Nested", "value",
                          FieldResolver{{}, [](const ResolveInfo&) -> boost::asio::awaitable<json::value> {
                                            ADD_FAILURE() << "resolver in a nulled subtree ran";
                                            co_return json::string("never");
                                        }});
    EXPECT_EQ(run(*schema_, "{ nested { value required } }", R"({"nested":{}})"),
              R"({"errors":[{"message":"Cannot return null for non-nullable field Nested.required.",)"
              R"("locations":[{"line":1,"column":18}],"path":["nested","required"]}],"data":{"nested":null}})");
}

TEST_F(ExecutionTest, MutationRootFieldsRunSerially) {
    std::vector<std::string> order;
    schema_->set_resolver("Mutation", "first",
                          FieldResolver{{}, [&order](const ResolveInfo&) -> boost::asio::awaitable<json::value> {
                                            order.push_back("first:start");
                                            co_await after_delay("", 20);
                                            order.push_back("first:end");
                                            co_return json::string("1");
                                        }});
    schema_->set_resolver("Mutation", "second",
                          FieldResolver{{}, [&order](const ResolveInfo&) -> boost::asio::awaitable<json::value> {
                                            order.push_back("second:start");
                                            co_return json::string("2");
                                        }});
    EXPECT_EQ(run(*schema_, "mutation { first second }"), R"({"data":{"first":"1","second":"2"}})");
    EXPECT_EQ(order, (std::vector<std::string>{"first:start", "first:end", "second:start"}));
}

TEST_F(ExecutionTest, ExecuteAsCoroutineOnAnEventLoop) {
    schema_->set_resolver("Query", "slow",
                          FieldResolver{{}, [](const ResolveInfo&) { return after_delay("late", 1); }});
    ExecutionRequest request;
    request.document = must_parse("{ slow }");
    boost::asio::io_context io;
    std::string out;
    boost::asio::co_spawn(io, execute(*schema_, request),
                          [&](std::exception_ptr, json::object response) { out = json::serialize(response); });
    io.run();
    EXPECT_EQ(out, R"({"data":{"slow":"late"}})");
}

TEST_F(ExecutionTest, TypeIntrospectionMetaField) {
    EXPECT_EQ(
        run(*schema_, R"({ __type(name: "Color") { kind name enumValues { name } } })"),
        R"({"data":{"__type":{"kind":"ENUM","name":"Color","enumValues":[{"name":"RED"},{"name":"GREEN"},{"name":"BLUE"}]}}})");
}

}  // namespace
}  // namespace alatar::graphql
