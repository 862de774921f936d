// Hostile input: every document and variable set here is built to crash, hang or exhaust the
// stack of a naive engine. Each must come back as GraphQL errors (or a normal response). The
// time bounds only guard against hangs on a loaded machine under sanitizers; they make no
// performance claim (that is bench/graphql).
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <string>
#include <variant>

#include "graphql/execution.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema.hpp"
#include "graphql/validation.hpp"

namespace alatar::graphql {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

constexpr auto kHangGuard = std::chrono::seconds(30);

constexpr std::string_view kSdl = R"(
type Query {
  node: Node
  nodes: [Node]
  value(v: Int, list: [[Int]], filter: Filter, ids: [ID!], s: String): String
  json(v: JSON): JSON
}
type Node { id: ID name: String child: Node children: [Node] }
input Filter { name: String not: Filter and: [Filter!] }
scalar JSON
)";

const Schema& schema() {
    static const SchemaPtr built = [] {
        auto result = build_schema(std::string(kSdl));
        return std::get<SchemaPtr>(std::move(result));
    }();
    return *built;
}

std::string repeat(std::string_view part, std::size_t times) {
    std::string out;
    out.reserve(part.size() * times);
    for (std::size_t i = 0; i < times; ++i) out.append(part);
    return out;
}

// Parse; on success validate; on success execute. Returns the errors of the first stage that
// reported any (empty when execution succeeded without errors).
struct Outcome {
    std::string stage;  // "parse", "validate", "execute"
    std::vector<std::string> messages;
    Clock::duration elapsed{};
};

Outcome run(std::string text, json::object variables = {}, json::value root = json::object(),
            const ValidationOptions& validation = {}) {
    const auto start = Clock::now();
    Outcome outcome;
    auto parsed = parse(std::move(text));
    if (auto* error = std::get_if<GraphQLError>(&parsed)) {
        outcome.stage = "parse";
        outcome.messages.push_back(error->message);
    } else {
        const DocumentPtr document = std::get<DocumentPtr>(std::move(parsed));
        const Errors errors = validate(schema(), *document, validation);
        if (!errors.empty()) {
            outcome.stage = "validate";
            for (const GraphQLError& reported : errors) outcome.messages.push_back(reported.message);
        } else {
            outcome.stage = "execute";
            ExecutionRequest request;
            request.document = document;
            request.variables = std::move(variables);
            request.root_value = std::move(root);
            const json::object response = execute_sync(schema(), request);
            if (const json::value* errors_value = response.if_contains("errors")) {
                for (const json::value& reported : errors_value->as_array()) {
                    outcome.messages.emplace_back(reported.at("message").as_string());
                }
            }
        }
    }
    outcome.elapsed = Clock::now() - start;
    return outcome;
}

std::string first_message(const Outcome& outcome) {
    return outcome.messages.empty() ? std::string("(no errors)") : outcome.messages.front();
}

void expect_error(const Outcome& outcome, std::string_view stage, std::string_view fragment) {
    EXPECT_EQ(outcome.stage, stage);
    ASSERT_FALSE(outcome.messages.empty());
    EXPECT_NE(outcome.messages.front().find(fragment), std::string::npos) << outcome.messages.front();
    EXPECT_LT(outcome.elapsed, kHangGuard);
}

constexpr std::size_t kDeep = 100'000;

// ---- nesting ------------------------------------------------------------------------------

TEST(Hostile, DeeplyNestedSelectionSetsAreASyntaxError) {
    const auto outcome = run(repeat("{ node ", kDeep) + repeat("}", kDeep));
    expect_error(outcome, "parse", "levels of nesting");
}

TEST(Hostile, DeeplyNestedListValuesAreASyntaxError) {
    expect_error(run("{ value(list: " + repeat("[", kDeep) + repeat("]", kDeep) + ") }"), "parse", "levels of nesting");
}

TEST(Hostile, DeeplyNestedObjectValuesAreASyntaxError) {
    expect_error(run("{ value(filter: " + repeat("{not: ", kDeep) + "{}" + repeat("}", kDeep) + ") }"), "parse",
                 "levels of nesting");
}

TEST(Hostile, DeeplyNestedTypesAreASyntaxError) {
    expect_error(run("query($v: " + repeat("[", kDeep) + "Int" + repeat("]", kDeep) + ") { value }"), "parse",
                 "levels of nesting");
    expect_error(run("query($v: " + repeat("[", kDeep) + "Int" + repeat("!]", kDeep) + ") { value }"), "parse",
                 "levels of nesting");
}

