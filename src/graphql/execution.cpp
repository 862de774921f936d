// The executor: graphql-js 17's execute() semantics (Executor.ts, collectFields.ts), with a
// synchronous fast path and deferred asynchronous resolvers (see execution.hpp).
#include "graphql/execution.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <deque>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "graphql/builtins.hpp"
#include "graphql/coercion.hpp"
#include "graphql/introspection.hpp"

namespace alatar::graphql {

boost::json::array ResponsePath::to_json() const {
    std::vector<const ResponsePath*> segments;
    for (const ResponsePath* p = this; p != nullptr; p = p->parent) segments.push_back(p);
    boost::json::array out;
    out.reserve(segments.size());
    for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
        if ((*it)->index >= 0) {
            out.emplace_back(static_cast<std::int64_t>((*it)->index));
        } else {
            out.emplace_back(boost::json::string((*it)->key));
        }
    }
    return out;
}

OperationSelection select_operation(const Document& document, const std::optional<std::string>& operation_name) {
    OperationSelection selection;
    for (const ast::Definition* definition : document.definitions()) {
        if (definition->kind != ast::DefinitionKind::kOperation) continue;
        if (!operation_name) {
            if (selection.operation != nullptr) {
                selection.operation = nullptr;
                selection.error =
                    GraphQLError{"Must provide operation name if query contains multiple operations.", {}, {}, {}};
                return selection;
            }
            selection.operation = definition;
        } else if (definition->name && definition->name->value == *operation_name) {
            selection.operation = definition;
        }
    }
    if (selection.operation == nullptr) {
        selection.error = GraphQLError{operation_name ? "Unknown operation named \"" + *operation_name + "\"."
                                                      : std::string("Must provide an operation."),
                                       {},
                                       {},
                                       {}};
    }
    return selection;
}

namespace {

namespace json = boost::json;
namespace asio = boost::asio;

const char* operation_word(ast::OperationType type) {
    switch (type) {
        case ast::OperationType::kQuery:
            return "query";
        case ast::OperationType::kMutation:
            return "mutation";
        case ast::OperationType::kSubscription:
            return "subscription";
    }
    return "query";
}

enum class FieldKind : std::uint8_t { kRegular, kTypename, kUnknown };

struct CollectedField {
    std::string_view response_key;
    std::vector<const ast::Selection*> nodes;  // merged field nodes, in document order
    const FieldDefinition* definition = nullptr;
    FieldKind kind = FieldKind::kUnknown;
    // Where the default resolver found this property in the previous source object: the items of
    // a list usually share one key order, so the next lookup is a single comparison.
    mutable std::size_t source_hint = 0;
};

struct FieldPlan {
    std::vector<CollectedField> fields;
    // Response key -> position in `fields`, built once a selection set has many fields so that
    // collecting stays linear (an alias bomb of a million distinct keys must not be quadratic).
    std::unordered_map<std::string_view, std::size_t> index;
};

constexpr std::size_t kLinearKeySearchLimit = 16;

struct PlanKey {
    const Type* type;
    const void* origin;  // the operation's selection set, or the parent CollectedField
    bool operator==(const PlanKey&) const = default;
};

struct PlanKeyHash {
    std::size_t operator()(const PlanKey& key) const noexcept {
        return std::hash<const void*>()(key.type) * 31u ^ std::hash<const void*>()(key.origin);
    }
};

// A position in the response that catches errors: a field or a list item. Scopes are the
// materialized form kept for deferred (asynchronous) fields, whose completion happens after the
// synchronous stack is gone: they let a late null propagate to the right ancestor, and mark
// subtrees that were nulled so that work queued inside them is dropped.
struct Scope {
    Scope* parent = nullptr;
    json::value* slot = nullptr;
    bool nullable = true;
    bool dead = false;
};

struct Frame {
    const Frame* parent = nullptr;
    Scope* parent_scope = nullptr;  // used when parent is null
    json::value* slot = nullptr;
    bool nullable = true;
    mutable Scope* scope = nullptr;
};

struct Job {
    const Type* parent_type = nullptr;
    const json::value* source = nullptr;
    const CollectedField* field = nullptr;
    const json::object* args = nullptr;
    std::vector<ResponsePath> path;  // path[i].parent == &path[i - 1]
    json::value* slot = nullptr;
    Scope* scope = nullptr;
};

class RequestError : public std::runtime_error {
  public:
    explicit RequestError(GraphQLError error) : std::runtime_error(error.message), error_(std::move(error)) {}
    GraphQLError& error() { return error_; }

