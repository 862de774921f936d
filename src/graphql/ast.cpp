#include "graphql/ast.hpp"

#include <algorithm>
#include <cstring>

namespace alatar::graphql {

// The AST of a typical document takes a few times the source's size: one upfront chunk saves
// most growth steps.
Document::Document(std::string source) : source_(std::move(source)) {
    chunk_size_ = source_.size() * 4 + 512;
    chunk_ = static_cast<std::byte*>(arena_.allocate(chunk_size_, kChunkAlignment));
}

void* Document::allocate_chunk(std::size_t bytes, std::size_t alignment) {
    if (alignment > kChunkAlignment) {
        return arena_.allocate(bytes, alignment);  // never for AST nodes; correct regardless
    }
    // Geometric growth, and a request larger than that gets a chunk of its own size.
    chunk_size_ = std::max(chunk_size_ * 2, bytes);
    chunk_ = static_cast<std::byte*>(arena_.allocate(chunk_size_, kChunkAlignment));
    chunk_used_ = bytes;
    return chunk_;
}

void Document::build_location_index() const {
    // Line starts as graphql-js's getLocation splits lines: on "\r\n", "\n" and "\r".
    line_starts_.push_back(0);
    const std::size_t size = source_.size();
    const char* data = source_.data();
    index_utf16_columns();
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
    std::call_once(index_once_, [this] { build_location_index(); });
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
    const std::uint32_t line_start = line_starts_[line_index];
    const std::int64_t units =
        static_cast<std::int64_t>(offset - line_start) + utf16_delta_before(offset) - utf16_delta_before(line_start);
    return {static_cast<std::uint32_t>(line_index + 1), static_cast<std::uint32_t>(units + 1)};
}

namespace {

// How many more (or fewer) UTF-16 code units than bytes a byte stands for: a continuation byte
// adds no unit (-1), a 4-byte sequence's lead adds two (+1), every other byte one (0).
int utf16_delta(unsigned char byte) {
    if ((byte & 0xC0U) == 0x80U) return -1;
    return byte >= 0xF0 ? 1 : 0;
}

}  // namespace

// Locations must stay cheap on huge one-line documents (an error may list thousands of
// locations), so column counting never scans a whole line: an ASCII source needs no index,
// any other gets the running UTF-16 delta at every block start.
void Document::index_utf16_columns() const {
    const std::size_t size = source_.size();
    const char* data = source_.data();
    std::uint64_t high_bits = 0;
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, data + i, 8);
        high_bits |= word;
    }
    for (; i < size; ++i) high_bits |= static_cast<unsigned char>(data[i]);
    if ((high_bits & 0x8080808080808080ULL) == 0) return;
    utf16_block_deltas_.reserve(size / kUtf16Block + 1);
    std::int32_t delta = 0;
    for (std::size_t at = 0; at < size; ++at) {
        if (at % kUtf16Block == 0) utf16_block_deltas_.push_back(delta);
        delta += utf16_delta(static_cast<unsigned char>(data[at]));
    }
}

std::int64_t Document::utf16_delta_before(std::uint32_t offset) const {
    if (utf16_block_deltas_.empty()) return 0;
    // offset == size on a block boundary has no block of its own: count from the last one.
    const std::size_t block = std::min<std::size_t>(offset / kUtf16Block, utf16_block_deltas_.size() - 1);
    std::int64_t delta = utf16_block_deltas_[block];
    for (std::size_t at = block * kUtf16Block; at < offset; ++at) {
        delta += utf16_delta(static_cast<unsigned char>(source_[at]));
    }
    return delta;
}

std::string_view Document::store(std::string_view text) {
    if (text.empty()) return {};
    auto* p = static_cast<char*>(allocate(text.size(), 1));
    std::memcpy(p, text.data(), text.size());
    return {p, text.size()};
}

}  // namespace alatar::graphql
