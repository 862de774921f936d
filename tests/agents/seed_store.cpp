#include "agents/seed_store.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "db/connection.hpp"
#include "db/migrate.hpp"
#include "mq/envelope.hpp"
#include "shopify_sim/civil_time.hpp"
#include "shopify_sim/money.hpp"

namespace alatar::agents::testing {

namespace {

namespace json = boost::json;
using namespace shopify_sim;

std::string gid(std::string_view type, Id id) {
    return "gid://shopify/" + std::string(type) + "/" + std::to_string(id);
}

json::value ts(std::optional<Timestamp> t) { return t ? json::value(format_timestamp(*t)) : json::value(nullptr); }

void insert_batch(db::Pool& pool, std::string_view sql, const json::array& rows) {
    pool.query_blocking(sql, db::Params{db::Json{json::serialize(rows)}}, Deadline::after(std::chrono::seconds{60}));
}

}  // namespace

std::string insert_user(db::Pool& pool) {
    return pool
        .query_blocking("INSERT INTO users (email) VALUES ($1) RETURNING id::text",
                        db::Params{"u" + mq::new_uuid().substr(0, 12) + "@example.test"})
        .scalar<std::string>();
}

SeededStore seed_store(db::Pool& pool, const Store& store) {
    SeededStore out;
    out.user_id = insert_user(pool);
    out.store_id = pool.query_blocking(
                           "INSERT INTO shopify_stores (user_id, shop_domain, name, currency, timezone) "
                           "VALUES ($1, $2, $3, $4, $5) RETURNING id::text",
                           db::Params{out.user_id, store.shop.domain, store.shop.name, store.shop.currency_code,
                                      store.shop.iana_timezone})
                       .scalar<std::string>();
    json::array products;
    for (const auto& p : store.products) {
        products.push_back(json::object{
            {"gid", gid("Product", p.id)}, {"title", p.title}, {"status", std::string(product_status_name(p.status))}});
    }
    insert_batch(pool,
                 "INSERT INTO shop_products (store_id, shopify_gid, title, status, expires_at) "
                 "SELECT '" +
                     out.store_id +
                     "', r.gid, r.title, r.status, now() + interval '1 day' "
                     "FROM jsonb_to_recordset($1::jsonb) AS r(gid text, title text, status text)",
                 products);
    constexpr std::size_t kBatch = 2000;
    json::array orders;
    json::array lines;
    auto flush = [&] {
        insert_batch(
            pool,
            "INSERT INTO shop_orders (store_id, shopify_gid, name, created_at, processed_at, cancelled_at, "
            "test, currency, subtotal_amount, total_amount, total_discounts_amount, total_refunded_amount, "
            "total_tax_amount, total_shipping_amount, expires_at) "
            "SELECT '" +
                out.store_id +
                "', r.gid, r.name, r.created_at, r.processed_at, r.cancelled_at, "
                "r.test, r.currency, r.subtotal / 100.0, r.total / 100.0, r.discounts / 100.0, r.refunded / 100.0, "
                "r.tax / 100.0, r.shipping / 100.0, now() + interval '1 day' "
                "FROM jsonb_to_recordset($1::jsonb) AS r(gid text, name text, created_at timestamptz, "
                "processed_at timestamptz, cancelled_at timestamptz, test boolean, currency text, subtotal bigint, "
                "total bigint, discounts bigint, refunded bigint, tax bigint, shipping bigint)",
            orders);
        insert_batch(
            pool,
            "INSERT INTO shop_order_line_items (store_id, shopify_gid, order_gid, product_gid, variant_gid, "
            "title, quantity, original_unit_price, discounted_total, total_discount, expires_at) "
            "SELECT '" +
                out.store_id +
                "', r.gid, r.order_gid, r.product_gid, r.variant_gid, r.title, "
                "r.quantity, r.price / 100.0, r.discounted / 100.0, r.discount / 100.0, now() + interval '1 day' "
                "FROM jsonb_to_recordset($1::jsonb) AS r(gid text, order_gid text, product_gid text, "
                "variant_gid text, title text, quantity integer, price bigint, discounted bigint, discount bigint)",
            lines);
        orders.clear();
        lines.clear();
    };
    for (const auto& o : store.orders) {
        orders.push_back(json::object{{"gid", gid("Order", o.id)},
                                      {"name", o.name},
                                      {"created_at", ts(o.created_at)},
                                      {"processed_at", ts(o.processed_at)},
                                      {"cancelled_at", ts(o.cancelled_at)},
                                      {"test", o.test},
                                      {"currency", store.shop.currency_code},
                                      {"subtotal", o.subtotal_price},
                                      {"total", o.total_price},
                                      {"discounts", o.total_discounts},
                                      {"refunded", o.total_refunded},
                                      {"tax", o.total_tax},
                                      {"shipping", o.total_shipping}});
        for (const auto& l : o.lines) {
            lines.push_back(json::object{{"gid", gid("LineItem", l.id)},
                                         {"order_gid", gid("Order", o.id)},
                                         {"product_gid", gid("Product", l.product_id)},
                                         {"variant_gid", gid("ProductVariant", l.variant_id)},
                                         {"title", l.title},
                                         {"quantity", l.quantity},
                                         {"price", l.price},
                                         {"discounted", l.discounted_total()},
                                         {"discount", l.total_discount}});
        }
        if (orders.size() >= kBatch) flush();
    }
    if (!orders.empty()) flush();
    return out;
}

Totals ground_truth(const Store& store, Timestamp from, Timestamp to) {
    Totals t;
    for (const auto& o : store.orders) {
        if (o.test || o.cancelled_at || o.processed_at < from || o.processed_at >= to) continue;
        ++t.orders;
        for (const auto& l : o.lines) {
            t.units += l.quantity;
            t.gross += l.original_total();
        }
        t.discounts += o.total_discounts;
        t.after_discounts += o.subtotal_price;
        t.refunded += o.total_refunded;
    }
    return t;
}

Window last_month(const Store& store, Timestamp now) {
    const Timestamp offset = static_cast<Timestamp>(store.shop.utc_offset_minutes) * 60;
    const CivilDate local = civil_from_date(utc_date(now + offset));
    const CivilDate this_month{local.year, local.month, 1};
    const CivilDate previous =
        local.month == 1 ? CivilDate{local.year - 1, 12, 1} : CivilDate{local.year, local.month - 1, 1};
    return {date_from_civil(previous) * kSecondsPerDay - offset, date_from_civil(this_month) * kSecondsPerDay - offset};
}

void migrate(const std::string& url) {
    db::Connection conn{url};
    db::apply_migrations(conn, db::load_migrations(std::string(ALATAR_SOURCE_DIR) + "/migrations"), Logger::null());
}

}  // namespace alatar::agents::testing