  private:
    GraphQLError error_;
};

class Executor {
  public:
    Executor(const Schema& schema, const Document& document, const ast::Definition& operation, json::object variables,
             const json::value& root, ExecutionContext* context, const ExecutionOptions& options)
        : schema_(schema),
          document_(document),
          operation_(operation),
          variables_(std::move(variables)),
          root_(root),
          context_(context),
          options_(options) {
        for (const ast::Definition* definition : document.definitions()) {
            if (definition->kind == ast::DefinitionKind::kFragment && definition->name) {
                fragments_.emplace(definition->name->value, definition);
            }
        }
        root_frame_.slot = &data_;
        root_frame_.nullable = true;
    }

    bool is_mutation() const { return operation_.operation == ast::OperationType::kMutation; }
    bool has_jobs() const { return !jobs_.empty(); }

    // Prepares `data` and the root plan; false when the request fails before any field runs.
    bool begin() {
        root_type_ = schema_.root_type(operation_.operation);
        if (root_type_ == nullptr) {
            GraphQLError error;
            error.message = std::string("Schema is not configured to execute ") + operation_word(operation_.operation) +
                            " operation.";
            error.locations.push_back(document_.location(operation_.offset));
            errors_.push_back(std::move(error));
            data_ = nullptr;
            return false;
        }
        try {
            root_plan_ = &plan_for(*root_type_, &operation_, {operation_.selection_set});
        } catch (RequestError& failure) {
            errors_.push_back(std::move(failure.error()));
            data_ = nullptr;
            return false;
        }
        data_.emplace_object().reserve(root_plan_->fields.size());
        return true;
    }

    std::size_t root_field_count() const { return root_plan_ != nullptr ? root_plan_->fields.size() : 0; }

    // Runs root fields [first, last) synchronously (deferring asynchronous resolvers).
    void run_root_fields(std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last && data_.is_object(); ++i) {
            const CollectedField& field = root_plan_->fields[i];
            if (field.kind == FieldKind::kUnknown) continue;
            ResponsePath path{nullptr, field.response_key, -1};
            json::value& slot = data_.get_object().emplace(field.response_key, nullptr).first->value();
            if (!execute_field(*root_type_, root_, field, path, slot, root_frame_)) {
                null_data();
                return;
            }
        }
    }

    asio::awaitable<void> drain() {
        while (!jobs_.empty()) {
            std::unique_ptr<Job> job = std::move(jobs_.front());
            jobs_.pop_front();
            co_await run_job(*job);
        }
    }

    // Serial execution of mutation root fields: each completes, deferred parts included,
    // before the next one starts.
    asio::awaitable<void> run_serially() {
        for (std::size_t i = 0; i < root_field_count() && data_.is_object(); ++i) {
            run_root_fields(i, i + 1);
            co_await drain();
        }
    }

    // The single root field of a subscription with its coerced arguments, or the error that
    // prevents creating its source stream (graphql-js createSourceEventStream).
    struct RootField {
        const CollectedField* field = nullptr;
        const json::object* args = nullptr;
        std::optional<GraphQLError> error;
    };
    RootField subscription_root_field() {
        RootField root;
        for (const CollectedField& field : root_plan_->fields) {
            root.field = &field;
            break;
        }
        if (root.field == nullptr) {
            root.error = GraphQLError{"Expected subscription operation.", {}, {}, {}};
            return root;
        }
        if (root.field->kind != FieldKind::kRegular) {
            GraphQLError error;
            error.message =
                "The subscription field \"" + std::string(root.field->nodes.front()->name.value) + "\" is not defined.";
            error.locations.push_back(document_.location(root.field->nodes.front()->offset));
            root.error = std::move(error);
            return root;
        }
        root.args = field_arguments(*root_type_, *root.field, root.error);
        if (root.error) root.error->path.emplace_back(json::string(root.field->response_key));
        return root;
    }

    GraphQLError error_from(const std::exception_ptr& failure) const { return format_exception(failure); }
    const Type& root_type() const { return *root_type_; }
    const json::value& root_value() const { return root_; }
    const json::object& variables() const { return variables_; }
    ExecutionContext* context() const { return context_; }
    Errors& errors() { return errors_; }
    void locate(GraphQLError& error, const CollectedField& field, const ResponsePath& path) const {
        if (error.locations.empty()) {
            for (const ast::Selection* node : field.nodes) error.locations.push_back(document_.location(node->offset));
        }
        error.path = path.to_json();
    }

