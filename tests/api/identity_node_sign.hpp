#pragma once
// Runs tests/api/identity_shopify_api_sign.mjs: signatures made by Shopify's own Node library.
#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include "common/crypto.hpp"

namespace alatar::api::test {

// Single-quoted for /bin/sh.
inline std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// "oauth": `arg` is a callback query; "webhook": `arg` is the raw body. Throws when node fails.
inline std::string shopify_api_sign(const std::string& kind, const std::string& secret, std::string arg) {
    std::string file;
    if (kind == "webhook") {
        file = ::testing::TempDir() + "identity-body-" + crypto::hex_encode(crypto::random_bytes(6)) + ".json";
        std::ofstream(file, std::ios::binary) << arg;
        arg = file;
    }
    const std::string command =
        "node " + shell_quote(std::string(ALATAR_SOURCE_DIR) + "/tests/api/identity_shopify_api_sign.mjs") + " " +
        kind + " " + shell_quote(secret) + " " + shell_quote(arg);
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
    if (!pipe) throw std::runtime_error("cannot run node");
    std::string out;
    std::array<char, 256> buf{};
    while (std::fgets(buf.data(), buf.size(), pipe.get()) != nullptr) out += buf.data();
    const int status = ::pclose(pipe.release());
    if (!file.empty()) std::remove(file.c_str());
    if (status != 0 || out.empty()) throw std::runtime_error("node signing failed: " + command);
    return out;
}

}  // namespace alatar::api::test
