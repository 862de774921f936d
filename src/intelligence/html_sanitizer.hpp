#pragma once
// Product descriptions and e-mail bodies reduced to a safe HTML allow-list: the input is parsed with
// gumbo (as a browser would) and re-emitted with only <p>, <ul>, <li>, <strong> and <em>, without any
// attribute. Other elements are unwrapped (their text kept), except those whose content is not text
// (script, style, iframe, ...), which are dropped whole. Comments are dropped; text is re-escaped.
#include <string>
#include <string_view>

namespace alatar::intelligence {

std::string sanitize_html(std::string_view html);

// The text content of sanitized or raw HTML, whitespace collapsed: for emptiness checks and word counts.
std::string html_text(std::string_view html);

}  // namespace alatar::intelligence
