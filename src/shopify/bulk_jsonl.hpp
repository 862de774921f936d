#pragma once
// Reassembles a bulk operation's JSONL (reference §3.8): one node per line, nested connection nodes on their own
// lines with "__parentId", and children not necessarily next to (or even after) their parent. Objects are handed
// on parents first: a child whose parent has not been seen yet waits (only such children are held in memory) and
// is released when the parent arrives.
#include <boost/json/object.hpp>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace alatar::shopify {

struct BulkObject {
    std::string id;                        // "" when the node selected no id
    std::string type;                      // from the gid: "Product", "ProductVariant", ...
    std::optional<std::string> parent_id;  // __parentId
    boost::json::object fields;            // the line without __parentId
};

// "gid://shopify/ProductVariant/12?x" -> "ProductVariant"; "" when not a gid.
std::string gid_type(std::string_view gid);

class BulkAssembler {
  public:
    explicit BulkAssembler(std::function<void(const BulkObject&)> on_object) : on_object_(std::move(on_object)) {}

    // One line of the file. Throws std::invalid_argument for a line that is not a JSON object.
    void add_line(std::string_view line);
    // The children whose parent never appeared, handed to on_orphan (when given); returns how many there were.
    std::size_t finish(const std::function<void(const BulkObject&)>& on_orphan = {});

    std::size_t delivered() const noexcept { return delivered_; }
    std::size_t waiting() const noexcept { return waiting_count_; }

  private:
    void deliver(BulkObject object);

    std::function<void(const BulkObject&)> on_object_;
    std::unordered_set<std::string> seen_;
    std::unordered_map<std::string, std::vector<BulkObject>> waiting_;  // parent id -> children
    std::size_t delivered_ = 0;
    std::size_t waiting_count_ = 0;
};

}  // namespace alatar::shopify
