#pragma once
// What the API calls for submitAnalysisRequest and cancelAnalysisRequest. Both run inside the caller's
// transaction and only touch the database: the request row, its event and its outbox message commit
// together, so the API keeps accepting requests while the broker is down (the relay delivers them later).
#include <optional>
#include <string>
#include <string_view>

#include "db/transaction.hpp"

namespace alatar::agents {

inline constexpr std::size_t kMaxPromptLength = 4000;

// Writes analysis_requests (QUEUED), a STATUS_CHANGED event and an analysis.requested message. Returns the
// new request id. Throws alatar::Error: kBadUserInput for an empty or over-long prompt, kNotFound when
// `store_id` is not one of the user's stores.
std::string submit_analysis_request(db::Transaction& tx, std::string_view user_id,
                                    const std::optional<std::string>& store_id, std::string_view prompt,
                                    std::string_view trace_id = {});

// Stops further work on one of the user's requests: a request not yet finished becomes CANCELLED, its open
// tasks CANCELLED; workers check the status before every step and drop the rest. Returns the status after
// the call (a finished request keeps its status). Throws alatar::Error(kNotFound) when the request is not
// the user's.
std::string cancel_analysis_request(db::Transaction& tx, std::string_view user_id, std::string_view request_id);

// QUEUED, PLANNING, RUNNING, REVIEWING.
bool is_active_status(std::string_view status) noexcept;

}  // namespace alatar::agents
