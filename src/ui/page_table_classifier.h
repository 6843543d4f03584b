// The physical-memory map for a guest that publishes no frame table: what the current page tables
// say about each frame (mapped for user writing, user reading, the kernel only, or not at all), and
// which frames hold the page directory and page tables themselves.
#pragma once

#include <cstdint>
#include <vector>

#include "ui/frame_kind.h"
#include "ui/physical_memory_view.h"

namespace pc386 {

// One run of present mappings: `pages` consecutive linear pages onto consecutive frames, all with
// the same flags (the window's copy of what Mmu::walk reports).
struct PageRun {
    uint32_t linear = 0;
    uint32_t physical = 0;
    uint32_t pages = 0;
    bool user = false;
    bool writable = false;
    bool accessed = false;
    bool dirty = false;
    friend bool operator==(const PageRun&, const PageRun&) = default;
};

// Frame numbers of the page directory at `cr3` and of every page table a present directory entry
// points to, read through `memory`. Entries pointing outside RAM are skipped (a guest may hold
// garbage there); each frame is listed once.
std::vector<uint32_t> page_table_frames(const PhysicalMemoryView& memory, uint32_t cr3);

// One FrameInfo per frame of RAM (`frame_count` of them). A frame mapped several ways shows the
// most permissive mapping (user writable > user read-only > kernel only); page-table frames win
// over everything. Mappings beyond RAM (MMIO, ROM) are ignored.
std::vector<FrameInfo> classify_from_page_tables(uint32_t frame_count, const std::vector<PageRun>& runs,
                                                 const std::vector<uint32_t>& table_frames);

}  // namespace pc386
