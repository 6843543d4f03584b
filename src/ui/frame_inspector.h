// The frame inspector: everything the window can say about one physical frame, as lines of text.
// Its kind and the guest's details (order, slab size, refcount, owner pid), every PTE that maps it
// in every known address space (reverse_map.h), the page tables it serves as, a hex dump of its
// first bytes, and its recent events.
#pragma once

#include <cstdint>
#include <vector>

#include "ui/pane_line.h"
#include "ui/physical_memory_view.h"
#include "ui/reverse_map.h"
#include "ui/ui_model.h"

namespace pc386 {

class EventLog;

// The address spaces a reverse map searches: every process's CR3, then the current one.
std::vector<KnownAddressSpace> known_address_spaces(const MemoryView& view);

// `log` may be null (no events section).
std::vector<PaneLine> inspect_frame(const PhysicalMemoryView& memory, const MemoryView& view, uint32_t frame,
                                    const EventLog* log);

// "00000010 41 42 ... |AB..............|": 16 bytes a line, `address` printed on the left.
std::string hex_dump_line(uint32_t address, const uint8_t* bytes, size_t count);

}  // namespace pc386
