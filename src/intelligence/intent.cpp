#include "intelligence/intent.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace alatar::intelligence {

namespace {

constexpr std::array<std::string_view, kIntentCount> kNames{
    "sales_summary",      "sales_trend",         "sales_drop_diagnosis",
    "top_products",       "slow_movers",         "inventory_risk",
    "customer_retention", "discount_suggestion", "description_improvement",
    "pricing_suggestion", "out_of_scope"};

struct Cue {
    std::string_view phrase;
    double weight;
};

// Cues per intent, written naturally and stemmed at match time with the same normalisation as the prompt.
const std::vector<Cue>& cues_for(Intent intent) {
    static const std::array<std::vector<Cue>, kIntentCount> kCues{{
        // sales_summary
        {{"sales", 2},
         {"revenue", 2},
         {"how did", 1},
         {"how much", 1.5},
         {"how many", 1},
         {"summary", 2.5},
         {"summarize", 2.5},
         {"overview", 2.5},
         {"performance", 1.5},
         {"kpi", 2.5},
         {"report", 1.5},
         {"doing", 1},
         {"sold", 1},
         {"total", 1},
         {"make", 1},
         {"earn", 2},
         {"net sales", 1},
         {"aov", 3},
         {"average order value", 3},
         {"orders", 1.5},
         {"income", 2},
         {"numbers", 1.5},
         {"turnover", 2},
         {"store do", 2}},
        // sales_trend
        {{"trend", 3.5},
         {"over time", 3},
         {"growing", 2.5},
         {"growth", 2},
         {"chart", 2},
         {"graph", 2},
         {"plot", 2},
         {"daily", 1.5},
         {"weekly", 1.5},
         {"forecast", 4},
         {"predict", 4},
         {"projection", 4},
         {"next month", 2.5},
         {"next week", 2.5},
         {"seasonal", 2.5},
         {"seasonality", 3},
         {"trajectory", 3},
         {"spike", 3},
         {"anomaly", 4},
         {"unusual", 3},
         {"going", 1},
         {"expect", 2},
         // Questions about the future are forecasts, even when they name a sales figure.
         {"next four weeks", 3},
         {"next 4 weeks", 3},
         {"coming weeks", 3},
         {"outlook", 3},
         {"will be", 2}},
        // sales_drop_diagnosis
        {{"why", 2.5},
         {"drop", 3.5},
         {"decline", 3.5},
         {"down", 2},
         {"fell", 3.5},
         {"fall", 3},
         {"decrease", 3.5},
         {"lower", 2},
         {"dip", 3.5},
         {"worse", 2.5},
         {"slump", 3.5},
         {"what happened", 3},
         {"explain", 1.5},
         {"cause", 2.5},
         {"reason", 2.5},
         {"lost", 1.5},
         {"plunge", 3.5},
         {"tank", 3},
         {"bad week", 3}},
        // top_products
        {{"best", 3},
         {"top", 3},
         {"bestseller", 4},
         {"best seller", 1},
         {"most popular", 3},
         {"popular", 2},
         {"selling", 1},
         {"product", 1},
         {"item", 1},
         {"sell most", 2},
         {"highest", 1.5},
         {"winner", 2.5},
         {"star", 2}},
        // slow_movers
        {{"slow", 3},
         {"not selling", 4},
         {"worst", 3.5},
         {"least", 3},
         {"bottom", 3},
         {"dead stock", 4},
         {"underperform", 3.5},
         {"overstock", 4},
         {"excess", 3},
         {"stuck", 2.5},
         {"sitting", 2.5},
         {"nobody buy", 4},
         {"don t sell", 4},
         {"doesn t sell", 4},
         {"laggard", 3.5}},
        // inventory_risk
        {{"inventory", 3.5},
         {"stock", 2.5},
         {"stockout", 4.5},
         {"stockouts", 4.5},
         {"out of stock", 4.5},
         {"run out", 4.5},
         {"restock", 4},
         {"reorder", 4},
         {"replenish", 4},
         {"sell out", 3.5},
         {"days of cover", 4.5},
         {"warehouse", 2.5},
         {"supply", 2.5},
         {"low stock", 4},
         {"units left", 3}},
        // customer_retention
        {{"customer", 2},
         {"retention", 4.5},
         {"retain", 4},
         {"repeat", 3.5},
         {"returning", 2.5},
         {"come back", 3.5},
         {"churn", 4.5},
         {"loyal", 3.5},
         {"loyalty", 3.5},
         {"cohort", 4.5},
         {"lifetime value", 4.5},
         {"clv", 4.5},
         {"ltv", 4.5},
         {"new customer", 1.5},
         {"lapsed", 3.5},
         {"win back", 4},
         {"buy again", 3.5},
         {"shopper", 1.5},
         {"buyer", 1.5}},
        // discount_suggestion
        {{"discount", 4},
         {"promotion", 4},
         {"promo", 4},
         {"coupon", 4},
         {"code", 1.5},
         {"offer", 2.5},
         {"percent off", 3.5},
         {"deal", 2.5},
         {"campaign", 2},
         {"black friday", 3.5},
         {"markdown", 3.5},
         {"clearance", 3.5},
         {"sale", 1}},
        // description_improvement
        {{"description", 4.5},
         {"copy", 3},
         {"rewrite", 4},
         {"write", 2},
         {"listing", 2.5},
         {"product page", 3.5},
         {"wording", 3.5},
         {"seo", 3.5},
         {"refund", 2.5},
         {"returned", 2.5},
         {"return rate", 3},
         {"improve", 1.5},
         {"text", 1.5},
         {"describe", 3.5}},
        // pricing_suggestion
        {{"price", 4},
         {"pricing", 4.5},
         {"priced", 4},
         {"margin", 4},
         {"raise", 2},
         {"charge", 3},
         {"expensive", 3},
         {"cheap", 3},
         {"profit", 3},
         {"profitable", 3},
         {"cost", 1.5},
         {"underpriced", 4.5},
         {"overpriced", 4.5}},
        // out_of_scope: questions store data cannot answer
        {{"weather", 6},
         {"stock market", 6},
         {"bitcoin", 6},
         {"crypto", 6},
         {"joke", 6},
         {"poem", 6},
         {"recipe", 6},
         {"competitor", 5},
         {"competition", 5},
         {"visitor", 5},
         {"traffic", 5},
         {"session", 5},
         {"conversion rate", 6},
         {"bounce", 5},
         {"facebook", 5},
         {"instagram", 5},
         {"tiktok", 5},
         {"google ads", 6},
         {"ad spend", 6},
         {"ads", 4},
         {"employee", 5},
         {"salary", 5},
         {"hire", 4},
         {"lawyer", 6},
         {"legal", 5},
         {"tax return", 6},
         {"capital of", 6},
         {"president", 6},
         {"translate", 5},
         {"meaning of life", 6},
         {"open rate", 6},
         {"football", 6},
         {"movie", 6},
         {"song", 5},
         {"horoscope", 6},
         {"interest rate", 6},
         {"amazon", 4},
         {"news", 4},
         {"population", 6}},
    }};
    return kCues[static_cast<std::size_t>(intent)];
}

std::string stem(std::string word) {
    auto ends = [&](std::string_view s) { return word.size() > s.size() + 2 && word.ends_with(s); };
    if (word.size() <= 3) return word;
    if (ends("ies")) return word.substr(0, word.size() - 3) + "y";
    if (ends("ing")) {
        word.resize(word.size() - 3);
        // "selling" -> "sell", "running" -> "run"
        if (word.size() >= 3 && word[word.size() - 1] == word[word.size() - 2] && word.back() != 'l' &&
            word.back() != 's') {
            word.pop_back();
        }
        return word;
    }
    if (ends("ed") && !word.ends_with("eed")) return word.substr(0, word.size() - 2);
    if (ends("ly")) return word.substr(0, word.size() - 2);
    if (word.ends_with("s") && !word.ends_with("ss") && !word.ends_with("us") && word.size() > 3) {
        return word.substr(0, word.size() - 1);
    }
    return word;
}

std::string join(const std::vector<std::string>& words) {
    std::string out = " ";
    for (const auto& w : words) out += w + " ";
    return out;
}

// The cues stemmed once: " word word " needles to find in the stemmed prompt on word boundaries.
const std::array<std::vector<std::string>, kIntentCount>& needles() {
    static const auto kNeedles = [] {
        std::array<std::vector<std::string>, kIntentCount> out;
        for (int i = 0; i < kIntentCount; ++i) {
            for (const Cue& cue : cues_for(static_cast<Intent>(i))) {
                out[static_cast<std::size_t>(i)].push_back(join(normalize_words(cue.phrase)));
            }
        }
        return out;
    }();
    return kNeedles;
}

// ---- Time windows ----

std::string lower(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        out += std::isalnum(static_cast<unsigned char>(c))
                   ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                   : ' ';
    }
    return " " + out + " ";
}

