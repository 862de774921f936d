#include "actions/worker_actions.hpp"

#include "actions/action_consumer.hpp"
#include "actions/executor.hpp"
#include "actions/revision.hpp"
#include "actions/target.hpp"
#include "mq/publisher.hpp"
#include "shopify/http_client.hpp"
#include "shopify/sync.hpp"

namespace alatar::actions {

namespace {

// Everything the executor needs, destroyed in reverse order (consumer first).
struct ExecutorService {
    ExecutorService(db::Pool& pool, const Config& config, const Logger& log)
        : client(http, admin_options(config), log.child("shopify")),
          publisher(mq::parse_amqp_url(config.amqp_url), log.child("actions-publisher"),
                    mq::PublisherOptions{.connect = {.connection_name = "alatar-worker-actions-publisher"}}),
          executor(ExecutorOptions{.database_url = config.database_url, .worker_name = "actions"}, pool, client,
                   crypto::Keyring::parse(config.master_key), log.child("executor")),
          reviser(pool, live_reader(pool, client, crypto::Keyring::parse(config.master_key)), log.child("reviser")),
          consumer(executor, mq::parse_amqp_url(config.amqp_url), mq::Names{config.amqp_prefix}, log.child("actions"),
                   &publisher, &reviser) {}

    // A revision's fresh preview: the target read from the store (read-only queries).
    static LiveReader live_reader(db::Pool& pool, shopify::AdminClient& client, crypto::Keyring keyring) {
        return
            [&pool, &client, keyring = std::move(keyring)](const ProposalRecord& p, const boost::json::object& params) {
                TargetReader reader(client, shopify::load_store_credentials(pool, p.store_id, keyring),
                                    Deadline::after(std::chrono::seconds(60)));
                return reader.read(p.kind, params);
            };
    }

    static shopify::AdminClientOptions admin_options(const Config& config) {
        shopify::AdminClientOptions o;
        if (!config.shopify_shop_url.empty()) o.shop_url_template = config.shopify_shop_url;
        if (!config.shopify_api_version.empty()) o.api_version = config.shopify_api_version;
        return o;
    }

    shopify::CurlHttpClient http;
    shopify::AdminClient client;
    mq::Publisher publisher;
    ActionExecutor executor;
    Reviser reviser;
    ActionConsumer consumer;
};

}  // namespace

std::shared_ptr<void> start_action_executor(db::Pool& pool, const Config& config, const Logger& log) {
    if (config.master_key.empty()) {
        // No key: no store token can be read, so no action could run. Approved actions wait in the queue.
        log.warning("master_key is not set: the action executor is not started");
        return nullptr;
    }
    return std::make_shared<ExecutorService>(pool, config, log);
}

int run_worker_with_actions(alatar::app::Args args) { return agents::run_worker_command(args, &start_action_executor); }

}  // namespace alatar::actions
