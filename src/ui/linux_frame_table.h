// Linux's own view of physical memory, for the window: the kernel's frame descriptors (`struct
// page`, one per frame, in the array `mem_map`) decoded into what each frame is for, as the
// guest OS's frame table (guest_frame_table.h) is for pc386's own guest.
//
// Supported: Linux 6.1 for i386 without PAE, HIGHMEM, MEMCG or NUMA, with FLATMEM (what
// `make tinyconfig` gives, e.g. tests/guests/linux/kernel.config) and PAGE_OFFSET 0xC0000000
// (VMSPLIT_3G). There struct page is 32 bytes (from include/linux/mm_types.h for that config;
// checked on the running test kernel: the frames this reader finds in buddy blocks are exactly
// /proc/meminfo's MemFree, tests/guests/linux_frames_test.cpp):
//    +0 flags  +4 lru / compound_head (bit 0: a tail page)  +12 mapping (bit 0: anonymous)
//   +16 index  +20 private (a free block's buddy order)  +24 _mapcount / page_type  +28 _refcount
// Other versions or configs move these fields; the reader checks what it can (the banner at
// linux_banner, mem_map inside RAM, max_mapnr no more than RAM's frames) and says why it
// refuses a kernel, but a 6.x kernel with another struct page would be misread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ui/frame_kind.h"
#include "ui/linux_symbols.h"
#include "ui/physical_memory_view.h"

namespace pc386 {

// struct page in Linux 6.1, i386, the supported config (above).
struct LinuxPageLayout {
    static constexpr uint32_t kSize = 32;
    static constexpr uint32_t kFlags = 0, kCompoundHead = 4, kMapping = 12, kPrivate = 20, kPageType = 24,
                              kRefcount = 28;
    // enum pageflags (include/linux/page-flags.h)
    static constexpr unsigned kPgSlab = 9, kPgOwnerPriv1 = 10, kPgReserved = 12, kPgSwapBacked = 19;
    // page_type: a type is set when its bit is clear under the base (PageType() in page-flags.h).
    static constexpr uint32_t kPageTypeBase = 0xF0000000u, kPgBuddy = 0x80, kPgTable = 0x200;
    static constexpr uint32_t kMaxOrder = 10;  // MAX_ORDER - 1: the largest buddy block, 4 MiB
    static constexpr uint32_t kPageOffset = 0xC0000000u;
};

// What Linux's frames add up to, by the reader's classification (the window's legend shows the
// same; tests compare it with /proc/meminfo).
struct LinuxFrameCounts {
    uint32_t buddy = 0;       // in a block on a buddy free list (MemFree counts exactly these)
    uint32_t slab = 0;        // PG_slab (SLOB/SLUB pages; large kmallocs are plain kernel pages)
    uint32_t anon = 0;        // anonymous (a process's private or CoW page), swap cache included
    uint32_t page_cache = 0;  // a file's page (ramfs/initramfs files are page cache too)
    uint32_t page_table = 0;  // PG_table: a process's page table
    uint32_t reserved = 0;    // PG_reserved: the kernel image, BIOS areas, mem_map itself
    uint32_t free_other = 0;  // no reference, not in a buddy block (per-CPU lists): shown as free, order 0
    uint32_t kernel = 0;      // anything else the kernel holds
};

struct LinuxFrameReadResult {
    bool ok = false;
    std::string error;              // why nothing was read ("Linux is not running yet", a mismatch, ...)
    std::vector<FrameInfo> frames;  // one per frame of RAM; Unknown above max_mapnr
    LinuxFrameCounts counts;
};

class LinuxFrameTable {
  public:
    explicit LinuxFrameTable(const LinuxSymbols& symbols) : symbols_(symbols) {}

    // Reads the banner, mem_map and every struct page through `memory` (guest-physical, RAM's
    // size frames). Never trusts the guest: a bad order or pointer is clamped or ignored.
    LinuxFrameReadResult read(const PhysicalMemoryView& memory) const;

  private:
    LinuxSymbols symbols_;
};

// One frame's kind from its descriptor fields (the buddy and compound-tail cases need the
// neighbours and are handled by LinuxFrameTable::read).
FrameInfo classify_linux_page(uint32_t flags, uint32_t mapping, uint32_t page_type, uint32_t refcount);

}  // namespace pc386
