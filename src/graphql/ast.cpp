#include "graphql/ast.hpp"

#include <algorithm>
#include <cstring>

namespace alatar::graphql {

// The AST of a typical document takes a few times the source's size: one upfront buffer saves
// the arena's geometric growth steps.
Document::Document(std::string source)
    : source_(std::move(source)), arena_(source_.size() * 6 + 512), definitions_(&arena_) {
    // Line starts as graphql-js's getLocation splits lines: on "\r\n", "\n" and "\r".
    line_starts_.push_back(0);
    const std::size_t size = source_.size();
    const char* data = source_.data();
    if (std::memchr(data, '\r', size) == nullptr) {
        // The common case: only "\n" terminators, found with memchr.
        const char* at = data;
        const char* end = data + size;
        while ((at = static_cast<const char*>(std::memchr(at, '\n', static_cast<std::size_t>(end - at)))) != nullptr) {
            ++at;
            line_starts_.push_back(static_cast<std::uint32_t>(at - data));
        }
        return;
    }
    for (std::size_t i = 0; i < size; ++i) {
        const char c = data[i];
        if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < size && data[i + 1] == '\n') ++i;
            line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
        }
    }
}

SourceLocation Document::location(std::uint32_t offset) const {
    offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(source_.size()));
    // The last line start at or before `offset`.
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    std::size_t line_index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
    // graphql-js counts a line break once its first character lies before the position, so a
    // position between "\r" and "\n" is already on the next line (column 0).
    if (it != line_starts_.end() && *it == offset + 1 && offset > 0 && source_[offset] == '\n' &&
        source_[offset - 1] == '\r') {
        return {static_cast<std::uint32_t>(line_index + 2), 0};
    }
    // Columns count UTF-16 code units: one per character, two for characters above U+FFFF
    // (4-byte UTF-8 sequences); UTF-8 continuation bytes add nothing.
    std::uint32_t column = 1;
    for (std::uint32_t i = line_starts_[line_index]; i < offset; ++i) {
        const auto byte = static_cast<unsigned char>(source_[i]);
        if ((byte & 0xC0U) == 0x80U) continue;
        column += byte >= 0xF0 ? 2 : 1;
    }
    return {static_cast<std::uint32_t>(line_index + 1), column};
}

std::string_view Document::store(std::string_view text) {
    if (text.empty()) return {};
    auto* p = static_cast<char*>(arena_.allocate(text.size(), 1));
    std::memcpy(p, text.data(), text.size());
    return {p, text.size()};
}

}  // namespace alatar::graphql
