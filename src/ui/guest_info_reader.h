// Reads the guest OS's published descriptor (struct pc386_guest_info, src/guestos/abi/guest_info.h,
// whose physical address the guest wrote to port 0xEA): its frame table, process list and counters.
// Everything comes from guest memory a buggy or hostile guest controls, so every field is checked
// against RAM before use: a bad descriptor is rejected with a reason, never trusted for sizes, and
// can never make the host read outside RAM or allocate without bound.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ui/counter_tracker.h"
#include "ui/physical_memory_view.h"
#include "ui/ui_model.h"

namespace pc386 {

struct GuestInfoReadResult {
    bool ok = false;
    std::string error;                   // why the descriptor was rejected (when !ok)
    std::vector<FrameInfo> frames;       // one per frame the guest describes
    std::vector<FrameDetail> details;    // parallel to frames
    std::vector<ProcessView> processes;  // the guest's process list
    std::vector<CounterValue> counters;  // the guest's memory-manager counters
    GuestKernelLayout layout;            // the kernel's virtual layout, kmap slots, vmalloc areas
    SwapView swap;                       // the swap map (empty while the guest has no swap area)
};

GuestInfoReadResult read_guest_info(const PhysicalMemoryView& memory, uint32_t address);

}  // namespace pc386