    json::object response() {
        json::object out(storage_);
        if (!errors_.empty()) {
            json::array errors(storage_);
            errors.reserve(errors_.size());
            for (const GraphQLError& error : errors_) errors.emplace_back(error.to_json());
            out.emplace("errors", std::move(errors));
        }
        out.emplace("data", std::move(data_));
        return out;
    }

  private:
    // ---- field collection ---------------------------------------------------------------

    const FieldPlan& plan_for(const Type& type, const void* origin,
                              std::initializer_list<const ast::SelectionSet*> selection_sets) {
        auto [it, inserted] = plans_.try_emplace(PlanKey{&type, origin});
        if (inserted) {
            it->second = std::make_unique<FieldPlan>();
            std::unordered_set<std::string_view> visited;
            for (const ast::SelectionSet* set : selection_sets) {
                if (set != nullptr) collect(type, *set, *it->second, visited);
            }
        }
        return *it->second;
    }

    const FieldPlan& subfield_plan(const Type& type, const CollectedField& field) {
        auto [it, inserted] = plans_.try_emplace(PlanKey{&type, &field});
        if (inserted) {
            it->second = std::make_unique<FieldPlan>();
            std::unordered_set<std::string_view> visited;
            for (const ast::Selection* node : field.nodes) {
                if (node->selection_set != nullptr) collect(type, *node->selection_set, *it->second, visited);
            }
        }
        return *it->second;
    }

    // Iterative, with an explicit stack: fragment spreads can chain thousands of fragments deep
    // (an unvalidated document), which must not exhaust the thread's stack.
    void collect(const Type& type, const ast::SelectionSet& root, FieldPlan& plan,
                 std::unordered_set<std::string_view>& visited) {
        if (root.selections.size() > kLinearKeySearchLimit && plan.index.empty()) {
            plan.index.reserve(root.selections.size());
        }
        struct Cursor {
            const ast::SelectionSet* set;
            std::size_t next;
        };
        std::vector<Cursor> stack{{&root, 0}};
        while (!stack.empty()) {
            Cursor& top = stack.back();
            if (top.next == top.set->selections.size()) {
                stack.pop_back();
                continue;
            }
            const ast::Selection* selection = top.set->selections[top.next++];
            switch (selection->kind) {
                case ast::SelectionKind::kField: {
                    if (!should_include(*selection)) break;
                    add_field(type, *selection, plan);
                    break;
                }
                case ast::SelectionKind::kInlineFragment: {
                    if (!should_include(*selection) || !condition_matches(selection->type_condition, type)) break;
                    stack.push_back({selection->selection_set, 0});
                    break;
                }
                case ast::SelectionKind::kFragmentSpread: {
                    if (!should_include(*selection)) break;
                    auto fragment = fragments_.find(selection->name.value);
                    if (fragment == fragments_.end() || !condition_matches(fragment->second->type_condition, type))
                        break;
                    if (!visited.insert(selection->name.value).second) break;
                    stack.push_back({fragment->second->selection_set, 0});
                    break;
                }
            }
        }
    }

    void add_field(const Type& type, const ast::Selection& node, FieldPlan& plan) {
        const std::string_view key = node.response_key();
        if (plan.fields.size() < kLinearKeySearchLimit) {
            for (CollectedField& existing : plan.fields) {
                if (existing.response_key == key) {
                    existing.nodes.push_back(&node);
                    return;
                }
            }
        } else {
            if (plan.index.empty()) {
                for (std::size_t i = 0; i < plan.fields.size(); ++i) plan.index.emplace(plan.fields[i].response_key, i);
            }
            auto [it, inserted] = plan.index.try_emplace(key, plan.fields.size());
            if (!inserted) {
                plan.fields[it->second].nodes.push_back(&node);
                return;
            }
        }
        CollectedField field;
        field.response_key = key;
        field.nodes.push_back(&node);
        const std::string_view name = node.name.value;
        if (name == "__typename") {
            field.kind = FieldKind::kTypename;
        } else if (const FieldDefinition* definition = type.field(name)) {
            field.kind = FieldKind::kRegular;
            field.definition = definition;
        } else if (&type == schema_.query_type()) {
            if (const FieldDefinition* meta = introspection_meta_field(schema_, name)) {
                field.kind = FieldKind::kRegular;
                field.definition = meta;
            }
        }
        plan.fields.push_back(std::move(field));
    }

