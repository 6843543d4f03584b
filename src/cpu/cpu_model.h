// Which chip the interpreter is: the 386 (the default) or a 486 (its new instructions, EFLAGS.AC
// and ID, CR0.NE/WP/AM/NW/CD, alignment checking; no on-chip FPU or cache is modelled).
#pragma once

#include <optional>
#include <string>

namespace pc386 {

enum class CpuModel { i386, i486 };

inline const char* to_string(CpuModel m) {
    return m == CpuModel::i486 ? "486" : "386";
}
inline std::optional<CpuModel> parse_cpu_model(const std::string& text) {
    if (text == "386") return CpuModel::i386;
    if (text == "486") return CpuModel::i486;
    return std::nullopt;
}

}  // namespace pc386
