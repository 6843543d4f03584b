#include "machine/bounded_file.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "base/quote.h"
#include "machine/machine_error.h"

namespace pc386 {

std::vector<uint8_t> read_bounded_file(const std::string& path, const char* what, size_t max_bytes,
                                       const std::function<std::string(uint64_t size)>& too_big) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
        throw ConfigError(fmt::format("{} {}: not a regular file", what, quote(path)));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(fmt::format("{} {}: cannot open the file", what, quote(path)));
    const uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) throw ConfigError(fmt::format("{} {}: cannot read its size", what, quote(path)));
    if (size > max_bytes) throw ConfigError(fmt::format("{} {}: {}", what, quote(path), too_big(size)));
    // One byte more than allowed: a file that grew since its size was taken is still caught.
    std::vector<uint8_t> data(static_cast<size_t>(size) + 1);
    in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(data.size()));
    if (in.bad()) throw ConfigError(fmt::format("{} {}: read error", what, quote(path)));
    data.resize(static_cast<size_t>(in.gcount()));
    if (data.size() > max_bytes) throw ConfigError(fmt::format("{} {}: {}", what, quote(path), too_big(data.size())));
    return data;
}

}  // namespace pc386
