// graphql-js 17's printers: print() for value literals and type references (with its
// 80-column wrapping of lists and objects), printString/printBlockString, and printSchema.
#include <array>
#include <cstdio>
#include <string>

#include "graphql/builtins.hpp"
#include "graphql/schema.hpp"

namespace alatar::graphql {
namespace {

constexpr std::size_t kMaxLineLength = 80;
constexpr std::string_view kDefaultDeprecationReason = "No longer supported";

// Length of UTF-8 text in UTF-16 code units (JavaScript's String.length).
std::size_t utf16_length(std::string_view text) {
    std::size_t length = 0;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte & 0xC0U) == 0x80U) continue;
        length += byte >= 0xF0 ? 2 : 1;
    }
    return length;
}

bool is_white_space(char c) { return c == ' ' || c == '\t'; }

// A printed fragment as graphql-js's PrintBuffer measures it: `length` counts code units plus
// two per line of every indentation applied, which is what its wrapping decisions compare.
struct Printed {
    std::string text;
    std::size_t length = 0;
    std::size_t newlines = 0;
};

Printed leaf(std::string text) {
    Printed printed;
    printed.length = utf16_length(text);
    for (const char c : text) printed.newlines += c == '\n' ? 1 : 0;
    printed.text = std::move(text);
    return printed;
}

void append(Printed& to, const Printed& part) {
    to.text += part.text;
    to.length += part.length;
    to.newlines += part.newlines;
}

Printed indent(Printed printed) {
    if (printed.length == 0) return printed;
    std::string text = "  ";
    for (const char c : printed.text) {
        text += c;
        if (c == '\n') text += "  ";
    }
    printed.text = std::move(text);
    printed.length += 2 * (printed.newlines + 1);
    return printed;
}

Printed join(const std::vector<Printed>& items, std::string_view separator) {
    Printed result;
    for (const Printed& item : items) {
        if (item.length == 0) continue;
        if (result.length != 0) append(result, leaf(std::string(separator)));
        append(result, item);
    }
    return result;
}

std::size_t joined_length(const std::vector<Printed>& items, std::size_t separator_length) {
    std::size_t length = 0;
    for (const Printed& item : items) {
        if (item.length != 0) length += (length == 0 ? 0 : separator_length) + item.length;
    }
    return length;
}

Printed wrap_block(std::string_view open, const Printed& inner, std::string_view close) {
    if (inner.length == 0) return {};
    Printed result = leaf(std::string(open));
    append(result, indent(inner));
    append(result, leaf(std::string(close)));
    return result;
}

Printed print_value_node(const ast::Value& value);

Printed print_list(const ast::Value& value) {
    std::vector<Printed> items;
    items.reserve(value.list.size());
    for (const ast::Value* item : value.list) items.push_back(print_value_node(*item));
    if (2 + joined_length(items, 2) > kMaxLineLength) return wrap_block("[\n", join(items, "\n"), "\n]");
    Printed result = leaf("[");
    append(result, join(items, ", "));
    append(result, leaf("]"));
    return result;
}

Printed print_object(const ast::Value& value) {
    std::vector<Printed> fields;
    fields.reserve(value.fields.size());
    for (const ast::ObjectField& field : value.fields) {
        Printed printed = leaf(std::string(field.name.value) + ": ");
        append(printed, print_value_node(*field.value));
        fields.push_back(std::move(printed));
    }
    if (4 + joined_length(fields, 2) > kMaxLineLength) return wrap_block("{\n", join(fields, "\n"), "\n}");
    Printed result = leaf("{ ");
    append(result, join(fields, ", "));
    append(result, leaf(" }"));
    return result;
}

Printed print_value_node(const ast::Value& value) {
    switch (value.kind) {
        case ast::ValueKind::kVariable:
            return leaf("$" + std::string(value.text));
        case ast::ValueKind::kInt:
        case ast::ValueKind::kFloat:
        case ast::ValueKind::kEnum:
            return leaf(std::string(value.text));
        case ast::ValueKind::kString:
            return leaf(value.block_string ? print_block_string(value.text) : print_string(value.text));
        case ast::ValueKind::kBoolean:
            return leaf(value.boolean ? "true" : "false");
        case ast::ValueKind::kNull:
            return leaf("null");
        case ast::ValueKind::kList:
            return print_list(value);
        case ast::ValueKind::kObject:
            return print_object(value);
    }
    return {};
}

// ---- printSchema ---------------------------------------------------------------------------

std::string print_description(const std::optional<std::string>& description, std::string_view indentation = "",
                              bool first_in_block = true) {
    if (!description) return "";
    const std::string printed =
        is_printable_as_block_string(*description) ? print_block_string(*description) : print_string(*description);
    std::string out;
    if (!indentation.empty() && !first_in_block) {
        out += '\n';
        out += indentation;
    } else {
        out += indentation;
    }
    for (const char c : printed) {
        out += c;
        if (c == '\n') out += indentation;
    }
    out += '\n';
    return out;
}