    bool condition_matches(const std::optional<ast::Name>& condition, const Type& type) const {
        if (!condition) return true;
        const Type* conditional = schema_.type(condition->value);
        if (conditional == nullptr) return false;
        if (conditional == &type) return true;
        if (conditional->is_abstract()) return schema_.is_sub_type(*conditional, type);
        return false;
    }

    // @skip / @include (https://spec.graphql.org/October2021/#sec--skip).
    bool should_include(const ast::Selection& selection) {
        for (const ast::Directive* directive : selection.directives) {
            const std::string_view name = directive->name.value;
            if (name != "skip" && name != "include") continue;
            const DirectiveDefinition* definition = schema_.directive(name);
            if (definition == nullptr) continue;
            ArgumentCoercion coerced =
                coerce_argument_values("@" + std::string(name), definition->args, directive->arguments,
                                       directive->offset, document_, variables_, options_.hide_suggestions);
            if (coerced.error) throw RequestError(std::move(*coerced.error));
            const json::value* condition = coerced.values.if_contains("if");
            const bool value = condition != nullptr && condition->is_bool() && condition->get_bool();
            if (name == "skip" && value) return false;
            if (name == "include" && !value) return false;
        }
        return true;
    }

    // ---- field execution ----------------------------------------------------------------

    const json::object* field_arguments(const Type& parent_type, const CollectedField& field,
                                        std::optional<GraphQLError>& error) {
        const FieldDefinition& definition = *field.definition;
        if (definition.args.empty()) return &empty_args_;
        const ast::Selection& node = *field.nodes.front();
        auto cached = argument_cache_.find(&node);
        if (cached != argument_cache_.end()) return &cached->second;
        ArgumentCoercion coerced =
            coerce_argument_values(parent_type.name + "." + definition.name, definition.args, node.arguments,
                                   node.offset, document_, variables_, options_.hide_suggestions);
        if (coerced.error) {
            error = std::move(coerced.error);
            return nullptr;
        }
        return &argument_cache_.emplace(&node, std::move(coerced.values)).first->second;
    }

    // Returns false when the field's error must propagate to the parent (non-null field).
    bool execute_field(const Type& parent_type, const json::value& source, const CollectedField& field,
                       const ResponsePath& path, json::value& slot, const Frame& parent_frame) {
        if (field.kind == FieldKind::kTypename) {
            slot = json::string(parent_type.name);
            return true;
        }
        const FieldDefinition& definition = *field.definition;
        Frame frame{&parent_frame, nullptr, &slot, !definition.type->is_non_null()};
        std::optional<GraphQLError> argument_error;
        const json::object* args = field_arguments(parent_type, field, argument_error);
        if (args == nullptr) {
            record(std::move(*argument_error), field, path);
            return handle_failure(frame);
        }
        const FieldResolver& resolver = definition.resolver;
        if (!resolver.sync && resolver.async) {
            defer(parent_type, source, field, *args, path, slot, frame);
            return true;
        }
        const json::value* resolved = nullptr;
        if (resolver.sync) {
            ResolveInfo info{source, *args, definition, parent_type, *field.nodes.front(), path, variables_, context_};
            try {
                resolved = &keep(resolver.sync(info));
            } catch (...) {
                record(format_exception(std::current_exception()), field, path);
                return handle_failure(frame);
            }
        } else {
            resolved = default_resolve(source, field);
        }
        if (!complete_value(*definition.type, parent_type, field, path, *resolved, slot, frame)) {
            return handle_failure(frame);
        }
        return true;
    }

    // The error was recorded; a nullable position becomes null, a non-null one propagates.
    bool handle_failure(const Frame& frame) {
        if (!frame.nullable) return false;
        *frame.slot = nullptr;
        if (frame.scope != nullptr) frame.scope->dead = true;
        return true;
    }

    const json::value* default_resolve(const json::value& source, const CollectedField& field) const {
        const json::object* object = source.if_object();
        if (object == nullptr) return &null_value_;
        const std::string& name = field.definition->name;
        if (field.source_hint < object->size()) {
            const json::key_value_pair& guess = *(object->begin() + field.source_hint);
            if (guess.key() == name) return &guess.value();
        }
        const auto found = object->find(name);
        if (found == object->end()) return &null_value_;
        field.source_hint = static_cast<std::size_t>(found - object->begin());
        return &found->value();
    }

