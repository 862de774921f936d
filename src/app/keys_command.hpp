#pragma once
// `alatar keys`: the application's secrets at rest.
//   alatar keys generate   prints a new random key ("kid:base64") to put first in ALATAR_MASTER_KEY
//   alatar keys rotate     re-encrypts every stored secret under the current (first) key of ALATAR_MASTER_KEY
//
// Rotation: put the new key first and keep the old ones after it ("k2:...,k1:..."), run `alatar keys rotate`,
// then drop the old keys. It works in small committed batches, so an interrupted run simply resumes (rows
// already rotated carry the new key id) and the running services keep reading both generations meanwhile.
#include <cstdint>
#include <string_view>

#include "app/commands.hpp"
#include "common/crypto.hpp"
#include "common/log.hpp"

namespace alatar::db {
class Pool;
}

namespace alatar::app {

struct RotationReport {
    std::int64_t rotated = 0;  // re-encrypted in this run
    std::int64_t failed = 0;   // unreadable with the configured keys (left untouched)
};

// Re-encrypts every Shopify access token not sealed with keyring.current_kid(), `batch` rows per transaction.
RotationReport rotate_secrets(db::Pool& pool, const crypto::Keyring& keyring, int batch, const Logger& log);

int run_keys_command(Args args);

}  // namespace alatar::app
