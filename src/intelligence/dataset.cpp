#include "intelligence/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace alatar::intelligence {

namespace {

constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::max();

std::int64_t seconds(Instant t) noexcept { return t.time_since_epoch().count(); }

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

}  // namespace

Dataset::Dataset(StoreData data)
    : data_(std::move(data)),
      clock_(data_.shop.timezone),
      decimals_(data_.shop.currency_decimals.value_or(currency_decimals(data_.shop.currency))) {
    index_catalogue();
    index_orders();
    index_inventory();
}

double Dataset::to_major(Money minor) const noexcept { return to_major(static_cast<double>(minor)); }

double Dataset::to_major(double minor) const noexcept { return minor / std::pow(10.0, decimals_); }

Index Dataset::intern_product(const std::string& id) {
    if (auto it = product_by_id_.find(id); it != product_by_id_.end()) return it->second;
    ++quality_.unknown_products;
    Product placeholder;
    placeholder.id = id;
    placeholder.title = id.empty() ? "(unknown product)" : "(deleted product " + std::string(gid_tail(id)) + ")";
    placeholder.status = ProductStatus::kArchived;
    const auto index = static_cast<Index>(products_.size());
    products_.push_back(std::move(placeholder));
    product_by_id_.emplace(id, index);
    return index;
}

void Dataset::index_catalogue() {
    products_ = data_.products;
    for (std::size_t i = 0; i < products_.size(); ++i) product_by_id_.emplace(products_[i].id, static_cast<Index>(i));
    for (std::size_t i = 0; i < data_.variants.size(); ++i) {
        variant_by_id_.emplace(data_.variants[i].id, static_cast<Index>(i));
    }
    for (std::size_t i = 0; i < data_.customers.size(); ++i) customer_ids_.push_back(data_.customers[i].id);
}

void Dataset::index_orders() {
    std::unordered_map<std::string, Index> customer_by_id;
    for (std::size_t i = 0; i < customer_ids_.size(); ++i)
        customer_by_id.emplace(customer_ids_[i], static_cast<Index>(i));
    std::unordered_map<std::string, Index> code_by_text;

    std::vector<std::uint32_t> sale;
    for (std::size_t i = 0; i < data_.orders.size(); ++i) {
        const Order& o = data_.orders[i];
        if (o.test) {
            ++quality_.test_orders;
        } else if (o.cancelled_at) {
            ++quality_.cancelled_orders;
        } else {
            sale.push_back(static_cast<std::uint32_t>(i));
        }
    }
    std::stable_sort(sale.begin(), sale.end(), [&](std::uint32_t a, std::uint32_t b) {
        return data_.orders[a].processed_at < data_.orders[b].processed_at;
    });

    DayBucketer bucketer(clock_);
    std::vector<std::uint32_t> orders_so_far;  // per customer
    struct PendingReturn {
        std::int64_t time;
        Index order;
        Index line;
        Index product;
        std::int32_t quantity;
        Money amount;
    };
    std::vector<PendingReturn> pending;
    for (std::size_t row = 0; row < sale.size(); ++row) {
        const Order& o = data_.orders[sale[row]];
        orders_.time.push_back(seconds(o.processed_at));
        orders_.day.push_back(Dataset::day_number(bucketer.day_of(o.processed_at)));
        Index customer = kNone;
        if (o.customer_id) {
            auto [it, inserted] = customer_by_id.emplace(*o.customer_id, static_cast<Index>(customer_ids_.size()));
            if (inserted) customer_ids_.push_back(*o.customer_id);  // a customer the list did not have
            customer = it->second;
        }
        orders_.customer.push_back(customer);
        std::uint32_t ordinal = 0;
        if (customer != kNone) {
            if (orders_so_far.size() < customer_ids_.size()) orders_so_far.resize(customer_ids_.size(), 0);
            ordinal = ++orders_so_far[static_cast<std::size_t>(customer)];
        }
        orders_.ordinal.push_back(ordinal);
        Index code = kNone;
        if (!o.discount_codes.empty()) {
            auto [it, inserted] =
                code_by_text.emplace(upper(o.discount_codes.front()), static_cast<Index>(discount_codes_.size()));
            if (inserted) discount_codes_.push_back(it->first);
            code = it->second;
        }
        orders_.discount_code.push_back(code);
        orders_.source.push_back(sale[row]);
        orders_.line_begin.push_back(static_cast<std::uint32_t>(lines_.size()));

        Money gross = 0;
        Money line_discounts = 0;
        std::int32_t units = 0;
        const auto first_line = static_cast<Index>(lines_.size());
        for (const LineItem& l : o.lines) {
            const Money line_gross = l.unit_price * l.quantity;
            gross += line_gross;
            line_discounts += l.discount_allocation;
            units += l.quantity;
            lines_.order.push_back(static_cast<Index>(row));
            lines_.product.push_back(intern_product(l.product_id));
            auto v = variant_by_id_.find(l.variant_id);
            lines_.variant.push_back(v == variant_by_id_.end() ? kNone : v->second);
            lines_.quantity.push_back(l.quantity);
            lines_.gross.push_back(line_gross);
            lines_.discount.push_back(l.discount_allocation);
            lines_.refunded.push_back(0);
        }
        orders_.gross.push_back(gross);
        orders_.discounts.push_back(o.total_discounts);
        orders_.line_discounts.push_back(line_discounts);
        orders_.units.push_back(units);

        for (const Refund& r : o.refunds) {
            for (const RefundLine& rl : r.lines) {
                Index line = kNone;
                for (std::size_t k = 0; k < o.lines.size(); ++k) {
                    if (o.lines[k].id == rl.line_item_id) {
                        line = first_line + static_cast<Index>(k);
                        break;
                    }
                }
                Index product = kNone;
                if (line == kNone) {
                    ++quality_.unmatched_refund_lines;
                    product = intern_product("");
                } else {
                    product = lines_.product[static_cast<std::size_t>(line)];
                    lines_.refunded[static_cast<std::size_t>(line)] += rl.quantity;
                }
                pending.push_back(
                    {seconds(r.created_at), static_cast<Index>(row), line, product, rl.quantity, rl.amount});
            }
        }
    }
    orders_.line_begin.push_back(static_cast<std::uint32_t>(lines_.size()));

    customer_first_time_.assign(customer_ids_.size(), kNoTime);
    for (std::size_t row = 0; row < orders_.size(); ++row) {
        const Index c = orders_.customer[row];
        if (c != kNone && orders_.ordinal[row] == 1)
            customer_first_time_[static_cast<std::size_t>(c)] = orders_.time[row];
    }

    std::stable_sort(pending.begin(), pending.end(),
                     [](const PendingReturn& a, const PendingReturn& b) { return a.time < b.time; });
    DayBucketer refund_bucketer(clock_);
    for (const auto& p : pending) {
        returns_.time.push_back(p.time);
        returns_.day.push_back(Dataset::day_number(refund_bucketer.day_of(Instant{std::chrono::seconds{p.time}})));
        returns_.order.push_back(p.order);
        returns_.line.push_back(p.line);
        returns_.product.push_back(p.product);
        returns_.quantity.push_back(p.quantity);
        returns_.amount.push_back(p.amount);
    }
}