    // Completes `value` of `type` into `slot`. Returns false when an error was raised (and
    // recorded with `path`, the path of the field or list item that handles it).
    bool complete_value(const Type& type, const Type& parent_type, const CollectedField& field,
                        const ResponsePath& path, const json::value& value, json::value& slot, const Frame& frame) {
        if (type.is_non_null()) {
            if (!complete_value(*type.of_type, parent_type, field, path, value, slot, frame)) return false;
            if (slot.is_null()) {
                record_message("Cannot return null for non-nullable field " + parent_type.name + "." +
                                   field.definition->name + ".",
                               field, path);
                return false;
            }
            return true;
        }
        if (value.is_null()) {
            slot = nullptr;
            return true;
        }
        switch (type.kind) {
            case TypeKind::kList:
                return complete_list(type, parent_type, field, path, value, slot, frame);
            case TypeKind::kScalar:
            case TypeKind::kEnum:
                return complete_leaf(type, field, path, value, slot);
            case TypeKind::kInterface:
            case TypeKind::kUnion: {
                const Type* runtime = resolve_abstract_type(type, parent_type, field, path, value);
                if (runtime == nullptr) return false;
                return complete_object(*runtime, field, path, value, slot, frame);
            }
            case TypeKind::kObject:
                return complete_object(type, field, path, value, slot, frame);
            default:
                break;
        }
        record_message("Cannot complete value of unexpected output type: " + type.to_string(), field, path);
        return false;
    }

    bool complete_list(const Type& type, const Type& parent_type, const CollectedField& field, const ResponsePath& path,
                       const json::value& value, json::value& slot, const Frame& frame) {
        if (!value.is_array()) {
            record_message("Expected Iterable, but did not find one for field \"" + parent_type.name + "." +
                               field.definition->name + "\".",
                           field, path);
            return false;
        }
        const json::array& items = value.get_array();
        json::array& out = slot.emplace_array();
        out.resize(items.size());
        const Type& item_type = *type.of_type;
        const bool item_nullable = !item_type.is_non_null();
        for (std::size_t i = 0; i < items.size(); ++i) {
            ResponsePath item_path{&path, {}, static_cast<long>(i)};
            Frame item_frame{&frame, nullptr, &out[i], item_nullable};
            if (!complete_value(item_type, parent_type, field, item_path, items[i], out[i], item_frame) &&
                !handle_failure(item_frame)) {
                return false;
            }
        }
        return true;
    }

    bool complete_leaf(const Type& type, const CollectedField& field, const ResponsePath& path,
                       const json::value& value, json::value& slot) {
        if (type.kind == TypeKind::kEnum) {
            if (value.is_string() &&
                type.enum_value(std::string_view(value.get_string().data(), value.get_string().size())) != nullptr) {
                slot = value;
                return true;
            }
            record_message("Enum \"" + type.name + "\" cannot represent value: " + inspect(value), field, path);
            return false;
        }
        if (!type.scalar.serialize || builtins::serializes_unchanged(type.scalar, value)) {
            slot = value;
            return true;
        }
        try {
            slot = type.scalar.serialize(value);
        } catch (...) {
            record(format_exception(std::current_exception()), field, path);
            return false;
        }
        if (slot.is_null()) {
            record_message("Expected `" + type.name + ".coerceOutputValue(" + inspect(value) +
                               ")` to return non-nullable value, returned: null",
                           field, path);
            return false;
        }
        return true;
    }

    const Type* resolve_abstract_type(const Type& abstract, const Type& parent_type, const CollectedField& field,
                                      const ResponsePath& path, const json::value& value) {
        const std::string where = "field \"" + parent_type.name + "." + field.definition->name + "\"";
        const Type* runtime = nullptr;
        std::string runtime_name;
        if (abstract.resolve_type) {
            ResolveInfo info{value, empty_args_, *field.definition, parent_type, *field.nodes.front(),
                             path,  variables_,  context_};
            try {
                runtime = abstract.resolve_type(value, info);
            } catch (...) {
                record(format_exception(std::current_exception()), field, path);
                return nullptr;
            }
            if (runtime == nullptr) {
                record_located("Abstract type \"" + abstract.name +
                                   "\" must resolve to an Object type at runtime for " + where + ". Either the \"" +
                                   abstract.name +
                                   "\" type should provide a \"resolveType\" function or each possible type should "
                                   "provide an \"isTypeOf\" function.",
                               field, path);
                return nullptr;
            }
            runtime_name = runtime->name;
        } else {
            const json::object* object = value.if_object();
            const json::value* type_name = object != nullptr ? object->if_contains("__typename") : nullptr;
            if (type_name == nullptr || !type_name->is_string()) {
                record_located("Abstract type \"" + abstract.name +
                                   "\" must resolve to an Object type at runtime for " + where + ". Either the \"" +
                                   abstract.name +
                                   "\" type should provide a \"resolveType\" function or each possible type should "
                                   "provide an \"isTypeOf\" function.",
                               field, path);
                return nullptr;
            }
            runtime_name.assign(type_name->get_string().data(), type_name->get_string().size());
            runtime = schema_.type(runtime_name);
            if (runtime == nullptr) {
                record_located("Abstract type \"" + abstract.name + "\" was resolved to a type \"" + runtime_name +
                                   "\" that does not exist inside the schema.",
                               field, path);
                return nullptr;
            }
        }
        if (runtime->kind != TypeKind::kObject) {
            record_located(
                "Abstract type \"" + abstract.name + "\" was resolved to a non-object type \"" + runtime_name + "\".",
                field, path);
            return nullptr;
        }
        if (!schema_.is_sub_type(abstract, *runtime)) {
            record_located(
                "Runtime Object type \"" + runtime->name + "\" is not a possible type for \"" + abstract.name + "\".",
                field, path);
            return nullptr;
        }
        return runtime;
    }

