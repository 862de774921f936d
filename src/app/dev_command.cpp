// `alatar dev` hands over to scripts/dev: the orchestration of local processes lives in one
// place, the script, which `make demo` runs too. This command finds it and replaces itself.
#include "app/dev_command.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace alatar::app {
namespace {

namespace fs = std::filesystem;

// The checkout: the binary lives in <repo>/<build dir>/alatar; fall back to the working directory.
fs::path find_repo(const fs::path& binary) {
    for (fs::path dir = binary.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
        if (fs::exists(dir / "scripts" / "dev")) return dir;
    }
    if (fs::exists(fs::current_path() / "scripts" / "dev")) return fs::current_path();
    return {};
}

}  // namespace

int run_dev(Args args) {
    if (!args.empty()) {
        std::cerr << "usage: alatar dev\n"
                     "  starts private PostgreSQL and RabbitMQ (unless ALATAR_DATABASE_URL and ALATAR_AMQP_URL are\n"
                     "  set), migrates, runs the Shopify simulator, an API server and two workers, creates the demo\n"
                     "  login and prints the URL; Ctrl-C stops everything\n";
        return args.front() == "--help" ? 0 : 2;
    }
    std::error_code ec;
    const fs::path binary = fs::read_symlink("/proc/self/exe", ec);
    const fs::path repo = find_repo(ec ? fs::path{} : binary);
    if (repo.empty()) {
        std::cerr << "alatar dev: cannot find scripts/dev (run it from the checkout)\n";
        return 1;
    }
    const std::string script = (repo / "scripts" / "dev").string();
    const std::string bin_dir = binary.parent_path().string();
    if (::chdir(repo.c_str()) != 0) {
        std::cerr << "alatar dev: cannot enter " << repo << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    std::vector<char*> argv{const_cast<char*>(script.c_str()), const_cast<char*>(bin_dir.c_str()), nullptr};
    ::execv(script.c_str(), argv.data());
    std::cerr << "alatar dev: cannot run " << script << ": " << std::strerror(errno) << "\n";
    return 1;
}

}  // namespace alatar::app
