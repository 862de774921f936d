#include "shopify/sync.hpp"

#include <charconv>
#include <functional>
#include <thread>

#include "db/connection.hpp"
#include "db/pool.hpp"
#include "shopify/bulk_jsonl.hpp"
#include "shopify/cache_writer.hpp"
#include "shopify/oauth_link.hpp"

namespace alatar::shopify {
namespace json = boost::json;

namespace {

// Re-read what changed slightly before the last sync: clocks and in-flight writes.
constexpr std::chrono::minutes kWindowOverlap{5};

constexpr std::string_view kBulkProducts =
    "{ products { edges { node { id title handle descriptionHtml productType vendor status tags totalInventory "
    "createdAt "
    "updatedAt publishedAt variants { edges { node { id title sku price compareAtPrice inventoryQuantity createdAt "
    "updatedAt inventoryItem { id } } } } } } } }";
constexpr std::string_view kBulkCustomers =
    "{ customers { edges { node { id email firstName lastName state tags numberOfOrders amountSpent { amount "
    "currencyCode } createdAt updatedAt } } } }";
constexpr std::string_view kOrderFields =
    "id name createdAt processedAt updatedAt cancelledAt test displayFinancialStatus displayFulfillmentStatus "
    "currencyCode subtotalPriceSet { shopMoney { amount } } totalPriceSet { shopMoney { amount } } "
    "totalDiscountsSet { shopMoney { amount } } totalRefundedSet { shopMoney { amount } } "
    "totalTaxSet { shopMoney { amount } } totalShippingPriceSet { shopMoney { amount } } customer { id } sourceName "
    "tags";
constexpr std::string_view kLineItemFields =
    "id title sku quantity product { id } variant { id } originalUnitPriceSet { shopMoney { amount } } "
    "discountedTotalSet { shopMoney { amount } } totalDiscountSet { shopMoney { amount } }";
constexpr std::string_view kBulkLocations = "{ locations { edges { node { id name isActive } } } }";
constexpr std::string_view kBulkInventory =
    "{ inventoryItems { edges { node { id inventoryLevels { edges { node { id updatedAt location { id } "
    "quantities(names: [\"available\", \"on_hand\"]) { name quantity } } } } } } } }";

constexpr std::string_view kProductFields =
    "id title handle descriptionHtml productType vendor status tags totalInventory createdAt updatedAt publishedAt";
constexpr std::string_view kVariantFields =
    "id title sku price compareAtPrice inventoryQuantity createdAt updatedAt inventoryItem { id }";

// Refunds: Shopify's bulk queries take no connection nested in a list field (Order.refunds is a list and
// Refund.refundLineItems a connection), so they are read page by page, only for the orders that have any
// (a refunded order's financial status is PARTIALLY_REFUNDED or REFUNDED). Requested cost 2 + 15 * 45 = 677.
constexpr std::string_view kRefundedOrders = "(financial_status:partially_refunded OR financial_status:refunded)";
constexpr std::string_view kRefundLineFields = "id quantity lineItem { id } subtotalSet { shopMoney { amount } }";
// Pages of refunded orders written per transaction (and per resume point of a backfill).
constexpr int kRefundPagesPerFlush = 10;

std::string refunds_query() {
    return "query($after: String, $q: String) { orders(first: 15, after: $after, query: $q) { nodes { id "
           "refunds(first: 10) { id createdAt totalRefundedSet { shopMoney { amount } } refundLineItems(first: 10) "
           "{ nodes { " +
           std::string(kRefundLineFields) +
           " } pageInfo { hasNextPage endCursor } } } } "
           "pageInfo { hasNextPage endCursor } } }";
}
std::string more_refund_lines_query() {
    return "query($id: ID!, $after: String) { node(id: $id) { ... on Refund { refundLineItems(first: 50, after: "
           "$after) { nodes { " +
           std::string(kRefundLineFields) + " } pageInfo { hasNextPage endCursor } } } } }";
}

BulkObject refund_line_object(const json::object& fields, const std::string& refund_id) {
    BulkObject o;
    o.fields = fields;
    o.type = "RefundLineItem";
    o.parent_id = refund_id;
    const auto* id = fields.if_contains("id");
    if (id != nullptr && id->is_string()) {
        o.id = std::string(id->get_string());
    } else {  // RefundLineItem.id is nullable in Shopify's schema: key it by its refund and line item
        const auto* line = fields.if_contains("lineItem");
        const auto* line_id = line != nullptr && line->is_object() ? line->get_object().if_contains("id") : nullptr;
        o.id = refund_id + "#" + (line_id != nullptr && line_id->is_string() ? std::string(line_id->get_string()) : "");
    }
    return o;
}

// The refunds (with their lines) of the refunded orders `filter` selects, page by page from `after`, into
// `writer`. `checkpoint` gets a page cursor once everything before it is written.
void sync_refunds(AdminClient& client, const ShopCredentials& shop, const std::string& filter,
                  std::optional<std::string> after, CacheWriter& writer, Deadline deadline,
                  const std::function<void(const std::string&)>& checkpoint, CallObserver* observer) {
    const std::string document = refunds_query();
    const std::string more_lines = more_refund_lines_query();
    int pages = 0;
    client.paginate(
        shop, document, json::object{{"q", filter}}, {"orders"}, deadline,
        [&](const json::array& nodes, const std::optional<std::string>& end_cursor) {
            for (const auto& node : nodes) {
                const json::object& order = node.get_object();
                const auto* refunds = order.if_contains("refunds");
                if (refunds == nullptr || !refunds->is_array()) continue;
                for (const auto& r : refunds->get_array()) {
                    if (!r.is_object()) continue;
                    BulkObject refund;
                    refund.fields = r.get_object();
                    refund.fields.erase("refundLineItems");
                    refund.id = std::string(r.get_object().at("id").as_string());
                    refund.type = "Refund";
                    refund.parent_id = std::string(order.at("id").as_string());
                    const std::string refund_id = refund.id;
                    writer.add(refund);
                    const auto& lines = r.get_object().at("refundLineItems").as_object();
                    for (const auto& l : lines.at("nodes").as_array()) {
                        writer.add(refund_line_object(l.as_object(), refund_id));
                    }
                    const auto& info = lines.at("pageInfo").as_object();
                    if (!info.at("hasNextPage").as_bool()) continue;
                    client.paginate(
                        shop, more_lines, json::object{{"id", refund_id}}, {"node", "refundLineItems"}, deadline,
                        [&](const json::array& more, const std::optional<std::string>&) {
                            for (const auto& l : more) writer.add(refund_line_object(l.as_object(), refund_id));
                        },
                        std::string(info.at("endCursor").as_string()), observer);
                }
            }
            if (++pages % kRefundPagesPerFlush == 0 && end_cursor) {
                writer.flush();
                checkpoint(*end_cursor);
            }
        },
        std::move(after), observer);
    writer.flush();
}

std::string bulk_orders() {
    return "{ orders { edges { node { " + std::string(kOrderFields) + " lineItems { edges { node { " +
           std::string(kLineItemFields) + " } } } } } } }";
}

// The tables a backfill rewrites, children first (for deleting what the shop no longer has).
constexpr std::string_view kCacheTables[] = {
    "shop_refund_line_items", "shop_refunds",   "shop_order_line_items", "shop_orders",   "shop_product_variants",
    "shop_products",          "shop_customers", "shop_inventory_levels", "shop_locations"};

void merge(SyncReport& report, const CacheWriter& writer) {
    for (const auto& [type, n] : writer.written()) report.written[type] += n;
}

std::int64_t written_of(const SyncReport& report, std::string_view type) {
    const auto it = report.written.find(type);
    return it == report.written.end() ? 0 : it->second;
}

// SQL for a timestamptz expression as RFC 3339 UTC text with microseconds.
std::string utc_text(std::string_view expr) {
    return "to_char((" + std::string(expr) + ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
}

// The store's sync lock: a session advisory lock on a connection of its own, so it is released when the sync
// ends or when its process dies (no lease to expire). Waits for a sync running elsewhere, up to the deadline.
class StoreLock {
  public:
    StoreLock(const std::string& database_url, std::string_view store_id, Deadline deadline,
              std::chrono::milliseconds poll)
        : conn_(database_url, deadline.min(Deadline::after(std::chrono::seconds(10)))) {
        const db::Params key{store_sync_lock_key(store_id)};
        while (!conn_.exec("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", key).get<bool>(0, 0)) {
            if (deadline.remaining_ms() <= poll) {
                throw Error(ErrorCode::kTimeout, "the store's data is still being synced from Shopify");
            }
            std::this_thread::sleep_for(poll);
        }
    }

