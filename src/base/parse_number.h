// The one reading of a number a user typed in a script line, an event filter or a monitor command:
// decimal, 0x hex or 0 octal (C's rules), the whole text, below 2^64, and no sign (std::stoull
// would wrap "-1" to 2^64 - 1).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace pc386 {

inline std::optional<uint64_t> parse_number(const std::string& text) {
    if (text.empty() || text[0] == '-' || text[0] == '+') return std::nullopt;
    try {
        size_t used = 0;
        const uint64_t v = std::stoull(text, &used, 0);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

}  // namespace pc386
