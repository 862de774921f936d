#pragma once
// The offline reasoner's answer to a rejection with feedback: deterministic rules that read the merchant's
// words and change the rejected proposal's parameters in that direction (rejectActionProposal(revise: true)).
//
//   CREATE_DISCOUNT_CODE  "too high/too much/too generous/lower/smaller/less" -> at least 5 points lower (not
//                         below 5); "higher/bigger/more" -> at least 5 points higher (at most 90);
//                         "shorter"/"longer" -> half/double the duration; "later/next week" -> a week later;
//                         "sooner/earlier" -> a week earlier (never before now + 1 h). A new code (-R<n>).
//   UPDATE_PRODUCT_PRICE  "too much/too high/smaller/less/lower" -> half the change; "more/bigger" -> 1.5 x
//                         (within +-50 %)
//   ADJUST_INVENTORY      "fewer/less/smaller/too many" -> half the delta; "more/bigger" -> 1.5 x
//   UPDATE_PRODUCT_DESCRIPTION / DRAFT_MARKETING_EMAIL
//                         "shorter/simpler/too long" -> the text trimmed (first paragraph, two list items);
//                         "longer/more detail" -> the text extended by a closing paragraph
// When no rule matches, the change is adjusted conservatively (half the magnitude; text kept) and the summary
// says so. The result still has to pass validate_proposal() (the caller checks).
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "intelligence/proposal_validator.hpp"

namespace alatar::actions {

struct RevisedParameters {
    boost::json::object parameters;
    bool matched = false;  // a rule understood the feedback
    std::string summary;   // what changed and why, for the revision's description
};

RevisedParameters revise_parameters(intelligence::ActionKind kind, const boost::json::object& parameters,
                                    std::string_view feedback, intelligence::Instant now);

// "SPRING20" -> "SPRING20-R1", "SPRING20-R1" -> "SPRING20-R2" (within the 32 characters a code may have).
std::string revised_code(std::string_view code);

}  // namespace alatar::actions
