#include "agents/store_refresh.hpp"

#include <boost/json.hpp>

#include "agents/contracts.hpp"
#include "agents/outbox.hpp"
#include "common/error.hpp"
#include "mq/publisher.hpp"
#include "mq/topology.hpp"

namespace alatar::agents {

namespace json = boost::json;

int enqueue_store_refresh(db::Transaction& tx, std::string_view shop_domain) {
    // requested_at on the database's clock, the one the sync's last_synced_at is written with.
    const auto stores = tx.exec(
        "SELECT id::text, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') "
        "FROM shopify_stores WHERE shop_domain = $1 AND status = 'ACTIVE' ORDER BY id",
        db::Params{std::string(shop_domain)});
    const std::string headers = json::serialize(json::object{{"exchange", kOutboxExchangeWork}});
    int added = 0;
    for (int i = 0; i < stores.rows(); ++i) {
        const auto envelope = mq::Envelope::make(
            std::string(contract::kStoreRefresh),
            json::object{{"store_id", stores.get<std::string>(i, 0)}, {"requested_at", stores.get<std::string>(i, 1)}});
        const auto inserted = tx.exec(
            "INSERT INTO outbox (topic, payload, headers) VALUES ($1, $2::jsonb, $3::jsonb) "
            "ON CONFLICT ((payload -> 'payload' ->> 'store_id')) WHERE topic = 'store_refresh' AND sent_at IS NULL "
            "DO NOTHING RETURNING id",
            db::Params{mq::work_key(mq::WorkQueue::kStoreRefresh), db::Json{mq::to_json(envelope)}, db::Json{headers}});
        added += inserted.empty() ? 0 : 1;
    }
    return added;
}

shopify::RefreshResult StoreRefresher::run(const mq::Envelope& envelope) {
    contract::validate_payload(envelope);
    if (envelope.type != contract::kStoreRefresh) {
        throw Error(ErrorCode::kBadUserInput, "message type '" + envelope.type + "' does not belong on queue " +
                                                  std::string(mq::work_key(mq::WorkQueue::kStoreRefresh)));
    }
    const auto& payload = envelope.payload.as_object();
    const std::string store_id(payload.at("store_id").as_string());
    const std::string requested_at(payload.at("requested_at").as_string());
    shopify::RefreshResult result;
    try {
        result = sync_.refresh_since(store_id, requested_at, Deadline::after(options_.deadline));
    } catch (const Error& e) {
        // Gone, unlinked meanwhile, or the token revoked (the sync has marked the store): a retry cannot help.
        if (e.code() != ErrorCode::kNotFound && e.code() != ErrorCode::kShopifyError) throw;
        result.skipped = e.what();
    }
    if (result.report) {
        const auto written = [&](const char* type) {
            const auto it = result.report->written.find(type);
            return it == result.report->written.end() ? std::int64_t{0} : it->second;
        };
        log_.info("store refreshed", {{"store_id", store_id},
                                      {"requested_at", requested_at},
                                      {"orders", written("Order")},
                                      {"products", written("Product")}});
    } else {
        log_.info("store refresh skipped", {{"store_id", store_id}, {"reason", result.skipped}});
    }
    return result;
}

mq::Decision StoreRefresher::handle(const mq::Delivery& delivery) {
    run(delivery.envelope);
    return mq::Decision::ack();
}

namespace {

// Destroyed in reverse order: the consumer stops before the publisher its retries go through.
struct StoreRefreshService {
    StoreRefreshService(shopify::StoreSync& sync, const Config& config, const Logger& log)
        : refresher(sync, log.child("store_refresh")),
          publisher(mq::parse_amqp_url(config.amqp_url), log.child("store-refresh-publisher"),
                    mq::PublisherOptions{.connect = {.connection_name = "alatar-worker-store-refresh-publisher"}}) {
        const mq::Names names{config.amqp_prefix};
        consumer = std::make_unique<mq::Consumer>(
            mq::parse_amqp_url(config.amqp_url), names,
            mq::ConsumerOptions{.queue = names.queue(mq::WorkQueue::kStoreRefresh),
                                .prefetch = 1,
                                .max_retries = 20,
                                .connect = {.connection_name = "alatar-worker-store-refresh"}},
            [this](const mq::Delivery& d) { return refresher.handle(d); }, log.child("consumer"), &publisher);
    }

    StoreRefresher refresher;
    mq::Publisher publisher;
    std::unique_ptr<mq::Consumer> consumer;
};

}  // namespace

std::shared_ptr<void> start_store_refresh(shopify::StoreSync& sync, const Config& config, const Logger& log) {
    return std::make_shared<StoreRefreshService>(sync, config, log);
}

}  // namespace alatar::agents
