// A worker process that runs only the action executor (consumer of the actions queue), for the SIGKILL test.
// usage: actions_test_worker DATABASE_URL AMQP_URL PREFIX SHOP_URL_TEMPLATE MASTER_KEY GRACE_MS
#include <csignal>
#include <iostream>
#include <string>

#include "actions/action_consumer.hpp"
#include "actions/executor.hpp"
#include "db/pool.hpp"
#include "mq/publisher.hpp"
#include "shopify/http_client.hpp"

int main(int argc, char** argv) {
    using namespace alatar;  // NOLINT(google-build-using-namespace)
    if (argc != 7) {
        std::cerr << "usage: actions_test_worker DATABASE_URL AMQP_URL PREFIX SHOP_URL_TEMPLATE MASTER_KEY GRACE_MS\n";
        return 2;
    }
    const std::vector<std::string> args(argv + 1,
                                        argv + argc);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    const Logger log{"test-worker", LogLevel::kWarning};
    db::Pool pool{db::PoolOptions{.url = args[0], .size = 4}, log.child("db")};
    shopify::CurlHttpClient http;
    shopify::AdminClientOptions admin;
    admin.shop_url_template = args[3];
    admin.attempt_timeout = std::chrono::milliseconds(10000);
    shopify::AdminClient client{http, admin, log.child("shopify")};
    mq::Publisher publisher{mq::parse_amqp_url(args[1]), log.child("publisher")};
    actions::ActionExecutor executor{
        actions::ExecutorOptions{.database_url = args[0],
                                 .worker_name = "test-" + std::to_string(::getpid()),
                                 .call_timeout = std::chrono::seconds(60),
                                 .in_flight_grace = std::chrono::milliseconds(std::stoll(args[5]))},
        pool, client, crypto::Keyring::parse(args[4]), log.child("executor")};
    actions::ActionConsumer consumer{executor, mq::parse_amqp_url(args[1]), mq::Names{args[2]}, log, &publisher};
    int signal = 0;
    sigwait(&stop, &signal);
    return 0;
}
