#include "ui/screenshot_name.h"

#include <charconv>
#include <string_view>
#include <system_error>

namespace pc386 {
namespace {

constexpr std::string_view kPrefix = "pc386-screenshot-";

}  // namespace

std::string next_screenshot_name(const std::vector<std::string>& existing) {
    unsigned long long highest = 0;
    for (std::string_view name : existing) {
        if (!name.starts_with(kPrefix)) continue;
        name.remove_prefix(kPrefix.size());
        size_t dot = name.find('.');
        if (dot == std::string_view::npos || dot == 0) continue;
        unsigned long long n = 0;
        auto [end, ec] = std::from_chars(name.data(), name.data() + dot, n);
        if (ec == std::errc() && end == name.data() + dot && n > highest) highest = n;
    }
    return std::string(kPrefix) + std::to_string(highest + 1) + ".png";
}

std::filesystem::path next_screenshot_path(const std::filesystem::path& directory) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(directory, ec))
        names.push_back(entry.path().filename().string());
    return directory / next_screenshot_name(names);
}

}  // namespace pc386