TEST(Hostile, UnclosedNestingIsASyntaxError) {
    expect_error(run(repeat("{ node ", kDeep)), "parse", "Syntax Error");
    expect_error(run("{ value(list: " + repeat("[", kDeep)), "parse", "Syntax Error");
}

TEST(Hostile, NestingWithinTheLimitExecutes) {
    const auto outcome = run("{ node " + repeat("{ child ", 300) + "{ id }" + repeat("}", 301));
    EXPECT_EQ(outcome.stage, "execute") << first_message(outcome);
    EXPECT_TRUE(outcome.messages.empty());
}

// ---- size ---------------------------------------------------------------------------------

TEST(Hostile, TenMegabyteDocumentOfDistinctAliasesRuns) {
    std::string text = "{";
    for (std::size_t i = 0; text.size() < 10'000'000; ++i) text += " a" + std::to_string(i) + ": __typename";
    text += " }";
    const auto outcome = run(std::move(text));
    EXPECT_EQ(outcome.stage, "execute") << first_message(outcome);
    EXPECT_TRUE(outcome.messages.empty());
    EXPECT_LT(outcome.elapsed, kHangGuard);
}

TEST(Hostile, TenMegabyteStringAndCommentParse) {
    const auto outcome =
        run("# " + std::string(5'000'000, 'c') + "\n{ value(s: \"" + std::string(5'000'000, 's') + "\") }");
    EXPECT_EQ(outcome.stage, "execute") << first_message(outcome);
    EXPECT_TRUE(outcome.messages.empty());
    EXPECT_LT(outcome.elapsed, kHangGuard);
}

TEST(Hostile, TokenLimitStopsAHugeDocumentEarly) {
    auto parsed = parse("{" + repeat(" __typename", 1'000'000) + " }", ParseOptions{.max_tokens = 1000});
    ASSERT_TRUE(std::holds_alternative<GraphQLError>(parsed));
    EXPECT_NE(std::get<GraphQLError>(parsed).message.find("more than 1000 tokens"), std::string::npos);
}

