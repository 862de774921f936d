#pragma once
// Recommendation rules of the offline reasoner. Each recommendation has a rationale built from computed
// numbers, an expected impact, and ActionProposals whose parameters passed validate_proposal():
//   stockout of a top seller        -> ADJUST_INVENTORY (restock to 28 days of cover)
//   overstocked slow mover          -> CREATE_DISCOUNT_CODE (that product, starting tomorrow, 14 days)
//   high refund rate, thin copy     -> UPDATE_PRODUCT_DESCRIPTION (templated from product attributes)
//   low margin on a steady seller   -> UPDATE_PRODUCT_PRICE (towards a 40 % margin, at most +15 %)
//   lapsed customers                -> DRAFT_MARKETING_EMAIL (+ a store-wide win-back code)
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "intelligence/dataset.hpp"
#include "intelligence/intent.hpp"
#include "intelligence/proposal_validator.hpp"

namespace alatar::intelligence {

struct FieldChange {
    std::string target;  // e.g. the product title
    std::string field;
    std::string before;
    std::string after;
};

struct Proposal {
    std::string id;
    ActionKind kind = ActionKind::kCreateDiscountCode;
    std::string title;
    std::string description;
    boost::json::object parameters;  // as normalised by the validator
    std::vector<FieldChange> preview;
};

struct Recommendation {
    std::string id;
    std::string title;
    std::string rationale;
    std::string expected_impact;
    std::vector<Proposal> proposals;
};

struct RuleContext {
    const Dataset& ds;
    DateWindow window;  // the analysed window; "now" rules look at the 28 days ending with it
    Instant now;
    std::optional<DateWindow> comparison{};  // the window it is compared with; the preceding one when unset
};

std::vector<Recommendation> stockout_rule(const RuleContext& ctx, std::size_t top_n = 10);
std::vector<Recommendation> overstock_rule(const RuleContext& ctx, std::size_t max = 3);
std::vector<Recommendation> description_rule(const RuleContext& ctx, std::size_t max = 3);
std::vector<Recommendation> pricing_rule(const RuleContext& ctx, std::size_t max = 3);
std::vector<Recommendation> winback_rule(const RuleContext& ctx);
// Products whose net sales fell most against the comparison window while still in stock (a stockout is the
// stockout rule's case): a short product discount to win back demand.
std::vector<Recommendation> demand_recovery_rule(const RuleContext& ctx, std::size_t max = 2);

// The rules that fit an intent, in order of urgency.
std::vector<Recommendation> recommend(const RuleContext& ctx, Intent intent);

// The GraphQL shapes: Recommendation {id,title,rationale,expectedImpact,proposals[ActionProposal]}.
boost::json::object to_json(const Recommendation& recommendation, Instant now);
std::vector<std::string> required_scopes(ActionKind kind);

// The HTML description a rule proposes for a product (exposed for tests).
std::string templated_description(const Dataset& ds, Index product);

}  // namespace alatar::intelligence