std::vector<std::string> raw_words(const std::string& text) {
    std::vector<std::string> words;
    std::string cur;
    for (const char c : text) {
        if (c == ' ') {
            if (!cur.empty()) words.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) words.push_back(std::move(cur));
    return words;
}

std::optional<int> to_int(std::string_view s) {
    int v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<int> number_word(std::string_view s) {
    static constexpr std::array<std::string_view, 13> kWords{
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"};
    for (std::size_t i = 0; i < kWords.size(); ++i) {
        if (kWords[i] == s) return static_cast<int>(i);
    }
    return to_int(s);
}

LocalDay monday_of(LocalDay d) { return d - (date::weekday{d} - date::Monday); }

DateWindow month_window(date::year_month ym) { return {LocalDay{ym / 1}, LocalDay{ym / date::last}}; }

PeriodSelection month_selection(date::year_month ym, std::string phrase) {
    return {month_window(ym), month_window(ym - date::months{1}), std::move(phrase), true};
}

std::optional<int> month_of(std::string_view w, bool strict_only) {
    static constexpr std::array<std::string_view, 12> kFull{"january",   "february", "march",    "april",
                                                            "may",       "june",     "july",     "august",
                                                            "september", "october",  "november", "december"};
    static constexpr std::array<std::string_view, 12> kShort{"jan", "feb", "mar", "apr", "may", "jun",
                                                             "jul", "aug", "sep", "oct", "nov", "dec"};
    for (std::size_t i = 0; i < 12; ++i) {
        // "may" and "march" are also ordinary words: they count only after "in", "during", ... or before a year.
        const bool ambiguous = kFull[i] == "may" || kFull[i] == "march";
        if (w == kFull[i] && (!ambiguous || !strict_only)) return static_cast<int>(i) + 1;
        if (w == kShort[i] && kShort[i] != "may" && kShort[i] != "mar" && !strict_only) return static_cast<int>(i) + 1;
        if (w == "sept" && i == 8) return 9;
    }
    return std::nullopt;
}

}  // namespace

std::string_view intent_name(Intent intent) noexcept { return kNames[static_cast<std::size_t>(intent)]; }

std::optional<Intent> parse_intent(std::string_view name) noexcept {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == name) return static_cast<Intent>(i);
    }
    return std::nullopt;
}

