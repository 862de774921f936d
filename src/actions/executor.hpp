#pragma once
// The action executor: carries out an APPROVED proposal (or the undo of a SUCCEEDED one) exactly once.
//
// Per proposal, under a PostgreSQL session advisory lock (released when the connection closes, so also when
// the worker dies):
//   1. claim: APPROVED -> EXECUTING and an action_executions record (attempt n) committed;
//   2. read the target live. First attempt: the target must still hold what the proposal saw (otherwise
//      EXPIRED with the reason); that state is committed as the record's before_state BEFORE the call.
//      Later attempt with a before_state: a previous attempt may have written, so the store is asked whether
//      the change is there (discount code exists / field holds the new value / quantity moved by the delta):
//      yes -> SUCCEEDED without a second call; unchanged -> call; anything else -> FAILED, never a blind retry;
//   3. call Shopify; userErrors -> FAILED with Shopify's messages; commit outcome, record DONE, audit, event.
// Transient failures (timeouts, 5xx after retries) are thrown so the message is redelivered later.
#include <functional>
#include <string>

#include "common/crypto.hpp"
#include "common/log.hpp"
#include "db/pool.hpp"
#include "shopify/admin_client.hpp"

namespace alatar::actions {

struct ExecutorOptions {
    std::string database_url;  // the executor opens its own connection per execution (for the advisory lock)
    std::string worker_name = "worker";
    std::chrono::seconds call_timeout{60};
    // After a crash, how long a dead attempt's request may still land in the store (>= the HTTP attempt timeout).
    std::chrono::milliseconds in_flight_grace{35000};
};

class ActionExecutor {
  public:
    ActionExecutor(ExecutorOptions options, db::Pool& pool, shopify::AdminClient& client, crypto::Keyring keyring,
                   Logger log);

    // Handles one action.execute delivery; returns the proposal's status afterwards ("" when it does not exist).
    // A delivery for a proposal already past execution changes nothing.
    std::string run(const std::string& proposal_id);

    // Test hook: runs right after the Shopify call returned, before its outcome is committed (a throw here
    // stands for a worker dying between the call and the commit).
    std::function<void()> after_call;

  private:
    ExecutorOptions options_;
    db::Pool& pool_;
    shopify::AdminClient& client_;
    crypto::Keyring keyring_;
    Logger log_;
};

}  // namespace alatar::actions
