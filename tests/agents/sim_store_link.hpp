#pragma once
// A store linked to a simulator shop as OAuth leaves it: a new user, and the simulator's token sealed by the
// keyring. Shared by the agents suites that sync from the simulator.
#include <string>

#include "common/crypto.hpp"
#include "db/pool.hpp"
#include "shopify/oauth_link.hpp"
#include "shopify/sim_process.hpp"

namespace alatar::agents::testing {

inline std::string link_sim_store(db::Pool& pool, shopify::testing::SimProcess& sim, const crypto::Keyring& keyring,
                                  const std::string& shop) {
    const auto token = sim.issue_token(shop);
    const auto user = pool.query_blocking("INSERT INTO users DEFAULT VALUES RETURNING id::text").scalar<std::string>();
    return pool
        .query_blocking(
            "INSERT INTO shopify_stores (user_id, shop_domain, access_token_ciphertext, key_id) "
            "VALUES ($1, $2, convert_to($3, 'UTF8'), $4) RETURNING id::text",
            db::Params{user, shop, keyring.encrypt(token, shopify::token_associated_data(shop)), keyring.current_kid()})
        .scalar<std::string>();
}

}  // namespace alatar::agents::testing