std::vector<std::string> normalize_words(std::string_view text) {
    std::vector<std::string> out;
    for (auto& w : raw_words(lower(text))) out.push_back(stem(std::move(w)));
    return out;
}

PeriodSelection default_period(Intent intent, LocalDay today) {
    if (intent == Intent::kSalesDropDiagnosis) {
        const LocalDay monday = monday_of(today) - date::days{7};
        const DateWindow week{monday, monday + date::days{6}};
        return {week, week.preceding(), "default: last complete week", false};
    }
    const DateWindow last30{today - date::days{30}, today - date::days{1}};
    return {last30, last30.preceding(), "default: last 30 days", false};
}

std::optional<PeriodSelection> extract_period(std::string_view prompt, LocalDay today) {
    const std::string text = lower(prompt);
    const auto words = raw_words(text);
    auto has = [&](std::string_view phrase) { return text.find(" " + std::string(phrase) + " ") != std::string::npos; };
    const date::year_month_day ymd{today};
    const date::year_month this_month{ymd.year(), ymd.month()};

    // "last|past|previous N days|weeks|months"
    for (std::size_t i = 0; i + 2 < words.size(); ++i) {
        if (words[i] != "last" && words[i] != "past" && words[i] != "previous") continue;
        const auto n = number_word(words[i + 1]);
        if (!n || *n <= 0 || *n > 3660) continue;
        const std::string& unit = words[i + 2];
        DateWindow w{today - date::days{1}, today - date::days{1}};
        if (unit == "day" || unit == "days") {
            w.first = today - date::days{*n};
        } else if (unit == "week" || unit == "weeks") {
            w.first = today - date::days{7 * *n};
        } else if (unit == "month" || unit == "months") {
            w.first = LocalDay{date::year_month_day{today} - date::months{*n}};
        } else {
            continue;
        }
        return PeriodSelection{w, w.preceding(), words[i] + " " + words[i + 1] + " " + unit, true};
    }
    if (has("yesterday")) {
        const DateWindow w{today - date::days{1}, today - date::days{1}};
        return PeriodSelection{w, w.preceding(), "yesterday", true};
    }
    if (has("last week") || has("previous week")) {
        const LocalDay monday = monday_of(today) - date::days{7};
        const DateWindow w{monday, monday + date::days{6}};
        return PeriodSelection{w, w.preceding(), "last week", true};
    }
    if (has("past week")) {
        const DateWindow w{today - date::days{7}, today - date::days{1}};
        return PeriodSelection{w, w.preceding(), "past week", true};
    }
    if (has("this week")) {
        const DateWindow w{monday_of(today), today};
        return PeriodSelection{w, w.shifted(date::days{-7}), "this week", true};
    }
    if (has("last month") || has("previous month")) return month_selection(this_month - date::months{1}, "last month");
    if (has("this month") || has("month to date")) {
        const DateWindow w{LocalDay{this_month / 1}, today};
        return PeriodSelection{w, w.preceding(), "this month", true};
    }
    if (has("this year") || has("year to date") || has("ytd")) {
        const DateWindow w{LocalDay{ymd.year() / 1 / 1}, today};
        const date::year_month_day last_year_same{ymd.year() - date::years{1}, ymd.month(), ymd.day()};
        const DateWindow prev{LocalDay{(ymd.year() - date::years{1}) / 1 / 1},
                              LocalDay{last_year_same.ok() ? last_year_same
                                                           : date::year_month_day{(ymd.year() - date::years{1}) /
                                                                                  ymd.month() / date::last}}};
        return PeriodSelection{w, prev, "this year", true};
    }
    if (has("last year") || has("previous year")) {
        const auto y = ymd.year() - date::years{1};
        const DateWindow w{LocalDay{y / 1 / 1}, LocalDay{y / 12 / 31}};
        const DateWindow prev{LocalDay{(y - date::years{1}) / 1 / 1}, LocalDay{(y - date::years{1}) / 12 / 31}};
        return PeriodSelection{w, prev, "last year", true};
    }
    if (has("today")) {
        const DateWindow w{today, today};
        return PeriodSelection{w, w.preceding(), "today", true};
    }
    // Quarters: "q3", "q3 2024", "third quarter"
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (w.size() != 2 || w[0] != 'q' || w[1] < '1' || w[1] > '4') continue;
        const int q = w[1] - '0';
        date::year year = ymd.year();
        std::optional<int> explicit_year;
        if (i + 1 < words.size()) explicit_year = to_int(words[i + 1]);
        if (explicit_year && *explicit_year > 1900 && *explicit_year < 3000) {
            year = date::year{*explicit_year};
        } else if (LocalDay{year / date::month{static_cast<unsigned>(3 * q - 2)} / 1} > today) {
            year -= date::years{1};  // the most recent such quarter that has started
        }
        const date::year_month first{year, date::month{static_cast<unsigned>(3 * q - 2)}};
        const DateWindow cur{LocalDay{first / 1}, LocalDay{(first + date::months{2}) / date::last}};
        const date::year_month prev_first = first - date::months{3};
        const DateWindow prev{LocalDay{prev_first / 1}, LocalDay{(prev_first + date::months{2}) / date::last}};
        return PeriodSelection{cur, prev, "Q" + std::to_string(q) + " " + std::to_string(static_cast<int>(year)), true};
    }
    // Month names: "in October", "October 2024", "during may"
    for (std::size_t i = 0; i < words.size(); ++i) {
        const bool after_preposition =
            i > 0 && (words[i - 1] == "in" || words[i - 1] == "during" || words[i - 1] == "for" ||
                      words[i - 1] == "of" || words[i - 1] == "since");
        std::optional<int> explicit_year;
        if (i + 1 < words.size()) explicit_year = to_int(words[i + 1]);
        const bool before_year = explicit_year && *explicit_year > 1900 && *explicit_year < 3000;
        const auto m = month_of(words[i], !(after_preposition || before_year));
        if (!m) continue;
        date::year year = ymd.year();
        if (before_year) {
            year = date::year{*explicit_year};
        } else if (LocalDay{year / date::month{static_cast<unsigned>(*m)} / 1} > today) {
            year -= date::years{1};
        }
        return month_selection({year, date::month{static_cast<unsigned>(*m)}},
                               words[i] + (before_year ? " " + words[i + 1] : ""));
    }
    return std::nullopt;
}

