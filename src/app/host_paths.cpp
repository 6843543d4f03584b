#include "app/host_paths.h"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "base/quote.h"
#include "machine/machine_error.h"

namespace pc386 {
namespace {

std::string find_beside_executable(const char* name, const char* what) {
    std::error_code ec;
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    std::filesystem::path dir = ec ? std::filesystem::current_path() : exe.parent_path();
    for (const auto& candidate : {dir / name, dir / ".." / "share" / "pc386" / name}) {
        if (std::filesystem::exists(candidate, ec)) return candidate.lexically_normal().string();
    }
    throw ConfigError(
        fmt::format("the built-in {} was not found beside the executable ({}); build it with "
                    "'cmake --build build' or give one explicitly",
                    what, quote((dir / name).string())));
}

}  // namespace

std::string builtin_guest_image() { return find_beside_executable("guestos.img", "guest OS image guestos.img"); }
std::string builtin_bios_image() { return find_beside_executable("bios.bin", "BIOS bios.bin"); }

}  // namespace pc386
