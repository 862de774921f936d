// graphql-js OverlappingFieldsCanBeMergedRule
// (https://spec.graphql.org/October2021/#sec-Field-Selection-Merging): fields with the same
// response name must be mergeable, fragments expanded. The comparison caches of graphql-js 17
// are kept (collected fields per (type, selection set), compared field/fragment and
// fragment/fragment pairs, overlapping response names per pair of collected sets) so large
// documents stay linear-ish, and its complexity budget aborts pathological ones.
#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

constexpr std::size_t kMaxConflictDetailLength = 1000;
constexpr std::size_t kMaxConflictNodes = 20;
constexpr std::ptrdiff_t kComplexityBudget = 500'000;

struct FieldDetails {
    const Type* parent_type = nullptr;
    const ast::Selection* node = nullptr;
    const FieldDefinition* definition = nullptr;
    bool simple_leaf = false;
    const ast::Directive* stream = nullptr;
};

struct FieldGroup {
    std::string_view response_name;
    std::vector<FieldDetails> fields;
};

struct Overlap {
    std::string_view response_name;
    const std::vector<FieldDetails>* fields1;
    const std::vector<FieldDetails>* fields2;
};

struct CollectResult {
    std::vector<FieldGroup> groups;
    std::unordered_map<std::string_view, std::size_t> index;  // response name -> group
    std::vector<const ast::Selection*> spreads;
    bool fragments_resolved = false;
    std::vector<const ast::Definition*> fragments;  // distinct spread targets, in order
    std::unordered_map<const CollectResult*, std::vector<Overlap>> overlaps;

    // Small sets are searched linearly; the index is built only past kIndexThreshold groups.
    static constexpr std::size_t kIndexThreshold = 16;

    const FieldGroup* find(std::string_view name) const {
        if (index.empty()) {
            for (const FieldGroup& group : groups) {
                if (group.response_name == name) {
                    return &group;
                }
            }
            return nullptr;
        }
        auto it = index.find(name);
        return it == index.end() ? nullptr : &groups[it->second];
    }

    FieldGroup& group_for(std::string_view name) {
        if (index.empty()) {
            for (FieldGroup& group : groups) {
                if (group.response_name == name) {
                    return group;
                }
            }
            groups.push_back(FieldGroup{name, {}});
            if (groups.size() > kIndexThreshold) {
                for (std::size_t i = 0; i < groups.size(); ++i) {
                    index.emplace(groups[i].response_name, i);
                }
            }
            return groups.back();
        }
        auto [it, inserted] = index.try_emplace(name, groups.size());
        if (inserted) {
            groups.push_back(FieldGroup{name, {}});
        }
        return groups[it->second];
    }
};

struct Conflict {
    std::string response_name;
    std::string reason;
    std::vector<const ast::Selection*> fields1;
    std::vector<const ast::Selection*> fields2;
};

std::string abbreviate(std::string_view text) {
    if (text.size() <= kMaxConflictDetailLength) {
        return std::string(text);
    }
    return concat(text.substr(0, kMaxConflictDetailLength), "...");
}

const ast::Directive* find_directive(const ast::Selection& selection, std::string_view name) {
    for (const ast::Directive* directive : selection.directives) {
        if (directive->name.value == name) {
            return directive;
        }
    }
    return nullptr;
}

