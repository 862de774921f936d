#include "graphql/cache.hpp"

namespace alatar::graphql {

PreparedDocument prepare_document(const Schema& schema, std::string_view text, const ParseOptions& parse_options,
                                  const ValidationOptions& validation_options) {
    PreparedDocument prepared;
    auto parsed = parse(std::string(text), parse_options);
    if (auto* error = std::get_if<GraphQLError>(&parsed)) {
        prepared.errors.push_back(std::move(*error));
        return prepared;
    }
    prepared.document = std::get<DocumentPtr>(std::move(parsed));
    prepared.errors = validate(schema, *prepared.document, validation_options);
    return prepared;
}

DocumentCache::DocumentCache(const Schema& schema, const ParseOptions& parse_options,
                             const ValidationOptions& validation_options, std::size_t capacity)
    : schema_(schema),
      parse_options_(parse_options),
      validation_options_(validation_options),
      capacity_(capacity == 0 ? 1 : capacity) {}

std::shared_ptr<const PreparedDocument> DocumentCache::get(std::string_view text) {
    {
        std::lock_guard lock(mutex_);
        auto found = index_.find(text);
        if (found != index_.end()) {
            ++hits_;
            lru_.splice(lru_.begin(), lru_, found->second);
            return found->second->second;
        }
        ++misses_;
    }
    // Preparing takes the time; do it unlocked. Two threads missing the same text both
    // prepare it and the second insert is dropped, which is harmless.
    auto prepared =
        std::make_shared<const PreparedDocument>(prepare_document(schema_, text, parse_options_, validation_options_));
    std::lock_guard lock(mutex_);
    if (index_.find(text) == index_.end()) {
        lru_.emplace_front(std::string(text), prepared);
        index_.emplace(lru_.front().first, lru_.begin());
        while (lru_.size() > capacity_) {
            index_.erase(lru_.back().first);
            lru_.pop_back();
        }
    }
    return prepared;
}

DocumentCache::Stats DocumentCache::stats() const {
    std::lock_guard lock(mutex_);
    return Stats{hits_, misses_, lru_.size()};
}

}  // namespace alatar::graphql
