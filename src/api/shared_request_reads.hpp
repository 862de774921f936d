#pragma once
// One database read of an analysis request per event, shared by every update stream of that request in this
// process. When an update is fanned out to a thousand subscribers (one merchant's dashboard open in many tabs,
// or a team watching one analysis), each of them would otherwise re-read the same row at the same moment and
// queue a thousand identical queries behind the connection pool.
//
// A read made for event `seq` (or a newer one) answers every stream that needs the state as of `seq`; streams
// that arrive while the read is in flight wait for it instead of starting their own. A read belongs to the user
// it was made for: another user's stream never sees it (it reads for itself, and is refused by the owner check).
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace alatar::api {

struct RequestState {
    boost::json::object request;     // as load_analysis_request returns it (with "_eventSeq")
    bool actions_in_flight = false;  // read only when the request is finished (see has_actions_in_flight)
};

class SharedRequestReads {
  public:
    // Reads the database; nullopt when the request does not exist for that user.
    using Fetch = std::function<boost::asio::awaitable<std::optional<RequestState>>()>;

    SharedRequestReads();
    ~SharedRequestReads();
    SharedRequestReads(const SharedRequestReads&) = delete;
    SharedRequestReads& operator=(const SharedRequestReads&) = delete;
    SharedRequestReads(SharedRequestReads&&) = delete;
    SharedRequestReads& operator=(SharedRequestReads&&) = delete;

    // The state of `request_uuid` for `user_id` as of event `seq` or newer: a read already made or under way for
    // it when there is one, otherwise `fetch()`. Thread-safe; a failing fetch throws to its caller and to those
    // that were waiting for it. Arguments are taken by value so they outlive every suspension.
    boost::asio::awaitable<std::optional<RequestState>> read(std::string request_uuid, std::string user_id,
                                                             std::int64_t seq, Fetch fetch);

    // Reads made (calls of fetch) and reads answered from another's read, for tests and metrics.
    std::uint64_t fetches() const;
    std::uint64_t shared() const;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace alatar::api
