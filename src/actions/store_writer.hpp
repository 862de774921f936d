#pragma once
// THE write path to a merchant's store. Only the action executor links this translation unit (the agents and
// their tools do not link alatar_actions at all; tests/actions/CMakeLists.txt checks that structurally).
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "common/time.hpp"
#include "intelligence/proposal_validator.hpp"
#include "shopify/admin_client.hpp"

namespace alatar::actions {

struct WriteOutcome {
    bool ok = false;
    std::vector<std::string> user_errors;  // Shopify's userErrors messages ("field: message")
    boost::json::object result;            // e.g. {discountId} of a created discount
};

class StoreWriter {
  public:
    StoreWriter(shopify::AdminClient& client, shopify::ShopCredentials shop, Deadline deadline)
        : client_(client), shop_(std::move(shop)), deadline_(deadline) {}

    // Performs the change described by validated parameters. `marker` (the proposal's idempotency key) goes
    // where Shopify keeps a reference (the inventory adjustment's reference document).
    WriteOutcome apply(intelligence::ActionKind kind, const boost::json::object& parameters, const std::string& marker);

    // Puts back what `before` (TargetReader state before the execution) held, or deactivates the created
    // discount (`executed` is the apply() result).
    WriteOutcome revert(intelligence::ActionKind kind, const boost::json::object& parameters,
                        const boost::json::object& before, const boost::json::object& executed,
                        const std::string& marker);

  private:
    WriteOutcome mutate(std::string_view document, const boost::json::object& variables, std::string_view field);

    shopify::AdminClient& client_;
    shopify::ShopCredentials shop_;
    Deadline deadline_;
};

}  // namespace alatar::actions