TEST(Hostile, ManyUnknownFieldsStopAtTheErrorLimit) {
    std::string text = "{";
    for (int i = 0; i < 100'000; ++i) text += " f" + std::to_string(i);
    text += " }";
    const auto outcome = run(std::move(text));
    EXPECT_EQ(outcome.stage, "validate") << first_message(outcome);
    EXPECT_EQ(outcome.messages.size(), 101U);
    EXPECT_EQ(outcome.messages.back(), "Too many validation errors, error limit reached. Validation aborted.");
    EXPECT_LT(outcome.elapsed, kHangGuard);
}

// ---- invalid UTF-8 ------------------------------------------------------------------------

TEST(Hostile, InvalidUtf8IsASyntaxError) {
    for (const std::string& bad :
         {std::string("\xff"), std::string("\xc3"), std::string("\xe2\x82"), std::string("\xc0\xaf"),
          std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80")}) {
        SCOPED_TRACE(::testing::PrintToString(bad));
        expect_error(run("{ value(s: \"" + bad + "\") }"), "parse", "Syntax Error");
        expect_error(run("{ value(s: \"\"\"" + bad + "\"\"\") }"), "parse", "Syntax Error");
        expect_error(run("{ node { " + bad + " } }"), "parse", "Syntax Error");
        expect_error(run("{ node { id } } # " + bad + "\n"), "parse", "Syntax Error");
    }
}

TEST(Hostile, NulBytesAreASyntaxError) {
    expect_error(run(std::string("{ node { id \0 } }", 17)), "parse", "Syntax Error");
}

// ---- fragments ----------------------------------------------------------------------------

TEST(Hostile, DirectFragmentCycleIsAValidationError) {
    expect_error(run("{ ...A } fragment A on Query { ...A }"), "validate",
                 "Cannot spread fragment \"A\" within itself");
}

TEST(Hostile, IndirectFragmentCycleIsAValidationError) {
    expect_error(run("{ ...A } fragment A on Query { node { ...B } } fragment B on Node { child { ...C } } "
                     "fragment C on Node { ...B }"),
                 "validate", "Cannot spread fragment");
}

TEST(Hostile, LongFragmentCycleIsAValidationError) {
    std::string text = "{ node { ...F0 } }";
    constexpr int kFragments = 20'000;
    for (int i = 0; i < kFragments; ++i) {
        text += " fragment F" + std::to_string(i) + " on Node { ...F" + std::to_string((i + 1) % kFragments) + " }";
    }
    expect_error(run(std::move(text)), "validate", "Cannot spread fragment");
}

std::string fragment_chain(int fragments) {
    std::string text = "{ node { ...F0 } }";
    for (int i = 0; i < fragments; ++i) {
        text += " fragment F" + std::to_string(i) + " on Node { id ...F" + std::to_string(i + 1) + " }";
    }
    text += " fragment F" + std::to_string(fragments) + " on Node { name }";
    return text;
}

// graphql-js 17 spends at most 50,000 units of work expanding fragments and then answers
// "Validation aborted."; the engine does the same, which is what keeps these documents cheap.
TEST(Hostile, LongFragmentChainIsAbortedByValidation) {
    expect_error(run(fragment_chain(20'000)), "validate", "Validation aborted.");
}

TEST(Hostile, LongFragmentChainExecutesWithoutValidation) {
    auto parsed = parse(fragment_chain(20'000));
    ASSERT_TRUE(std::holds_alternative<DocumentPtr>(parsed));
    ExecutionRequest request;
    request.document = std::get<DocumentPtr>(parsed);
    request.root_value = json::parse(R"({"node": {"id": "1", "name": "n"}})");
    const auto start = Clock::now();
    const json::object response = execute_sync(schema(), request);
    EXPECT_LT(Clock::now() - start, kHangGuard);
    EXPECT_EQ(json::serialize(response), R"({"data":{"node":{"id":"1","name":"n"}}})");
}

TEST(Hostile, ShortFragmentChainRuns) {
    const auto outcome = run(fragment_chain(100), {}, json::parse(R"({"node": {"id": "1", "name": "n"}})"));
    EXPECT_EQ(outcome.stage, "execute") << first_message(outcome);
    EXPECT_TRUE(outcome.messages.empty());
}

TEST(Hostile, CyclicFragmentsDoNotHangTheExecutorWithoutValidation) {
    auto parsed = parse("{ ...A } fragment A on Query { node { id } ...B } fragment B on Query { ...A }");
    ASSERT_TRUE(std::holds_alternative<DocumentPtr>(parsed));
    ExecutionRequest request;
    request.document = std::get<DocumentPtr>(parsed);
    request.root_value = json::parse(R"({"node": {"id": "7"}})");
    const json::object response = execute_sync(schema(), request);
    EXPECT_EQ(json::serialize(response), R"({"data":{"node":{"id":"7"}}})");
}

// Each fragment spreads the next one twice: 2^30 field paths when expanded naively.
std::string fan_out_document(int levels) {
    std::string text = "{ node { ...F0 } }";
    for (int i = 0; i < levels; ++i) {
        const std::string next = "F" + std::to_string(i + 1);
        text += " fragment F" + std::to_string(i) + " on Node { id child { ..." + next + " } children { ..." + next +
                " } ..." + next + " }";
    }
    text += " fragment F" + std::to_string(levels) + " on Node { id name }";
    return text;
}

TEST(Hostile, FragmentFanOutValidatesQuickly) {
    const auto outcome = run(fan_out_document(30));
    EXPECT_EQ(outcome.stage, "execute") << first_message(outcome);
    EXPECT_LT(outcome.elapsed, kHangGuard);
}

TEST(Hostile, FragmentFanOutWithProtectiveLimitsIsRefusedQuickly) {
    ValidationOptions limits;
    limits.max_depth = 20;
    limits.max_aliases = 50;
    limits.max_directives = 50;
    limits.max_cost = 10'000;
    const auto outcome = run(fan_out_document(30), {}, json::object(), limits);
    EXPECT_EQ(outcome.stage, "validate") << first_message(outcome);
    EXPECT_FALSE(outcome.messages.empty());
    EXPECT_LT(outcome.elapsed, kHangGuard);
}

TEST(Hostile, SameFieldRepeatedManyTimesIsAbortedQuickly) {
    const auto outcome = run("{ node { " + repeat("id ", 20'000) + "} " + repeat("a: node { id } ", 5'000) + "}");
    expect_error(outcome, "validate", "Validation aborted.");
}

TEST(Hostile, ConflictingAliasBombIsAbortedQuickly) {
    std::string text = "{";
    for (int i = 0; i < 5'000; ++i) text += " a: value(v: " + std::to_string(i) + ")";
    text += " }";
    const auto outcome = run(std::move(text));
    EXPECT_EQ(outcome.stage, "validate");
    EXPECT_EQ(outcome.messages.back(), "Validation aborted.");
    EXPECT_LT(outcome.elapsed, kHangGuard);
}

TEST(Hostile, ConflictingAliasesAreReported) {
    const auto outcome = run("{ a: value(v: 1) a: value(v: 2) }");
    expect_error(outcome, "validate", "Fields \"a\" conflict because they have differing arguments.");
}

TEST(Hostile, AliasBombOverNestedFieldsIsAbortedQuickly) {
    // 1,000 aliases of a field each selecting 1,000 aliases: merging must not compare all pairs of pairs.
    const std::string inner = "{ " + repeat("x: id ", 1'000) + "}";
    const auto outcome = run("{ " + repeat("n: node " + inner + " ", 1'000) + "}");
    expect_error(outcome, "validate", "Validation aborted.");
}

// ---- variables of the wrong shape -----------------------------------------------------------

json::value nested_arrays(std::size_t depth) {
    json::value value = 1;
    for (std::size_t i = 0; i < depth; ++i) {
        json::array wrapper;
        wrapper.emplace_back(std::move(value));
        value = std::move(wrapper);
    }
    return value;
}

json::value nested_filters(std::size_t depth) {
    json::value value = json::object{{"name", "x"}};
    for (std::size_t i = 0; i < depth; ++i) {
        json::object wrapper;
        wrapper.emplace("not", std::move(value));
        value = std::move(wrapper);
    }
    return value;
}

TEST(Hostile, DeepJsonForAShallowListTypeIsAVariableError) {
    const auto outcome = run("query($l: [[Int]]) { value(list: $l) }", {{"l", nested_arrays(5'000)}});
    expect_error(outcome, "execute", "Variable \"$l\"");
}

TEST(Hostile, DeepJsonForARecursiveInputTypeIsCoercedOrRefused) {
    const auto outcome = run("query($f: Filter) { value(filter: $f) }", {{"f", nested_filters(5'000)}});
    EXPECT_EQ(outcome.stage, "execute") << first_message(outcome);
    EXPECT_LT(outcome.elapsed, kHangGuard);
    const auto wrong = run("query($f: Filter) { value(filter: $f) }", {{"f", nested_arrays(5'000)}});
    expect_error(wrong, "execute", "Variable \"$f\"");
}

TEST(Hostile, HugeArrayOfWrongItemsStopsAtTheVariableErrorLimit) {
    json::array ids;
    for (int i = 0; i < 1'000'000; ++i) ids.emplace_back(json::object{{"id", i}});
    const auto outcome = run("query($ids: [ID!]) { value(ids: $ids) }", {{"ids", std::move(ids)}});
    EXPECT_EQ(outcome.stage, "execute") << first_message(outcome);
    EXPECT_LE(outcome.messages.size(), 51U);
    EXPECT_GE(outcome.messages.size(), 2U);
    EXPECT_LT(outcome.elapsed, kHangGuard);
}

TEST(Hostile, HugeArrayOfValidItemsIsCoerced) {
    json::array ids;
    for (int i = 0; i < 1'000'000; ++i) ids.emplace_back(i);
    const auto outcome = run("query($ids: [ID!]) { value(ids: $ids) }", {{"ids", std::move(ids)}});
    EXPECT_EQ(outcome.stage, "execute") << first_message(outcome);
    EXPECT_TRUE(outcome.messages.empty());
    EXPECT_LT(outcome.elapsed, kHangGuard);
}

TEST(Hostile, ScalarVariablesOfTheWrongShapeAreErrors) {
    expect_error(run("query($v: Int) { value(v: $v) }", {{"v", json::object{{"a", 1}}}}), "execute",
                 "Int cannot represent non-integer value");
    expect_error(run("query($v: Int!) { value(v: $v) }", {{"v", nullptr}}), "execute", "not to be null");
    expect_error(run("query($v: Int) { value(v: $v) }", {{"v", 1e100}}), "execute", "Int cannot represent");
    expect_error(run("query($f: Filter) { value(filter: $f) }", {{"f", json::array{1, 2}}}), "execute",
                 "to be an object");
}

TEST(Hostile, DeepJsonThroughACustomScalarRoundTrips) {
    const auto outcome = run("query($v: JSON) { json(v: $v) }", {{"v", nested_arrays(5'000)}}, json::object{});
    EXPECT_EQ(outcome.stage, "execute") << first_message(outcome);
    EXPECT_LT(outcome.elapsed, kHangGuard);
}

TEST(Hostile, DeepRootValueIsCompletedOnlyAsDeepAsTheQuery) {
    json::value node = json::object{{"id", "leaf"}};
    for (int i = 0; i < 5'000; ++i) node = json::object{{"id", i}, {"child", std::move(node)}};
    const auto outcome = run("{ node { child { child { id } } } }", {}, json::object{{"node", std::move(node)}});
    EXPECT_EQ(outcome.stage, "execute") << first_message(outcome);
    EXPECT_TRUE(outcome.messages.empty());
}

}  // namespace
}  // namespace alatar::graphql
