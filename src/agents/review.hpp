#pragma once
// The orchestrator's final review: from the finished tasks, the AnalysisResult (summary, the intelligence KPIs
// with previous period and provenance (formula id, window), its Vega-Lite charts with inlined data plus the top
// products bar chart, recommendations with their proposals, data window) and the verdict.
// A failed essential task fails the request with a clear message; a failed optional task leaves a
// partial result whose summary says what is missing.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

namespace alatar::agents {

struct FinishedTask {
    std::string name;
    std::string status;  // SUCCEEDED, FAILED, CANCELLED
    boost::json::object output;
    std::optional<std::string> error;
    bool essential{false};
};

struct ReviewOutcome {
    bool completed{false};
    std::string error;  // when !completed
    std::vector<std::string> missing;
    std::string summary;
    boost::json::array kpis;
    boost::json::array visualizations;
    boost::json::array recommendations;
};

// `meta`: the plan's {"intent", "period", "window_from", "window_to", ...} as the orchestrator stored it.
ReviewOutcome review(const std::vector<FinishedTask>& tasks, const boost::json::object& meta);

}  // namespace alatar::agents
