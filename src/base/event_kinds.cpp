// The names of the event kinds and of their fields: one table, read by the writers (JSON), the
// filters (--events-filter, break-on) and the script engine.
#include <array>
#include <string>

#include "base/event.h"

namespace pc386 {
namespace {

constexpr std::array<EventKindInfo, kEventKindCount> kInfo = {{
    {"exception", {"vector", "error", "cr2", nullptr}, false},
    {"interrupt", {"vector", "irq", nullptr, nullptr}, false},
    {"cr0-write", {"old", "new", nullptr, nullptr}, false},
    {"cr3-write", {"old", "new", nullptr, nullptr}, false},
    {"invlpg", {"addr", nullptr, nullptr, nullptr}, false},
    {"tlb-flush", {"entries", nullptr, nullptr, nullptr}, false},
    {"task-switch", {"old_tr", "new_tr", "reason", nullptr}, false},
    {"mode-switch", {"old_mode", "new_mode", nullptr, nullptr}, false},
    {"reset", {"count", nullptr, nullptr, nullptr}, false},
    {"shutdown", {"vector", nullptr, nullptr, nullptr}, false},
    {"disk-read", {"drive", "lba", "sectors", nullptr}, false},
    {"disk-write", {"drive", "lba", "sectors", nullptr}, false},
    {"guest-exit", {"value", nullptr, nullptr, nullptr}, false},
    {"switch", {"to_pid", nullptr, nullptr, nullptr}, true},
    {"fork", {"parent", "child", nullptr, nullptr}, true},
    {"exec", {"target", nullptr, nullptr, nullptr}, true},
    {"exit", {"target", "status", nullptr, nullptr}, true},
    {"kill", {"target", "reason", nullptr, nullptr}, true},
    {"zero-fill", {"addr", "frame", nullptr, nullptr}, true},
    {"cow-copy", {"addr", "old_frame", "new_frame", nullptr}, true},
    {"cow-reuse", {"addr", "frame", nullptr, nullptr}, true},
    {"stack-grow", {"addr", "frame", nullptr, nullptr}, true},
    {"swap-out", {"addr", "frame", "slot", "owner"}, true},
    {"swap-in", {"addr", "slot", "frame", "from_cache"}, true},
    {"reclaim", {"scanned", "freed", nullptr, nullptr}, true},
    {"oom-kill", {"victim", "rss", nullptr, nullptr}, true},
    {"buddy-split", {"frame", "order", nullptr, nullptr}, true},
    {"buddy-merge", {"frame", "order", nullptr, nullptr}, true},
    {"slab-grow", {"size", "frame", nullptr, nullptr}, true},
    {"slab-shrink", {"size", "frame", nullptr, nullptr}, true},
    {"kmap", {"frame", "kaddr", "slot", "atomic"}, true},
    {"kunmap", {"frame", "kaddr", "slot", "atomic"}, true},
    {"lru-move", {"frame", "from", "to", nullptr}, true},
    {"vmalloc", {"kaddr", "pages", nullptr, nullptr}, true},
    {"vfree", {"kaddr", "pages", nullptr, nullptr}, true},
}};

}  // namespace

const EventKindInfo& event_info(EventKind kind) {
    return kInfo[static_cast<unsigned>(kind) % kEventKindCount];
}

const char* to_string(EventKind kind) {
    return event_info(kind).name;
}

std::optional<EventKind> parse_event_kind(std::string_view name) {
    for (unsigned k = 0; k < kEventKindCount; ++k)
        if (name == kInfo[k].name) return static_cast<EventKind>(k);
    return std::nullopt;
}

std::optional<uint64_t> event_field(const Event& e, std::string_view field) {
    if (field == "icount") return e.icount;
    if (field == "pid") return e.pid;
    if (field == "eip") return e.eip;
    if (field == "cr3") return e.cr3;
    if (field == "cpl") return e.cpl;
    const EventKindInfo& info = event_info(e.kind);
    const uint32_t values[4] = {e.a, e.b, e.c, e.d};
    for (unsigned i = 0; i < 4; ++i)
        if (info.fields[i] && field == info.fields[i]) return values[i];
    return std::nullopt;
}

}  // namespace pc386
