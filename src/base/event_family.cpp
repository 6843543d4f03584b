#include "base/event_family.h"

namespace pc386 {

EventFamily event_family(EventKind kind) {
    switch (kind) {
        case EventKind::Exception: return EventFamily::Faults;
        case EventKind::ZeroFill:
        case EventKind::CowCopy:
        case EventKind::CowReuse:
        case EventKind::StackGrow: return EventFamily::Paging;
        case EventKind::SwapOut:
        case EventKind::SwapIn:
        case EventKind::Reclaim: return EventFamily::Swap;
        case EventKind::ProcSwitch:
        case EventKind::Fork:
        case EventKind::Exec:
        case EventKind::ProcExit:
        case EventKind::Kill:
        case EventKind::OomKill: return EventFamily::Processes;
        case EventKind::DiskRead:
        case EventKind::DiskWrite: return EventFamily::Disk;
        case EventKind::Interrupt: return EventFamily::Interrupts;
        case EventKind::BuddySplit:
        case EventKind::BuddyMerge:
        case EventKind::SlabGrow:
        case EventKind::SlabShrink:
        case EventKind::Kmap:
        case EventKind::Kunmap:
        case EventKind::LruMove:
        case EventKind::Vmalloc:
        case EventKind::Vfree: return EventFamily::Allocators;
        default: return EventFamily::CpuMmu;
    }
}

const char* to_string(EventFamily family) {
    switch (family) {
        case EventFamily::Faults: return "faults";
        case EventFamily::Paging: return "demand paging and copy-on-write";
        case EventFamily::Swap: return "swap";
        case EventFamily::Processes: return "processes";
        case EventFamily::Disk: return "disk";
        case EventFamily::Interrupts: return "interrupts";
        case EventFamily::Allocators: return "allocators";
        case EventFamily::CpuMmu: return "cpu and mmu";
        case EventFamily::Count: break;
    }
    return "?";
}

}  // namespace pc386