    bool complete_object(const Type& type, const CollectedField& field, const ResponsePath& path,
                         const json::value& value, json::value& slot, const Frame& frame) {
        const FieldPlan* plan = nullptr;
        try {
            plan = &subfield_plan(type, field);
        } catch (RequestError& failure) {
            record(std::move(failure.error()), field, path);
            return false;
        }
        json::object& out = slot.emplace_object();
        out.reserve(plan->fields.size());
        for (const CollectedField& sub : plan->fields) {
            if (sub.kind == FieldKind::kUnknown) continue;
            ResponsePath sub_path{&path, sub.response_key, -1};
            json::value& sub_slot = out.emplace(sub.response_key, nullptr).first->value();
            if (!execute_field(type, value, sub, sub_path, sub_slot, frame)) return false;
        }
        return true;
    }

    // ---- deferred (asynchronous) fields ---------------------------------------------------

    Scope* materialize(const Frame& frame) {
        if (frame.scope != nullptr) return frame.scope;
        Scope* parent = frame.parent != nullptr ? materialize(*frame.parent) : frame.parent_scope;
        scopes_.push_back(Scope{parent, frame.slot, frame.nullable, false});
        frame.scope = &scopes_.back();
        return frame.scope;
    }

    void defer(const Type& parent_type, const json::value& source, const CollectedField& field,
               const json::object& args, const ResponsePath& path, json::value& slot, const Frame& frame) {
        auto job = std::make_unique<Job>();
        job->parent_type = &parent_type;
        job->source = &source;
        job->field = &field;
        job->args = &args;
        std::vector<const ResponsePath*> segments;
        for (const ResponsePath* p = &path; p != nullptr; p = p->parent) segments.push_back(p);
        job->path.reserve(segments.size());
        for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
            const ResponsePath* previous = job->path.empty() ? nullptr : &job->path.back();
            job->path.push_back(ResponsePath{previous, (*it)->key, (*it)->index});
        }
        job->slot = &slot;
        job->scope = materialize(frame);
        jobs_.push_back(std::move(job));
    }

    static bool alive(const Scope* scope) {
        for (; scope != nullptr; scope = scope->parent) {
            if (scope->dead) return false;
        }
        return true;
    }

    asio::awaitable<void> run_job(Job& job) {
        if (!alive(job.scope)) co_return;
        const CollectedField& field = *job.field;
        const FieldDefinition& definition = *field.definition;
        const ResponsePath& path = job.path.back();
        std::optional<json::value> resolved;
        std::exception_ptr failure;
        try {
            ResolveInfo info{*job.source,          *job.args, definition, *job.parent_type,
                             *field.nodes.front(), path,      variables_, context_};
            resolved = co_await definition.resolver.async(info);
        } catch (...) {
            failure = std::current_exception();
        }
        if (!alive(job.scope)) co_return;
        Frame frame{nullptr, job.scope->parent, job.slot, job.scope->nullable};
        frame.scope = job.scope;
        bool ok = false;
        if (failure) {
            record(format_exception(failure), field, path);
        } else {
            const json::value& value = keep(std::move(*resolved));
            ok = complete_value(*definition.type, *job.parent_type, field, path, value, *job.slot, frame);
        }
        // cppcheck-suppress missingReturn ; coroutine (cppcheck does not model co_await)
        if (!ok && !handle_failure(frame)) propagate_from(job.scope->parent);
    }

    // A non-null position failed after the synchronous pass: null the nearest nullable ancestor.
    void propagate_from(Scope* scope) {
        while (scope != nullptr && !scope->nullable) scope = scope->parent;
        if (scope == nullptr || scope->slot == &data_) {
            null_data();
            return;
        }
        *scope->slot = nullptr;
        scope->dead = true;
    }

    void null_data() {
        data_ = nullptr;
        if (root_frame_.scope != nullptr) root_frame_.scope->dead = true;
    }

    // ---- errors ---------------------------------------------------------------------------

    GraphQLError format_exception(const std::exception_ptr& failure) const {
        if (options_.error_formatter) return options_.error_formatter(failure);
        GraphQLError error;
        try {
            std::rethrow_exception(failure);
        } catch (const FieldError& field_error) {
            error.message = field_error.what();
            error.extensions = field_error.extensions();
        } catch (const std::exception& other) {
            error.message = other.what();
        } catch (...) {
            error.message = "Unexpected error value: undefined";
        }
        return error;
    }

    void record(GraphQLError error, const CollectedField& field, const ResponsePath& path) {
        locate(error, field, path);
        errors_.push_back(std::move(error));
    }

    void record_message(std::string message, const CollectedField& field, const ResponsePath& path) {
        GraphQLError error;
        error.message = std::move(message);
        record(std::move(error), field, path);
    }

    // Errors graphql-js raises with the field nodes as their own nodes: same shape here.
    void record_located(std::string message, const CollectedField& field, const ResponsePath& path) {
        record_message(std::move(message), field, path);
    }

    const json::value& keep(json::value value) {
        owned_values_.push_back(std::move(value));
        return owned_values_.back();
    }

    const Schema& schema_;
    const Document& document_;
    const ast::Definition& operation_;
    json::object variables_;
    const json::value& root_;
    ExecutionContext* context_;
    const ExecutionOptions& options_;

    const Type* root_type_ = nullptr;
    const FieldPlan* root_plan_ = nullptr;
    // The response is built in one arena that it owns: thousands of small strings, objects and
    // arrays without a malloc/free each.
    json::storage_ptr storage_ = json::make_shared_resource<json::monotonic_resource>();
    json::value data_ = json::value(storage_);
    Frame root_frame_;
    Errors errors_;
    std::unordered_map<std::string_view, const ast::Definition*> fragments_;
    std::unordered_map<PlanKey, std::unique_ptr<FieldPlan>, PlanKeyHash> plans_;
    std::unordered_map<const ast::Selection*, json::object> argument_cache_;
    std::deque<json::value> owned_values_;
    std::deque<Scope> scopes_;
    std::deque<std::unique_ptr<Job>> jobs_;
    const json::object empty_args_;
    const json::value null_value_;
};

