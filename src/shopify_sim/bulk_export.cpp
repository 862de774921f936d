#include "shopify_sim/bulk_export.hpp"

#include <boost/json.hpp>

#include "graphql/cache.hpp"
#include "graphql/execution.hpp"
#include "shopify_sim/cost_adapter.hpp"
#include "shopify_sim/prng.hpp"

namespace alatar::shopify_sim {
namespace {

namespace json = boost::json;

struct Prepared {
    graphql::PreparedDocument document;
    const graphql::ast::Definition* operation = nullptr;
    CostOperation cost;
    std::optional<std::string> error;
};

Prepared prepare(const AdminApi& api, std::string_view query) {
    Prepared p;
    p.document = graphql::prepare_document(api.schema(), query, {}, {});
    if (!p.document.ok()) {
        p.error = p.document.errors.empty() ? std::string("Invalid bulk query") : p.document.errors.front().message;
        return p;
    }
    const auto selection = graphql::select_operation(*p.document.document, std::nullopt);
    if (selection.error) {
        p.error = selection.error->message;
        return p;
    }
    p.operation = selection.operation;
    p.cost = cost_operation(api.schema(), *p.document.document, *p.operation, {});
    return p;
}

// Moves the nested connections out of `obj` (recursing through plain objects) so that the line holds only the
// node's own fields.
void take_connections(const std::vector<CostSelection>& selections, json::object& obj,
                      std::vector<std::pair<const CostSelection*, json::value>>& found) {
    for (const auto& s : selections) {
        if (s.kind == CostSelection::Kind::kConnection) {
            if (auto* v = obj.if_contains(s.response_key)) {
                found.emplace_back(&s, std::move(*v));
                obj.erase(s.response_key);
            }
        } else if (s.kind == CostSelection::Kind::kObject) {
            if (auto* v = obj.if_contains(s.response_key); v != nullptr && v->is_object()) {
                take_connections(s.children, v->get_object(), found);
            }
        } else if (s.kind == CostSelection::Kind::kAlternatives) {
            for (const auto& c : s.children) take_connections(c.children, obj, found);
        }
    }
}

class Flattener {
  public:
    Flattener(const BulkExportOptions& options, const std::function<void(std::string_view)>& sink)
        : rng_(options.shuffle_seed), displaced_fraction_(options.displaced_fraction), sink_(sink) {}

    void connection(const CostSelection& sel, json::value& conn, const std::string* parent_id) {
        const auto* nodes_sel = node_selections(sel);
        static const std::vector<CostSelection> kNone;
        const auto& inner = nodes_sel != nullptr ? *nodes_sel : kNone;
        auto* obj = conn.if_object();
        if (obj == nullptr) return;
        if (auto* nodes = obj->if_contains("nodes"); nodes != nullptr && nodes->is_array()) {
            for (auto& n : nodes->get_array()) node(inner, n, parent_id);
        } else if (auto* edges = obj->if_contains("edges"); edges != nullptr && edges->is_array()) {
            for (auto& e : edges->get_array()) {
                if (auto* n = e.is_object() ? e.get_object().if_contains("node") : nullptr) node(inner, *n, parent_id);
            }
        }
    }

    void node(const std::vector<CostSelection>& selections, json::value& value, const std::string* parent_id) {
        if (!value.is_object()) return;
        json::object& obj = value.get_object();
        std::vector<std::pair<const CostSelection*, json::value>> nested;
        take_connections(selections, obj, nested);
        if (parent_id != nullptr) obj["__parentId"] = *parent_id;
        std::string line = json::serialize(obj);
        line += '\n';
        ++objects_;
        if (parent_id == nullptr) ++roots_;
        // Children sometimes land far from their parent, as in Shopify's files.
        if (parent_id != nullptr && rng_.bernoulli(displaced_fraction_)) {
            displaced_.push_back(std::move(line));
        } else {
            write(line);
        }
        const auto* id = obj.if_contains("id");
        const std::string own_id = id != nullptr && id->is_string() ? std::string(id->get_string()) : std::string();
        for (auto& [sel, conn] : nested) connection(*sel, conn, &own_id);
    }

