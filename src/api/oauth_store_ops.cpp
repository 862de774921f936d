#include "api/oauth_store_ops.hpp"

#include <cstdint>

#include "agents/submission.hpp"

namespace alatar::api {

void audit(db::Transaction& tx, std::string_view actor, std::string_view action,
           const std::optional<std::string>& subject, const std::optional<std::string>& owner) {
    tx.exec("INSERT INTO audit_log (actor, action, subject, owner_id) VALUES ($1, $2, $3, $4::uuid)",
            db::Params{std::string(actor), std::string(action), subject, owner});
}

void stop_store_work(db::Transaction& tx, std::string_view store_id) {
    const auto active = tx.exec(
        "SELECT id::text, user_id::text FROM analysis_requests WHERE store_id = $1 "
        "AND status IN ('QUEUED', 'PLANNING', 'RUNNING', 'REVIEWING')",
        db::Params{std::string(store_id)});
    for (int i = 0; i < active.rows(); ++i) {
        agents::cancel_analysis_request(tx, active.get<std::string>(i, 1), active.get<std::string>(i, 0));
    }
    tx.exec(
        "UPDATE action_proposals SET status = 'EXPIRED', decided_at = now(), decision_reason = 'store disconnected' "
        "WHERE store_id = $1 AND status IN ('PENDING', 'APPROVED')",
        db::Params{std::string(store_id)});
    tx.exec("UPDATE store_sync_state SET phase = 'CANCELLED', last_error = 'store disconnected' WHERE store_id = $1",
            db::Params{std::string(store_id)});
}

bool unlink_store(db::Transaction& tx, std::string_view user_id, std::string_view store_id) {
    const auto found = tx.exec("SELECT 1 FROM shopify_stores WHERE id = $1 AND user_id = $2 FOR UPDATE",
                               db::Params{std::string(store_id), std::string(user_id)});
    if (found.empty()) return false;
    stop_store_work(tx, store_id);
    // The cached shop_* rows, the sync state and the proposals go with the row (ON DELETE CASCADE); analyses
    // keep their history with store_id set to NULL.
    tx.exec("DELETE FROM shopify_stores WHERE id = $1", db::Params{std::string(store_id)});
    audit(tx, "user:" + std::string(user_id), "store.unlink", "store:" + std::string(store_id), std::string(user_id));
    return true;
}

int mark_shop_uninstalled(db::Transaction& tx, std::string_view shop) {
    const auto stores = tx.exec(
        "UPDATE shopify_stores SET status = 'UNINSTALLED', access_token_ciphertext = NULL, key_id = NULL "
        "WHERE shop_domain = $1 RETURNING id::text, user_id::text",
        db::Params{std::string(shop)});
    for (int i = 0; i < stores.rows(); ++i) {
        const auto id = stores.get<std::string>(i, 0);
        stop_store_work(tx, id);
        audit(tx, "shopify:" + std::string(shop), "store.uninstalled", "store:" + id, stores.get<std::string>(i, 1));
    }
    return stores.rows();
}

}  // namespace alatar::api
