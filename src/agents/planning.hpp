#pragma once
// The orchestrator's planning step with the offline reasoner: the intent and time window of the prompt
// (intelligence::classify) become a list of department tasks with their tool calls and dependencies.
// Every number later shown comes from the tools; planning only decides what to compute.
#include <boost/json/array.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.hpp"

namespace alatar::agents {

struct PlannedTask {
    std::string name;  // unique within the plan; dependencies and the review refer to it
    std::string department;
    boost::json::array calls;  // [{"tool": name, "input": {...}}]
    std::vector<std::string> depends_on;
    bool essential{false};  // without it the request fails instead of completing with partial results
};

struct AnalysisPlan {
    std::string intent;
    double confidence{0};
    std::string period_phrase;  // "last month"
    std::string window_from;    // RFC 3339 UTC, inclusive
    std::string window_to;      // exclusive
    std::string first_day;      // local days of the window, both ends included
    std::string last_day;
    std::vector<PlannedTask> tasks;
};

// Throws std::invalid_argument for a time zone the tz database does not know.
AnalysisPlan make_plan(std::string_view prompt, std::string_view shop_timezone, SystemTime now);

// Task name -> human label used in partial-result messages ("top products").
std::string task_label(std::string_view task_name);

}  // namespace alatar::agents
