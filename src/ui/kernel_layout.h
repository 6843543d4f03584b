// The guest kernel's virtual layout as plain data (read by guest_info_reader.h, shown by
// kernel_layout_text.h); apart from the reader so that the window's model can hold it.
#pragma once

#include <cstdint>
#include <vector>

namespace pc386 {

// The guest kernel's virtual layout (guest_info.h: struct guest_layout), when it publishes one.
struct GuestKernelLayout {
    bool present = false;
    uint32_t page_offset = 0, lowmem_end = 0;  // the direct map of low memory
    uint32_t highmem_start_pfn = 0;            // first HighMem frame (the frame count: none)
    uint32_t vmalloc_start = 0, vmalloc_end = 0;
    uint32_t pkmap_base = 0, fixmap_start = 0;
    struct KmapSlot {
        uint32_t address = 0;  // kernel virtual address of the slot
        uint32_t pfn = 0;      // 0: empty
        uint32_t users = 0;    // 0 with a pfn: kept mapped for reuse
        bool atomic = false;
        friend bool operator==(const KmapSlot&, const KmapSlot&) = default;
    };
    std::vector<KmapSlot> kmap_slots;
    struct VmArea {
        uint32_t start = 0, size = 0;  // bytes mapped; an unmapped guard page follows
        friend bool operator==(const VmArea&, const VmArea&) = default;
    };
    std::vector<VmArea> vm_areas;
    friend bool operator==(const GuestKernelLayout&, const GuestKernelLayout&) = default;
};

}  // namespace pc386
