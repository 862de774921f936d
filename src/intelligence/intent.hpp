#pragma once
// Offline intent classification: keyword and phrase scoring over a light-stemmed prompt, with an honest
// out_of_scope answer for what store data cannot answer, and the time window named in the prompt.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intelligence/calendar.hpp"

namespace alatar::intelligence {

enum class Intent {
    kSalesSummary,
    kSalesTrend,
    kSalesDropDiagnosis,
    kTopProducts,
    kSlowMovers,
    kInventoryRisk,
    kCustomerRetention,
    kDiscountSuggestion,
    kDescriptionImprovement,
    kPricingSuggestion,
    kOutOfScope
};

inline constexpr int kIntentCount = 11;

std::string_view intent_name(Intent intent) noexcept;  // "sales_summary", ...
std::optional<Intent> parse_intent(std::string_view name) noexcept;

// The analysed window and the one it is compared with.
struct PeriodSelection {
    DateWindow current;
    DateWindow comparison;
    std::string phrase;      // what the prompt said ("last week"), or "default"
    bool explicit_ = false;  // named in the prompt
};

// Window named in the prompt relative to `today` (the shop's local date): yesterday, today, last/this
// week, last N days/weeks/months, past week, last/this month, this/last year, year to date, a month name
// ("in October", "October 2024"), a quarter ("Q3", "Q3 2024"). nullopt when none is named.
std::optional<PeriodSelection> extract_period(std::string_view prompt, LocalDay today);

// The default window of an intent: last complete week for a drop diagnosis, else the last 30 days.
PeriodSelection default_period(Intent intent, LocalDay today);

struct IntentResult {
    Intent intent = Intent::kOutOfScope;
    double confidence = 0;          // 0..1
    std::vector<std::string> cues;  // the matched keywords, for the trace
    PeriodSelection period;
};

IntentResult classify(std::string_view prompt, LocalDay today);

// Lower-case, punctuation to spaces, and each word light-stemmed ("selling" -> "sell", "products" -> "product").
std::vector<std::string> normalize_words(std::string_view text);

}  // namespace alatar::intelligence