// Structural equality of argument values as graphql-js compares their serialized form:
// object fields in name order, strings also by block-ness.
bool same_value(const ast::Value& a, const ast::Value& b) {
    if (a.kind != b.kind) {
        return false;
    }
    switch (a.kind) {
        case ast::ValueKind::kNull:
            return true;
        case ast::ValueKind::kBoolean:
            return a.boolean == b.boolean;
        case ast::ValueKind::kString:
            return a.text == b.text && a.block_string == b.block_string;
        case ast::ValueKind::kVariable:
        case ast::ValueKind::kInt:
        case ast::ValueKind::kFloat:
        case ast::ValueKind::kEnum:
            return a.text == b.text;
        case ast::ValueKind::kList:
            if (a.list.size() != b.list.size()) {
                return false;
            }
            for (std::size_t i = 0; i < a.list.size(); ++i) {
                if (!same_value(*a.list[i], *b.list[i])) {
                    return false;
                }
            }
            return true;
        case ast::ValueKind::kObject: {
            if (a.fields.size() != b.fields.size()) {
                return false;
            }
            auto sorted = [](const ast::Value& v) {
                std::vector<const ast::ObjectField*> fields;
                fields.reserve(v.fields.size());
                for (const ast::ObjectField& f : v.fields) {
                    fields.push_back(&f);
                }
                std::stable_sort(fields.begin(), fields.end(),
                                 [](const auto* x, const auto* y) { return x->name.value < y->name.value; });
                return fields;
            };
            const auto fa = sorted(a);
            const auto fb = sorted(b);
            for (std::size_t i = 0; i < fa.size(); ++i) {
                if (fa[i]->name.value != fb[i]->name.value || !same_value(*fa[i]->value, *fb[i]->value)) {
                    return false;
                }
            }
            return true;
        }
    }
    return false;
}

class OverlappingFieldsCanBeMerged final : public Rule {
  public:
    explicit OverlappingFieldsCanBeMerged(Context& context) : Rule(context, on_enter(NodeKind::kSelectionSet)) {}

    bool enter_selection_set(const ast::SelectionSet& set, const ast::Selection* parent) override {
        if (parent != nullptr && parent->kind == ast::SelectionKind::kInlineFragment) {
            return true;  // the enclosing selection set covers it
        }
        if (set.selections.size() <= 1 &&
            (set.selections.empty() || set.selections[0]->kind != ast::SelectionKind::kInlineFragment)) {
            return true;
        }
        std::vector<Conflict> conflicts;
        find_conflicts_within(context().type_info().parent_type(), set, conflicts);
        for (const Conflict& conflict : conflicts) {
            std::vector<std::uint32_t> offsets;
            offsets.reserve(conflict.fields1.size() + conflict.fields2.size());
            for (const ast::Selection* node : conflict.fields1) {
                offsets.push_back(node->offset);
            }
            for (const ast::Selection* node : conflict.fields2) {
                offsets.push_back(node->offset);
            }
            context().report(
                concat("Fields \"", abbreviate(conflict.response_name), "\" conflict because ", conflict.reason,
                       ". Use different aliases on the fields to fetch both if this was intentional."),
                offsets);
        }
        return true;
    }

  private:
    // ---- Budget and caches --------------------------------------------------------------

    void spend(std::ptrdiff_t cost) {
        budget_ -= cost;
        if (budget_ < 0) {
            throw ValidationAborted{false};
        }
    }

    struct PairHash {
        std::size_t operator()(const std::pair<const void*, const void*>& p) const {
            return std::hash<const void*>()(p.first) * 31U ^ std::hash<const void*>()(p.second);
        }
    };
    using PairMap = std::unordered_map<std::pair<const void*, const void*>, bool, PairHash>;

    // graphql-js OrderedPairSet: a pair compared as mutually exclusive also covers the
    // exclusive case; one compared non-exclusively covers both.
    static bool pair_has(const PairMap& map, const void* a, const void* b, bool exclusive) {
        auto it = map.find({a, b});
        if (it == map.end()) {
            return false;
        }
        return exclusive ? true : it->second == exclusive;
    }

    void collect_into(const Type* parent, const ast::SelectionSet& set, CollectResult& result) {
        for (const ast::Selection* selection : set.selections) {
            switch (selection->kind) {
                case ast::SelectionKind::kField: {
                    const FieldDefinition* def = nullptr;
                    if (parent != nullptr &&
                        (parent->kind == TypeKind::kObject || parent->kind == TypeKind::kInterface)) {
                        def = parent->field(selection->name.value);
                    }
                    const ast::Directive* stream = find_directive(*selection, "stream");
                    FieldDetails details{
                        parent, selection, def,
                        selection->arguments.empty() && selection->selection_set == nullptr && stream == nullptr,
                        stream};
                    result.group_for(selection->response_key()).fields.push_back(details);
                    break;
                }
                case ast::SelectionKind::kFragmentSpread:
                    result.spreads.push_back(selection);
                    break;
                case ast::SelectionKind::kInlineFragment: {
                    const Type* type =
                        selection->type_condition ? context().schema().type(selection->type_condition->value) : parent;
                    if (selection->selection_set != nullptr) {
                        collect_into(type, *selection->selection_set, result);
                    }
                    break;
                }
            }
        }
    }

