// libFuzzer entry point: parse, validate and execute against a fixed schema.
#include <cstddef>
#include <cstdint>

#include "graphql_fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    alatar::graphql::fuzz::run_execute(data, size);
    return 0;
}
