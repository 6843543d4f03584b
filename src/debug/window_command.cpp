#include "debug/window_command.h"

#include <fmt/format.h>

#include <iterator>
#include <sstream>
#include <vector>

#include "base/parse_number.h"
#include "base/quote.h"

namespace pc386 {

std::optional<WindowCommand> parse_window_command(const std::string& text, std::string& why) {
    std::istringstream in(text);
    std::vector<std::string> w;
    for (std::string word; in >> word;) w.push_back(word);
    WindowCommand c;
    c.text = text;
    const std::string verb = w.empty() ? "" : w[0];
    auto on_off = [&](WindowCommand::Kind kind) -> std::optional<WindowCommand> {
        if (w.size() != 2 || (w[1] != "on" && w[1] != "off")) {
            why = fmt::format("window {}: on or off", verb);
            return std::nullopt;
        }
        c.kind = kind;
        c.on = w[1] == "on";
        return c;
    };
    if (verb == "lru") return on_off(WindowCommand::Kind::Lru);
    if (verb == "heat") return on_off(WindowCommand::Kind::Heat);
    if (verb == "tree") return on_off(WindowCommand::Kind::Tree);
    if (verb == "tab") {
        for (size_t i = 0; w.size() == 2 && i < std::size(kWindowTabNames); ++i) {
            if (w[1] != kWindowTabNames[i]) continue;
            c.kind = WindowCommand::Kind::Tab;
            c.value = uint32_t(i);
            return c;
        }
        why = "window tab: space, frame, cpu, timeline or swap";
        return std::nullopt;
    }
    if (verb == "timeline") {
        if (w.size() != 2 || (w[1] != "all" && w[1] != "follow")) {
            why = "window timeline: all or follow";
            return std::nullopt;
        }
        c.kind = WindowCommand::Kind::Timeline;
        c.on = w[1] == "all";
        return c;
    }
    if (verb == "select") {
        const std::string what = w.size() > 1 ? w[1] : "";
        if (what == "event" && w.size() == 2) {
            c.kind = WindowCommand::Kind::SelectEvent;
            return c;
        }
        const bool known = what == "pid" || what == "frame" || what == "page";
        const auto number = w.size() == 3 ? parse_number(w[2]) : std::nullopt;
        if (!known || !number || *number > 0xFFFFFFFFu) {
            why = known ? fmt::format("window select {} needs a number (decimal or 0x hex)", what)
                        : "window select: pid N, frame N, page ADDR or event";
            return std::nullopt;
        }
        c.kind = what == "pid"     ? WindowCommand::Kind::SelectPid
                 : what == "frame" ? WindowCommand::Kind::SelectFrame
                                   : WindowCommand::Kind::SelectPage;
        c.value = uint32_t(*number);
        return c;
    }
    why = fmt::format(
        "window: unknown request {} (lru on|off, heat on|off, tree on|off, tab NAME, timeline all|follow, "
        "select pid N|frame N|page ADDR|event)",
        quote(verb));
    return std::nullopt;
}

}  // namespace pc386