    CollectResult& collect(const Type* parent, const ast::SelectionSet& set) {
        auto& slot = collected_[{parent, &set}];
        if (!slot) {
            slot = std::make_unique<CollectResult>();
            collect_into(parent, set, *slot);
        }
        return *slot;
    }

    CollectResult* collect_fragment(const ast::Definition& fragment) {
        if (fragment.selection_set == nullptr) {
            return nullptr;
        }
        const Type* type = fragment.type_condition ? context().schema().type(fragment.type_condition->value) : nullptr;
        return &collect(type, *fragment.selection_set);
    }

    // The distinct fragments spread in a collected set (unknown fragments dropped: graphql-js
    // compares nothing for them).
    const std::vector<const ast::Definition*>& fragments_of(CollectResult& result) {
        if (!result.fragments_resolved) {
            result.fragments_resolved = true;
            for (const ast::Selection* spread : result.spreads) {
                spend(1);
                const ast::Definition* def = context().fragment(spread->name.value);
                if (def != nullptr &&
                    std::find(result.fragments.begin(), result.fragments.end(), def) == result.fragments.end()) {
                    result.fragments.push_back(def);
                }
            }
        }
        return result.fragments;
    }

    const std::vector<Overlap>& overlaps(CollectResult& r1, const CollectResult& r2) {
        auto [it, inserted] = r1.overlaps.try_emplace(&r2);
        if (inserted) {
            for (const FieldGroup& group : r1.groups) {
                spend(1);
                if (const FieldGroup* other = r2.find(group.response_name)) {
                    it->second.push_back(Overlap{group.response_name, &group.fields, &other->fields});
                }
            }
        }
        return it->second;
    }

    // ---- The algorithm ------------------------------------------------------------------

    void find_conflicts_within(const Type* parent, const ast::SelectionSet& set, std::vector<Conflict>& conflicts) {
        CollectResult& result = collect(parent, set);
        for (const FieldGroup& group : result.groups) {
            const auto& fields = group.fields;
            for (std::size_t i = 0; i < fields.size(); ++i) {
                for (std::size_t j = i + 1; j < fields.size(); ++j) {
                    find_conflict(false, group.response_name, fields[i], fields[j], conflicts);
                }
            }
        }
        if (!result.spreads.empty() && (!result.groups.empty() || result.spreads.size() > 1)) {
            const auto fragments = fragments_of(result);  // copy: the cache may grow below
            for (std::size_t i = 0; i < fragments.size(); ++i) {
                between_fields_and_fragment(conflicts, false, result, *fragments[i]);
                for (std::size_t j = i + 1; j < fragments.size(); ++j) {
                    between_fragments(conflicts, false, *fragments[i], *fragments[j]);
                }
            }
        }
    }

    void between_fields_and_fragment(std::vector<Conflict>& conflicts, bool exclusive, CollectResult& result,
                                     const ast::Definition& fragment) {
        spend(1);
        if (result.groups.empty()) {
            return;
        }
        if (pair_has(fields_fragment_pairs_, &result, &fragment, exclusive)) {
            return;
        }
        fields_fragment_pairs_[{&result, &fragment}] = exclusive;
        CollectResult* other = collect_fragment(fragment);
        if (other == nullptr || other == &result) {
            return;
        }
        const auto referenced = fragments_of(*other);
        between(conflicts, exclusive, result, *other);
        for (const ast::Definition* next : referenced) {
            between_fields_and_fragment(conflicts, exclusive, result, *next);
        }
    }

