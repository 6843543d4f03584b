#include "app/cli_values.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

#include "base/quote.h"

namespace pc386 {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

std::optional<uint64_t> parse_whole_number(const std::string& text) {
    const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    const char* first = text.data() + (hex ? 2 : 0);
    const char* last = text.data() + text.size();
    if (first == last || !std::isxdigit(static_cast<unsigned char>(*first))) return std::nullopt;  // no sign
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(first, last, value, hex ? 16 : 10);
    if (ec != std::errc() || end != last) return std::nullopt;  // out of range, or trailing text
    return value;
}

std::optional<uint32_t> parse_mem_mib(const std::string& text) {
    size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    if (digits == 0) return std::nullopt;
    uint64_t number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + digits, number);
    if (ec != std::errc()) return std::nullopt;
    const std::string suffix = lower(text.substr(digits));
    uint64_t mib = 0;
    if (suffix.empty() || suffix == "m" || suffix == "mb" || suffix == "mib") {
        mib = number;
    } else if (suffix == "g" || suffix == "gb" || suffix == "gib") {
        if (number > std::numeric_limits<uint32_t>::max() / 1024) return std::nullopt;
        mib = number * 1024;
    } else {
        return std::nullopt;
    }
    if (mib > std::numeric_limits<uint32_t>::max()) return std::nullopt;
    return static_cast<uint32_t>(mib);
}

CLI::Validator mem_size_validator() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            auto mib = parse_mem_mib(value);
            if (!mib) return quote(value) + " is not a size (MiB: 8, 8M, 8MB, 8MiB; GiB: 1G, 1GB, 1GiB)";
            value = std::to_string(*mib);
            return {};
        },
        "");
}

CLI::Validator whole_number_validator() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            if (parse_whole_number(value)) return {};
            return quote(value) + " is not a whole number from 0 to 18446744073709551615";
        },
        "");
}

CLI::Validator non_empty_path_validator() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            return value.empty() ? "an empty path names no file" : std::string();
        },
        "");
}

}  // namespace pc386
