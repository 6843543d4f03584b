#include "machine/machine_config.h"

namespace pc386 {

std::optional<CharTarget> CharTarget::parse(const std::string& text) {
    if (text == "stdio") return CharTarget{Kind::Stdio, {}};
    if (text == "none") return CharTarget{Kind::None, {}};
    if (text.rfind("file:", 0) == 0 && text.size() > 5) return CharTarget{Kind::File, text.substr(5)};
    return std::nullopt;
}

}  // namespace pc386
