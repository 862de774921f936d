#pragma once
// Plans of the offline reasoner: per intent, which department runs which tool with which input, as data
// the agent runtime executes (and the LLM planner's output is checked against).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "intelligence/intent.hpp"

namespace alatar::intelligence {

namespace department {
inline constexpr std::string_view kDataRetrieval = "data_retrieval";
inline constexpr std::string_view kQuantitative = "quantitative_analysis";
inline constexpr std::string_view kQualitative = "qualitative_analysis";
inline constexpr std::string_view kRecommendation = "recommendation_generation";
}  // namespace department

struct PlannedTask {
    std::string id;  // "t1", "t2", ...
    std::string department;
    std::string tool;  // a name run_tool() knows
    boost::json::object input;
    std::vector<std::string> depends_on;
};

std::vector<PlannedTask> plan(Intent intent, const PeriodSelection& period);
boost::json::array to_json(const std::vector<PlannedTask>& tasks);

// {"current":{"firstDay","lastDay"},"comparison":{...}} as tools take it.
boost::json::object period_json(const PeriodSelection& period);

}  // namespace alatar::intelligence