IntentResult classify(std::string_view prompt, LocalDay today) {
    const std::string haystack = join(normalize_words(prompt));
    std::array<double, kIntentCount> score{};
    IntentResult result;
    for (int i = 0; i < kIntentCount; ++i) {
        const auto& cues = cues_for(static_cast<Intent>(i));
        const auto& stemmed = needles()[static_cast<std::size_t>(i)];
        for (std::size_t k = 0; k < cues.size(); ++k) {
            if (stemmed[k].size() > 2 && haystack.find(stemmed[k]) != std::string::npos) {
                score[static_cast<std::size_t>(i)] += cues[k].weight;
                result.cues.emplace_back(cues[k].phrase);
            }
        }
    }
    const auto oos = static_cast<std::size_t>(Intent::kOutOfScope);
    std::size_t best = 0;
    std::size_t second = 1;
    for (std::size_t i = 0; i < oos; ++i) {
        if (score[i] > score[best]) best = i;
    }
    for (std::size_t i = 0; i < oos; ++i) {
        if (i != best && (second == best || score[i] > score[second])) second = i;
    }
    constexpr double kMinScore = 2.0;
    if (score[best] < kMinScore || score[oos] >= score[best]) {
        result.intent = Intent::kOutOfScope;
        result.confidence = score[oos] > 0 ? std::min(0.95, 0.6 + 0.05 * score[oos]) : 0.6;
    } else {
        result.intent = static_cast<Intent>(best);
        const double margin = (score[best] - score[second]) / score[best];
        const double strength = std::min(1.0, score[best] / 6.0);
        result.confidence = std::min(0.99, 0.35 + 0.4 * margin + 0.25 * strength);
    }
    auto period = extract_period(prompt, today);
    result.period = period ? *period : default_period(result.intent, today);
    return result;
}

}  // namespace alatar::intelligence
