#pragma once
// Shared fixture of the validation tests: the spec's dog/cat/pet schema (section 5) extended
// with inputs, @oneOf, a custom scalar and @defer/@stream, built once; helpers asserting the
// exact messages and locations graphql-js reports.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "graphql/parser.hpp"
#include "graphql/schema.hpp"
#include "graphql/validation.hpp"

namespace alatar::graphql {

inline constexpr const char* kPetsSchema = R"gql(schema { query: Query mutation: Mutation subscription: Subscription }
directive @defer(if: Boolean! = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @stream(if: Boolean! = true, label: String, initialCount: Int = 0) on FIELD
directive @onQuery on QUERY
directive @onField on FIELD
directive @rep repeatable on FIELD
directive @withArg(req: Int!, opt: String) on FIELD
type Query {
  dog: Dog
  dogs(first: Int, last: Int): [Dog]
  pets: [Pet]
  human(id: ID!): Human
  catOrDog: CatOrDog
  dogOrHuman: DogOrHuman
  humanOrAlien: HumanOrAlien
  sentient: Sentient
  findDog(complex: ComplexInput): Dog
  booleanList(booleanListArg: [Boolean!]): Boolean
  arguments: Arguments
  withRequired(input: RequiredInput): Boolean
  oneOf(input: OneOfInput): Boolean
  custom(arg: Custom): Boolean
  color(c: Color = RED): Color
}
scalar Custom
enum Color { RED GREEN BLUE }
enum DogCommand { SIT, DOWN, HEEL }
type Dog implements Pet {
  name: String!
  nickname: String
  barkVolume: Int
  doesKnowCommand(dogCommand: DogCommand!): Boolean!
  isHouseTrained(atOtherHomes: Boolean): Boolean!
  owner: Human
  friends: [Dog!]
}
interface Sentient { name: String! }
interface Pet { name: String! }
type Alien implements Sentient { name: String! homePlanet: String }
type Human implements Sentient { name: String! pets: [Pet!] relatives(first: Int): [Human] }
enum CatCommand { JUMP }
type Cat implements Pet { name: String! nickname: String doesKnowCommand(catCommand: CatCommand!): Boolean! meowVolume: Int }
union CatOrDog = Cat | Dog
union DogOrHuman = Dog | Human
union HumanOrAlien = Human | Alien
input ComplexInput { name: String owner: String }
input RequiredInput { req: Int! opt: String withDefault: Int! = 3 nested: RequiredInput }
input OneOfInput @oneOf { a: String b: Int }
type Arguments {
  multipleRequirements(x: Int!, y: Int!): Int!
  booleanArgField(booleanArg: Boolean): Boolean
  floatArgField(floatArg: Float): Float
  intArgField(intArg: Int): Int
  idArgField(idArg: ID): ID
  stringArgField(stringArg: String): String
  nonNullBooleanArgField(nonNullBooleanArg: Boolean!): Boolean!
  booleanListArgField(booleanListArg: [Boolean]!): [Boolean]
  optionalNonNullBooleanArgField(optionalBooleanArg: Boolean! = false): Boolean!
  nonNullIntArgField(nonNullIntArg: Int!): Int
}
type Mutation { addPet(name: String!): Pet }
type Subscription { newDog: Dog newCat: Cat }
)gql";

struct ExpectedError {
    std::string message;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> locations;  // (line, column)
};

class ValidationTest : public ::testing::Test {
  protected:
    static const Schema& pets_schema() {
        static const SchemaPtr schema = [] {
            auto built = build_schema(kPetsSchema);
            if (auto* errors = std::get_if<Errors>(&built)) {
                ADD_FAILURE() << "schema: " << (errors->empty() ? "" : errors->front().message);
                return SchemaPtr{};
            }
            return std::get<SchemaPtr>(built);
        }();
        return *schema;
    }

    static DocumentPtr parse_ok(const std::string& query) {
        auto parsed = parse(query);
        if (auto* error = std::get_if<GraphQLError>(&parsed)) {
            ADD_FAILURE() << "parse: " << error->message;
            return nullptr;
        }
        return std::get<DocumentPtr>(parsed);
    }

    static Errors run(const std::string& query, const ValidationOptions& options = {}, const Schema* schema = nullptr) {
        const DocumentPtr document = parse_ok(query);
        if (!document) {
            return {};
        }
        return validate(schema != nullptr ? *schema : pets_schema(), *document, options);
    }

    static std::string describe(const Errors& errors) {
        std::string out;
        for (const auto& error : errors) {
            out += "  " + error.message + " @";
            for (const auto& location : error.locations) {
                out += " " + std::to_string(location.line) + ":" + std::to_string(location.column);
            }
            out += "\n";
        }
        return out;
    }

    static void expect_errors(const std::string& query, const std::vector<ExpectedError>& expected,
                              const ValidationOptions& options = {}) {
        const Errors errors = run(query, options);
        ASSERT_EQ(errors.size(), expected.size()) << describe(errors);
        for (std::size_t i = 0; i < expected.size(); ++i) {
            EXPECT_EQ(errors[i].message, expected[i].message) << "error " << i;
            std::vector<std::pair<std::uint32_t, std::uint32_t>> locations;
            for (const auto& location : errors[i].locations) {
                locations.emplace_back(location.line, location.column);
            }
            EXPECT_EQ(locations, expected[i].locations) << "error " << i << ": " << expected[i].message;
        }
    }

    static void expect_valid(const std::string& query, const ValidationOptions& options = {}) {
        const Errors errors = run(query, options);
        EXPECT_TRUE(errors.empty()) << describe(errors);
    }
};

}  // namespace alatar::graphql
