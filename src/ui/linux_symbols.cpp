#include "ui/linux_symbols.h"

#include <fmt/format.h>

#include <sstream>

#include "base/quote.h"
#include "machine/bounded_file.h"
#include "machine/machine_error.h"

namespace pc386 {

LinuxSymbols LinuxSymbols::load(const std::string& path) {
    // A System.map of a small kernel is about 100 KiB; a distribution kernel's a few MiB.
    constexpr uint32_t kMaxBytes = 64u << 20;
    std::vector<uint8_t> bytes = read_bounded_file(path, "--guest-symbols", kMaxBytes, [](uint64_t size) {
        return fmt::format("{} bytes, too large for a System.map", size);
    });
    return parse(std::string(bytes.begin(), bytes.end()), path);
}

LinuxSymbols LinuxSymbols::parse(const std::string& text, const std::string& name) {
    LinuxSymbols symbols;
    bool have_mem_map = false, have_max_mapnr = false, have_banner = false;
    size_t lines = 0;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        // "ADDRESS TYPE NAME", ADDRESS in hex; anything else means this is not a System.map.
        std::istringstream fields(line);
        std::string address, type, symbol;
        if (!(fields >> address >> type >> symbol) || type.size() != 1 || address.size() > 16 ||
            address.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
            throw ConfigError(
                fmt::format("--guest-symbols {}: line {} is not 'ADDRESS TYPE NAME': not a System.map",
                            quote(name), lines + 1));
        ++lines;
        const uint64_t value = std::stoull(address, nullptr, 16);
        if (value > 0xFFFFFFFFu) continue;  // a 64-bit kernel's: reported below as missing symbols
        if (symbol == "mem_map") symbols.mem_map = uint32_t(value), have_mem_map = true;
        if (symbol == "max_mapnr") symbols.max_mapnr = uint32_t(value), have_max_mapnr = true;
        if (symbol == "linux_banner") symbols.linux_banner = uint32_t(value), have_banner = true;
    }
    if (lines == 0)
        throw ConfigError(fmt::format("--guest-symbols {}: empty, not a System.map", quote(name)));
    if (!have_banner)
        throw ConfigError(fmt::format(
            "--guest-symbols {}: no linux_banner: not a 32-bit Linux kernel's System.map", quote(name)));
    if (!have_mem_map || !have_max_mapnr)
        throw ConfigError(
            fmt::format("--guest-symbols {}: no mem_map/max_mapnr: pc386 reads FLATMEM kernels only "
                        "(Linux 6.1 i386, as tests/guests/linux/kernel.config)",
                        quote(name)));
    return symbols;
}

}  // namespace pc386
