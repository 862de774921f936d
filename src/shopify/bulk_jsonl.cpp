#include "shopify/bulk_jsonl.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <stdexcept>

namespace alatar::shopify {

std::string gid_type(std::string_view gid) {
    constexpr std::string_view kPrefix = "gid://shopify/";
    if (!gid.starts_with(kPrefix)) return {};
    gid.remove_prefix(kPrefix.size());
    const auto slash = gid.find('/');
    if (slash == std::string_view::npos || slash == 0) return {};
    return std::string(gid.substr(0, slash));
}

void BulkAssembler::add_line(std::string_view line) {
    // One arena per line: the line's values take a block or two instead of an allocation each, and the arena
    // goes with the last object (or copy) that uses it.
    const boost::json::storage_ptr arena =
        boost::json::make_shared_resource<boost::json::monotonic_resource>(line.size() * 2 + 256);
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(line, ec, arena);
    if (ec || !value.is_object()) throw std::invalid_argument("a bulk result line is not a JSON object");
    BulkObject object{
        .id = {}, .type = {}, .parent_id = {}, .fields = boost::json::object(std::move(value.get_object()))};
    if (const auto* id = object.fields.if_contains("id"); id != nullptr && id->is_string()) {
        object.id = std::string(id->get_string());
        object.type = gid_type(object.id);
    }
    if (const auto* parent = object.fields.if_contains("__parentId"); parent != nullptr && parent->is_string()) {
        object.parent_id = std::string(parent->get_string());
        object.fields.erase("__parentId");
    }
    if (object.parent_id && !seen_.contains(*object.parent_id)) {
        ++waiting_count_;
        waiting_[*object.parent_id].push_back(std::move(object));
        return;
    }
    deliver(std::move(object));
}

void BulkAssembler::deliver(BulkObject object) {
    // Iterative: releasing a parent may release its children, whose own children may be waiting too.
    std::vector<BulkObject> queue;
    queue.push_back(std::move(object));
    while (!queue.empty()) {
        BulkObject next = std::move(queue.back());
        queue.pop_back();
        on_object_(next);
        ++delivered_;
        if (next.id.empty()) continue;
        seen_.insert(next.id);
        const auto it = waiting_.find(next.id);
        if (it == waiting_.end()) continue;
        std::vector<BulkObject> children = std::move(it->second);
        waiting_.erase(it);
        waiting_count_ -= children.size();
        // Reverse so that children come out in file order.
        for (auto child = children.rbegin(); child != children.rend(); ++child) queue.push_back(std::move(*child));
    }
}

std::size_t BulkAssembler::finish(const std::function<void(const BulkObject&)>& on_orphan) {
    std::size_t orphans = 0;
    for (auto& [parent, children] : waiting_) {
        for (const auto& child : children) {
            ++orphans;
            if (on_orphan) on_orphan(child);
        }
    }
    waiting_.clear();
    waiting_count_ = 0;
    return orphans;
}

}  // namespace alatar::shopify
