#include "graphql/rules/context.hpp"

#include <unordered_set>

#include "graphql/rules/walk.hpp"

namespace alatar::graphql::validation {
namespace {

// Collects the variable usages of one operation or fragment with a private TypeInfo, as
// graphql-js's getVariableUsages does (variable definitions themselves are not usages).
class UsageCollector {
  public:
    UsageCollector(const Schema& schema, const MetaFields& meta, std::vector<VariableUsage>& out)
        : type_info_(schema, meta), out_(out) {}

    bool enter_document(const Document& /*d*/) { return true; }
    void leave_document(const Document& /*d*/) {}
    bool enter_operation(const ast::Definition& def) {
        type_info_.enter_operation(def);
        return true;
    }
    void leave_operation(const ast::Definition& /*def*/) { type_info_.leave_operation(); }
    bool enter_fragment_definition(const ast::Definition& def) {
        type_info_.enter_fragment_definition(def);
        return true;
    }
    void leave_fragment_definition(const ast::Definition& /*def*/) { type_info_.leave_fragment_definition(); }
    bool enter_variable_definition(const ast::VariableDefinition& /*def*/) { return false; }
    void leave_variable_definition(const ast::VariableDefinition& /*def*/) {}
    bool enter_selection_set(const ast::SelectionSet& /*set*/, const ast::Selection* /*parent*/) {
        type_info_.enter_selection_set();
        return true;
    }
    void leave_selection_set(const ast::SelectionSet& /*set*/) { type_info_.leave_selection_set(); }
    bool enter_field(const ast::Selection& field) {
        type_info_.enter_field(field);
        return true;
    }
    void leave_field(const ast::Selection& /*field*/) { type_info_.leave_field(); }
    bool enter_fragment_spread(const ast::Selection& /*spread*/) { return true; }
    void leave_fragment_spread(const ast::Selection& /*spread*/) {}
    bool enter_inline_fragment(const ast::Selection& fragment) {
        type_info_.enter_inline_fragment(fragment);
        return true;
    }
    void leave_inline_fragment(const ast::Selection& /*fragment*/) { type_info_.leave_inline_fragment(); }
    bool enter_directive(const ast::Directive& directive, std::string_view /*location*/) {
        type_info_.enter_directive(directive);
        return true;
    }
    void leave_directive(const ast::Directive& /*directive*/) { type_info_.leave_directive(); }
    bool enter_argument(const ast::Argument& argument) {
        type_info_.enter_argument(argument);
        return true;
    }
    void leave_argument(const ast::Argument& /*argument*/) { type_info_.leave_argument(); }
    bool enter_value(const ast::Value& value) {
        if (value.kind == ast::ValueKind::kList) {
            type_info_.enter_list_value();
        } else if (value.kind == ast::ValueKind::kVariable) {
            out_.push_back(VariableUsage{&value, type_info_.input_type(), type_info_.parent_input_type(),
                                         type_info_.has_default_value()});
        }
        return true;
    }
    void leave_value(const ast::Value& value) {
        if (value.kind == ast::ValueKind::kList) {
            type_info_.leave_input_position();
        }
    }
    bool enter_object_field(const ast::ObjectField& field) {
        type_info_.enter_object_field(field);
        return true;
    }
    void leave_object_field(const ast::ObjectField& /*field*/) { type_info_.leave_input_position(); }
    void enter_named_type(const ast::Name& /*name*/, bool /*in_sdl*/) {}
    bool enter_sdl_node(const SdlNode& /*node*/) { return true; }

