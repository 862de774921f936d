#pragma once
// A bounded LRU cache of parsed and validated documents, keyed by the document text, for the
// server's hot path: a repeated query skips lexing, parsing and validation. Thread-safe.
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "graphql/ast.hpp"
#include "graphql/error.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema.hpp"
#include "graphql/validation.hpp"

namespace alatar::graphql {

// A document ready to execute, or the request errors (syntax or validation) it produced.
struct PreparedDocument {
    DocumentPtr document;  // null when parsing failed
    Errors errors;         // empty when the document is valid
    bool ok() const { return document != nullptr && errors.empty(); }
};

class DocumentCache {
  public:
    DocumentCache(const Schema& schema, const ParseOptions& parse_options, const ValidationOptions& validation_options,
                  std::size_t capacity);

    // The prepared form of `text`: from the cache, or parsed and validated now (outside the lock).
    std::shared_ptr<const PreparedDocument> get(std::string_view text);

    struct Stats {
        std::size_t hits = 0;
        std::size_t misses = 0;
        std::size_t size = 0;
    };
    Stats stats() const;

  private:
    using Entry = std::pair<std::string, std::shared_ptr<const PreparedDocument>>;

    const Schema& schema_;
    const ParseOptions parse_options_;
    const ValidationOptions validation_options_;
    const std::size_t capacity_;

    mutable std::mutex mutex_;
    std::list<Entry> lru_;  // most recently used first
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;
    std::size_t hits_ = 0;
    std::size_t misses_ = 0;
};

// Parses and validates without caching.
PreparedDocument prepare_document(const Schema& schema, std::string_view text, const ParseOptions& parse_options,
                                  const ValidationOptions& validation_options);

}  // namespace alatar::graphql
