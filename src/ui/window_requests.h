// What scripts (`window ...` lines) and `--window` asked the debug window to show, kept for the
// whole run: the live window applies each request as it comes, and a picture drawn off screen (a
// script's `screenshot`, `--screenshot` without a display) replays them all, so a CI script gets
// exactly the view a teacher asked for. It also owns the heat map's counter, so that the heat
// counted from `window heat on` (or Ctrl+H) on is in the next picture.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/event.h"
#include "debug/window_command.h"
#include "mmu/access_heat.h"

namespace pc386 {

class Machine;

class WindowRequests {
  public:
    explicit WindowRequests(Machine& machine);
    ~WindowRequests();  // stops the heat counting
    WindowRequests(const WindowRequests&) = delete;
    WindowRequests& operator=(const WindowRequests&) = delete;

    struct Entry {
        WindowCommand command;
        std::optional<Event> event;  // SelectEvent: the event to select
    };

    // A script's request: checked against the machine now (the process is listed, the frame is in
    // RAM, the page is present in the selected process's address space) and kept; false with
    // `why` (one line) when it names nothing.
    bool request(const WindowCommand& command, const std::optional<Event>& event, std::string& why);
    // A --window request, given before the machine runs: kept as it is (a selection that names
    // nothing when the window applies it selects nothing).
    void request_at_start(const WindowCommand& command);
    const std::vector<Entry>& entries() const { return entries_; }

    // The heat map's counter while it is on (attached to the MMU), else null.
    AccessHeat* heat() const { return heat_.get(); }
    void set_heat(bool on);

  private:
    bool check(const WindowCommand& command, const std::optional<Event>& event, std::string& why);

    Machine& machine_;
    std::vector<Entry> entries_;
    std::unique_ptr<AccessHeat> heat_;
    std::optional<uint32_t> selected_pid_;  // as the requests so far left it (for `select page`)
};

}  // namespace pc386
