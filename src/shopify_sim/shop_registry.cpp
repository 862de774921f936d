#include "shopify_sim/shop_registry.hpp"

#include "shopify_sim/prng.hpp"

namespace alatar::shopify_sim {

ShopRegistry::ShopRegistry(ShopRegistryOptions options) : options_(std::move(options)) {
    if (options_.today == 0) options_.today = current_utc_date();
}

std::uint64_t ShopRegistry::shop_seed(std::uint64_t base_seed, std::string_view domain) noexcept {
    // The dev shop keeps the base seed itself, so `export --seed N` and `serve --seed N` agree on it.
    if (domain == "demo.myshopify.test") return base_seed;
    return base_seed ^ fnv1a64(domain);
}

std::shared_ptr<ShopState> ShopRegistry::get(const std::string& domain) {
    std::shared_ptr<Slot> slot;
    {
        const std::lock_guard lock(mutex_);
        auto& entry = shops_[domain];
        if (!entry) entry = std::make_shared<Slot>();
        slot = entry;
    }
    std::call_once(slot->once, [&] {
        GeneratorOptions g;
        g.shop_domain = domain;
        g.profile = options_.profile;
        g.seed = shop_seed(options_.seed, domain);
        g.today = options_.today;
        g.plan_display_name = options_.plan_display_name;
        g.rate_limit_plan = options_.rate_limit_plan;
        auto state = std::make_shared<ShopState>();
        state->store = generate_store(g);
        state->store.index();
        slot->state = std::move(state);
    });
    return slot->state;
}

std::vector<std::string> ShopRegistry::domains() const {
    const std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [domain, slot] : shops_) out.push_back(domain);
    return out;
}

}  // namespace alatar::shopify_sim
