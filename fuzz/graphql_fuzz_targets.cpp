// Fuzz target bodies (see graphql_fuzz_targets.hpp). Inputs come from libFuzzer or from the
// corpus files replayed by the unit tests; nothing here may assume the input is well formed.
#include "graphql_fuzz_targets.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "graphql/execution.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema.hpp"
#include "graphql/validation.hpp"

namespace alatar::graphql::fuzz {
namespace {

namespace json = boost::json;

// Exercises every kind of type the validator and executor distinguish.
constexpr std::string_view kSchemaSdl = R"(
directive @custom(level: Int = 1, tags: [String!]) repeatable on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT | QUERY

interface Node { id: ID! }
interface Named implements Node { id: ID! name(upper: Boolean = false): String }

type User implements Node & Named {
  id: ID!
  name(upper: Boolean = false): String
  friends(first: Int = 10, after: String): [User!]
  pets: [Pet]
  role: Role
  best: SearchResult
  tags: [[String!]]!
}

type Dog implements Node & Named {
  id: ID!
  name(upper: Boolean = false): String
  barks: Boolean
  owner: User
}

type Cat implements Node & Named {
  id: ID!
  name(upper: Boolean = false): String
  lives: Int
  owner: User!
}

union Pet = Dog | Cat
union SearchResult = User | Dog | Cat
enum Role { ADMIN USER GUEST @deprecated(reason: "no guests") }
scalar JSON

input Filter {
  name: String
  role: Role = USER
  and: [Filter!]
  not: Filter
  ids: [ID!]
  score: Float
}

input Choice @oneOf { id: ID, name: String }

type Query {
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  search(filter: Filter, limit: Int = 5): [SearchResult!]!
  user: User
  me: User!
  pet(choice: Choice): Pet
  echo(value: JSON, f: Float, s: String, i: Int, b: Boolean, l: [[Int]], filter: Filter): JSON
  fail: String
  failNonNull: String!
  root: Query!
}

type Mutation { rename(id: ID!, name: String!): User }
type Subscription { events(since: Int): String }
)";

SchemaPtr make_schema() {
    auto built = build_schema(std::string(kSchemaSdl));
    if (auto* errors = std::get_if<Errors>(&built)) {
        throw std::logic_error("fuzz schema invalid: " + errors->front().message);
    }
    SchemaPtr schema = std::get<SchemaPtr>(std::move(built));
    schema->set_resolver("Query", "echo", FieldResolver{.sync = [](const ResolveInfo& info) -> json::value {
                             return json::value(info.args);
                         }});
    schema->set_resolver("Query", "fail", FieldResolver{.sync = [](const ResolveInfo&) -> json::value {
                             throw FieldError("fail", {{"code", "FUZZ"}});
                         }});
    schema->set_resolver("Query", "failNonNull", FieldResolver{.sync = [](const ResolveInfo&) -> json::value {
                             throw std::runtime_error("fail");
                         }});
    schema->set_resolver("Query", "root",
                         FieldResolver{.sync = [](const ResolveInfo& info) -> json::value { return info.source; }});
    return schema;
}

const Schema& fuzz_schema() {
    static const SchemaPtr schema = make_schema();
    return *schema;
}

// JSON from the input, or null when it is not JSON (or too deep for the parser's limit).
json::value parse_json(std::string_view text) {
    boost::system::error_code ec;
    json::value value = json::parse(text, ec);
    return ec ? json::value() : value;
}

}  // namespace

Stage run_parse(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto parsed = parse(text);
    const auto* document = std::get_if<DocumentPtr>(&parsed);
    if (document == nullptr) return Stage::kSyntaxError;
    for (const ast::Definition* definition : (*document)->definitions()) {
        if (!definition->is_executable()) {
            (void)build_schema(std::move(text));
            break;
        }
    }
    return Stage::kExecuted;
}

Stage run_execute(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t first_nul = input.find('\0');
    const std::string_view query = input.substr(0, first_nul);
    std::string_view variables_text;
    std::string_view root_text;
    if (first_nul != std::string_view::npos) {
        const std::string_view rest = input.substr(first_nul + 1);
        const std::size_t second_nul = rest.find('\0');
        variables_text = rest.substr(0, second_nul);
        if (second_nul != std::string_view::npos) root_text = rest.substr(second_nul + 1);
    }

    const Schema& schema = fuzz_schema();
    auto parsed = parse(std::string(query), ParseOptions{.max_bytes = 0, .max_tokens = 20000, .max_depth = 0});
    auto* document = std::get_if<DocumentPtr>(&parsed);
    if (document == nullptr) return Stage::kSyntaxError;
    if (!validate(schema, **document).empty()) return Stage::kInvalid;

    ExecutionRequest request;
    request.document = *document;
    if (json::value variables = parse_json(variables_text); variables.is_object()) {
        request.variables = std::move(variables.get_object());
    }
    request.root_value = parse_json(root_text);
    (void)execute_sync(schema, request);
    return Stage::kExecuted;
}

}  // namespace alatar::graphql::fuzz