    void finish() {
        for (const auto& line : displaced_) write(line);
        displaced_.clear();
    }

    std::uint64_t objects() const { return objects_; }
    std::uint64_t roots() const { return roots_; }
    std::uint64_t bytes() const { return bytes_; }

  private:
    void write(std::string_view line) {
        bytes_ += line.size();
        buffer_ += line;
        if (buffer_.size() > (1U << 20)) flush();
    }

  public:
    void flush() {
        if (!buffer_.empty()) sink_(buffer_);
        buffer_.clear();
    }

  private:
    Rng rng_;
    double displaced_fraction_;
    const std::function<void(std::string_view)>& sink_;
    std::vector<std::string> displaced_;
    std::string buffer_;
    std::uint64_t objects_ = 0;
    std::uint64_t roots_ = 0;
    std::uint64_t bytes_ = 0;
};

}  // namespace

std::optional<std::string> check_bulk_query(const AdminApi& api, std::string_view query) {
    const Prepared p = prepare(api, query);
    if (p.error) return p.error;
    if (p.operation->operation != graphql::ast::OperationType::kQuery) {
        return "Bulk queries cannot contain mutations.";
    }
    const ConnectionShape shape = connection_shape(p.cost);
    if (shape.connections == 0) return "Bulk queries must contain at least one connection.";
    if (shape.connections > 5) return "Bulk queries cannot contain more than 5 connections.";
    if (shape.max_depth > 2) return "Bulk queries cannot contain connections with a nesting depth greater than 2.";
    if (!shape.parents_select_id) return "The parent 'node' field for a nested connection must select the 'id' field.";
    if (shape.connection_in_list) {
        return "Queries that contain a connection field within a list field are not currently supported.";
    }
    return std::nullopt;
}

BulkExportResult run_bulk_export(const AdminApi& api, const Store& store, std::string_view query,
                                 const BulkExportOptions& options, const std::function<void(std::string_view)>& sink,
                                 const std::function<bool()>& cancelled) {
    BulkExportResult result;
    Prepared p = prepare(api, query);
    if (p.error) {
        result.error = p.error;
        return result;
    }
    Flattener flat(options, sink);
    // Root connections are executed in windows of root nodes (ApiContext::bulk_window) to bound memory.
    for (std::size_t offset = 0;; offset += options.window) {
        if (cancelled && cancelled()) break;
        ApiContext ctx;
        ctx.store = const_cast<Store*>(&store);  // read-only: no shop, so mutations refuse to run
        ctx.bulk = true;
        ctx.bulk_window = {offset, options.window};
        ctx.scopes = options.scopes;
        ctx.now = options.now;
        graphql::ExecutionRequest request;
        request.document = p.document.document;
        request.context = &ctx;
        json::object response = graphql::execute_sync(api.schema(), request);
        if (const auto* errors = response.if_contains("errors"); errors != nullptr && !errors->get_array().empty()) {
            result.error = json::value_to<std::string>(errors->get_array().front().at("message"));
            return result;
        }
        json::value& data = response["data"];
        std::size_t roots_in_window = 0;
        for (const auto& root : p.cost.roots) {
            auto* obj = data.if_object();
            auto* v = obj != nullptr ? obj->if_contains(root.response_key) : nullptr;
            if (v == nullptr) continue;
            if (root.kind == CostSelection::Kind::kConnection) {
                const std::uint64_t before = flat.roots();
                flat.connection(root, *v, nullptr);
                roots_in_window = std::max<std::size_t>(roots_in_window, flat.roots() - before);
            } else if (offset == 0 && root.kind == CostSelection::Kind::kObject) {
                flat.node(root.children, *v, nullptr);
            }
        }
        if (roots_in_window < options.window) break;
    }
    flat.finish();
    flat.flush();
    result.object_count = flat.objects();
    result.root_object_count = flat.roots();
    result.file_size = flat.bytes();
    return result;
}

}  // namespace alatar::shopify_sim
