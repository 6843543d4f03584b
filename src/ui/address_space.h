// Any address space, read from its page tables at a given CR3 (not only the current one): the
// user part as runs of present, not-present and swapped-out pages, the kernel part (mapped for
// the supervisor only) folded into one summary. Pure reads through PhysicalMemoryView.
//
// The built-in guest's software PTE bits (src/guestos/kernel/mm/mm_internal.h) are decoded when
// `guest_bits` is set: PTE_COW (0x200) marks a present read-only page shared copy-on-write;
// PTE_SWAP (0x400) in a not-present PTE means bits 31..12 hold a swap slot. Any other guest's
// not-present PTEs that are not zero show as "not present" with their raw value.
//
// PTE_COW means "write-protected because the frame is shared": the guest also sets it when a
// swap-in maps a frame that only the swap cache shares (mm/fault.c, do_swap_page), and a write then
// takes the frame back from the cache without copying. So a PTE_COW page is shown as CoW only when
// another address space maps its frame; with the guest's frame table to tell (MappingCount), one
// shared with the swap cache alone is shown as such.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ui/physical_memory_view.h"

namespace pc386 {

constexpr uint32_t kGuestPteCow = 0x200;
constexpr uint32_t kGuestPteSwap = 0x400;

// `pages` consecutive linear pages of one kind with the same flags: present onto consecutive
// frames, swapped into consecutive slots, or not present (then `value` is the first raw PTE).
struct VmRun {
    enum class Kind : uint8_t { Present, Swapped, NotPresent };
    Kind kind = Kind::Present;
    uint32_t linear = 0;
    uint32_t pages = 0;
    uint32_t value = 0;  // Present: physical address; Swapped: slot; NotPresent: raw PTE
    bool user = false, writable = false, accessed = false, dirty = false;
    bool cow = false;          // present, read-only, its frame shared copy-on-write with another space
    bool swap_cached = false;  // present, read-only, its frame shared with the swap cache alone
    friend bool operator==(const VmRun&, const VmRun&) = default;
};

struct AddressSpaceView {
    uint32_t cr3 = 0;
    std::string owner;        // "pid 3 sh", "current (CR3)"
    bool readable = false;    // the page directory lies inside RAM
    std::vector<VmRun> runs;  // user part (U/S set in the directory entry), by address
    uint32_t present = 0, swapped = 0, not_present = 0, cow = 0, swap_cached = 0;  // user pages of each kind
    // The kernel part: present supervisor-only pages, folded into one line.
    uint32_t kernel_pages = 0, kernel_runs = 0, kernel_first = 0, kernel_last = 0;
    uint32_t page_tables = 0;  // page tables the directory points to
    friend bool operator==(const AddressSpaceView&, const AddressSpaceView&) = default;
};

// What the guest's frame table says of a frame: how many PTEs map it (its refcount without the swap
// cache's own reference) and whether it is in the swap cache. nullopt: not known.
struct FrameSharing {
    uint32_t mappings = 0;
    bool in_swap_cache = false;
};
using FrameSharingLookup = std::function<std::optional<FrameSharing>(uint32_t frame)>;

// `sharing` (may be empty) tells PTE_COW pages shared with another space from those the swap cache
// alone shares; without it every read-only PTE_COW page is shown as CoW.
AddressSpaceView read_address_space(const PhysicalMemoryView& memory, uint32_t cr3, bool guest_bits,
                                    const FrameSharingLookup& sharing = {});

// One line of the pane for a run, e.g. "40000000-40003fff   4 present -> 00123000 U W A D CoW".
std::string describe_vm_run(const VmRun& run);
// The folded kernel line, e.g. "kernel: 2048 pages (17 runs) c0000000-c07fffff, supervisor only".
std::string describe_kernel_part(const AddressSpaceView& space);

}  // namespace pc386
