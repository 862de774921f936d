// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, ValuesOfCorrectType_ValidLiterals) {
    expect_valid(
        R"gql({ arguments { intArgField(intArg: -2147483648) floatArgField(floatArg: 1) idArgField(idArg: 1) x: idArgField(idArg: "a") booleanListArgField(booleanListArg: [true, null]) y: booleanListArgField(booleanListArg: false) } color(c: GREEN) custom(arg: {any: [1, "x"]}) })gql");
}

TEST_F(ValidationTest, ValuesOfCorrectType_WrongScalars) {
    expect_errors(
        R"gql({ arguments { intArgField(intArg: 1.5) x: intArgField(intArg: 2147483648) floatArgField(floatArg: "1") idArgField(idArg: 1.0) stringArgField(stringArg: 1) booleanArgField(booleanArg: "true") } })gql",
        {
            {"Int cannot represent non-integer value: 1.5", {{1, 35}}},
            {"Int cannot represent non 32-bit signed integer value: 2147483648", {{1, 63}}},
            {"Float cannot represent non numeric value: \"1\"", {{1, 99}}},
            {"ID cannot represent a non-string and non-integer value: 1.0", {{1, 122}}},
            {"String cannot represent a non string value: 1", {{1, 153}}},
            {"Boolean cannot represent a non boolean value: \"true\"", {{1, 184}}},
        });
}

TEST_F(ValidationTest, ValuesOfCorrectType_NullsAndNonNull) {
    expect_errors(
        R"gql({ arguments { nonNullBooleanArgField(nonNullBooleanArg: null) booleanListArgField(booleanListArg: [1, null, "x"]) } booleanList(booleanListArg: [true, null]) })gql",
        {
            {"Expected value of non-null type \"Boolean!\" not to be null.", {{1, 57}}},
            {"Boolean cannot represent a non boolean value: 1", {{1, 100}}},
            {"Boolean cannot represent a non boolean value: \"x\"", {{1, 109}}},
            {"Expected value of non-null type \"Boolean!\" not to be null.", {{1, 152}}},
        });
}

TEST_F(ValidationTest, ValuesOfCorrectType_EnumValues) {
    expect_errors(
        R"gql({ color(c: "RED") x: color(c: REDD) y: color(c: 1) dog { doesKnowCommand(dogCommand: sit) } })gql",
        {
            {"Enum \"Color\" cannot represent non-enum value: \"RED\". Did you mean the enum value \"RED\" or "
             "\"GREEN\"?",
             {{1, 12}}},
            {"Value \"REDD\" does not exist in \"Color\" enum. Did you mean the enum value \"RED\"?", {{1, 31}}},
            {"Enum \"Color\" cannot represent non-enum value: 1.", {{1, 49}}},
            {"Value \"sit\" does not exist in \"DogCommand\" enum. Did you mean the enum value \"SIT\"?", {{1, 86}}},
        });
}

TEST_F(ValidationTest, ValuesOfCorrectType_InputObjects) {
    expect_errors(
        R"gql({ withRequired(input: {opt: "x"}) a: withRequired(input: {req: 1, nested: {opt: 1}}) b: withRequired(input: {req: 1, rq: 2, unknownField: 3}) c: withRequired(input: 5) findDog(complex: {name: "x", owner: "y"}) { name } })gql",
        {
            {"Expected value of type \"RequiredInput\" to include required field \"req\", found: { opt: \"x\" }.",
             {{1, 23}}},
            {"Expected value of type \"RequiredInput\" to include required field \"req\", found: { opt: 1 }.",
             {{1, 75}}},
            {"String cannot represent a non string value: 1", {{1, 81}}},
            {"Expected value of type \"RequiredInput\" not to include unknown field \"rq\". Did you mean \"req\"? "
             "Found: { req: 1, rq: 2, unknownField: 3 }.",
             {{1, 118}}},
            {"Expected value of type \"RequiredInput\" not to include unknown field \"unknownField\", found: { req: 1, "
             "rq: 2, unknownField: 3 }.",
             {{1, 125}}},
            {"Expected value of type \"RequiredInput\" to be an object, found: 5.", {{1, 166}}},
        });
}

TEST_F(ValidationTest, ValuesOfCorrectType_OneOf) {
    expect_errors(
        R"gql({ oneOf(input: {a: "x"}) a: oneOf(input: {a: "x", b: 1}) b: oneOf(input: {}) c: oneOf(input: {a: null}) d: oneOf(input: {c: 1}) })gql",
        {
            {"Within OneOf Input Object type \"OneOfInput\", exactly one field must be specified, and the value for "
             "that field must be non-null.",
             {{1, 42}}},
            {"Within OneOf Input Object type \"OneOfInput\", exactly one field must be specified, and the value for "
             "that field must be non-null.",
             {{1, 74}}},
            {"Within OneOf Input Object type \"OneOfInput\", exactly one field must be specified, and the value for "
             "that field must be non-null.",
             {{1, 94}}},
            {"Expected value of type \"OneOfInput\" not to include unknown field \"c\". Did you mean \"a\" or \"b\"? "
             "Found: { c: 1 }.",
             {{1, 122}}},
            {"Within OneOf Input Object type \"OneOfInput\", exactly one field must be specified, and the value for "
             "that field must be non-null.",
             {{1, 121}}},
        });
}

TEST_F(ValidationTest, ValuesOfCorrectType_VariableDefaults) {
    expect_errors(
        R"gql(query Q($a: Int = "one", $b: ComplexInput = {name: 1}, $c: [Int] = [1, 2.5], $d: Int! = null) { arguments { intArgField(intArg: $a) x: intArgField(intArg: $d) y: intArgField(intArg: 1) } findDog(complex: $b) { name } z: booleanList(booleanListArg: $c) })gql",
        {
            {"Int cannot represent non-integer value: \"one\"", {{1, 19}}},
            {"String cannot represent a non string value: 1", {{1, 52}}},
            {"Int cannot represent non-integer value: 2.5", {{1, 72}}},
            {"Expected value of non-null type \"Int!\" not to be null.", {{1, 89}}},
            {"Variable \"$c\" of type \"[Int]\" used in position expecting type \"[Boolean!]\".", {{1, 56}, {1, 249}}},
        });
}

}  // namespace
}  // namespace alatar::graphql
