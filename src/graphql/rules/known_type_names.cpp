// graphql-js KnownTypeNamesRule: every named type reference exists in the schema (or, in
// type-system definitions, in the document or among the standard types).
#include <algorithm>
#include <array>
#include <unordered_set>
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"
#include "graphql/suggestions.hpp"

namespace alatar::graphql::validation {
namespace {

constexpr std::array<std::string_view, 13> kStandardTypeNames = {
    "String", "Int",     "Float",        "Boolean",     "ID",        "__Schema", "__Directive", "__DirectiveLocation",
    "__Type", "__Field", "__InputValue", "__EnumValue", "__TypeKind"};

bool is_type_definition(const ast::Definition& def) {
    using K = ast::DefinitionKind;
    switch (def.kind) {
        case K::kScalarType:
        case K::kObjectType:
        case K::kInterfaceType:
        case K::kUnionType:
        case K::kEnumType:
        case K::kInputObjectType:
            return !def.is_extension;
        default:
            return false;
    }
}

class KnownTypeNames final : public Rule {
  public:
    explicit KnownTypeNames(Context& context) : Rule(context, on_enter(NodeKind::kNamedType)) {}

    void enter_named_type(const ast::Name& name, bool in_sdl) override {
        if (context().schema().type(name.value) != nullptr || defined().contains(name.value)) {
            return;
        }
        const bool standard =
            std::find(kStandardTypeNames.begin(), kStandardTypeNames.end(), name.value) != kStandardTypeNames.end();
        if (in_sdl && standard) {
            return;
        }
        std::vector<std::string_view> suggestions;
        if (!context().hide_suggestions()) {
            std::vector<std::string_view> candidates;
            if (in_sdl) {
                candidates.assign(kStandardTypeNames.begin(), kStandardTypeNames.end());
            }
            for (const Type* type : context().schema().types()) {
                candidates.emplace_back(type->name);
            }
            candidates.insert(candidates.end(), defined_order_.begin(), defined_order_.end());
            suggestions = suggestion_list(name.value, candidates);
        }
        context().report(concat("Unknown type \"", name.value, "\".", did_you_mean(suggestions)), {name.offset});
    }

  private:
    const std::unordered_set<std::string_view>& defined() {
        if (!indexed_) {
            indexed_ = true;
            for (const ast::Definition* def : context().document().definitions()) {
                if (is_type_definition(*def) && def->name && defined_.insert(def->name->value).second) {
                    defined_order_.push_back(def->name->value);
                }
            }
        }
        return defined_;
    }

    bool indexed_ = false;
    std::unordered_set<std::string_view> defined_;
    std::vector<std::string_view> defined_order_;
};

}  // namespace

RulePtr make_known_type_names_rule(Context& context) { return std::make_unique<KnownTypeNames>(context); }

}  // namespace alatar::graphql::validation
