// One record of the machine's event stream: what happened (a fault, an interrupt, a CR3 write, a
// disk transfer, or a memory-manager event the guest reported), when (the instruction count: the
// virtual clock, so two runs of the same image give the same stream), and to whom (the guest's
// current pid and CR3). Fixed size, no pointers: the ring buffer never allocates per event.
//
// The meaning of a, b, c, d depends on the kind; kEventKinds (event_kinds.cpp) names each field,
// and the JSON writers and the filters use those names.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace pc386 {

enum class EventKind : uint8_t {
    // From the machine itself, for any guest.
    Exception,   // a=vector b=error code (has_error in flags) c=CR2 (#PF) d=0
    Interrupt,   // a=vector b=IRQ line (0xFF: NMI)
    Cr0Write,    // a=old b=new
    Cr3Write,    // a=old b=new
    Invlpg,      // a=linear address
    TlbFlush,    // a=entries that were live
    TaskSwitch,  // a=old TR selector b=new TR selector c=reason (0 jmp, 1 call, 2 iret, 3 interrupt)
    ModeSwitch,  // a=old mode b=new mode (0 real, 1 protected, 2 V86; +4 with paging on)
    Reset,       // a=resets so far
    Shutdown,    // a triple fault: a=vector of the last fault
    DiskRead,    // a=drive (IDE unit 0/1; floppy A:/B: 0x100/0x101) b=LBA c=sectors
    DiskWrite,   // a=drive b=LBA c=sectors
    GuestExit,   // a=value written to port 0xF4
    // Reported by the built-in guest through its event port (src/guestos/abi/guest_events.h).
    ProcSwitch,  // a=pid switched to (every context switch)
    Fork,        // a=parent pid b=child pid
    Exec,        // a=pid (the name is in the log's process table)
    ProcExit,    // a=pid b=status
    Kill,        // a=pid b=reason (trap number, or 0xFF for the OOM killer)
    ZeroFill,    // a=virtual address b=frame
    CowCopy,     // a=virtual address b=old frame c=new frame
    CowReuse,    // a=virtual address b=frame
    StackGrow,   // a=virtual address b=frame
    SwapOut,     // a=virtual address b=frame c=slot d=owner pid
    SwapIn,      // a=virtual address b=slot c=frame d=1 from the swap cache, 0 read from disk
    Reclaim,     // a=pages scanned b=pages freed
    OomKill,     // a=victim pid b=victim RSS in pages
    BuddySplit,  // a=frame b=order split from (chatty: only with the guest's detail flag)
    BuddyMerge,  // a=frame b=order merged into
    SlabGrow,    // a=object size b=frame
    SlabShrink,  // a=object size b=frame
    Kmap,        // a=frame b=kernel address c=kmap slot d=1 atomic (chatty)
    Kunmap,      // a=frame b=kernel address c=kmap slot d=1 atomic (chatty)
    LruMove,     // a=frame b=from list c=to list (0 none, 1 active, 2 inactive dirty, 3 clean) (chatty)
    Vmalloc,     // a=kernel address b=pages
    Vfree,       // a=kernel address b=pages
    Count
};

inline constexpr unsigned kEventKindCount = static_cast<unsigned>(EventKind::Count);

struct Event {
    uint64_t icount = 0;  // instructions retired before it happened
    uint32_t a = 0, b = 0, c = 0, d = 0;
    uint32_t eip = 0;  // EIP of the instruction it happened in (or at, for interrupts)
    uint32_t cr3 = 0;
    uint16_t pid = 0;  // the guest's current process (from ProcSwitch), 0 when unknown or idle
    EventKind kind = EventKind::Exception;
    uint8_t cpl = 0;
    uint8_t flags = 0;  // kHasError: an exception's error code is valid
    static constexpr uint8_t kHasError = 1;
};
static_assert(sizeof(Event) <= 48, "events stay small: the ring holds many");

// Names and field names of each kind, for the writers, the filters and the command lines.
struct EventKindInfo {
    const char* name;       // short and stable: "pf" style names are aliases (see parse_event_kind)
    const char* fields[4];  // names of a, b, c, d (nullptr: unused)
    bool from_guest;        // reported by the built-in guest, not observed by the machine
};
const EventKindInfo& event_info(EventKind kind);
const char* to_string(EventKind kind);
// A kind by name ("exception", "cow-copy", ...) or alias ("pf" = Exception with vector 14 is a
// filter, not a kind: see EventFilter::parse). nullopt for an unknown name.
std::optional<EventKind> parse_event_kind(std::string_view name);
// The value of a field by name ("vector", "frame", "pid", "eip", "cr3", "icount", ...).
std::optional<uint64_t> event_field(const Event& e, std::string_view field);

}  // namespace pc386
