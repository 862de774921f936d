#pragma once
// The bodies of the GraphQL engine's fuzz targets, shared by the libFuzzer binaries
// (fuzz_parse.cpp, fuzz_execute.cpp) and the corpus replay test that `make test` runs
// (tests/graphql/fuzz_replay_test.cpp). Each returns normally for every input; a crash,
// sanitizer report or hang is the bug the fuzzer looks for.
#include <cstddef>
#include <cstdint>

namespace alatar::graphql::fuzz {

// How far an input got; the replay test checks that the seeds reach every stage.
enum class Stage : std::uint8_t { kSyntaxError, kInvalid, kExecuted };

// Parses the input as a GraphQL document; a document of type-system definitions is also built
// into a schema (schema building and schema validation).
Stage run_parse(const std::uint8_t* data, std::size_t size);  // kExecuted: parsed

// Splits the input at NUL bytes into: document, variables JSON, root value JSON; parses the
// document, validates it against a fixed schema (interfaces, unions, inputs, enums, custom
// scalars, @oneOf) and executes it synchronously when valid.
Stage run_execute(const std::uint8_t* data, std::size_t size);

}  // namespace alatar::graphql::fuzz
