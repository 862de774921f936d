#include "agents/outbox.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "mq/events.hpp"

namespace alatar::agents {

namespace {

std::int64_t insert_row(db::Transaction& tx, std::string_view topic, std::string_view exchange,
                        const mq::Envelope& envelope) {
    const boost::json::object headers{{"exchange", exchange}};
    return tx
        .exec("INSERT INTO outbox (topic, payload, headers) VALUES ($1, $2::jsonb, $3::jsonb) RETURNING id",
              db::Params{topic, db::Json{mq::to_json(envelope)}, db::Json{boost::json::serialize(headers)}})
        .scalar<std::int64_t>();
}

}  // namespace

std::int64_t enqueue_work(db::Transaction& tx, mq::WorkQueue queue, const mq::Envelope& envelope) {
    return insert_row(tx, mq::work_key(queue), kOutboxExchangeWork, envelope);
}

std::int64_t enqueue_event(db::Transaction& tx, const mq::Envelope& envelope) {
    return insert_row(tx, mq::analysis_event_key(envelope.request_id), kOutboxExchangeEvents, envelope);
}

}  // namespace alatar::agents
