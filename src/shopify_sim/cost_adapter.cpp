#include "shopify_sim/cost_adapter.hpp"

#include <algorithm>
#include <charconv>
#include <map>

namespace alatar::shopify_sim {
namespace {

namespace ast = graphql::ast;

class Builder {
  public:
    Builder(const graphql::Schema& schema, const graphql::Document& document, const boost::json::object& variables)
        : schema_(schema), variables_(variables) {
        for (const auto* def : document.definitions()) {
            if (def->kind == ast::DefinitionKind::kFragment && def->name) fragments_[def->name->value] = def;
        }
    }

    std::vector<CostSelection> selections(const ast::SelectionSet* set, const graphql::Type& parent, int depth = 0) {
        std::vector<CostSelection> out;
        if (set == nullptr || depth > 64) return out;
        CostSelection alternatives{CostSelection::Kind::kAlternatives, "", 0, {}};
        for (const auto* sel : set->selections) {
            if (sel->kind == ast::SelectionKind::kField) {
                if (auto field = this->field(*sel, parent, depth)) out.push_back(std::move(*field));
                continue;
            }
            const ast::SelectionSet* inner = sel->selection_set;
            std::optional<std::string_view> condition;
            if (sel->kind == ast::SelectionKind::kInlineFragment) {
                if (sel->type_condition) condition = sel->type_condition->value;
            } else {
                const auto it = fragments_.find(sel->name.value);
                if (it == fragments_.end()) continue;
                inner = it->second->selection_set;
                if (it->second->type_condition) condition = it->second->type_condition->value;
            }
            const graphql::Type* type = condition ? schema_.type(*condition) : &parent;
            if (type == nullptr) continue;
            auto children = selections(inner, *type, depth + 1);
            if (type == &parent || !type->is_composite() || type->kind != graphql::TypeKind::kObject ||
                parent.kind == graphql::TypeKind::kObject) {
                // Same type (or an interface fragment on a concrete parent): its fields simply add up.
                for (auto& c : children) out.push_back(std::move(c));
            } else {
                alternatives.children.push_back(
                    {CostSelection::Kind::kObject, std::string(*condition), 0, std::move(children)});
            }
        }
        if (!alternatives.children.empty()) out.push_back(std::move(alternatives));
        return out;
    }

  private:
    std::optional<CostSelection> field(const ast::Selection& sel, const graphql::Type& parent, int depth) {
        if (sel.name.value.starts_with("__")) return std::nullopt;
        const graphql::FieldDefinition* def = parent.field(sel.name.value);
        if (def == nullptr) return std::nullopt;
        const graphql::Type& type = def->type->named();
        CostSelection out;
        out.response_key = std::string(sel.response_key());
        if (type.is_leaf()) return out;
        out.children = selections(sel.selection_set, type, depth + 1);
        if (type.name.ends_with("Connection")) {
            out.kind = CostSelection::Kind::kConnection;
            out.page_size = page_size(sel);
        } else {
            out.kind = CostSelection::Kind::kObject;
            // A connection's own edges and nodes are lists too, but not list fields in Shopify's sense.
            out.list = def->type->nullable().is_list() && !parent.name.ends_with("Connection");
        }
        return out;
    }

    std::int64_t page_size(const ast::Selection& sel) const {
        for (const auto& a : sel.arguments) {
            if (a.name.value != "first" && a.name.value != "last") continue;
            const ast::Value* v = a.value;
            if (v->kind == ast::ValueKind::kInt) {
                std::int64_t n = 0;
                std::from_chars(v->text.data(), v->text.data() + v->text.size(), n);
                return std::max<std::int64_t>(0, n);
            }
            if (v->kind == ast::ValueKind::kVariable) {
                const auto* value = variables_.if_contains(v->text);
                if (value != nullptr && value->is_int64()) return std::max<std::int64_t>(0, value->get_int64());
                if (value != nullptr && value->is_uint64()) return static_cast<std::int64_t>(value->get_uint64());
            }
        }
        return 0;
    }

    const graphql::Schema& schema_;
    const boost::json::object& variables_;
    std::map<std::string_view, const ast::Definition*> fragments_;
};

void shape_of(const std::vector<CostSelection>& selections, int depth, ConnectionShape& shape, bool in_list = false);

void shape_of_connection(const CostSelection& c, int depth, ConnectionShape& shape, bool in_list) {
    ++shape.connections;
    if (in_list) shape.connection_in_list = true;
    shape.max_depth = std::max(shape.max_depth, depth);
    const auto* nodes = node_selections(c);
    if (nodes == nullptr) return;
    ConnectionShape inner;
    shape_of(*nodes, depth + 1, inner);
    if (inner.connections > 0) {
        const bool has_id = std::any_of(nodes->begin(), nodes->end(), [](const CostSelection& s) {
            return s.kind == CostSelection::Kind::kLeaf && s.response_key == "id";
        });
        shape.parents_select_id = shape.parents_select_id && has_id && inner.parents_select_id;
    }
    shape.connections += inner.connections;
    shape.max_depth = std::max(shape.max_depth, inner.max_depth);
    shape.connection_in_list = shape.connection_in_list || inner.connection_in_list;
}

void shape_of(const std::vector<CostSelection>& selections, int depth, ConnectionShape& shape, bool in_list) {
    for (const auto& s : selections) {
        if (s.kind == CostSelection::Kind::kConnection) {
            shape_of_connection(s, depth, shape, in_list);
        } else if (s.kind == CostSelection::Kind::kObject) {
            shape_of(s.children, depth, shape, in_list || s.list);
        } else if (s.kind == CostSelection::Kind::kAlternatives) {
            for (const auto& c : s.children) shape_of(c.children, depth, shape, in_list);
        }
    }
}

}  // namespace

CostOperation cost_operation(const graphql::Schema& schema, const graphql::Document& document,
                             const graphql::ast::Definition& operation, const boost::json::object& variables) {
    CostOperation out;
    out.mutation = operation.operation == ast::OperationType::kMutation;
    const graphql::Type* root = schema.root_type(operation.operation);
    if (root == nullptr) return out;
    out.roots = Builder(schema, document, variables).selections(operation.selection_set, *root);
    return out;
}

const std::vector<CostSelection>* node_selections(const CostSelection& connection) {
    for (const auto& c : connection.children) {
        if (c.response_key == "nodes") return &c.children;
        if (c.response_key == "edges") {
            for (const auto& g : c.children) {
                if (g.response_key == "node") return &g.children;
            }
        }
    }
    return nullptr;
}

ConnectionShape connection_shape(const CostOperation& operation) {
    ConnectionShape shape;
    shape_of(operation.roots, 1, shape);
    return shape;
}

}  // namespace alatar::shopify_sim
