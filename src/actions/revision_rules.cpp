#include "actions/revision_rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include "common/time.hpp"
#include "intelligence/calendar.hpp"

namespace alatar::actions {

namespace json = boost::json;
using intelligence::ActionKind;

namespace {

constexpr std::int64_t kMinDiscount = 5;
constexpr std::int64_t kDiscountStep = 5;
constexpr std::chrono::hours kWeek{24 * 7};
constexpr std::chrono::hours kMinDuration{24};
constexpr std::chrono::hours kMaxDuration{24 * 90};
constexpr std::size_t kShortListItems = 2;
constexpr std::string_view kExtraParagraph =
    "<p>Every order is packed with care and ships from our own stock. If it is not quite right, write to us and "
    "we will help you exchange or return it.</p>";

struct Words {
    std::string text;  // lower-cased feedback
    bool any(std::initializer_list<std::string_view> phrases) const {
        return std::any_of(phrases.begin(), phrases.end(),
                           [&](std::string_view p) { return text.find(p) != std::string::npos; });
    }
};

// Lower first: when the feedback says both, the smaller change is the safer reading.
bool wants_less(const Words& w) {
    return w.any({"too high", "too much", "too generous", "too big", "too large", "too many", "lower", "smaller",
                  "less", "fewer", "reduce", "cheaper"});
}
bool wants_more(const Words& w) {
    return w.any({"higher", "bigger", "larger", "more", "increase", "not enough", "too low", "too small"});
}

std::int64_t integer(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_number() ? std::llround(v->to_number<double>()) : 0;
}

std::string text(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string{};
}

std::string pct(std::int64_t p) { return std::to_string(p) + " %"; }

void revise_discount(json::object& p, const Words& w, intelligence::Instant now, RevisedParameters& out) {
    const std::int64_t before = integer(p, "percentage");
    std::int64_t after = before;
    if (wants_less(w)) {
        after = std::max(kMinDiscount, std::min(before - kDiscountStep, (before * 3) / 4));
        if (before <= kMinDiscount) after = before;
        out.matched = true;
    } else if (wants_more(w)) {
        after = std::min<std::int64_t>(intelligence::kMaxDiscountPercentage,
                                       std::max(before + kDiscountStep, (before * 5 + 3) / 4));
        out.matched = true;
    }
    auto starts = parse_rfc3339(text(p, "startsAt"));
    auto ends = parse_rfc3339(text(p, "endsAt"));
    std::string dates;
    if (starts && ends && *ends > *starts) {
        const SystemTime earliest = now + std::chrono::hours(1);
        auto duration = *ends - *starts;
        if (*starts < earliest) {  // rejected after its start had passed: the same window from tomorrow
            *starts = now + std::chrono::hours(24);
            dates = "from tomorrow";
        }
        if (w.any({"shorter", "too long"})) {
            duration = std::max<SystemTime::duration>(duration / 2, kMinDuration);
            dates = "half as long";
        } else if (w.any({"longer", "too short"})) {
            duration = std::min<SystemTime::duration>(duration * 2, kMaxDuration);
            dates = "twice as long";
        }
        if (w.any({"later", "next week", "postpone", "delay"})) {
            *starts += kWeek;
            dates += std::string(dates.empty() ? "" : ", ") + "a week later";
        } else if (w.any({"sooner", "earlier", "this week"})) {
            *starts = std::max(*starts - kWeek, earliest);
            dates += std::string(dates.empty() ? "" : ", ") + "starting sooner";
        }
        if (!dates.empty()) {
            out.matched = out.matched || dates != "from tomorrow";
            p["startsAt"] = intelligence::format_instant(std::chrono::time_point_cast<std::chrono::seconds>(*starts));
            p["endsAt"] =
                intelligence::format_instant(std::chrono::time_point_cast<std::chrono::seconds>(*starts + duration));
        }
    }
    if (!out.matched) after = std::max(kMinDiscount, std::min(before, before / 2));  // conservative: half
    p["percentage"] = after;
    const std::string code = revised_code(text(p, "code"));
    p["code"] = code;
    if (p.contains("title")) p["title"] = pct(after) + " off, code " + code;
    out.summary = "discount " + pct(before) + " -> " + pct(after);
    if (!dates.empty())
        out.summary += "; dates " + dates + " (" + text(p, "startsAt") + " to " + text(p, "endsAt") + ")";
    out.summary += "; new code " + code;
}

int decimals_of(std::string_view price) {
    const auto dot = price.find('.');
    return dot == std::string_view::npos ? 2 : static_cast<int>(std::min<std::size_t>(price.size() - dot - 1, 3));
}

std::string format_milli(std::int64_t milli, int decimals) {
    std::int64_t unit = 1;
    for (int i = decimals; i < 3; ++i) unit *= 10;
    const std::int64_t minor = (milli + unit / 2) / unit;
    std::int64_t scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    std::string out = std::to_string(minor / scale);
    if (decimals > 0) {
        std::string frac = std::to_string(minor % scale);
        out += "." + std::string(static_cast<std::size_t>(decimals) - frac.size(), '0') + frac;
    }
    return out;
}

void revise_price(json::object& p, const Words& w, RevisedParameters& out) {
    const std::string current_text = text(p, "currentPrice");
    const auto current = intelligence::parse_decimal_milli(current_text);
    const auto proposed = intelligence::parse_decimal_milli(text(p, "newPrice"));
    if (!current || !proposed) {
        out.summary = "the price could not be read; unchanged";
        return;
    }
    const std::int64_t change = *proposed - *current;
    std::int64_t revised = change / 2;
    if (!wants_less(w) && wants_more(w)) {
        revised = std::clamp<std::int64_t>(change * 3 / 2, -*current / 2, *current / 2);
        out.matched = true;
    } else {
        out.matched = wants_less(w);
    }
    const int decimals = decimals_of(current_text);
    std::string after = format_milli(*current + revised, decimals);
    if (after == format_milli(*current, decimals)) after = text(p, "newPrice");  // too small to halve
    out.summary =
        "price change " + current_text + " -> " + text(p, "newPrice") + " revised to " + current_text + " -> " + after;
    p["newPrice"] = after;
}

void revise_inventory(json::object& p, const Words& w, RevisedParameters& out) {
    const std::int64_t delta = integer(p, "delta");
    const std::int64_t available = integer(p, "currentAvailable");
    std::int64_t revised = delta / 2;
    if (!wants_less(w) && wants_more(w)) {
        revised = delta + delta / 2;
        out.matched = true;
    } else {
        out.matched = wants_less(w);
    }
    if (revised == 0) revised = delta > 0 ? 1 : -1;
    revised = std::max(revised, -available);  // never below zero
    if (revised == 0) revised = delta;
    p["delta"] = revised;
    out.summary = "adjustment " + std::to_string(delta) + " -> " + std::to_string(revised) + " units";
}

std::string shorter_html(const std::string& html) {
    std::string out;
    if (const auto p_end = html.find("</p>"); p_end != std::string::npos) out = html.substr(0, p_end + 4);
    if (const auto ul = html.find("<ul>"); ul != std::string::npos) {
        std::string items;
        std::size_t pos = ul;
        for (std::size_t i = 0; i < kShortListItems; ++i) {
            const auto b = html.find("<li>", pos);
            const auto e = b == std::string::npos ? b : html.find("</li>", b);
            if (e == std::string::npos) break;
            items += html.substr(b, e + 5 - b);
            pos = e + 5;
        }
        if (!items.empty()) out += "<ul>" + items + "</ul>";
    }
    return out.empty() || out.size() >= html.size() ? html : out;
}

void revise_text(json::object& p, std::string_view field, const Words& w, RevisedParameters& out) {
    const std::string before = text(p, field);
    std::string after = before;
    if (w.any({"shorter", "simpler", "too long", "shorten", "simplify", "concise", "less"})) {
        after = shorter_html(before);
        out.matched = true;
        out.summary = after == before ? "the text is already as short as the template makes it"
                                      : "the text trimmed to its first paragraph and " +
                                            std::to_string(kShortListItems) + " key points";
    } else if (w.any({"longer", "more detail", "too short", "extend", "expand", "more"})) {
        after = before + std::string(kExtraParagraph);
        out.matched = true;
        out.summary = "the text extended by a closing paragraph";
    } else {
        out.summary = "the text kept as it was";
    }
    p[field] = after;
}

}  // namespace

std::string revised_code(std::string_view code) {
    std::string base(code);
    int n = 1;
    if (const auto r = base.rfind("-R"); r != std::string::npos && r + 2 < base.size() &&
                                         std::all_of(base.begin() + static_cast<std::ptrdiff_t>(r) + 2, base.end(),
                                                     [](unsigned char c) { return std::isdigit(c) != 0; })) {
        n = std::stoi(base.substr(r + 2)) + 1;
        base.resize(r);
    }
    const std::string suffix = "-R" + std::to_string(n);
    constexpr std::size_t kMaxCode = 32;
    if (base.size() + suffix.size() > kMaxCode) base.resize(kMaxCode - suffix.size());
    return base + suffix;
}

RevisedParameters revise_parameters(ActionKind kind, const json::object& parameters, std::string_view feedback,
                                    intelligence::Instant now) {
    Words w;
    w.text.reserve(feedback.size());
    for (const char c : feedback) w.text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    RevisedParameters out;
    out.parameters = parameters;
    switch (kind) {
        case ActionKind::kCreateDiscountCode:
            revise_discount(out.parameters, w, now, out);
            break;
        case ActionKind::kUpdateProductPrice:
            revise_price(out.parameters, w, out);
            break;
        case ActionKind::kAdjustInventory:
            revise_inventory(out.parameters, w, out);
            break;
        case ActionKind::kUpdateProductDescription:
            revise_text(out.parameters, "descriptionHtml", w, out);
            break;
        case ActionKind::kDraftMarketingEmail:
            revise_text(out.parameters, "bodyHtml", w, out);
            break;
    }
    return out;
}

}  // namespace alatar::actions
