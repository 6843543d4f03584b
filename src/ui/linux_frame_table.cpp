#include "ui/linux_frame_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace pc386 {
namespace {

using L = LinuxPageLayout;

bool is_type(uint32_t page_type, uint32_t type) {
    return (page_type & (L::kPageTypeBase | type)) == L::kPageTypeBase;
}

uint32_t field(const uint8_t* page, uint32_t offset) {
    uint32_t v;
    std::memcpy(&v, page + offset, sizeof v);
    return v;
}

bool is_kernel_address(uint32_t v) {
    return v >= L::kPageOffset;
}

void count(LinuxFrameCounts& c, const FrameInfo& f, bool buddy) {
    switch (f.kind) {
        case FrameKind::Free: ++(buddy ? c.buddy : c.free_other); break;
        case FrameKind::Slab: ++c.slab; break;
        case FrameKind::UserAnon:
        case FrameKind::UserShared:
        case FrameKind::SwapCache: ++c.anon; break;
        case FrameKind::PageCache: ++c.page_cache; break;
        case FrameKind::PageTable: ++c.page_table; break;
        case FrameKind::Reserved: ++c.reserved; break;
        default: ++c.kernel; break;
    }
}

}  // namespace

FrameInfo classify_linux_page(uint32_t flags, uint32_t mapping, uint32_t page_type, uint32_t refcount) {
    if (flags & (1u << L::kPgReserved)) return {FrameKind::Reserved, 0};
    if (is_type(page_type, L::kPgTable)) return {FrameKind::PageTable, 0};
    if (flags & (1u << L::kPgSlab)) return {FrameKind::Slab, 0};  // SLOB: mixed sizes, none to show
    if (mapping & 1) {
        // PageSwapCache: swap-backed with PG_swapcache (PG_owner_priv_1).
        const uint32_t swap_cache = (1u << L::kPgSwapBacked) | (1u << L::kPgOwnerPriv1);
        if ((flags & swap_cache) == swap_cache) return {FrameKind::SwapCache, 0};
        // _mapcount counts from -1: 0 is one mapping.
        const uint32_t mappings = page_type + 1;
        if (mappings > 1 && mappings < 0x10000) return {FrameKind::UserShared, mappings};
        return {FrameKind::UserAnon, 0};
    }
    if (mapping != 0) return {FrameKind::PageCache, 0};
    if (refcount == 0) return {FrameKind::Free, 0};
    return {FrameKind::Kernel, 0};
}

LinuxFrameReadResult LinuxFrameTable::read(const PhysicalMemoryView& memory) const {
    LinuxFrameReadResult result;
    const uint32_t ram_frames = memory.ram_size() >> 12;
    auto fail = [&](std::string why) {
        result.error = std::move(why);
        result.frames.clear();
        return result;
    };
    auto phys = [](uint32_t virt) { return virt - L::kPageOffset; };

    // The banner first: before the kernel is in place (or with another kernel's map) it is not there.
    char banner[32] = {};
    const char kWant[] = "Linux version 6.1.";
    if (!is_kernel_address(symbols_.linux_banner) ||
        !memory.peek(phys(symbols_.linux_banner), banner, sizeof banner - 1) ||
        std::memcmp(banner, "Linux version ", 14) != 0)
        return fail(
            "Linux is not running (no 'Linux version' at linux_banner): not started yet, or "
            "--guest-symbols is another kernel's");
    if (std::memcmp(banner, kWant, sizeof kWant - 1) != 0)
        return fail(fmt::format("the running kernel is '{}', not Linux 6.1: its struct page may differ",
                                std::string(banner, strnlen(banner, sizeof banner))));

    uint32_t mem_map = 0, max_mapnr = 0;
    if (!is_kernel_address(symbols_.mem_map) || !is_kernel_address(symbols_.max_mapnr) ||
        !memory.peek32(phys(symbols_.mem_map), mem_map) ||
        !memory.peek32(phys(symbols_.max_mapnr), max_mapnr))
        return fail("mem_map or max_mapnr is outside RAM: --guest-symbols does not match this kernel");
    if (mem_map == 0 || max_mapnr == 0) return fail("Linux has not set up mem_map yet");
    if (!is_kernel_address(mem_map) || max_mapnr > ram_frames)
        return fail(fmt::format("mem_map {:08x} with {} frames does not fit {} frames of RAM", mem_map,
                                max_mapnr, ram_frames));
    std::vector<uint8_t> pages(size_t(max_mapnr) * L::kSize);
    if (!memory.peek(phys(mem_map), pages.data(), pages.size()))
        return fail(fmt::format("mem_map {:08x} + {} frames is not inside RAM", mem_map, max_mapnr));

    result.frames.assign(ram_frames, FrameInfo{FrameKind::Unknown, 0});
    for (uint32_t pfn = 0; pfn < max_mapnr;) {
        const uint8_t* page = &pages[size_t(pfn) * L::kSize];
        const uint32_t page_type = field(page, L::kPageType);
        if (is_type(page_type, L::kPgBuddy)) {
            // The head of a free block of 2^order frames; the others are unmarked.
            const uint32_t order = std::min(field(page, L::kPrivate), L::kMaxOrder);
            const uint32_t end = std::min(max_mapnr, pfn + (1u << order));
            for (; pfn < end; ++pfn) {
                result.frames[pfn] = {FrameKind::Free, order};
                ++result.counts.buddy;
            }
            continue;
        }
        FrameInfo info;
        const uint32_t head = field(page, L::kCompoundHead);
        const uint32_t head_pfn = (head - 1 - mem_map) / L::kSize;
        if ((head & 1) && head - 1 >= mem_map && head_pfn < pfn)
            info = result.frames[head_pfn];  // a compound page's tail: what its head is
        else
            info = classify_linux_page(field(page, L::kFlags), field(page, L::kMapping), page_type,
                                       field(page, L::kRefcount));
        result.frames[pfn] = info;
        count(result.counts, info, false);
        ++pfn;
    }
    result.ok = true;
    return result;
}

}  // namespace pc386
