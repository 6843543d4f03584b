#include "ui/text_wrap.h"

#include <algorithm>

namespace pc386 {

std::vector<std::string> wrap_text(const std::string& text, size_t columns, size_t indent) {
    columns = std::max<size_t>(columns, 1);
    indent = columns > 2 * indent ? indent : 0;  // a very narrow pane: no room for the indent
    std::vector<std::string> lines;
    std::string rest = text;
    while (true) {
        const std::string prefix = lines.empty() ? "" : std::string(indent, ' ');
        const size_t room = columns - prefix.size();
        if (rest.size() <= room) {
            lines.push_back(prefix + rest);
            return lines;
        }
        size_t cut = rest.rfind(' ', room);  // the last space that leaves the line within room
        size_t next = cut == std::string::npos || cut == 0 ? room : cut + 1;
        if (cut == std::string::npos || cut == 0) cut = room;  // one long word: split it
        lines.push_back(prefix + rest.substr(0, cut));
        rest = rest.substr(next);
        rest.erase(
            0, rest.find_first_not_of(' ') == std::string::npos ? rest.size() : rest.find_first_not_of(' '));
        if (rest.empty()) return lines;
    }
}

}  // namespace pc386
