#include "app/file_roles.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>
#include <system_error>

#include "base/quote.h"
#include "machine/machine_error.h"

namespace pc386 {
namespace {

std::filesystem::path normalized(const std::string& path) {
    std::error_code ec;
    std::filesystem::path p = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
    return ec ? std::filesystem::path(path).lexically_normal() : p;
}

// Two outputs may share a device (--serial file:/dev/null --debugcon file:/dev/null is fine).
bool regular_or_missing(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode);
}

}  // namespace

bool same_file(const std::string& a, const std::string& b) {
    struct stat sa {
    }, sb{};
    const bool a_exists = ::stat(a.c_str(), &sa) == 0;
    const bool b_exists = ::stat(b.c_str(), &sb) == 0;
    if (a_exists && b_exists) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    return normalized(a) == normalized(b);
}

void check_outputs_spare_inputs(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs) {
    for (size_t o = 0; o < outputs.size(); ++o) {
        const NamedPath& out = outputs[o];
        if (out.path.empty()) continue;
        for (const NamedPath& in : inputs) {
            if (!in.path.empty() && same_file(out.path, in.path))
                throw UsageError(fmt::format("{} {} is also the input {}: an output file would overwrite it",
                                             out.option, quote(out.path), in.option));
        }
        for (size_t k = 0; k < o; ++k) {
            const NamedPath& other = outputs[k];
            if (!other.path.empty() && regular_or_missing(out.path) && same_file(out.path, other.path))
                throw UsageError(fmt::format("{} {} is also the output of {}: give each output its own file",
                                             out.option, quote(out.path), other.option));
        }
    }
}

}  // namespace pc386