    void between_fragments(std::vector<Conflict>& conflicts, bool exclusive, const ast::Definition& fragment1,
                           const ast::Definition& fragment2) {
        spend(2);
        if (&fragment1 == &fragment2) {
            return;
        }
        if (pair_has(fragment_pairs_, &fragment1, &fragment2, exclusive) ||
            pair_has(fragment_pairs_, &fragment2, &fragment1, exclusive)) {
            return;
        }
        fragment_pairs_[{&fragment1, &fragment2}] = exclusive;
        CollectResult* r1 = collect_fragment(fragment1);
        CollectResult* r2 = collect_fragment(fragment2);
        if (r1 == nullptr || r2 == nullptr) {
            return;
        }
        const auto referenced1 = fragments_of(*r1);
        const auto referenced2 = fragments_of(*r2);
        between(conflicts, exclusive, *r1, *r2);
        for (const ast::Definition* next : referenced2) {
            between_fragments(conflicts, exclusive, fragment1, *next);
        }
        for (const ast::Definition* next : referenced1) {
            between_fragments(conflicts, exclusive, *next, fragment2);
        }
    }

    void between_sub_selections(std::vector<Conflict>& conflicts, bool exclusive, const Type* parent1,
                                const ast::SelectionSet& set1, const Type* parent2, const ast::SelectionSet& set2) {
        CollectResult& r1 = collect(parent1, set1);
        const auto fragments1 = fragments_of(r1);
        CollectResult& r2 = collect(parent2, set2);
        const auto fragments2 = fragments_of(r2);
        between(conflicts, exclusive, r1, r2);
        for (const ast::Definition* fragment : fragments2) {
            between_fields_and_fragment(conflicts, exclusive, r1, *fragment);
        }
        for (const ast::Definition* fragment : fragments1) {
            between_fields_and_fragment(conflicts, exclusive, r2, *fragment);
        }
        for (const ast::Definition* f1 : fragments1) {
            for (const ast::Definition* f2 : fragments2) {
                between_fragments(conflicts, exclusive, *f1, *f2);
            }
        }
    }

    void between(std::vector<Conflict>& conflicts, bool exclusive, CollectResult& r1, CollectResult& r2) {
        if (r1.groups.empty() || r2.groups.empty()) {
            return;
        }
        for (const Overlap& overlap : overlaps(r1, r2)) {
            for (const FieldDetails& f1 : *overlap.fields1) {
                for (const FieldDetails& f2 : *overlap.fields2) {
                    find_conflict(exclusive, overlap.response_name, f1, f2, conflicts);
                }
            }
        }
    }

    static bool same_arguments(const ast::List<ast::Argument>* args1, const ast::List<ast::Argument>* args2) {
        const std::size_t n1 = args1 == nullptr ? 0 : args1->size();
        const std::size_t n2 = args2 == nullptr ? 0 : args2->size();
        if (n1 == 0) {
            return n2 == 0;
        }
        if (n1 != n2) {
            return false;
        }
        for (const ast::Argument& arg1 : *args1) {
            const ast::Value* value2 = nullptr;  // the last one of the name, as a Map keeps it
            for (const ast::Argument& arg2 : *args2) {
                if (arg2.name.value == arg1.name.value) {
                    value2 = arg2.value;
                }
            }
            if (value2 == nullptr || !same_value(*arg1.value, *value2)) {
                return false;
            }
        }
        return true;
    }

    bool types_conflict(const Type* t1, const Type* t2) {
        if (t1 == t2) {
            return false;
        }
        spend(1);
        if (t1->is_list()) {
            return t2->is_list() ? types_conflict(t1->of_type, t2->of_type) : true;
        }
        if (t2->is_list()) {
            return true;
        }
        if (t1->is_non_null()) {
            return t2->is_non_null() ? types_conflict(t1->of_type, t2->of_type) : true;
        }
        if (t2->is_non_null()) {
            return true;
        }
        if (t1->is_leaf() || t2->is_leaf()) {
            return t1 != t2;
        }
        return false;
    }

