#include "agents/json_schema.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <stdexcept>

namespace alatar::agents {

namespace {

namespace json = boost::json;

bool has_type(const json::value& value, std::string_view type) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "boolean") return value.is_bool();
    if (type == "null") return value.is_null();
    if (type == "number") return value.is_number();
    if (type == "integer") {
        if (value.is_int64() || value.is_uint64()) return true;
        if (!value.is_double()) return false;
        const double d = value.get_double();
        return std::isfinite(d) && std::floor(d) == d;
    }
    return false;
}

double as_double(const json::value& v) { return v.to_number<double>(); }

// RFC 6901: '~' -> "~0", '/' -> "~1".
std::string pointer_token(std::string_view key) {
    std::string out;
    for (char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

class Validator {
  public:
    explicit Validator(std::vector<SchemaViolation>& out) : out_(out) {}

    void check(const json::value& schema, const json::value& value, const std::string& path) {
        if (schema.is_bool()) {
            if (!schema.get_bool()) fail(path, "no value is allowed here");
            return;
        }
        if (!schema.is_object()) return;
        const auto& s = schema.get_object();
        if (!check_type(s, value, path)) return;  // the other keywords would only repeat the type error
        check_enum(s, value, path);
        if (value.is_number()) check_range(s, value, path);
        if (value.is_string()) check_length(s, value.get_string().size(), "minLength", "maxLength", "characters", path);
        if (value.is_array()) check_array(s, value.get_array(), path);
        if (value.is_object()) check_object(s, value.get_object(), path);
    }

  private:
    void fail(const std::string& path, std::string message) { out_.push_back({path, std::move(message)}); }

    bool check_type(const json::object& s, const json::value& value, const std::string& path) {
        const auto* type = s.if_contains("type");
        if (type == nullptr) return true;
        if (type->is_string()) {
            if (has_type(value, type->get_string())) return true;
            fail(path, "expected " + std::string(type->get_string()));
            return false;
        }
        if (type->is_array()) {
            std::string names;
            for (const auto& t : type->get_array()) {
                if (!t.is_string()) continue;
                if (has_type(value, t.get_string())) return true;
                if (!names.empty()) names += " or ";
                names += t.get_string();
            }
            fail(path, "expected " + names);
            return false;
        }
        return true;
    }

    void check_enum(const json::object& s, const json::value& value, const std::string& path) {
        const auto* options = s.if_contains("enum");
        if (options == nullptr || !options->is_array()) return;
        for (const auto& option : options->get_array()) {
            if (option == value) return;
            if (option.is_number() && value.is_number() && as_double(option) == as_double(value)) return;
        }
        fail(path, "must be one of " + json::serialize(*options));
    }

    void check_range(const json::object& s, const json::value& value, const std::string& path) {
        const double v = as_double(value);
        if (const auto* min = s.if_contains("minimum"); min != nullptr && min->is_number() && v < as_double(*min)) {
            fail(path, "must be >= " + json::serialize(*min));
        }
        if (const auto* max = s.if_contains("maximum"); max != nullptr && max->is_number() && v > as_double(*max)) {
            fail(path, "must be <= " + json::serialize(*max));
        }
    }

    void check_length(const json::object& s, std::size_t size, std::string_view min_key, std::string_view max_key,
                      std::string_view unit, const std::string& path) {
        const auto* min = s.if_contains(min_key);
        if (min != nullptr && min->is_number() && static_cast<double>(size) < as_double(*min)) {
            fail(path, "must have at least " + json::serialize(*min) + " " + std::string(unit));
        }
        const auto* max = s.if_contains(max_key);
        if (max != nullptr && max->is_number() && static_cast<double>(size) > as_double(*max)) {
            fail(path, "must have at most " + json::serialize(*max) + " " + std::string(unit));
        }
    }

    void check_array(const json::object& s, const json::array& a, const std::string& path) {
        check_length(s, a.size(), "minItems", "maxItems", "items", path);
        const auto* items = s.if_contains("items");
        if (items == nullptr) return;
        for (std::size_t i = 0; i < a.size(); ++i) check(*items, a[i], path + "/" + std::to_string(i));
    }

    void check_object(const json::object& s, const json::object& o, const std::string& path) {
        if (const auto* required = s.if_contains("required"); required != nullptr && required->is_array()) {
            for (const auto& name : required->get_array()) {
                if (name.is_string() && !o.contains(name.get_string())) {
                    fail(path + "/" + pointer_token(name.get_string()), "missing required property");
                }
            }
        }
        const auto* props = s.if_contains("properties");
        const json::object* properties = props != nullptr && props->is_object() ? &props->get_object() : nullptr;
        const auto* additional = s.if_contains("additionalProperties");
        for (const auto& [key, member] : o) {
            const std::string member_path = path + "/" + pointer_token(key);
            if (properties != nullptr) {
                if (const auto* sub = properties->if_contains(key)) {
                    check(*sub, member, member_path);
                    continue;
                }
            }
            if (additional == nullptr) continue;
            if (additional->is_bool() && !additional->get_bool()) {
                fail(member_path, "unknown property");
            } else {
                check(*additional, member, member_path);
            }
        }
    }

    std::vector<SchemaViolation>& out_;
};

}  // namespace

std::vector<SchemaViolation> validate_schema(const json::value& schema, const json::value& value) {
    std::vector<SchemaViolation> out;
    Validator(out).check(schema, value, "");
    return out;
}

std::string describe_violations(const std::vector<SchemaViolation>& violations, std::size_t limit) {
    std::string text;
    for (std::size_t i = 0; i < violations.size() && i < limit; ++i) {
        if (!text.empty()) text += "; ";
        text += (violations[i].path.empty() ? std::string("(document)") : violations[i].path) + ": " +
                violations[i].message;
    }
    if (violations.size() > limit) text += "; and " + std::to_string(violations.size() - limit) + " more";
    return text;
}

json::value parse_schema(std::string_view json_text) {
    boost::system::error_code ec;
    json::value v = json::parse(json_text, ec);
    if (ec) throw std::invalid_argument("schema is not valid JSON: " + ec.message());
    return v;
}

}  // namespace alatar::agents
