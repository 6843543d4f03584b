// Which page-table entries map a physical frame, in every address space the window knows of (each
// process's CR3 from the guest's table, plus the current CR3): read from the page tables
// themselves, so it works for any guest. Also says when the frame is itself a page directory or a
// page table of one of them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ui/physical_memory_view.h"

namespace pc386 {

struct KnownAddressSpace {
    uint32_t cr3 = 0;
    std::string owner;  // "pid 3 sh", "current CR3"
};

struct FrameMapping {
    std::string owner;
    uint32_t cr3 = 0;
    uint32_t linear = 0;
    uint32_t pte = 0;                     // the raw entry (flags in its low 12 bits)
    bool user = false, writable = false;  // both levels
    friend bool operator==(const FrameMapping&, const FrameMapping&) = default;
};

struct FrameUses {
    std::vector<FrameMapping> mappings;  // by address space, then address
    std::vector<std::string> roles;  // "page directory of pid 3 sh", "page table 40000000-403fffff of ..."
    friend bool operator==(const FrameUses&, const FrameUses&) = default;
};

// Address spaces with the same CR3 are scanned once (the first owner names it). At most
// `max_mappings` mappings are kept (a kernel frame is mapped in every address space).
FrameUses find_frame_uses(const PhysicalMemoryView& memory, const std::vector<KnownAddressSpace>& spaces,
                          uint32_t frame, size_t max_mappings = 64);

}  // namespace pc386
