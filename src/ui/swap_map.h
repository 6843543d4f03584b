// The swap map as a learner reads it: which slots are used and by whom (every swapped-out PTE of
// every process, found in their page tables), which the swap cache links to a frame. Pure reads
// through PhysicalMemoryView; the slot counts and cache links come from the guest (SwapView).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ui/pane_line.h"
#include "ui/physical_memory_view.h"
#include "ui/reverse_map.h"
#include "ui/rgb.h"
#include "ui/ui_model.h"

namespace pc386 {

// A swapped-out PTE: the slot it holds, whose it is and where.
struct SwapHolder {
    uint32_t slot = 0;
    std::string owner;  // "pid 3 sh"
    uint32_t linear = 0;
    friend bool operator==(const SwapHolder&, const SwapHolder&) = default;
};

// Every swapped-out PTE in `spaces` (the same CR3 listed twice is read once), by slot then owner.
std::vector<SwapHolder> find_swap_holders(const PhysicalMemoryView& memory,
                                          const std::vector<KnownAddressSpace>& spaces);

// The pane's lines: a summary, then one line per used slot (or run of slots one process holds at
// consecutive addresses) with its reference count, holders and swap-cache frame.
std::vector<PaneLine> swap_map_lines(const SwapView& swap, const std::vector<SwapHolder>& holders);

// How a slot is drawn in the map.
enum class SlotState : uint8_t { Free, Used, Shared, Cached };
SlotState slot_state(const SwapView& swap, uint32_t slot, const std::vector<bool>& cached);
Rgb slot_colour(SlotState state);

}  // namespace pc386
