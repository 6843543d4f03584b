// What a script's `window ...` line and the command line's `--window "..."` ask of the debug window:
// how the frame grid is coloured, which tab is on show, what is selected. Parsed here, without
// SDL, so that a build without the window still checks scripts; the window applies them
// (ui/window_requests.h).
//
//   lru on|off            the grid by the guest's LRU lists (Ctrl+L)
//   heat on|off           the access heat map (Ctrl+H); counting starts here
//   tree on|off           the address space as its page-table tree, or as runs of pages
//   tab NAME              space, frame, cpu, timeline or swap (F1-F4)
//   timeline all|follow   the whole history kept (Home), or the recent past (End)
//   select pid N          a process's address space (a click on it in the process list)
//   select frame N        a frame in the inspector (a click on its cell); N is a frame number
//   select page ADDR      the page at ADDR in the address space on show, and the frame it maps
//   select event          what a script's last wait-event stopped at (a click on it in the timeline)
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pc386 {

struct WindowCommand {
    enum class Kind { Lru, Heat, Tree, Tab, Timeline, SelectPid, SelectFrame, SelectPage, SelectEvent };
    Kind kind = Kind::Lru;
    bool on = false;     // Lru, Heat, Tree; Timeline: true = all, false = follow
    uint32_t value = 0;  // pid, frame, page address; Tab: the tab's index in kWindowTabNames
    std::string text;    // the command as written (for messages)
};

// The tabs by name, in the order of the window's DetailTab.
inline constexpr const char* kWindowTabNames[] = {"space", "frame", "cpu", "timeline", "swap"};

// Parses one command ("lru on", "select pid 3"); nullopt with `why` (one line naming what is
// accepted) for anything else.
std::optional<WindowCommand> parse_window_command(const std::string& text, std::string& why);

}  // namespace pc386
