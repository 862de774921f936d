#include "actions/audit.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <vector>

#include "common/crypto.hpp"

namespace alatar::actions {

namespace json = boost::json;

namespace {

void write_canonical(const json::value& value, std::string& out) {
    if (value.is_object()) {
        std::vector<const json::key_value_pair*> members;
        for (const auto& kv : value.get_object()) members.push_back(&kv);
        std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) { return a->key() < b->key(); });
        out += '{';
        for (std::size_t i = 0; i < members.size(); ++i) {
            if (i > 0) out += ',';
            out += json::serialize(json::value(members[i]->key()));
            out += ':';
            write_canonical(members[i]->value(), out);
        }
        out += '}';
    } else if (value.is_array()) {
        out += '[';
        const auto& array = value.get_array();
        for (std::size_t i = 0; i < array.size(); ++i) {
            if (i > 0) out += ',';
            write_canonical(array[i], out);
        }
        out += ']';
    } else {
        out += json::serialize(value);
    }
}

}  // namespace

std::string canonical_json(const json::value& value) {
    std::string out;
    write_canonical(value, out);
    return out;
}

std::string parameters_hash(const json::value& parameters) { return crypto::sha256_hex(canonical_json(parameters)); }

void append_audit(db::Transaction& tx, const AuditEntry& entry) {
    tx.exec(
        "INSERT INTO audit_log (actor, action, subject, request_id, params_hash, owner_id, details) "
        "VALUES ($1, $2, $3, $4::uuid, $5, $6::uuid, $7::jsonb)",
        db::Params{entry.actor, entry.action, "action_proposal:" + entry.proposal_id, entry.request_id,
                   entry.params_hash, entry.owner_id, db::Json{json::serialize(entry.details)}});
}

}  // namespace alatar::actions