void Dataset::index_inventory() {
    const std::size_t n = products_.size();
    product_type_.assign(n, 0);
    available_.assign(n, std::nullopt);
    price_.assign(n, std::nullopt);
    unit_cost_.assign(n, std::nullopt);
    variants_of_.assign(n, {});

    std::unordered_map<std::string, Index> type_by_name;
    for (std::size_t p = 0; p < n; ++p) {
        const std::string& type = products_[p].product_type;
        auto [it, inserted] = type_by_name.emplace(type, static_cast<Index>(product_types_.size()));
        if (inserted) product_types_.push_back(type.empty() ? "(none)" : type);
        product_type_[p] = it->second;
    }

    std::unordered_map<std::string, Index> product_by_item;
    std::vector<Money> cost_sum(n, 0);
    std::vector<int> cost_count(n, 0);
    for (std::size_t v = 0; v < data_.variants.size(); ++v) {
        const Variant& variant = data_.variants[v];
        auto it = product_by_id_.find(variant.product_id);
        if (it == product_by_id_.end()) continue;
        const auto p = static_cast<std::size_t>(it->second);
        variants_of_[p].push_back(static_cast<Index>(v));
        if (!price_[p]) price_[p] = variant.price;
        if (variant.unit_cost) {
            cost_sum[p] += *variant.unit_cost;
            ++cost_count[p];
        }
        if (!variant.inventory_item_id.empty()) product_by_item.emplace(variant.inventory_item_id, it->second);
    }
    for (std::size_t p = 0; p < n; ++p) {
        if (cost_count[p] > 0) unit_cost_[p] = cost_sum[p] / cost_count[p];
    }
    for (const InventoryLevel& level : data_.inventory_levels) {
        auto it = product_by_item.find(level.inventory_item_id);
        if (it == product_by_item.end()) continue;
        auto& slot = available_[static_cast<std::size_t>(it->second)];
        slot = slot.value_or(0) + level.available;
    }
}

std::pair<std::size_t, std::size_t> Dataset::order_rows(const DateWindow& window) const {
    const auto begin = seconds(clock_.window_begin(window));
    const auto end = seconds(clock_.window_end(window));
    const auto lo = std::lower_bound(orders_.time.begin(), orders_.time.end(), begin);
    const auto hi = std::lower_bound(lo, orders_.time.end(), end);
    return {static_cast<std::size_t>(lo - orders_.time.begin()), static_cast<std::size_t>(hi - orders_.time.begin())};
}

std::pair<std::size_t, std::size_t> Dataset::return_rows(const DateWindow& window) const {
    const auto begin = seconds(clock_.window_begin(window));
    const auto end = seconds(clock_.window_end(window));
    const auto lo = std::lower_bound(returns_.time.begin(), returns_.time.end(), begin);
    const auto hi = std::lower_bound(lo, returns_.time.end(), end);
    return {static_cast<std::size_t>(lo - returns_.time.begin()), static_cast<std::size_t>(hi - returns_.time.begin())};
}

std::optional<Index> Dataset::find_product(std::string_view id) const {
    auto it = product_by_id_.find(std::string(id));
    if (it == product_by_id_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::int64_t> Dataset::first_order_time(Index c) const {
    const auto t = customer_first_time_[static_cast<std::size_t>(c)];
    if (t == kNoTime) return std::nullopt;
    return t;
}

std::optional<LocalDay> Dataset::last_activity_day() const {
    std::optional<std::int32_t> last;
    if (!orders_.day.empty()) last = *std::max_element(orders_.day.begin(), orders_.day.end());
    if (!returns_.day.empty()) last = std::max(last.value_or(returns_.day.back()), returns_.day.back());
    if (!last) return std::nullopt;
    return local_day(*last);
}

}  // namespace alatar::intelligence
