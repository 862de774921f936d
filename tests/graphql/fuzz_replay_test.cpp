// Every input in the fuzz corpora (seeds and the inputs that once crashed or hung a target)
// goes through the same code the libFuzzer binaries run, under this build's sanitizers.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "graphql_fuzz_targets.hpp"

namespace alatar::graphql::fuzz {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> corpus_files(const std::string& target) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(fs::path(ALATAR_FUZZ_CORPUS_DIR) / target)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

using Target = Stage (*)(const std::uint8_t*, std::size_t);

std::map<Stage, std::size_t> replay(const std::string& target, Target run) {
    std::map<Stage, std::size_t> stages;
    for (const fs::path& file : corpus_files(target)) {
        SCOPED_TRACE(file.string());
        const std::string bytes = read_bytes(file);
        ++stages[run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size())];
    }
    return stages;
}

TEST(FuzzReplay, ParseCorpusRunsCleanAndCoversBothOutcomes) {
    const auto stages = replay("parse", &run_parse);
    EXPECT_GT(stages.count(Stage::kSyntaxError) ? stages.at(Stage::kSyntaxError) : 0, 50U);
    EXPECT_GT(stages.count(Stage::kExecuted) ? stages.at(Stage::kExecuted) : 0, 200U);
}

TEST(FuzzReplay, ExecuteCorpusRunsCleanAndReachesExecution) {
    const auto stages = replay("execute", &run_execute);
    EXPECT_GT(stages.count(Stage::kInvalid) ? stages.at(Stage::kInvalid) : 0, 10U);
    EXPECT_GE(stages.count(Stage::kExecuted) ? stages.at(Stage::kExecuted) : 0, 18U);
}

TEST(FuzzReplay, ExecuteInputWithoutSeparatorsIsOnlyADocument) {
    const std::string input = "{ __typename }";
    EXPECT_EQ(run_execute(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()), Stage::kExecuted);
    const std::string invalid = std::string("{ nope }\0{}\0{}", 14);
    EXPECT_EQ(run_execute(reinterpret_cast<const std::uint8_t*>(invalid.data()), invalid.size()), Stage::kInvalid);
    const std::string broken = "{ user ";
    EXPECT_EQ(run_execute(reinterpret_cast<const std::uint8_t*>(broken.data()), broken.size()), Stage::kSyntaxError);
}

}  // namespace
}  // namespace alatar::graphql::fuzz
