#include "base/quote.h"

#include <fmt/format.h>

namespace pc386 {
namespace {

// Length of the valid UTF-8 sequence starting at s[i] (2..4), or 0 if there is none.
size_t utf8_sequence(std::string_view s, size_t i) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = byte(i);
    size_t len = 0;
    unsigned min = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        len = 2;
        min = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        len = 3;
        min = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    unsigned cp = lead & (0x7Fu >> len);
    for (size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not text.
    if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
    return len;
}

// The escaped text, and how many bytes of it fit in max_bytes. Inside quotes, a quote or a
// backslash is escaped too, so the quoted text cannot seem to end early.
std::string escape(std::string_view text, size_t max_bytes, bool in_quotes, size_t& used) {
    std::string out;
    size_t i = 0;
    while (i < text.size() && i < max_bytes) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            const size_t len = utf8_sequence(text, i);
            if (len != 0 && i + len <= max_bytes) {
                out.append(text.substr(i, len));
                i += len;
                continue;
            }
            if (len != 0) break;  // a character cut by the limit is left out whole
            out += fmt::format("\\x{:02x}", c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else if (in_quotes && (c == '\'' || c == '\\')) {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7F) {
            out += fmt::format("\\x{:02x}", c);
        } else {
            out += static_cast<char>(c);
        }
        ++i;
    }
    used = i;
    return out;
}

std::string cut_note(std::string_view text, size_t used) {
    return used < text.size() ? fmt::format("... ({} bytes)", text.size()) : std::string();
}

}  // namespace

std::string quote(std::string_view text, size_t max_bytes) {
    size_t used = 0;
    std::string out(1, '\'');
    out += escape(text, max_bytes, true, used);
    out += '\'';
    out += cut_note(text, used);
    return out;
}

std::string printable(std::string_view text, size_t max_bytes) {
    size_t used = 0;
    std::string out = escape(text, max_bytes, false, used);
    return out + cut_note(text, used);
}

}  // namespace pc386
