#pragma once
// Class 3, tools: atomic, typed, read-only operations the departments call.
//
// Each tool has a name, the department allowed to call it, a JSON Schema for its input and its output
// (checked on every call), and a timeout. A tool sees the store only through ToolContext: a read-only
// database handle (every query runs in a READ ONLY transaction, so PostgreSQL refuses any write) and the
// StoreDataSource. Nothing here can write to a Shopify store; only the action executor holds a write path.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agents/tracing.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "db/params.hpp"
#include "db/result.hpp"

namespace alatar::db {
class Pool;
class Transaction;
}  // namespace alatar::db

namespace alatar::intelligence {
class Dataset;
}  // namespace alatar::intelligence

namespace alatar::agents {

class StoreDataSource;
class DatasetCache;

// Queries for tools: each call is its own READ ONLY transaction bounded by the deadline.
class ReadOnlyDb {
  public:
    explicit ReadOnlyDb(db::Pool& pool) : pool_(pool) {}
    db::Result query(std::string_view sql, const db::Params& params, Deadline deadline);
    // Runs fn with one READ ONLY REPEATABLE READ transaction, so several queries see the same snapshot.
    void snapshot(const std::function<void(db::Transaction&)>& fn, Deadline deadline);

  private:
    db::Pool& pool_;
};

struct ToolContext {
    std::string request_id;
    std::string store_id;
    std::string shop_timezone;  // IANA name
    std::string currency;
    ReadOnlyDb* db{nullptr};
    StoreDataSource* data_source{nullptr};
    boost::json::object dependencies;  // outputs of the tasks this one depends on, by task name
    // The store's data as the intelligence formulas see it, loaded from the cache by the first tool that needs it
    // and shared by the task's other calls.
    std::shared_ptr<const intelligence::Dataset> dataset;
    DatasetCache* datasets{nullptr};  // the worker's recently loaded datasets; null: load from the cache tables
    Deadline deadline = Deadline::never();
    ParentSpan span;  // the running tool call's span: parent of the Shopify and LLM call spans it makes
};

using ToolFunction = std::function<boost::json::value(ToolContext& context, const boost::json::object& input)>;

struct ToolSpec {
    std::string name;
    std::string department;  // the only department that may call it
    std::string description;
    boost::json::value input_schema;
    boost::json::value output_schema;
    std::chrono::milliseconds timeout{10000};
    ToolFunction run;
};

class ToolRegistry {
  public:
    // Throws std::invalid_argument for a duplicate or unnamed tool. Replacing is explicit (tests inject faults).
    void add(ToolSpec spec);
    void replace(ToolSpec spec);
    const ToolSpec* find(std::string_view name) const;
    std::vector<std::string> names() const;

    // Validates the input, runs the tool within min(context deadline, its timeout), checks the time taken and
    // validates the output. Throws alatar::Error: kBadUserInput (unknown tool, wrong department, bad input),
    // kTimeout, kInternal (output does not match its schema), or whatever the tool threw.
    boost::json::value call(std::string_view department, std::string_view name, ToolContext& context,
                            const boost::json::object& input) const;

  private:
    std::map<std::string, ToolSpec, std::less<>> tools_;
};

}  // namespace alatar::agents
