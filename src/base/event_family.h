// Families of event kinds: the tracks a timeline draws them on (the Chrome trace writer's tracks,
// the debug window's timeline). One table, so both group events the same way.
#pragma once

#include <cstdint>

#include "base/event.h"

namespace pc386 {

enum class EventFamily : uint8_t {
    Faults,      // exceptions
    Paging,      // demand paging and copy-on-write
    Swap,        // swap-out, swap-in, reclaim
    Processes,   // switch, fork, exec, exit, kill, oom-kill
    Disk,        // IDE transfers
    Interrupts,  // hardware interrupts
    Allocators,  // buddy and slab detail events
    CpuMmu,      // CR writes, TLB flushes, task and mode switches, reset, guest exit
    Count
};

inline constexpr unsigned kEventFamilyCount = static_cast<unsigned>(EventFamily::Count);

EventFamily event_family(EventKind kind);
// "faults", "demand paging and copy-on-write", "swap", ...
const char* to_string(EventFamily family);

}  // namespace pc386
