// What the debug window reads from the machine's parts, as free functions over the MMU, the
// physical bus and the VGA (so they are tested on real parts without a CPU). Nothing here changes
// machine state: PhysicalBus::peek, Mmu::walk and the VGA's cell view only.
#pragma once

#include <cstdint>
#include <vector>

#include "ui/counter_tracker.h"
#include "ui/ui_model.h"

namespace pc386 {

class PhysicalBus;
class Mmu;
struct MmuStats;
class VgaText;
class LinuxFrameTable;

// Copies the visible 80x25 text screen and the cursor.
void read_console(const VgaText& vga, ConsoleView& view);

// The physical-memory view: from the guest's frame table when `guest_info_address` is non-zero and
// its descriptor is valid (a rejected one is explained in view.source_note), else from Linux's
// struct pages when `linux_frames` is given (--guest-symbols) and Linux is running, otherwise from
// the current page tables. `guest_counters` gets the guest's counters (empty without a descriptor).
void read_memory(PhysicalBus& bus, const Mmu& mmu, uint32_t guest_info_address, MemoryView& view,
                 std::vector<CounterValue>& guest_counters, const LinuxFrameTable* linux_frames = nullptr);

// The MMU's counters as the window lists them.
std::vector<CounterValue> mmu_counters(const MmuStats& stats);

}  // namespace pc386
