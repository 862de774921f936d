// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, NoFragmentCycles_NoCycles) {
    expect_valid(R"gql({ dog { ...A } }
fragment A on Dog { ...B ...B }
fragment B on Dog { name })gql");
}

TEST_F(ValidationTest, NoFragmentCycles_SelfReference) {
    expect_errors(R"gql({ dog { ...A } }
fragment A on Dog { ...A })gql",
                  {
                      {"Cannot spread fragment \"A\" within itself.", {{2, 21}}},
                  });
}

TEST_F(ValidationTest, NoFragmentCycles_LongCycle) {
    expect_errors(R"gql({ dog { ...A } }
fragment A on Dog { ...B }
fragment B on Dog { ...C }
fragment C on Dog { owner { ...D } }
fragment D on Human { pets { ... on Dog { ...A } } })gql",
                  {
                      {"Cannot spread fragment \"A\" within itself via \"B\", \"C\", \"D\".",
                       {{2, 21}, {3, 21}, {4, 29}, {5, 43}}},
                  });
}

TEST_F(ValidationTest, NoFragmentCycles_MultipleCycles) {
    expect_errors(R"gql({ dog { ...A } }
fragment A on Dog { ...B ...C }
fragment B on Dog { ...A }
fragment C on Dog { ...A ...C })gql",
                  {
                      {"Cannot spread fragment \"A\" within itself via \"B\".", {{2, 21}, {3, 21}}},
                      {"Cannot spread fragment \"A\" within itself via \"C\".", {{2, 26}, {4, 21}}},
                      {"Cannot spread fragment \"C\" within itself.", {{4, 26}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
