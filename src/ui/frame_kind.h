// What one 4 KiB physical frame is, as far as the window can tell. Three sources fill it: the guest
// OS's own frame table (published through port 0xEA, see guest_info_reader.h), which knows the
// allocator's view, Linux's struct pages when its symbols are given (linux_frame_table.h), and, for
// any other guest, the current page tables (page_table_classifier.h).
#pragma once

#include <cstdint>

namespace pc386 {

enum class FrameKind : uint8_t {
    // Never classified: outside RAM or not yet read.
    Unknown,
    // From the guest's frame table (or Linux's).
    Reserved,    // BIOS, ROM shadow, hole: not managed by the allocator
    Free,        // on a buddy free list; `detail` = order of the block it belongs to
    Kernel,      // kernel image, kernel stacks, other kernel allocations
    PageTable,   // page directory or page table
    Slab,        // a kmalloc cache page; `detail` = object size in bytes
    UserAnon,    // a process's private page
    UserShared,  // shared copy-on-write; `detail` = reference count
    SwapCache,   // in the swap cache
    PageCache,   // a file's page (Linux's page cache; linux_frame_table.h)
    // From the page tables (no guest frame table).
    Unmapped,        // no present mapping in the current address space
    SupervisorOnly,  // mapped for the kernel only
    UserReadOnly,    // mapped user-readable, not writable
    UserWritable,    // mapped user-writable
};

struct FrameInfo {
    FrameKind kind = FrameKind::Unknown;
    uint32_t detail = 0;  // order, object size or share count, depending on `kind`
    friend bool operator==(const FrameInfo&, const FrameInfo&) = default;
};

const char* to_string(FrameKind kind);

}  // namespace pc386
