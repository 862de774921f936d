#include "intelligence/html_sanitizer.hpp"

#include <gumbo.h>

#include <memory>

namespace alatar::intelligence {

namespace {

struct OutputDeleter {
    void operator()(GumboOutput* output) const noexcept { gumbo_destroy_output(&kGumboDefaultOptions, output); }
};
using OutputPtr = std::unique_ptr<GumboOutput, OutputDeleter>;

OutputPtr parse(std::string_view html) {
    return OutputPtr(gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()));
}

bool allowed(GumboTag tag) {
    return tag == GUMBO_TAG_P || tag == GUMBO_TAG_UL || tag == GUMBO_TAG_LI || tag == GUMBO_TAG_STRONG ||
           tag == GUMBO_TAG_EM;
}

// Elements whose content is code or embedded documents, never text to keep.
bool dropped_whole(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_SCRIPT:
        case GUMBO_TAG_STYLE:
        case GUMBO_TAG_IFRAME:
        case GUMBO_TAG_OBJECT:
        case GUMBO_TAG_EMBED:
        case GUMBO_TAG_TEMPLATE:
        case GUMBO_TAG_NOSCRIPT:
        case GUMBO_TAG_NOFRAMES:
        case GUMBO_TAG_SVG:
        case GUMBO_TAG_MATH:
        case GUMBO_TAG_HEAD:
        case GUMBO_TAG_TITLE:
        case GUMBO_TAG_TEXTAREA:
        case GUMBO_TAG_SELECT:
            return true;
        default:
            return false;
    }
}

void escape_into(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            default:
                out += c;
        }
    }
}

void emit(const GumboNode* node, std::string& out) {
    switch (node->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA:
            escape_into(out, node->v.text.text);
            return;
        case GUMBO_NODE_ELEMENT:
        case GUMBO_NODE_TEMPLATE: {
            const GumboElement& el = node->v.element;
            if (dropped_whole(el.tag)) return;
            const bool keep = allowed(el.tag);
            const char* name = gumbo_normalized_tagname(el.tag);
            if (keep) out += std::string("<") + name + ">";
            for (unsigned i = 0; i < el.children.length; ++i) {
                emit(static_cast<const GumboNode*>(el.children.data[i]), out);
            }
            if (keep) out += std::string("</") + name + ">";
            // A line break or block boundary that is unwrapped still separates words.
            if (!keep && (el.tag == GUMBO_TAG_BR || el.tag == GUMBO_TAG_DIV)) out += ' ';
            return;
        }
        case GUMBO_NODE_DOCUMENT:
        case GUMBO_NODE_COMMENT:
        default:
            return;
    }
}

const GumboNode* body_of(const GumboOutput& output) {
    const GumboNode* root = output.root;
    if (root->type != GUMBO_NODE_ELEMENT) return nullptr;
    const GumboVector& children = root->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
        const auto* child = static_cast<const GumboNode*>(children.data[i]);
        if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_BODY) return child;
    }
    return nullptr;
}

void collect_text(const GumboNode* node, std::string& out) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
        out += node->v.text.text;
        out += ' ';
    } else if (node->type == GUMBO_NODE_ELEMENT && !dropped_whole(node->v.element.tag)) {
        const GumboVector& children = node->v.element.children;
        for (unsigned i = 0; i < children.length; ++i)
            collect_text(static_cast<const GumboNode*>(children.data[i]), out);
    }
}

}  // namespace

std::string sanitize_html(std::string_view html) {
    const OutputPtr output = parse(html);
    std::string out;
    const GumboNode* body = body_of(*output);
    if (body == nullptr) return out;
    const GumboVector& children = body->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) emit(static_cast<const GumboNode*>(children.data[i]), out);
    // Trim surrounding whitespace.
    const auto first = out.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    const auto last = out.find_last_not_of(" \t\r\n");
    return out.substr(first, last - first + 1);
}

std::string html_text(std::string_view html) {
    const OutputPtr output = parse(html);
    std::string raw;
    if (const GumboNode* body = body_of(*output)) collect_text(body, raw);
    std::string out;
    bool space = false;
    for (const char c : raw) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
        } else {
            if (space) out += ' ';
            space = false;
            out += c;
        }
    }
    return out;
}

}  // namespace alatar::intelligence
