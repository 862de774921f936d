// `alatar graphql exec|validate|print-schema|introspect`: the engine's command-line face,
// specified in ../shared/design/graphql-cli.md (graphql-js-compatible output).
#include "graphql/cli_command.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "graphql/execution.hpp"
#include "graphql/introspection.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema.hpp"
#include "graphql/validation.hpp"

namespace alatar::graphql {
namespace {

namespace json = boost::json;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct CliOptions {
    std::string verb;
    std::optional<std::string> schema_path;
    std::optional<std::string> query_path;
    std::optional<std::string> variables_path;
    std::optional<std::string> root_path;
    std::optional<std::string> operation_name;
    ParseOptions parse;
    ValidationOptions validation;
};

constexpr std::string_view kUsage =
    "usage: alatar graphql exec --schema S.graphql --query Q.graphql [--variables V.json] [--root R.json]\n"
    "                          [--operation NAME] [limits]\n"
    "       alatar graphql validate --schema S.graphql --query Q.graphql [limits]\n"
    "       alatar graphql print-schema --schema S.graphql\n"
    "       alatar graphql introspect --schema S.graphql\n"
    "limits: --max-depth N --max-aliases N --max-tokens N --max-cost N --no-introspection --no-suggestions\n";

std::size_t parse_count(std::string_view flag, std::string_view text) {
    std::size_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        throw UsageError(std::string(flag) + " expects a non-negative integer, got '" + std::string(text) + "'");
    }
    return value;
}

CliOptions parse_arguments(app::Args args) {
    if (args.empty()) throw UsageError("missing verb");
    CliOptions options;
    options.verb = std::string(args[0]);
    if (options.verb != "exec" && options.verb != "validate" && options.verb != "print-schema" &&
        options.verb != "introspect") {
        throw UsageError("unknown verb '" + options.verb + "'");
    }
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string_view flag = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size()) throw UsageError(std::string(flag) + " needs a value");
            return std::string(args[++i]);
        };
        if (flag == "--schema") {
            options.schema_path = value();
        } else if (flag == "--query") {
            options.query_path = value();
        } else if (flag == "--variables") {
            options.variables_path = value();
        } else if (flag == "--root") {
            options.root_path = value();
        } else if (flag == "--operation") {
            options.operation_name = value();
        } else if (flag == "--max-depth") {
            options.validation.max_depth = parse_count(flag, value());
        } else if (flag == "--max-aliases") {
            options.validation.max_aliases = parse_count(flag, value());
        } else if (flag == "--max-tokens") {
            options.parse.max_tokens = parse_count(flag, value());
        } else if (flag == "--max-cost") {
            options.validation.max_cost = parse_count(flag, value());
        } else if (flag == "--no-introspection") {
            options.validation.introspection = false;
        } else if (flag == "--no-suggestions") {
            options.validation.suggestions = false;
        } else {
            throw UsageError("unknown option '" + std::string(flag) + "'");
        }
    }
    if (!options.schema_path) throw UsageError("--schema is required");
    const bool needs_query = options.verb == "exec" || options.verb == "validate";
    if (needs_query && !options.query_path) throw UsageError("--query is required");
    return options;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError("cannot read '" + path + "'");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

json::value read_json(const std::string& path) {
    boost::system::error_code ec;
    json::value value = json::parse(read_file(path), ec);
    if (ec) throw UsageError("'" + path + "' is not valid JSON: " + ec.message());
    return value;
}

void print_json(const json::value& value) { std::cout << json::serialize(value) << '\n'; }

json::object errors_object(const Errors& errors) {
    json::array list;
    for (const GraphQLError& error : errors) list.emplace_back(error.to_json());
    json::object out;
    out.emplace("errors", std::move(list));
    return out;
}

std::optional<SchemaPtr> load_schema(const CliOptions& options) {
    auto built = build_schema(read_file(*options.schema_path));
    if (auto* errors = std::get_if<Errors>(&built)) {
        print_json(errors_object(*errors));
        return std::nullopt;
    }
    return std::get<SchemaPtr>(std::move(built));
}

// Parses and validates; on failure prints the errors (as graphql-js's graphql() reports them).
std::optional<DocumentPtr> prepare_document(const Schema& schema, const std::string& text, const CliOptions& options,
                                            bool print_empty_errors) {
    auto parsed = parse(text, options.parse);
    if (auto* error = std::get_if<GraphQLError>(&parsed)) {
        print_json(errors_object({*error}));
        return std::nullopt;
    }
    DocumentPtr document = std::get<DocumentPtr>(std::move(parsed));
    Errors errors = validate(schema, *document, options.validation);
    if (!errors.empty() || print_empty_errors) {
        print_json(errors_object(errors));
        return std::nullopt;
    }
    return document;
}

int run_exec(const Schema& schema, const CliOptions& options, const std::string& query_text) {
    auto document = prepare_document(schema, query_text, options, false);
    if (!document) return kExitOk;
    ExecutionRequest request;
    request.document = *document;
    request.operation_name = options.operation_name;
    if (options.variables_path) {
        json::value variables = read_json(*options.variables_path);
        if (!variables.is_object() && !variables.is_null()) throw UsageError("--variables must hold a JSON object");
        if (variables.is_object()) request.variables = std::move(variables.get_object());
    }
    if (options.root_path) request.root_value = read_json(*options.root_path);
    ExecutionOptions execution;
    execution.hide_suggestions = !options.validation.suggestions;
    print_json(execute_sync(schema, request, execution));
    return kExitOk;
}

}  // namespace

int run_graphql_command(app::Args args) {
    try {
        const CliOptions options = parse_arguments(args);
        auto schema = load_schema(options);
        if (!schema) return kExitUsage;
        if (options.verb == "print-schema") {
            std::cout << print_schema(**schema) << "\n";
            return kExitOk;
        }
        if (options.verb == "introspect") {
            CliOptions introspect = options;
            introspect.validation = ValidationOptions{};
            return run_exec(**schema, introspect, std::string(introspection_query()));
        }
        const std::string query_text = read_file(*options.query_path);
        if (options.verb == "validate") {
            (void)prepare_document(**schema, query_text, options, true);
            return kExitOk;
        }
        return run_exec(**schema, options, query_text);
    } catch (const UsageError& error) {
        std::cerr << "alatar graphql: " << error.what() << "\n" << kUsage;
        return kExitUsage;
    } catch (const std::exception& error) {
        std::cerr << "alatar graphql: " << error.what() << "\n";
        return kExitFailure;
    }
}

}  // namespace alatar::graphql
