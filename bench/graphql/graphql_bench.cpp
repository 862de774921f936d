// The engine's side of the GraphQL benchmark (issue 3): the documents graphqljs_bench.mjs times,
// run the way `alatar graphql exec` runs them (default property resolver, __typename type
// resolution). Goal: at least 10x graphql-js's throughput on each case, one core.
#include <benchmark/benchmark.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <variant>

#include "graphql/execution.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema.hpp"
#include "graphql/validation.hpp"

namespace {

using namespace alatar::graphql;

std::string read_data(const std::string& name) {
    std::ifstream in(std::string(ALATAR_GRAPHQL_BENCH_DATA) + "/" + name, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read bench data " + name);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

SchemaPtr schema_from(const std::string& name) {
    auto built = build_schema(read_data(name));
    if (auto* errors = std::get_if<Errors>(&built)) throw std::runtime_error(name + ": " + errors->front().message);
    return std::get<SchemaPtr>(std::move(built));
}

DocumentPtr document_from(const std::string& name) {
    auto parsed = parse(read_data(name));
    if (auto* error = std::get_if<GraphQLError>(&parsed)) throw std::runtime_error(name + ": " + error->message);
    return std::get<DocumentPtr>(std::move(parsed));
}

// Fails the benchmark when the execution reported errors: the timing would mean nothing.
bool has_errors(const boost::json::object& response) { return response.contains("errors"); }

void parse_kitchen_sink(benchmark::State& state) {
    const std::string text = read_data("kitchen-sink.graphql");
    for (auto _ : state) {
        auto parsed = parse(text);
        if (parsed.index() != 0) state.SkipWithError("kitchen sink does not parse");
        benchmark::DoNotOptimize(parsed);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(parse_kitchen_sink);

void validate_realistic_query(benchmark::State& state) {
    const SchemaPtr schema = schema_from("api.graphql");
    const DocumentPtr document = document_from("realistic-query.graphql");
    for (auto _ : state) {
        Errors errors = validate(*schema, *document);
        if (!errors.empty()) state.SkipWithError(errors.front().message.c_str());
        benchmark::DoNotOptimize(errors);
    }
}
BENCHMARK(validate_realistic_query);

void execute_introspection(benchmark::State& state) {
    const SchemaPtr schema = schema_from("api.graphql");
    ExecutionRequest request;
    request.document = document_from("introspection-query.graphql");
    for (auto _ : state) {
        boost::json::object response = execute_sync(*schema, request);
        if (has_errors(response)) state.SkipWithError("introspection failed");
        benchmark::DoNotOptimize(response);
    }
}
BENCHMARK(execute_introspection);

void execute_list_1000x10(benchmark::State& state) {
    const SchemaPtr schema = schema_from("list-schema.graphql");
    ExecutionRequest request;
    request.document = document_from("list-query.graphql");
    request.root_value = boost::json::parse(read_data("list-root.json"));
    for (auto _ : state) {
        boost::json::object response = execute_sync(*schema, request);
        if (has_errors(response) || response.at("data").at("products").as_array().size() != 1000) {
            state.SkipWithError("list execution failed");
        }
        benchmark::DoNotOptimize(response);
    }
}
BENCHMARK(execute_list_1000x10);

}  // namespace

BENCHMARK_MAIN();
