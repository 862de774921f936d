#include "shopify/sim_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "common/log.hpp"
#include "db/connection.hpp"
#include "db/migrate.hpp"
#include "shopify/http_client.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace alatar::shopify::testing {
namespace {

// A port the kernel just handed out (closed again; the simulator binds it right after).
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) !=
            0 ||  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) !=
            0) {  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
        ::close(fd);
        throw std::runtime_error("cannot find a free port");
    }
    const int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

std::string post(const std::string& url, const std::string& body) {
    CurlHttpClient http;
    HttpRequest req;
    req.method = "POST";
    req.url = url;
    req.headers = {{"Content-Type", "application/json"}};
    req.body = body;
    const auto res = http.send(req, Deadline::after(std::chrono::seconds(10)));
    if (res.status < 200 || res.status >= 300) {
        throw std::runtime_error("simulator answered " + std::to_string(res.status) + ": " + res.body);
    }
    return res.body;
}

}  // namespace

SimProcess::SimProcess(const std::string& profile, const std::vector<std::string>& shops,
                       const std::vector<std::string>& extra_args) {
    const int port = free_port();
    base_url_ = "http://127.0.0.1:" + std::to_string(port);
    std::string shop_list;
    for (const auto& s : shops) shop_list += (shop_list.empty() ? "" : ",") + s;
    std::vector<std::string> args = {ALATAR_SHOPIFY_SIM_BIN,
                                     "serve",
                                     "--listen",
                                     "127.0.0.1:" + std::to_string(port),
                                     "--app-key",
                                     kAppKey,
                                     "--app-secret",
                                     kAppSecret,
                                     "--shop-suffix",
                                     kShopSuffix,
                                     "--profile",
                                     profile,
                                     "--shops",
                                     shop_list,
                                     "--log-level",
                                     "warning"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (::posix_spawn(&pid_, ALATAR_SHOPIFY_SIM_BIN, nullptr, nullptr, argv.data(), environ) != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot start " + std::string(ALATAR_SHOPIFY_SIM_BIN));
    }
    CurlHttpClient http;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < until) {
        try {
            const auto res =
                http.send(HttpRequest::get(base_url_ + "/_sim/healthz"), Deadline::after(std::chrono::seconds(2)));
            if (res.status == 200) return;
        } catch (const TransportError&) {
            // not listening yet
        }
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("the simulator exited during start-up");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("the simulator did not become healthy within 60 s");
}

SimProcess::~SimProcess() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100; ++i) {
        if (::waitpid(pid_, &status, WNOHANG) == pid_) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
}

std::string SimProcess::set_faults(const std::string& json_body) const {
    return post(base_url_ + "/_sim/faults", json_body);
}

std::string SimProcess::issue_token(const std::string& shop) const {
    const auto body = boost::json::parse(post(base_url_ + "/_sim/shops/" + shop + "/tokens", "{}"));
    return std::string(body.at("access_token").as_string());
}

std::map<std::string, std::int64_t> export_ground_truth(const std::string& shop, const std::string& profile,
                                                        const std::string& seed, const std::string& today,
                                                        const std::string& dir) {
    std::vector<std::string> args = {ALATAR_SHOPIFY_SIM_BIN,
                                     "export",
                                     "--shop",
                                     shop,
                                     "--profile",
                                     profile,
                                     "--seed",
                                     seed,
                                     "--today",
                                     today,
                                     "--out",
                                     dir};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    posix_spawn_file_actions_t quiet;
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
    const int spawned = ::posix_spawn(&pid, ALATAR_SHOPIFY_SIM_BIN, &quiet, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&quiet);
    if (spawned != 0) throw std::runtime_error("cannot start " + std::string(ALATAR_SHOPIFY_SIM_BIN) + " export");
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("alatar-shopify-sim export failed");
    std::map<std::string, std::int64_t> counts;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".jsonl") continue;
        std::ifstream in(entry.path());
        std::int64_t n = 0;
        for (std::string line; std::getline(in, line);) n += line.empty() ? 0 : 1;
        counts[entry.path().filename().string()] = n;
    }
    return counts;
}

void migrate(const std::string& url) {
    db::Connection conn{url};
    db::apply_migrations(conn, db::load_migrations(std::string(ALATAR_SOURCE_DIR) + "/migrations"), Logger::null());
}

bool SimSuite::open(const std::string& profile, const std::vector<std::string>& shops,
                    const std::vector<std::string>& extra_args) {
    database.open();
    if (database.get() == nullptr) {
        error = database.why();
        return false;
    }
    try {
        migrate(database.url());
        sim = std::make_unique<SimProcess>(profile, shops, extra_args);
    } catch (const std::exception& e) {
        error = std::string("suite set-up failed: ") + e.what();
        return false;
    }
    return true;
}

}  // namespace alatar::shopify::testing
