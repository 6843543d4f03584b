// The guest kernel's virtual layout as lines for the frame inspector: where the direct map, the
// vmalloc areas and the kmap slots lie, and which kmap slots map a given frame.
#pragma once

#include <cstdint>
#include <vector>

#include "ui/kernel_layout.h"
#include "ui/pane_line.h"

namespace pc386 {

// The direct map, HighMem's first frame, the vmalloc range with each area (start, size) and the
// kmap slots that hold a frame (address -> pfn, users, atomic). Empty when !layout.present.
std::vector<PaneLine> kernel_layout_lines(const GuestKernelLayout& layout);

// The kmap slots that map `pfn` right now (a frame can have a persistent and an atomic slot).
std::vector<GuestKernelLayout::KmapSlot> kmap_slots_of(const GuestKernelLayout& layout, uint32_t pfn);

// "ffa03000 -> pfn 00812, users 2, atomic": one slot.
std::string kmap_slot_text(const GuestKernelLayout::KmapSlot& slot);

}  // namespace pc386
