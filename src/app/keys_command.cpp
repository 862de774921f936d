#include "app/keys_command.hpp"

#include <charconv>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "common/config.hpp"
#include "db/pool.hpp"
#include "shopify/oauth_link.hpp"

namespace alatar::app {

namespace {

constexpr std::string_view kUsage =
    "usage: alatar keys generate [--kid ID]\n"
    "       alatar keys rotate [--config FILE] [--batch N]\n"
    "  generate  print a new key as kid:base64 (put it first in ALATAR_MASTER_KEY, keep the old keys after it)\n"
    "  rotate    re-encrypt every stored secret under the first key of ALATAR_MASTER_KEY; resumable\n";

struct Row {
    std::string id;
    std::string shop;
    std::string sealed;
};

// The next rows still sealed with an older key, locked for this transaction; `skip` holds rows that failed.
std::vector<Row> next_batch(db::Transaction& tx, const std::string& current, int batch,
                            const std::vector<std::string>& skip) {
    std::string skipped = "{";
    for (std::size_t i = 0; i < skip.size(); ++i) skipped += (i == 0 ? "" : ",") + skip[i];
    skipped += "}";
    const auto r = tx.exec(
        "SELECT id::text, shop_domain, convert_from(access_token_ciphertext, 'UTF8') FROM shopify_stores "
        "WHERE access_token_ciphertext IS NOT NULL AND key_id IS DISTINCT FROM $1 AND NOT (id = ANY($2::uuid[])) "
        "ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED",
        db::Params{current, skipped, static_cast<std::int64_t>(batch)});
    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
        rows.push_back(Row{r.get<std::string>(i, 0), r.get<std::string>(i, 1), r.get<std::string>(i, 2)});
    }
    return rows;
}

std::optional<int> parse_int(std::string_view text) {
    int v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || ptr != text.data() + text.size() || v < 1 || v > 10000) return std::nullopt;
    return v;
}

int generate(Args args) {
    std::string kid = "k" + crypto::hex_encode(crypto::random_bytes(4));
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--kid" && i + 1 < args.size()) {
            kid = std::string(args[++i]);
        } else {
            std::cerr << kUsage;
            return 2;
        }
    }
    const std::string spec = kid + ":" + crypto::Keyring::generate_key_base64();
    try {
        (void)crypto::Keyring::parse(spec);
    } catch (const crypto::CryptoError& e) {
        std::cerr << "alatar keys: " << e.what() << "\n";
        return 2;
    }
    std::cout << spec << "\n";
    return 0;
}

int rotate(Args args) {
    int batch = 100;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--batch" && i + 1 < args.size()) {
            const auto n = parse_int(args[++i]);
            if (!n) {
                std::cerr << "alatar keys: --batch takes a number from 1 to 10000\n";
                return 2;
            }
            batch = *n;
        } else if (args[i] == "--config" && i + 1 < args.size()) {
            ++i;
        } else if (!args[i].starts_with("--config=")) {
            std::cerr << kUsage;
            return 2;
        }
    }
    Config config;
    try {
        config = Config::load(ConfigSources::from_args(args));
    } catch (const ConfigError& e) {
        std::cerr << "alatar keys: " << e.what() << "\n";
        return 2;
    }
    if (config.master_key.empty()) {
        std::cerr << "alatar keys: ALATAR_MASTER_KEY is not set\n";
        return 2;
    }
    Logger log{"keys", config.log_level};
    try {
        const auto keyring = crypto::Keyring::parse(config.master_key);
        db::Pool pool{db::pool_options(config), log.child("db")};
        const auto report = rotate_secrets(pool, keyring, batch, log);
        std::cout << "rotated " << report.rotated << " secret(s) to key " << keyring.current_kid();
        if (report.failed > 0) std::cout << "; " << report.failed << " could not be read with the configured keys";
        std::cout << "\n";
        return report.failed > 0 ? 1 : 0;
    } catch (const std::exception& e) {
        log.log_exception(LogLevel::kError, "key rotation failed", e);
        return 1;
    }
}

}  // namespace

RotationReport rotate_secrets(db::Pool& pool, const crypto::Keyring& keyring, int batch, const Logger& log) {
    RotationReport report;
    std::vector<std::string> failed;
    for (;;) {
        // One committed transaction per batch: progress survives an interruption.
        const auto done = pool.transact_blocking([&](db::Transaction& tx) {
            const auto rows = next_batch(tx, keyring.current_kid(), batch, failed);
            for (const auto& row : rows) {
                const auto ad = shopify::token_associated_data(row.shop);
                try {
                    const std::string resealed = keyring.encrypt(keyring.decrypt(row.sealed, ad), ad);
                    tx.exec(
                        "UPDATE shopify_stores SET access_token_ciphertext = convert_to($2, 'UTF8'), key_id = $3 "
                        "WHERE id = $1",
                        db::Params{row.id, resealed, keyring.current_kid()});
                    ++report.rotated;
                } catch (const crypto::CryptoError& e) {
                    failed.push_back(row.id);
                    log.error("a stored secret cannot be read with the configured keys",
                              {{"store_id", row.id}, {"reason", std::string(e.what())}});
                }
            }
            return rows.empty();
        });
        if (done) break;
        log.info("key rotation progress", {{"rotated", report.rotated}});
    }
    report.failed = static_cast<std::int64_t>(failed.size());
    return report;
}

int run_keys_command(Args args) {
    if (args.empty()) {
        std::cerr << kUsage;
        return 2;
    }
    if (args[0] == "generate") return generate(args.subspan(1));
    if (args[0] == "rotate") return rotate(args.subspan(1));
    std::cerr << kUsage;
    return 2;
}

}  // namespace alatar::app
