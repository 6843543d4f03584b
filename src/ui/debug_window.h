// The SDL2 debug window: the guest's VGA console, its physical memory frame by frame, the current
// address space and live counters, with pause/step controls.
#pragma once

#include <string>

#include "machine/stop_reason.h"

namespace pc386 {
class Machine;
class LinuxFrameTable;
class WindowRequests;

struct DebugWindowOptions {
    // Where to write the window's last picture when the run ends (.png: PNG, else BMP); empty: none.
    // PC386_UI_SCREENSHOT=FILE is the same when this is empty.
    std::string screenshot;
    // --guest-symbols: a Linux guest's frames from its struct pages (null: none).
    const LinuxFrameTable* linux_frames = nullptr;
    // What scripts and --window asked the window to show (null: nothing asked).
    WindowRequests* requests = nullptr;
};

// Runs the machine with the SDL2 debug window until the guest exits, the window closes or the script
// ends; returns why it stopped. Single-threaded: the machine runs a slice of instructions, then the
// window handles events and redraws (at most ~30 frames/s, and only when something changed).
StopReason run_debug_window(Machine& machine, const DebugWindowOptions& options = {});

// The window's picture for a run without it (--headless, no display): drawn off screen with SDL's
// software renderer, no display needed. Call prepare_ before the run (it keeps the event history the
// picture lists), write_ after; write_ returns false (and logs why) when the file cannot be written.
void prepare_offscreen_screenshot(Machine& machine);
// `reason` is why the run stopped (the picture's status line says it); `requests` (may be null) is
// the view asked for. The picture's text (window_text.cpp) goes beside it, in PATH with .txt.
bool write_offscreen_screenshot(Machine& machine, const std::string& path, StopReason reason,
                                const LinuxFrameTable* linux_frames = nullptr,
                                WindowRequests* requests = nullptr);
}  // namespace pc386
