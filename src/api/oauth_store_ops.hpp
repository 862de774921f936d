#pragma once
// What happens to a linked store outside the OAuth round trip itself, shared by unlinkShopifyStore and the
// Shopify webhooks. Blocking: call inside a db transaction (db::transact or Pool::transact_blocking).
#include <optional>
#include <string>
#include <string_view>

#include "db/transaction.hpp"

namespace alatar::api {

// Appends to audit_log. `actor` is "user:<uuid>", "shopify:<shop>" or "system"; `subject` e.g. "store:<uuid>";
// `owner` the user whose trail (auditLog) shows the entry.
void audit(db::Transaction& tx, std::string_view actor, std::string_view action,
           const std::optional<std::string>& subject, const std::optional<std::string>& owner);

// Cancels the store's running analyses, expires its undecided proposals and stops its sync.
void stop_store_work(db::Transaction& tx, std::string_view store_id);

// Forgets the store of `user_id` (token, cached data, the row itself) after stopping its work. False when the
// store does not exist or belongs to someone else (the caller answers NOT_FOUND either way).
bool unlink_store(db::Transaction& tx, std::string_view user_id, std::string_view store_id);

// app/uninstalled: every link to `shop` becomes UNINSTALLED with its token dropped and its work stopped.
// Returns how many stores were affected.
int mark_shop_uninstalled(db::Transaction& tx, std::string_view shop);

}  // namespace alatar::api