std::string print_deprecated(const std::optional<std::string>& reason) {
    if (!reason) return "";
    if (*reason != kDefaultDeprecationReason) return " @deprecated(reason: " + print_string(*reason) + ")";
    return " @deprecated";
}

std::string print_input_value(const InputValue& value) {
    std::string out = value.name + ": " + value.type->to_string();
    if (value.default_value_ast != nullptr) out += " = " + print_value(*value.default_value_ast);
    return out + print_deprecated(value.deprecation_reason);
}

std::string print_args(const std::vector<InputValue>& args, std::string_view indentation = "") {
    if (args.empty()) return "";
    bool any_description = false;
    for (const InputValue& arg : args) any_description = any_description || arg.description.has_value();
    std::string out = "(";
    if (!any_description) {
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (i != 0) out += ", ";
            out += print_input_value(args[i]);
        }
        return out + ")";
    }
    out += '\n';
    const std::string inner = "  " + std::string(indentation);
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i != 0) out += '\n';
        out += print_description(args[i].description, inner, i == 0);
        out += inner + print_input_value(args[i]);
    }
    return out + "\n" + std::string(indentation) + ")";
}

std::string print_block(const std::vector<std::string>& items) {
    if (items.empty()) return "";
    std::string out = " {\n";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i != 0) out += '\n';
        out += items[i];
    }
    return out + "\n}";
}

std::string print_fields(const Type& type) {
    std::vector<std::string> items;
    for (std::size_t i = 0; i < type.fields.size(); ++i) {
        const FieldDefinition& field = type.fields[i];
        items.push_back(print_description(field.description, "  ", i == 0) + "  " + field.name +
                        print_args(field.args, "  ") + ": " + field.type->to_string() +
                        print_deprecated(field.deprecation_reason));
    }
    return print_block(items);
}

std::string print_interfaces(const Type& type) {
    if (type.interfaces.empty()) return "";
    std::string out = " implements ";
    for (std::size_t i = 0; i < type.interfaces.size(); ++i) {
        if (i != 0) out += " & ";
        out += type.interfaces[i]->name;
    }
    return out;
}

std::string print_type_definition(const Type& type) {
    std::string out = print_description(type.description);
    switch (type.kind) {
        case TypeKind::kScalar:
            out += "scalar " + type.name;
            if (type.specified_by_url) out += " @specifiedBy(url: " + print_string(*type.specified_by_url) + ")";
            break;
        case TypeKind::kObject:
            out += "type " + type.name + print_interfaces(type) + print_fields(type);
            break;
        case TypeKind::kInterface:
            out += "interface " + type.name + print_interfaces(type) + print_fields(type);
            break;
        case TypeKind::kUnion:
            out += "union " + type.name;
            for (std::size_t i = 0; i < type.members.size(); ++i)
                out += (i == 0 ? " = " : " | ") + type.members[i]->name;
            break;
        case TypeKind::kEnum: {
            std::vector<std::string> items;
            for (std::size_t i = 0; i < type.enum_values.size(); ++i) {
                const EnumValue& value = type.enum_values[i];
                items.push_back(print_description(value.description, "  ", i == 0) + "  " + value.name +
                                print_deprecated(value.deprecation_reason));
            }
            out += "enum " + type.name + print_block(items);
            break;
        }
        case TypeKind::kInputObject: {
            std::vector<std::string> items;
            for (std::size_t i = 0; i < type.input_fields.size(); ++i) {
                const InputValue& field = type.input_fields[i];
                items.push_back(print_description(field.description, "  ", i == 0) + "  " + print_input_value(field));
            }
            out += "input " + type.name + (type.one_of ? " @oneOf" : "") + print_block(items);
            break;
        }
        default:
            break;
    }
    return out;
}

std::string print_directive(const DirectiveDefinition& directive) {
    std::string out = print_description(directive.description) + "directive @" + directive.name +
                      print_args(directive.args) + print_deprecated(directive.deprecation_reason);
    if (directive.repeatable) out += " repeatable";
    out += " on ";
    for (std::size_t i = 0; i < directive.locations.size(); ++i) {
        if (i != 0) out += " | ";
        out += directive.locations[i];
    }
    return out;
}

std::string print_schema_definition(const Schema& schema) {
    const Type* query = schema.query_type();
    const Type* mutation = schema.mutation_type();
    const Type* subscription = schema.subscription_type();
    if (query == nullptr && mutation == nullptr && subscription == nullptr) return "";
    const bool default_names = query == schema.type("Query") && mutation == schema.type("Mutation") &&
                               subscription == schema.type("Subscription");
    const auto description = schema.description();
    if (!description && default_names) return "";
    std::string out = print_description(description ? std::optional<std::string>(std::string(*description))
                                                    : std::optional<std::string>());
    out += "schema {\n";
    if (query != nullptr) out += "  query: " + query->name + "\n";
    if (mutation != nullptr) out += "  mutation: " + mutation->name + "\n";
    if (subscription != nullptr) out += "  subscription: " + subscription->name + "\n";
    return out + "}";
}

}  // namespace

