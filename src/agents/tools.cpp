#include "agents/tools.hpp"

#include <stdexcept>

#include "agents/json_schema.hpp"
#include "common/error.hpp"
#include "db/pool.hpp"

namespace alatar::agents {

db::Result ReadOnlyDb::query(std::string_view sql, const db::Params& params, Deadline deadline) {
    return pool_.transact_blocking([&](db::Transaction& tx) { return tx.exec(sql, params); },
                                   db::TxOptions{.read_only = true}, deadline);
}

void ReadOnlyDb::snapshot(const std::function<void(db::Transaction&)>& fn, Deadline deadline) {
    pool_.transact_blocking([&](db::Transaction& tx) { fn(tx); },
                            db::TxOptions{.isolation = db::Isolation::kRepeatableRead, .read_only = true}, deadline);
}

void ToolRegistry::add(ToolSpec spec) {
    if (spec.name.empty() || !spec.run) throw std::invalid_argument("a tool needs a name and a function");
    if (tools_.contains(spec.name)) throw std::invalid_argument("duplicate tool " + spec.name);
    std::string name = spec.name;
    tools_.emplace(std::move(name), std::move(spec));
}

void ToolRegistry::replace(ToolSpec spec) {
    auto it = tools_.find(spec.name);
    if (it == tools_.end()) throw std::invalid_argument("no tool " + spec.name + " to replace");
    it->second = std::move(spec);
}

const ToolSpec* ToolRegistry::find(std::string_view name) const {
    const auto it = tools_.find(name);
    return it == tools_.end() ? nullptr : &it->second;
}

std::vector<std::string> ToolRegistry::names() const {
    std::vector<std::string> out;
    out.reserve(tools_.size());
    for (const auto& [name, spec] : tools_) out.push_back(name);
    return out;
}

boost::json::value ToolRegistry::call(std::string_view department, std::string_view name, ToolContext& context,
                                      const boost::json::object& input) const {
    const ToolSpec* tool = find(name);
    if (tool == nullptr) throw Error(ErrorCode::kBadUserInput, "unknown tool '" + std::string(name) + "'");
    if (tool->department != department) {
        throw Error(ErrorCode::kForbidden,
                    "tool '" + tool->name + "' is not available to the " + std::string(department) + " department");
    }
    if (auto v = validate_schema(tool->input_schema, input); !v.empty()) {
        throw Error(ErrorCode::kBadUserInput, "tool '" + tool->name + "' input: " + describe_violations(v));
    }
    ToolContext bounded = context;
    bounded.deadline = context.deadline.min(Deadline::after(tool->timeout));
    const auto start = std::chrono::steady_clock::now();
    boost::json::value output = tool->run(bounded, input);
    // Tools are cooperative (their database calls stop at the deadline); one that overran still fails.
    if (std::chrono::steady_clock::now() - start > tool->timeout) {
        throw Error(ErrorCode::kTimeout, "tool '" + tool->name + "' timed out");
    }
    if (auto v = validate_schema(tool->output_schema, output); !v.empty()) {
        throw Error(ErrorCode::kInternal, "tool '" + tool->name + "' output: " + describe_violations(v));
    }
    return output;
}

}  // namespace alatar::agents