json::object request_errors(const Errors& errors) {
    json::array list;
    for (const GraphQLError& error : errors) list.emplace_back(error.to_json());
    json::object out;
    out.emplace("errors", std::move(list));
    return out;
}

// Selects the operation and coerces variables; on failure the response to return.
struct Prepared {
    const ast::Definition* operation = nullptr;
    json::object variables;
    std::optional<json::object> failure;
};

Prepared prepare(const Schema& schema, const ExecutionRequest& request, const ExecutionOptions& options) {
    Prepared prepared;
    OperationSelection selection = select_operation(*request.document, request.operation_name);
    if (selection.error) {
        prepared.failure = request_errors({std::move(*selection.error)});
        return prepared;
    }
    prepared.operation = selection.operation;
    VariableCoercion coerced =
        coerce_variable_values(schema, *request.document, *selection.operation, request.variables,
                               options.hide_suggestions, options.max_variable_errors);
    if (!coerced.errors.empty()) {
        prepared.failure = request_errors(coerced.errors);
        return prepared;
    }
    prepared.variables = std::move(coerced.values);
    return prepared;
}

}  // namespace

asio::awaitable<json::object> execute(const Schema& schema, ExecutionRequest request, ExecutionOptions options) {
    Prepared prepared = prepare(schema, request, options);
    if (prepared.failure) co_return std::move(*prepared.failure);
    Executor executor(schema, *request.document, *prepared.operation, std::move(prepared.variables), request.root_value,
                      request.context, options);
    if (executor.begin()) {
        if (executor.is_mutation()) {
            co_await executor.run_serially();
        } else {
            executor.run_root_fields(0, executor.root_field_count());
            co_await executor.drain();
        }
    }
    co_return executor.response();
}

