#pragma once
// The ground-truth export: every generated entity as JSON Lines plus planted.json, so evaluations can
// compute any KPI independently of the simulator's API. The layout and conventions are described in the
// manifest.json it writes (money as decimal strings in the shop currency, times as UTC RFC 3339).
#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "shopify_sim/store_model.hpp"

namespace alatar::shopify_sim {

inline constexpr std::string_view kExportFormatVersion = "1";

struct ExportSummary {
    std::vector<std::pair<std::string, std::size_t>> files;  // file name, number of records
};

// planted.json's content (also served by the simulator's admin endpoint).
std::string planted_json(const Store& store);

// Writes the export into `dir` (created when missing; existing files are replaced).
// Throws std::runtime_error when a file cannot be written.
ExportSummary export_ground_truth(const Store& store, const std::filesystem::path& dir);

}  // namespace alatar::shopify_sim