  private:
    db::Connection conn_;
};

}  // namespace

ShopCredentials load_store_credentials(db::Pool& pool, std::string_view store_id, const crypto::Keyring& keyring) {
    const auto r = pool.query_blocking(
        "SELECT shop_domain, status, convert_from(access_token_ciphertext, 'UTF8') AS token FROM shopify_stores "
        "WHERE id::text = $1",
        db::Params{std::string(store_id)});
    if (r.empty()) throw Error(ErrorCode::kNotFound, "store not found");
    const auto shop = r.get<std::string>(0, "shop_domain");
    const auto token = r.get<std::optional<std::string>>(0, "token");
    if (r.get<std::string>(0, "status") != "ACTIVE" || !token) {
        throw Error(ErrorCode::kShopifyError, "the store " + shop + " is not linked any more; link it again");
    }
    return ShopCredentials{shop, keyring.decrypt(*token, token_associated_data(shop))};
}

std::string store_sync_lock_key(std::string_view store_id) { return "alatar.store_sync:" + std::string(store_id); }

void mark_token_revoked(db::Pool& pool, std::string_view store_id) {
    pool.query_blocking(
        "UPDATE shopify_stores SET status = 'TOKEN_REVOKED', access_token_ciphertext = NULL, key_id = NULL "
        "WHERE id::text = $1",
        db::Params{std::string(store_id)});
}

StoreSync::StoreSync(db::Pool& pool, AdminClient& client, crypto::Keyring keyring, StoreSyncOptions options, Logger log)
    : pool_(pool), client_(client), keyring_(std::move(keyring)), options_(std::move(options)), log_(std::move(log)) {}

StoreSync::Need StoreSync::need(std::string_view store_id) {
    const auto r = pool_.query_blocking(
        "SELECT status, last_synced_at IS NULL AS never, "
        "last_synced_at + make_interval(secs => $2) <= now() AS expired FROM shopify_stores WHERE id::text = $1",
        db::Params{std::string(store_id), std::chrono::duration<double>(options_.cache_ttl).count()});
    if (r.empty()) throw Error(ErrorCode::kNotFound, "store not found");
    if (r.get<std::string>(0, "status") != "ACTIVE") {
        throw Error(ErrorCode::kShopifyError, "the store is not linked to Shopify any more; link it again");
    }
    if (r.get<bool>(0, "never")) return Need::kBackfill;
    return r.get<std::optional<bool>>(0, "expired").value_or(true) ? Need::kChanges : Need::kNothing;
}

void StoreSync::set_phase(std::string_view store_id, std::string_view phase, double progress) {
    pool_.query_blocking("UPDATE store_sync_state SET phase = $2, progress = $3 WHERE store_id = $1::uuid",
                         db::Params{std::string(store_id), phase, progress});
}

template <class F>
SyncReport StoreSync::run_tracked(std::string_view store_id, bool full, F&& body) {
    const ShopCredentials shop = load_store_credentials(pool_, store_id, keyring_);
    pool_.query_blocking(
        "INSERT INTO store_sync_state (store_id, phase, progress, started_at, last_error) "
        "VALUES ($1::uuid, 'STARTING', 0, now(), NULL) "
        "ON CONFLICT (store_id) DO UPDATE SET phase = 'STARTING', progress = 0, started_at = now(), last_error = NULL",
        db::Params{std::string(store_id)});
    const auto started = std::chrono::steady_clock::now();
    SyncReport report;
    report.full = full;
    try {
        const std::string synced_as_of = body(shop, report);
        pool_.transact_blocking([&](db::Transaction& tx) {
            tx.exec("UPDATE store_sync_state SET phase = 'DONE', progress = 1, cursor = NULL WHERE store_id = $1::uuid",
                    db::Params{std::string(store_id)});
            tx.exec("UPDATE shopify_stores SET last_synced_at = $2::timestamptz WHERE id::text = $1",
                    db::Params{std::string(store_id), synced_as_of});
        });
    } catch (const std::exception& e) {
        if (dynamic_cast<const TokenRevoked*>(&e) != nullptr) mark_token_revoked(pool_, store_id);
        pool_.query_blocking("UPDATE store_sync_state SET phase = 'FAILED', last_error = $2 WHERE store_id = $1::uuid",
                             db::Params{std::string(store_id), std::string(e.what()).substr(0, 500)});
        log_.warning("shopify sync failed",
                     {{"store_id", std::string(store_id)}, {"shop", shop.shop_domain}, {"error", e.what()}});
        throw;
    }
    log_.info(
        "shopify sync done",
        {{"store_id", std::string(store_id)},
         {"shop", shop.shop_domain},
         {"full", full},
         {"orders", written_of(report, "Order")},
         {"line_items", written_of(report, "LineItem")},
         {"refunds", written_of(report, "Refund")},
         {"products", written_of(report, "Product")},
         {"customers", written_of(report, "Customer")},
         {"dur_ms", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count()}});
    return report;
}

SyncReport StoreSync::backfill(std::string_view store_id, Deadline deadline, CallObserver* observer) {
    const StoreLock lock(options_.database_url, store_id, deadline, options_.lock_poll);
    return run_backfill(store_id, deadline, observer);
}

SyncReport StoreSync::sync_changes(std::string_view store_id, Deadline deadline, CallObserver* observer) {
    const StoreLock lock(options_.database_url, store_id, deadline, options_.lock_poll);
    return run_changes(store_id, deadline, observer);
}

std::optional<SyncReport> StoreSync::ensure_fresh(std::string_view store_id, Deadline deadline,
                                                  CallObserver* observer) {
    if (need(store_id) == Need::kNothing) return std::nullopt;
    const StoreLock lock(options_.database_url, store_id, deadline, options_.lock_poll);
    switch (need(store_id)) {  // again: a sync that held the lock meanwhile may have done the work
        case Need::kNothing:
            return std::nullopt;
        case Need::kBackfill:
            return run_backfill(store_id, deadline, observer);
        case Need::kChanges:
            break;
    }
    return run_changes(store_id, deadline, observer);
}

std::string StoreSync::refresh_skip_reason(std::string_view store_id, std::string_view requested_at) {
    const auto r = pool_.query_blocking(
        "SELECT status, last_synced_at IS NULL AS never, last_synced_at >= $2::timestamptz AS since "
        "FROM shopify_stores WHERE id::text = $1",
        db::Params{std::string(store_id), std::string(requested_at)});
    if (r.empty()) return "store not found";
    if (r.get<std::string>(0, "status") != "ACTIVE") return "store not linked";
    if (r.get<bool>(0, "never")) return "never backfilled";
    return r.get<std::optional<bool>>(0, "since").value_or(false) ? "synced since" : "";
}

RefreshResult StoreSync::refresh_since(std::string_view store_id, std::string_view requested_at, Deadline deadline,
                                       CallObserver* observer) {
    RefreshResult result;
    result.skipped = refresh_skip_reason(store_id, requested_at);
    if (!result.skipped.empty()) return result;
    const StoreLock lock(options_.database_url, store_id, deadline, options_.lock_poll);
    result.skipped = refresh_skip_reason(store_id, requested_at);  // again: the lock holder may have synced
    if (result.skipped.empty()) result.report = run_changes(store_id, deadline, observer);
    return result;
}

SyncReport StoreSync::run_backfill(std::string_view store_id, Deadline deadline, CallObserver* observer) {
    // A backfill cut short resumes: store_sync_state.cursor = "backfill <as-of time> <phases done>[ <refunds
    // page cursor>]".
    const auto saved = pool_.query_blocking(
        "SELECT split_part(cursor, ' ', 2) AS as_of, split_part(cursor, ' ', 3) AS done, " + utc_text("now()") +
            " AS now, split_part(cursor, ' ', 4) AS refunds_after FROM store_sync_state RIGHT JOIN (SELECT 1) one ON "
            "store_id = $1::uuid "
            "AND cursor LIKE 'backfill %'",
        db::Params{std::string(store_id)});
    std::string as_of = saved.get<std::optional<std::string>>(0, "as_of").value_or("");
    std::size_t first_phase = 0;
    std::optional<std::string> refunds_after;
    if (as_of.empty() || !parse_rfc3339(as_of)) {
        as_of = saved.get<std::string>(0, "now");
    } else {
        std::from_chars(saved.text(0, 1).data(), saved.text(0, 1).data() + saved.text(0, 1).size(), first_phase);
        if (const auto after = saved.get<std::optional<std::string>>(0, "refunds_after"); after && !after->empty()) {
            refunds_after = after;
        }
    }
    return run_tracked(store_id, true, [&](const ShopCredentials& shop, SyncReport& report) {
        const std::pair<std::string_view, std::string> phases[] = {{"PRODUCTS", std::string(kBulkProducts)},
                                                                   {"CUSTOMERS", std::string(kBulkCustomers)},
                                                                   {"ORDERS", bulk_orders()},
                                                                   {"LOCATIONS", std::string(kBulkLocations)},
                                                                   {"INVENTORY", std::string(kBulkInventory)}};
        if (first_phase > 0) {
            log_.info("shopify backfill resumed", {{"store_id", std::string(store_id)}, {"phases_done", first_phase}});
        }
        constexpr std::size_t kPhases = std::size(phases) + 1;  // the bulk phases, then REFUNDS
        const auto save_cursor = [&](std::size_t done, std::string_view refunds_cursor) {
            std::string cursor = "backfill " + as_of + " " + std::to_string(done);
            if (!refunds_cursor.empty()) cursor += " " + std::string(refunds_cursor);
            pool_.query_blocking("UPDATE store_sync_state SET cursor = $2 WHERE store_id = $1::uuid",
                                 db::Params{std::string(store_id), cursor});
        };
        for (std::size_t i = first_phase; i < std::size(phases); ++i) {
            const auto& [phase, query] = phases[i];
            set_phase(store_id, phase, static_cast<double>(i) / kPhases);
            run_bulk_phase(shop, store_id, phase, query, report, deadline, observer);
            save_cursor(i + 1, "");
        }
        set_phase(store_id, "REFUNDS", static_cast<double>(std::size(phases)) / kPhases);
        CacheWriter writer(pool_, std::string(store_id), options_.cache_ttl);
        sync_refunds(
            client_, shop, std::string(kRefundedOrders), refunds_after, writer, deadline,
            [&](const std::string& page) { save_cursor(std::size(phases), page); }, observer);
        merge(report, writer);
        // Whatever was not rewritten by this backfill is gone from the shop. Under the sync's deadline, not the
        // pool's default call timeout: on a large store this touches hundreds of thousands of rows.
        pool_.transact_blocking(
            [&](db::Transaction& tx) {
                for (const auto table : kCacheTables) {
                    tx.exec("DELETE FROM " + std::string(table) +
                                " WHERE store_id = $1::uuid AND fetched_at < $2::timestamptz",
                            db::Params{std::string(store_id), as_of});
                }
            },
            {}, deadline);
        return as_of;
    });
}

void StoreSync::run_bulk_phase(const ShopCredentials& shop, std::string_view store_id, std::string_view phase,
                               const std::string& query, SyncReport& report, Deadline deadline,
                               CallObserver* observer) {
    BulkOperation op;
    try {
        op = client_.wait_for_bulk(shop, client_.start_bulk_query(shop, query, deadline, observer), deadline, observer);
    } catch (const ShopifyApiError& e) {
        // Locations need read_locations, which a store may not have granted: the rest is still useful.
        if (phase != "LOCATIONS") throw;
        log_.warning("shopify locations not synced", {{"store_id", std::string(store_id)}, {"error", e.what()}});
        return;
    }
    CacheWriter writer(pool_, std::string(store_id), options_.cache_ttl);
    BulkAssembler assembler([&](const BulkObject& o) { writer.add(o); });
    if (op.url) {
        client_.download_lines(
            *op.url, deadline, [&](std::string_view line) { assembler.add_line(line); }, observer);
    }
    report.orphans += static_cast<std::int64_t>(assembler.finish());
    writer.flush();
    merge(report, writer);
}

SyncReport StoreSync::run_changes(std::string_view store_id, Deadline deadline, CallObserver* observer) {
    const auto window_start = pool_.query_blocking(
        "SELECT " + utc_text("last_synced_at - make_interval(secs => $2)") + ", " + utc_text("now()") +
            " FROM shopify_stores WHERE id::text = $1",
        db::Params{
            std::string(store_id),
            static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(kWindowOverlap).count())});
    if (window_start.empty()) throw Error(ErrorCode::kNotFound, "store not found");
    const auto since = window_start.get<std::optional<std::string>>(0, 0);
    if (!since) return run_backfill(store_id, deadline, observer);
    std::string as_of = window_start.get<std::string>(0, 1);
    const std::string window = "updated_at:>'" + since->substr(0, 19) + "Z'";  // whole seconds

