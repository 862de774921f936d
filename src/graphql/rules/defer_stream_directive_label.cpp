// graphql-js DeferStreamDirectiveLabelRule: @defer/@stream labels are static strings, unique
// across the document.
#include <unordered_map>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class DeferStreamDirectiveLabel final : public Rule {
  public:
    explicit DeferStreamDirectiveLabel(Context& context) : Rule(context, on_enter(NodeKind::kDirective)) {}

    bool enter_directive(const ast::Directive& directive, std::string_view /*location*/) override {
        const std::string_view name = directive.name.value;
        if (name != "defer" && name != "stream") {
            return true;
        }
        const ast::Value* label = nullptr;
        for (const ast::Argument& arg : directive.arguments) {
            if (arg.name.value == "label") {
                label = arg.value;
                break;
            }
        }
        if (label == nullptr || label->kind == ast::ValueKind::kNull) {
            return true;
        }
        if (label->kind != ast::ValueKind::kString) {
            context().report(concat("Argument \"@", name, "(label:)\" must be a static string."), {directive.offset});
            return true;
        }
        auto [it, inserted] = known_.try_emplace(label->text, directive.offset);
        if (!inserted) {
            context().report(
                "Value for arguments \"defer(label:)\" and \"stream(label:)\" must be unique across all "
                "Defer/Stream directive usages.",
                {it->second, directive.offset});
        }
        return true;
    }

  private:
    std::unordered_map<std::string_view, std::uint32_t> known_;
};

}  // namespace

RulePtr make_defer_stream_directive_label_rule(Context& context) {
    return std::make_unique<DeferStreamDirectiveLabel>(context);
}

}  // namespace alatar::graphql::validation
