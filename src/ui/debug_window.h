// The SDL2 debug window: the guest's VGA console, its physical memory frame by frame, the current
// address space and live counters, with pause/step controls.
#pragma once

#include "machine/stop_reason.h"

namespace pc386 {
class Machine;
class Script;
// Runs the machine with the SDL2 debug window until the guest exits, the window closes or the script
// ends; returns why it stopped. Single-threaded: the machine runs a slice of instructions, then the
// window handles events and redraws (at most ~30 frames/s, and only when something changed).
StopReason run_debug_window(Machine& machine);
}  // namespace pc386
