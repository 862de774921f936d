#pragma once
// How fields get their values. Resolvers see their parent value as JSON (the root value,
// or what the parent field's resolver returned), the coerced arguments, and the request's
// context. A field without a resolver uses the default property resolver: the parent
// object's member named like the field (null when absent), as graphql-js's default resolver.
//
// Synchronous resolvers are the fast path (no coroutine frame); resolvers that do I/O are
// C++20 coroutines (asio::awaitable) and are awaited by the executor.
#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "graphql/ast.hpp"

namespace alatar::graphql {

class Type;
struct FieldDefinition;

// Base for whatever the application passes as per-request context (principal, request id,
// deadline, loaders). Resolvers downcast to their concrete type.
struct ExecutionContext {
    virtual ~ExecutionContext() = default;
};

// The response path of a field as a linked list living on the executor's stack, so that
// resolving a field never allocates a path; to_json() materializes it for errors.
struct ResponsePath {
    const ResponsePath* parent = nullptr;
    std::string_view key;  // response key, when index < 0
    long index = -1;       // list index, when >= 0
    boost::json::array to_json() const;
};

struct ResolveInfo {
    const boost::json::value& source;  // the parent value
    const boost::json::object& args;   // coerced argument values, defaults applied
    const FieldDefinition& field;
    const Type& parent_type;
    const ast::Selection& field_node;      // the first field node of the merged set
    const ResponsePath& path;              // response path of this field
    const boost::json::object& variables;  // coerced variable values
    ExecutionContext* context;             // may be null
};

using SyncResolver = std::function<boost::json::value(const ResolveInfo&)>;
using AsyncResolver = std::function<boost::asio::awaitable<boost::json::value>(const ResolveInfo&)>;

// A subscription's source event stream (https://spec.graphql.org/October2021/#sec-Source-Stream):
// the application's subscribe resolver returns one; each event becomes the root value of one
// execution of the subscription's selection set.
class SourceStream {
  public:
    virtual ~SourceStream() = default;
    // The next event; nullopt when the stream has ended.
    virtual boost::asio::awaitable<std::optional<boost::json::value>> next() = 0;
    // Stops the stream early (the client unsubscribed); next() then returns nullopt.
    virtual void close() = 0;
};

using SubscribeResolver = std::function<boost::asio::awaitable<std::unique_ptr<SourceStream>>(const ResolveInfo&)>;

struct FieldResolver {
    SyncResolver sync;            // used when set
    AsyncResolver async;          // otherwise this, when set; neither: the default property resolver
    SubscribeResolver subscribe;  // subscription root fields: creates the source event stream
    bool empty() const { return !sync && !async; }
};

// Resolves the concrete object type of a value of an abstract (interface or union) type.
// Default: the value's "__typename" member.
using TypeResolver = std::function<const Type*(const boost::json::value& value, const ResolveInfo& info)>;

// Hooks of a scalar type. Built-in scalars have graphql-js's semantics and messages; a custom
// scalar without hooks passes JSON through unchanged (as graphql-js does for SDL scalars).
// Hooks throw std::invalid_argument (or FieldError) with the message to report on failure.
struct ScalarHooks {
    std::function<boost::json::value(const boost::json::value& output)> serialize;
    std::function<boost::json::value(const boost::json::value& input)> parse_value;
    std::function<boost::json::value(const ast::Value& literal, const boost::json::object* variables)> parse_literal;
    // JSON kinds `serialize` returns unchanged, so the executor may copy them without the call.
    // Only the specified scalars set these; hooks a schema supplies leave them false.
    struct Passthrough {
        bool strings = false;
        bool booleans = false;
        bool int32 = false;  // an int64 within the 32-bit range
    } passthrough;
};

}  // namespace alatar::graphql