  private:
    TypeInfo type_info_;
    std::vector<VariableUsage>& out_;
};

}  // namespace

Context::Context(const Schema& schema, const Document& document, const ValidationOptions& options,
                 const TypeInfo& type_info, Errors& errors)
    : schema_(schema), document_(document), options_(options), type_info_(type_info), errors_(errors) {}

void Context::report(std::string message, std::initializer_list<std::uint32_t> offsets) {
    report(std::move(message), std::span<const std::uint32_t>(offsets.begin(), offsets.size()));
}

void Context::report(std::string message, std::span<const std::uint32_t> offsets) {
    if (options_.max_errors != 0 && errors_.size() >= options_.max_errors) {
        throw ValidationAborted{true};
    }
    GraphQLError error;
    error.message = std::move(message);
    error.locations.reserve(offsets.size());
    for (std::uint32_t offset : offsets) {
        error.locations.push_back(document_.location(offset));
    }
    errors_.push_back(std::move(error));
}

const ast::Definition* Context::fragment(std::string_view name) {
    if (!fragments_indexed_) {
        fragments_indexed_ = true;
        for (const ast::Definition* def : document_.definitions()) {
            if (def->kind == ast::DefinitionKind::kFragment && def->name) {
                fragments_[def->name->value] = def;  // the last definition wins, as in graphql-js
            }
        }
    }
    auto it = fragments_.find(name);
    return it == fragments_.end() ? nullptr : it->second;
}

const ast::Definition* Context::document_directive(std::string_view name) {
    if (!directives_indexed_) {
        directives_indexed_ = true;
        for (const ast::Definition* def : document_.definitions()) {
            if (def->kind == ast::DefinitionKind::kDirective && def->name) {
                document_directives_.push_back(def);
            }
        }
    }
    const ast::Definition* found = nullptr;  // the last definition wins
    for (const ast::Definition* def : document_directives_) {
        if (def->name->value == name) {
            found = def;
        }
    }
    return found;
}

std::span<const ast::Selection* const> Context::fragment_spreads(const ast::SelectionSet& set) {
    auto [it, inserted] = spreads_.try_emplace(&set);
    if (inserted) {
        // A stack, as graphql-js walks it: a set's own spreads first, then nested sets last-first.
        std::vector<const ast::SelectionSet*> to_visit{&set};
        while (!to_visit.empty()) {
            const ast::SelectionSet* current = to_visit.back();
            to_visit.pop_back();
            for (const ast::Selection* selection : current->selections) {
                if (selection->kind == ast::SelectionKind::kFragmentSpread) {
                    it->second.push_back(selection);
                } else if (selection->selection_set != nullptr) {
                    to_visit.push_back(selection->selection_set);
                }
            }
        }
    }
    return it->second;
}

std::vector<const ast::Definition*> Context::recursively_referenced_fragments(
    std::span<const ast::Definition* const> operations) {
    std::vector<std::string_view> names;
    std::unordered_set<std::string_view> seen;
    for (const ast::Definition* operation : operations) {
        if (operation->selection_set == nullptr) {
            continue;
        }
        for (const ast::Selection* spread : fragment_spreads(*operation->selection_set)) {
            if (seen.insert(spread->name.value).second) {
                names.push_back(spread->name.value);
            }
        }
    }
    spend_fragment_work(names.size());
    std::vector<const ast::Definition*> fragments;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const ast::Definition* fragment = this->fragment(names[i]);
        if (fragment == nullptr || fragment->selection_set == nullptr) {
            continue;
        }
        fragments.push_back(fragment);
        auto spreads = fragment_spreads(*fragment->selection_set);
        spend_fragment_work(spreads.size());
        for (const ast::Selection* spread : spreads) {
            if (seen.insert(spread->name.value).second) {
                names.push_back(spread->name.value);
            }
        }
    }
    return fragments;
}

std::span<const VariableUsage> Context::variable_usages(const ast::Definition& definition) {
    auto [it, inserted] = usages_.try_emplace(&definition);
    if (inserted) {
        UsageCollector collector(schema_, meta(), it->second);
        AstWalk<UsageCollector>(collector).definition(definition);
    }
    return it->second;
}

std::span<const VariableUsage> Context::recursive_variable_usages(const ast::Definition& operation) {
    auto it = recursive_usages_.find(&operation);
    if (it != recursive_usages_.end()) {
        return it->second;
    }
    const ast::Definition* const operations[] = {&operation};
    const auto fragments = recursively_referenced_fragments(operations);
    spend_fragment_work(fragments.size());
    std::vector<VariableUsage> all;
    auto own = variable_usages(operation);
    all.assign(own.begin(), own.end());
    for (const ast::Definition* fragment : fragments) {
        auto local = variable_usages(*fragment);
        spend_fragment_work(local.size());
        all.insert(all.end(), local.begin(), local.end());
    }
    return recursive_usages_.emplace(&operation, std::move(all)).first->second;
}

void Context::spend_fragment_work(std::size_t cost) {
    remaining_fragment_work_ -= static_cast<std::ptrdiff_t>(cost);
    if (remaining_fragment_work_ < 0) {
        throw ValidationAborted{false};
    }
}

std::string Context::field_coordinate(const Type* parent, const FieldDefinition& field) const {
    std::string out = meta().is_meta(&field) || parent == nullptr ? "<meta>" : parent->name;
    out.append(".").append(field.name);
    return out;
}

}  // namespace alatar::graphql::validation
