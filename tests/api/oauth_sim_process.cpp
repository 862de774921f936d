#include "oauth_sim_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "shopify/http_client.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace alatar::api::test {

namespace {

// A port the kernel just handed out (closed again; the simulator binds it right after).
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    auto* sa = reinterpret_cast<sockaddr*>(&addr);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
    if (::bind(fd, sa, sizeof(addr)) != 0 || ::getsockname(fd, sa, &len) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot find a free port");
    }
    const int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

}  // namespace

SimProcess::SimProcess(const std::vector<std::string>& shops) {
    const int port = free_port();
    base_url_ = "http://127.0.0.1:" + std::to_string(port);
    std::string shop_list;
    for (const auto& s : shops) shop_list += (shop_list.empty() ? "" : ",") + s;
    std::vector<std::string> args = {ALATAR_SHOPIFY_SIM_BIN,
                                     "serve",
                                     "--listen",
                                     "127.0.0.1:" + std::to_string(port),
                                     "--app-key",
                                     kSimAppKey,
                                     "--app-secret",
                                     kSimAppSecret,
                                     "--shop-suffix",
                                     kSimShopSuffix,
                                     "--profile",
                                     "tiny",
                                     "--shops",
                                     shop_list,
                                     "--log-level",
                                     "warning"};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (::posix_spawn(&pid_, ALATAR_SHOPIFY_SIM_BIN, nullptr, nullptr, argv.data(), environ) != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot start " + std::string(ALATAR_SHOPIFY_SIM_BIN));
    }
    shopify::CurlHttpClient http;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < until) {
        try {
            const auto res = http.send(shopify::HttpRequest::get(base_url_ + "/_sim/healthz"),
                                       Deadline::after(std::chrono::seconds(2)));
            if (res.status == 200) return;
        } catch (const shopify::TransportError&) {
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

}  // namespace alatar::api::test
