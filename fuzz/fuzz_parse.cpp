// libFuzzer entry point: the GraphQL lexer and parser (and schema building for SDL inputs).
#include <cstddef>
#include <cstdint>

#include "graphql_fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    alatar::graphql::fuzz::run_parse(data, size);
    return 0;
}