    return run_tracked(store_id, false, [&](const ShopCredentials& shop, SyncReport& report) {
        CacheWriter writer(pool_, std::string(store_id), options_.cache_ttl);
        // Products with their variants; a product with more variants than the page holds gets its own pages.
        set_phase(store_id, "PRODUCTS", 0);
        const std::string products =
            "query($after: String, $q: String) { products(first: 10, after: $after, query: $q) { nodes { " +
            std::string(kProductFields) + " variants(first: 20) { nodes { " + std::string(kVariantFields) +
            " } pageInfo { hasNextPage endCursor } } } pageInfo { hasNextPage endCursor } } }";
        const std::string more_variants =
            "query($id: ID!, $after: String) { product(id: $id) { variants(first: 50, after: $after) { nodes { " +
            std::string(kVariantFields) + " } pageInfo { hasNextPage endCursor } } } }";
        const std::string orders =
            "query($after: String, $q: String) { orders(first: 4, after: $after, query: $q) { nodes { " +
            std::string(kOrderFields) + " lineItems(first: 20) { nodes { " + std::string(kLineItemFields) +
            " } pageInfo { hasNextPage endCursor } } } pageInfo { hasNextPage endCursor } } }";
        const std::string more_lines =
            "query($id: ID!, $after: String) { order(id: $id) { lineItems(first: 50, after: $after) { nodes { " +
            std::string(kLineItemFields) + " } pageInfo { hasNextPage endCursor } } } }";
        const std::string customers =
            "query($after: String, $q: String) { customers(first: 100, after: $after, query: $q) { nodes { id "
            "email "
            "firstName lastName state tags numberOfOrders amountSpent { amount currencyCode } createdAt updatedAt "
            "} "
            "pageInfo { hasNextPage endCursor } } }";

        // Nested connection pages after the first: (parent id, end cursor).
        const auto follow = [&](const json::array& nodes, std::string_view child, const std::string& document,
                                const std::string& root) {
            for (const auto& node : nodes) {
                const auto* conn = node.get_object().if_contains(child);
                const auto* info =
                    conn != nullptr && conn->is_object() ? conn->get_object().if_contains("pageInfo") : nullptr;
                if (info == nullptr || !info->is_object()) continue;
                const auto* more = info->get_object().if_contains("hasNextPage");
                const auto* cursor = info->get_object().if_contains("endCursor");
                if (more == nullptr || !more->is_bool() || !more->get_bool() || cursor == nullptr ||
                    !cursor->is_string()) {
                    continue;
                }
                const std::string parent(node.get_object().at("id").as_string());
                client_.paginate(
                    shop, document, json::object{{"id", parent}}, {root, std::string(child)}, deadline,
                    [&](const json::array& children, const std::optional<std::string>&) {
                        for (const auto& c : children) {
                            BulkObject o;
                            o.fields = c.get_object();
                            o.id = std::string(c.get_object().at("id").as_string());
                            o.type = gid_type(o.id);
                            o.parent_id = parent;
                            writer.add(o);
                        }
                    },
                    std::string(cursor->get_string()), observer);
            }
        };
        // One page of a root connection: its nodes and their first child page, then the child pages after it.
        const auto store_page = [&](const json::array& nodes, const std::vector<std::string>& children,
                                    std::string_view child, const std::string& more, const std::string& root) {
            for (const auto& node : nodes) {
                for (const auto& o : flatten_node(node.get_object(), children)) writer.add(o);
            }
            if (!child.empty()) follow(nodes, child, more, root);
        };
        using Cursor = std::optional<std::string>;
        client_.paginate(
            shop, products, json::object{{"q", window}}, {"products"}, deadline,
            [&](const json::array& nodes, const Cursor&) {
                store_page(nodes, {"variants"}, "variants", more_variants, "product");
            },
            std::nullopt, observer);
        set_phase(store_id, "CUSTOMERS", 1.0 / 3);
        client_.paginate(
            shop, customers, json::object{{"q", window}}, {"customers"}, deadline,
            [&](const json::array& nodes, const Cursor&) { store_page(nodes, {}, "", customers, ""); }, std::nullopt,
            observer);
        set_phase(store_id, "ORDERS", 2.0 / 3);
        client_.paginate(
            shop, orders, json::object{{"q", window}}, {"orders"}, deadline,
            [&](const json::array& nodes, const Cursor&) {
                store_page(nodes, {"lineItems"}, "lineItems", more_lines, "order");
            },
            std::nullopt, observer);
        writer.flush();  // the orders before their refunds
        set_phase(store_id, "REFUNDS", 0.9);
        sync_refunds(
            client_, shop, window + " AND " + std::string(kRefundedOrders), std::nullopt, writer, deadline,
            [](const std::string&) {}, observer);
        merge(report, writer);
        // Everything else was unchanged since the last sync: as fresh as what was just read. Under the sync's
        // deadline: on a large store this updates every cached row (~600k on the large profile), far longer than
        // the pool's default call timeout (found by the paged-sync benchmark).
        pool_.transact_blocking(
            [&](db::Transaction& tx) {
                const double ttl_s = std::chrono::duration<double>(options_.cache_ttl).count();
                for (const auto table : kCacheTables) {
                    tx.exec("UPDATE " + std::string(table) +
                                " SET expires_at = now() + make_interval(secs => $2) WHERE store_id = $1::uuid",
                            db::Params{std::string(store_id), ttl_s});
                }
            },
            {}, deadline);
        return as_of;
    });
}

CacheSummary cache_summary(db::Pool& pool, std::string_view store_id) {
    const auto r = pool.query_blocking(
        "SELECT (SELECT count(*) FROM shop_orders WHERE store_id = $1::uuid), "
        "(SELECT count(*) FROM shop_products WHERE store_id = $1::uuid), "
        "(SELECT to_char(max(fetched_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM shop_orders "
        "WHERE store_id = $1::uuid), "
        "EXISTS (SELECT 1 FROM shop_orders WHERE store_id = $1::uuid AND expires_at <= now())",
        db::Params{std::string(store_id)});
    CacheSummary out;
    out.orders = r.get<std::int64_t>(0, 0);
    out.products = r.get<std::int64_t>(0, 1);
    out.fetched_at = r.get<std::optional<std::string>>(0, 2);
    out.stale = r.get<bool>(0, 3);
    return out;
}

}  // namespace alatar::shopify