    void find_conflict(bool parents_exclusive, std::string_view response_name, const FieldDetails& f1,
                       const FieldDetails& f2, std::vector<Conflict>& conflicts) {
        const bool exclusive =
            parents_exclusive ||
            (f1.parent_type != f2.parent_type && f1.parent_type != nullptr && f2.parent_type != nullptr &&
             f1.parent_type->kind == TypeKind::kObject && f2.parent_type->kind == TypeKind::kObject);
        spend(2);
        const Type* type1 = f1.definition == nullptr ? nullptr : f1.definition->type;
        const Type* type2 = f2.definition == nullptr ? nullptr : f2.definition->type;
        const ast::Selection& node1 = *f1.node;
        const ast::Selection& node2 = *f2.node;
        if (f1.simple_leaf && f2.simple_leaf && type1 == type2 && node1.name.value == node2.name.value) {
            return;
        }
        auto simple = [&](std::string reason) {
            conflicts.push_back(Conflict{std::string(response_name), std::move(reason), {&node1}, {&node2}});
        };
        if (!exclusive) {
            if (node1.name.value != node2.name.value) {
                simple(concat("\"", abbreviate(node1.name.value), "\" and \"", abbreviate(node2.name.value),
                              "\" are different fields"));
                return;
            }
            spend(static_cast<std::ptrdiff_t>(node1.arguments.size()));
            if (!same_arguments(&node1.arguments, &node2.arguments)) {
                simple("they have differing arguments");
                return;
            }
        }
        if (f1.stream != nullptr || f2.stream != nullptr) {
            std::string reason = "they have overlapping stream directives";
            if (f1.stream != nullptr && f2.stream != nullptr &&
                same_arguments(&f1.stream->arguments, &f2.stream->arguments)) {
                reason += ". See https://github.com/graphql/defer-stream-wg/discussions/100";
            }
            simple(std::move(reason));
            return;
        }
        if (type1 != nullptr && type2 != nullptr && types_conflict(type1, type2)) {
            simple(
                concat("they return conflicting types \"", type1->to_string(), "\" and \"", type2->to_string(), "\""));
            return;
        }
        if (node1.selection_set != nullptr && node2.selection_set != nullptr) {
            std::vector<Conflict> sub;
            between_sub_selections(sub, exclusive, type1 == nullptr ? nullptr : &type1->named(), *node1.selection_set,
                                   type2 == nullptr ? nullptr : &type2->named(), *node2.selection_set);
            if (!sub.empty()) {
                conflicts.push_back(subfield_conflicts(sub, response_name, node1, node2));
            }
        }
    }

    static Conflict subfield_conflicts(const std::vector<Conflict>& sub, std::string_view response_name,
                                       const ast::Selection& node1, const ast::Selection& node2) {
        std::string message;
        for (const Conflict& conflict : sub) {
            if (!message.empty()) {
                message += " and ";
            }
            message +=
                concat("subfields \"", abbreviate(conflict.response_name), "\" conflict because ", conflict.reason);
            if (message.size() > kMaxConflictDetailLength) {
                break;
            }
        }
        Conflict out{std::string(response_name), abbreviate(message), {&node1}, {&node2}};
        append_nodes(out.fields1, sub, &Conflict::fields1);
        append_nodes(out.fields2, sub, &Conflict::fields2);
        return out;
    }

    // At most kMaxConflictNodes nodes, keeping the last ones of each nested conflict.
    static void append_nodes(std::vector<const ast::Selection*>& nodes, const std::vector<Conflict>& sub,
                             std::vector<const ast::Selection*> Conflict::*side) {
        for (const Conflict& conflict : sub) {
            const auto& from = conflict.*side;
            const std::size_t remaining = kMaxConflictNodes - nodes.size();
            const std::size_t keep = std::min(remaining, from.size());
            nodes.insert(nodes.end(), from.end() - static_cast<std::ptrdiff_t>(keep), from.end());
            if (nodes.size() == kMaxConflictNodes) {
                break;
            }
        }
    }

    struct KeyHash {
        std::size_t operator()(const std::pair<const Type*, const ast::SelectionSet*>& key) const {
            return std::hash<const void*>()(key.first) * 31U ^ std::hash<const void*>()(key.second);
        }
    };

    std::ptrdiff_t budget_ = kComplexityBudget;
    std::unordered_map<std::pair<const Type*, const ast::SelectionSet*>, std::unique_ptr<CollectResult>, KeyHash>
        collected_;
    PairMap fields_fragment_pairs_;
    PairMap fragment_pairs_;
};

}  // namespace

RulePtr make_overlapping_fields_can_be_merged_rule(Context& context) {
    return std::make_unique<OverlappingFieldsCanBeMerged>(context);
}

}  // namespace alatar::graphql::validation