json::object execute_sync(const Schema& schema, const ExecutionRequest& request, const ExecutionOptions& options) {
    Prepared prepared = prepare(schema, request, options);
    if (prepared.failure) return std::move(*prepared.failure);
    Executor executor(schema, *request.document, *prepared.operation, std::move(prepared.variables), request.root_value,
                      request.context, options);
    if (!executor.begin()) return executor.response();
    if (!executor.is_mutation()) {
        executor.run_root_fields(0, executor.root_field_count());
        if (!executor.has_jobs()) return executor.response();
    }
    // Asynchronous resolvers were met: drive them on a private event loop.
    asio::io_context io;
    std::exception_ptr failure;
    const bool serial = executor.is_mutation();
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            // Separate statements: GCC 12 mishandles temporaries of a conditional inside co_await.
            if (serial) {
                co_await executor.run_serially();
            } else {
                co_await executor.drain();
            }
        },
        [&](std::exception_ptr error) { failure = std::move(error); });
    io.run();
    if (failure) std::rethrow_exception(failure);
    return executor.response();
}

namespace {

// Maps every source event through execution (graphql-js mapSourceToResponseEvent).
class EventResponseStream final : public ResponseStream {
  public:
    EventResponseStream(const Schema& schema, ExecutionRequest request, ExecutionOptions options,
                        const ast::Definition& operation, json::object variables, std::unique_ptr<SourceStream> source)
        : schema_(schema),
          request_(std::move(request)),
          options_(std::move(options)),
          operation_(operation),
          variables_(std::move(variables)),
          source_(std::move(source)) {}

    asio::awaitable<std::optional<json::object>> next() override {
        std::optional<json::value> event = co_await source_->next();
        if (!event) co_return std::nullopt;
        Executor executor(schema_, *request_.document, operation_, variables_, *event, request_.context, options_);
        if (executor.begin()) {
            executor.run_root_fields(0, executor.root_field_count());
            co_await executor.drain();
        }
        co_return executor.response();
    }

    void close() override { source_->close(); }

  private:
    const Schema& schema_;
    ExecutionRequest request_;
    ExecutionOptions options_;
    const ast::Definition& operation_;
    json::object variables_;
    std::unique_ptr<SourceStream> source_;
};

}  // namespace

asio::awaitable<Subscription> subscribe(const Schema& schema, ExecutionRequest request, ExecutionOptions options) {
    Subscription subscription;
    Prepared prepared = prepare(schema, request, options);
    if (prepared.failure) {
        subscription.failure = std::move(prepared.failure);
        co_return subscription;
    }
    if (prepared.operation->operation != ast::OperationType::kSubscription) {
        subscription.failure = request_errors({GraphQLError{"Expected subscription operation.", {}, {}, {}}});
        co_return subscription;
    }
    Executor executor(schema, *request.document, *prepared.operation, prepared.variables, request.root_value,
                      request.context, options);
    if (!executor.begin()) {
        subscription.failure = executor.response();
        subscription.failure->erase("data");
        co_return subscription;
    }
    Executor::RootField root = executor.subscription_root_field();
    if (root.error) {
        subscription.failure = request_errors({std::move(*root.error)});
        co_return subscription;
    }
    const CollectedField& field = *root.field;
    const FieldDefinition& definition = *field.definition;
    ResponsePath path{nullptr, field.response_key, -1};
    std::unique_ptr<SourceStream> source;
    std::exception_ptr failure;
    if (definition.resolver.subscribe) {
        try {
            ResolveInfo info{executor.root_value(), *root.args, definition,           executor.root_type(),
                             *field.nodes.front(),  path,       executor.variables(), executor.context()};
            source = co_await definition.resolver.subscribe(info);
        } catch (...) {
            failure = std::current_exception();
        }
    }
    if (failure || source == nullptr) {
        GraphQLError error =
            failure ? executor.error_from(failure)
                    : GraphQLError{"Subscription field must return AsyncIterable. Received: undefined.", {}, {}, {}};
        executor.locate(error, field, path);
        subscription.failure = request_errors({std::move(error)});
        co_return subscription;
    }
    subscription.stream =
        std::make_unique<EventResponseStream>(schema, std::move(request), std::move(options), *prepared.operation,
                                              std::move(prepared.variables), std::move(source));
    co_return subscription;
}

}  // namespace alatar::graphql