std::string print_string(std::string_view value) {
    std::string out = "\"";
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        switch (c) {
            case '"':
                out += "\\\"";
                continue;
            case '\\':
                out += "\\\\";
                continue;
            case '\b':
                out += "\\b";
                continue;
            case '\t':
                out += "\\t";
                continue;
            case '\n':
                out += "\\n";
                continue;
            case '\f':
                out += "\\f";
                continue;
            case '\r':
                out += "\\r";
                continue;
            default:
                break;
        }
        unsigned code = 0x100;  // nothing to escape
        if (c < 0x20 || c == 0x7F) {
            code = c;
        } else if (c == 0xC2 && i + 1 < value.size()) {
            const auto next = static_cast<unsigned char>(value[i + 1]);
            if (next >= 0x80 && next <= 0x9F) {
                code = next;  // U+0080..U+009F (C1 controls)
                ++i;
            }
        }
        if (code != 0x100) {
            std::array<char, 8> buffer{};
            std::snprintf(buffer.data(), buffer.size(), "\\u%04X", code);
            out += buffer.data();
            continue;
        }
        out += static_cast<char>(c);
    }
    return out + "\"";
}

bool is_printable_as_block_string(std::string_view value) {
    if (value.empty()) return true;
    bool is_empty_line = true;
    bool has_indent = false;
    bool has_common_indent = true;
    bool seen_non_empty_line = false;
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case 0x00:
            case 0x01:
            case 0x02:
            case 0x03:
            case 0x04:
            case 0x05:
            case 0x06:
            case 0x07:
            case 0x08:
            case 0x0B:
            case 0x0C:
            case 0x0E:
            case 0x0F:
            case 0x0D:
                return false;
            case '\n':
                if (is_empty_line && !seen_non_empty_line) return false;
                seen_non_empty_line = true;
                is_empty_line = true;
                has_indent = false;
                break;
            case '\t':
            case ' ':
                has_indent = has_indent || is_empty_line;
                break;
            default:
                has_common_indent = has_common_indent && has_indent;
                is_empty_line = false;
        }
    }
    if (is_empty_line) return false;
    if (has_common_indent && seen_non_empty_line) return false;
    return true;
}

std::string print_block_string(std::string_view value) {
    std::string escaped;
    escaped.reserve(value.size() + 8);
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value.compare(i, 3, "\"\"\"") == 0) {
            escaped += "\\\"\"\"";
            i += 2;
        } else {
            escaped += value[i];
        }
    }
    // Lines as graphql-js splits them (on \r\n, \n and \r).
    std::vector<std::string_view> lines;
    {
        const std::string_view text = escaped;
        std::size_t start = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\n' || text[i] == '\r') {
                lines.push_back(text.substr(start, i - start));
                if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
                start = i + 1;
            }
        }
        lines.push_back(text.substr(start));
    }
    const bool is_single_line = lines.size() == 1;
    bool force_leading_new_line = lines.size() > 1;
    for (std::size_t i = 1; i < lines.size() && force_leading_new_line; ++i) {
        force_leading_new_line = lines[i].empty() || is_white_space(lines[i][0]);
    }
    const bool has_trailing_triple_quotes =
        escaped.size() >= 4 && escaped.compare(escaped.size() - 4, 4, "\\\"\"\"") == 0;
    const bool has_trailing_quote = !value.empty() && value.back() == '"' && !has_trailing_triple_quotes;
    const bool has_trailing_slash = !value.empty() && value.back() == '\\';
    const bool force_trailing_newline = has_trailing_quote || has_trailing_slash;
    const bool print_as_multiple_lines = !is_single_line || utf16_length(value) > 70 || force_trailing_newline ||
                                         force_leading_new_line || has_trailing_triple_quotes;
    const bool skip_leading_new_line = is_single_line && !value.empty() && is_white_space(value[0]);
    std::string result;
    if ((print_as_multiple_lines && !skip_leading_new_line) || force_leading_new_line) result += '\n';
    result += escaped;
    if (print_as_multiple_lines || force_trailing_newline) result += '\n';
    return "\"\"\"" + result + "\"\"\"";
}

std::string print_value(const ast::Value& value) { return print_value_node(value).text; }

std::string print_type(const ast::Type& type) {
    switch (type.kind) {
        case ast::TypeKind::kNamed:
            return std::string(type.name.value);
        case ast::TypeKind::kList:
            return "[" + print_type(*type.of) + "]";
        case ast::TypeKind::kNonNull:
            return print_type(*type.of) + "!";
    }
    return {};
}

std::string print_schema(const Schema& schema) {
    std::vector<std::string> parts;
    std::string definition = print_schema_definition(schema);
    if (!definition.empty()) parts.push_back(std::move(definition));
    for (const DirectiveDefinition& directive : schema.directives()) {
        if (!builtins::is_specified_directive(directive.name)) parts.push_back(print_directive(directive));
    }
    for (const Type* type : schema.types()) {
        if (builtins::is_specified_scalar(type->name) || builtins::is_introspection_type(type->name)) continue;
        parts.push_back(print_type_definition(*type));
    }
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i != 0) out += "\n\n";
        out += parts[i];
    }
    return out;
}

}  // namespace alatar::graphql
