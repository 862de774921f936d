// The full KPI pack (every formula, series, anomalies, forecast, drivers, rankings, inventory, refunds,
// discounts, cohorts) over the simulator's large profile: 200k orders. Goal: <= 200 ms per pack.
// Run: build-bench/bench/intelligence/intelligence_bench (Release build, -DALATAR_BUILD_BENCH=ON).
#include <benchmark/benchmark.h>

#include <memory>

#include "intelligence/analyze.hpp"
#include "intelligence/sim_adapter.hpp"
#include "shopify_sim/generator.hpp"

namespace {

using namespace alatar::intelligence;

struct Fixture {
    std::unique_ptr<Dataset> ds;
    Instant now;
};

const Fixture& fixture() {
    static const Fixture kFixture = [] {
        alatar::shopify_sim::GeneratorOptions opts;
        opts.profile = alatar::shopify_sim::Profile::kLarge;
        opts.seed = 42;
        opts.today = alatar::shopify_sim::date_from_civil({2025, 3, 12});
        const auto sim = alatar::shopify_sim::generate_store(opts);
        Fixture f;
        f.ds = std::make_unique<Dataset>(testing::from_sim(sim));
        f.now = testing::instant(sim.info.history_end) + std::chrono::hours{10};
        return f;
    }();
    return kFixture;
}

PeriodSelection period_of(Intent intent) {
    const auto& f = fixture();
    return default_period(intent, f.ds->clock().day_of(f.now));
}

void BM_KpiPackLast30Days(benchmark::State& state) {
    const auto& f = fixture();
    const auto period = period_of(Intent::kSalesSummary);
    state.counters["orders"] = static_cast<double>(f.ds->orders().size());
    for (auto _ : state) benchmark::DoNotOptimize(compute_kpi_pack(*f.ds, period));
}
BENCHMARK(BM_KpiPackLast30Days)->Unit(benchmark::kMillisecond);

void BM_KpiPackLastYear(benchmark::State& state) {
    const auto& f = fixture();
    const auto today = f.ds->clock().day_of(f.now);
    const DateWindow year{today - date::days{365}, today - date::days{1}};
    const PeriodSelection period{year, year.preceding(), "last 365 days", true};
    for (auto _ : state) benchmark::DoNotOptimize(compute_kpi_pack(*f.ds, period));
}
BENCHMARK(BM_KpiPackLastYear)->Unit(benchmark::kMillisecond);

void BM_AnalyzeSalesDrop(benchmark::State& state) {
    const auto& f = fixture();
    const auto period = period_of(Intent::kSalesDropDiagnosis);
    for (auto _ : state) benchmark::DoNotOptimize(analyze(*f.ds, Intent::kSalesDropDiagnosis, period, f.now));
}
BENCHMARK(BM_AnalyzeSalesDrop)->Unit(benchmark::kMillisecond);

// Building the column arrays from the raw data (once per analysis, before the pack).
void BM_BuildDataset(benchmark::State& state) {
    const auto& f = fixture();
    for (auto _ : state) {
        Dataset copy(f.ds->raw());
        benchmark::DoNotOptimize(copy.orders().size());
    }
}
BENCHMARK(BM_BuildDataset)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
