#include "intelligence/planner.hpp"

namespace alatar::intelligence {

namespace {

boost::json::object days_json(const DateWindow& w) {
    return {{"firstDay", format_day(w.first)}, {"lastDay", format_day(w.last)}};
}

class PlanBuilder {
  public:
    explicit PlanBuilder(const PeriodSelection& period) : period_(period_json(period)) {}

    std::string add(std::string_view department, std::string_view tool, const boost::json::object& extra = {},
                    std::vector<std::string> depends_on = {}) {
        boost::json::object input = period_;
        for (auto& [k, v] : extra) input[k] = v;
        std::string id = "t" + std::to_string(tasks_.size() + 1);
        if (depends_on.empty() && !tasks_.empty()) depends_on.push_back("t1");
        tasks_.push_back({id, std::string(department), std::string(tool), std::move(input), std::move(depends_on)});
        return id;
    }
    std::vector<std::string> all_after_load() const {
        std::vector<std::string> ids;
        for (std::size_t i = 1; i < tasks_.size(); ++i) ids.push_back(tasks_[i].id);
        return ids;
    }
    std::vector<PlannedTask> take() { return std::move(tasks_); }

  private:
    boost::json::object period_;
    std::vector<PlannedTask> tasks_;
};

}  // namespace

boost::json::object period_json(const PeriodSelection& period) {
    return {{"current", days_json(period.current)}, {"comparison", days_json(period.comparison)}};
}

std::vector<PlannedTask> plan(Intent intent, const PeriodSelection& period) {
    using namespace department;
    PlanBuilder b(period);
    if (intent == Intent::kOutOfScope) {
        b.add(kQualitative, "decline_out_of_scope");
        return b.take();
    }
    b.add(kDataRetrieval, "load_store_data");
    switch (intent) {
        case Intent::kSalesSummary:
            b.add(kQuantitative, "sales_kpis");
            b.add(kQuantitative, "customer_kpis");
            b.add(kQuantitative, "daily_series", {{"metric", "net_sales"}});
            break;
        case Intent::kSalesTrend:
            b.add(kQuantitative, "sales_kpis");
            b.add(kQuantitative, "daily_series", {{"metric", "net_sales"}});
            b.add(kQuantitative, "weekly_series", {{"metric", "net_sales"}});
            b.add(kQuantitative, "anomaly_detection", {{"metric", "net_sales"}});
            b.add(kQuantitative, "forecast", {{"metric", "net_sales"}, {"horizonDays", 28}});
            break;
        case Intent::kSalesDropDiagnosis:
            b.add(kQuantitative, "sales_kpis");
            b.add(kQuantitative, "driver_decomposition");
            b.add(kQuantitative, "daily_series", {{"metric", "net_sales"}});
            b.add(kQuantitative, "inventory_risk");
            break;
        case Intent::kTopProducts:
            b.add(kQuantitative, "product_ranking", {{"rankBy", "revenue"}, {"order", "top"}, {"limit", 10}});
            b.add(kQuantitative, "product_ranking", {{"rankBy", "growth"}, {"order", "top"}, {"limit", 10}});
            b.add(kQuantitative, "product_type_sales");
            break;
        case Intent::kSlowMovers:
            b.add(kQuantitative, "product_ranking", {{"rankBy", "units"}, {"order", "bottom"}, {"limit", 10}});
            b.add(kQuantitative, "slow_movers");
            break;
        case Intent::kInventoryRisk:
            b.add(kQuantitative, "inventory_risk");
            b.add(kQuantitative, "sell_through");
            break;
        case Intent::kCustomerRetention:
            b.add(kQuantitative, "customer_kpis");
            b.add(kQuantitative, "cohort_retention", {{"months", 12}});
            break;
        case Intent::kDiscountSuggestion:
            b.add(kQuantitative, "discount_effectiveness");
            b.add(kQuantitative, "slow_movers");
            break;
        case Intent::kDescriptionImprovement:
            b.add(kQuantitative, "refund_rate_by_product");
            break;
        case Intent::kPricingSuggestion:
            b.add(kQuantitative, "product_ranking", {{"rankBy", "revenue"}, {"order", "top"}, {"limit", 10}});
            break;
        case Intent::kOutOfScope:
            break;
    }
    const auto analyses = b.all_after_load();
    b.add(kQualitative, "narrative", {{"intent", intent_name(intent)}}, analyses);
    if (intent != Intent::kSalesSummary && intent != Intent::kSalesTrend) {
        b.add(kRecommendation, "recommendations", {{"intent", intent_name(intent)}}, analyses);
    }
    return b.take();
}

boost::json::array to_json(const std::vector<PlannedTask>& tasks) {
    boost::json::array out;
    for (const auto& t : tasks) {
        boost::json::array deps;
        for (const auto& d : t.depends_on) deps.emplace_back(d);
        out.push_back(boost::json::object{{"id", t.id},
                                          {"department", t.department},
                                          {"tool", t.tool},
                                          {"input", t.input},
                                          {"dependsOn", std::move(deps)}});
    }
    return out;
}

}  // namespace alatar::intelligence
