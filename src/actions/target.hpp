#pragma once
// Live reads of what a proposal would change (read-only Admin API queries): the preview and before-image when a
// proposal is made, the staleness check before executing, and the "did the write happen?" check after a crash.
//
// State per kind (JSON object):
//   CREATE_DISCOUNT_CODE        {exists: bool, id: gid|null, status: "ACTIVE"|"EXPIRED"|...|null}
//   UPDATE_PRODUCT_DESCRIPTION  {exists: bool, title, descriptionHtml}
//   UPDATE_PRODUCT_PRICE        {exists: bool, title, price}          (Decimal string)
//   ADJUST_INVENTORY            {exists: bool, title, available}      (integer)
//   DRAFT_MARKETING_EMAIL       {}                                    (touches no store)
#include <boost/json/object.hpp>

#include "common/time.hpp"
#include "intelligence/proposal_validator.hpp"
#include "shopify/admin_client.hpp"

namespace alatar::actions {

class TargetReader {
  public:
    TargetReader(shopify::AdminClient& client, shopify::ShopCredentials shop, Deadline deadline)
        : client_(client), shop_(std::move(shop)), deadline_(deadline) {}

    boost::json::object read(intelligence::ActionKind kind, const boost::json::object& parameters);

  private:
    boost::json::value query(std::string_view document, const boost::json::object& variables);

    shopify::AdminClient& client_;
    shopify::ShopCredentials shop_;
    Deadline deadline_;
};

// Decimal strings compared by value ("20" == "20.00"); false when either is malformed.
bool same_amount(std::string_view a, std::string_view b) noexcept;

}  // namespace alatar::actions
