#pragma once
// Bulk query operations (reference §3.8): the checks bulkOperationRunQuery applies to the query, and the export
// itself: the query run over a whole Store, each connection node written as one JSON line, nested nodes with
// "__parentId". Like Shopify's files, a child line is not always next to its parent: some are moved to the end.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shopify_sim/admin_api.hpp"

namespace alatar::shopify_sim {

// nullopt when the query is acceptable; otherwise the userError message.
std::optional<std::string> check_bulk_query(const AdminApi& api, std::string_view query);

struct BulkExportOptions {
    std::uint64_t shuffle_seed = 1;
    double displaced_fraction = 0.15;  // share of child lines moved away from their parent
    std::size_t window = 2000;         // root nodes executed at a time (bounds memory on large shops)
    std::optional<std::vector<std::string>> scopes;
    Timestamp now = 0;
};

struct BulkExportResult {
    std::uint64_t object_count = 0;
    std::uint64_t root_object_count = 0;
    std::uint64_t file_size = 0;
    std::optional<std::string> error;  // the first GraphQL error (e.g. ACCESS_DENIED): the operation FAILED
};

// Writes the JSONL to `sink` in pieces. `cancelled` is polled between windows.
BulkExportResult run_bulk_export(const AdminApi& api, const Store& store, std::string_view query,
                                 const BulkExportOptions& options, const std::function<void(std::string_view)>& sink,
                                 const std::function<bool()>& cancelled = {});

}  // namespace alatar::shopify_sim
