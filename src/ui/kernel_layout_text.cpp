#include "ui/kernel_layout_text.h"

#include <fmt/format.h>

namespace pc386 {
namespace {

std::string size_text(uint32_t bytes) {
    if (bytes % (1024 * 1024) == 0 && bytes) return fmt::format("{} MiB", bytes / (1024 * 1024));
    if (bytes % 1024 == 0) return fmt::format("{} KiB", bytes / 1024);
    return fmt::format("{} B", bytes);
}

}  // namespace

std::string kmap_slot_text(const GuestKernelLayout::KmapSlot& slot) {
    // users 0 with a pfn: a persistent slot the kernel keeps mapped until it needs the slot again.
    return fmt::format("{:08x} -> pfn {:05x}, users {}{}", slot.address, slot.pfn, slot.users,
                       slot.atomic  ? ", atomic"
                       : slot.users ? ""
                                    : " (kept for reuse)");
}

std::vector<GuestKernelLayout::KmapSlot> kmap_slots_of(const GuestKernelLayout& layout, uint32_t pfn) {
    std::vector<GuestKernelLayout::KmapSlot> slots;
    if (pfn == 0) return slots;  // pfn 0 marks an empty slot
    for (const auto& slot : layout.kmap_slots)
        if (slot.pfn == pfn) slots.push_back(slot);
    return slots;
}

std::vector<PaneLine> kernel_layout_lines(const GuestKernelLayout& layout) {
    using S = PaneLine::Style;
    std::vector<PaneLine> lines;
    if (!layout.present) return lines;
    lines.push_back({"Kernel virtual layout (from the guest)", S::Title});
    lines.push_back({fmt::format("  direct map {:08x}-{:08x} = physical 0-{:08x}", layout.page_offset,
                                 layout.lowmem_end, layout.lowmem_end - layout.page_offset),
                     S::Text});
    lines.push_back(
        {fmt::format("  HighMem from pfn {:05x} (kmap only)", layout.highmem_start_pfn), S::Text});
    uint64_t used = 0;
    for (const auto& area : layout.vm_areas) used += area.size;
    lines.push_back(
        {fmt::format("  vmalloc {:08x}-{:08x}: {} area{}, {} KiB", layout.vmalloc_start, layout.vmalloc_end,
                     layout.vm_areas.size(), layout.vm_areas.size() == 1 ? "" : "s", used / 1024),
         S::Text});
    for (const auto& area : layout.vm_areas)
        lines.push_back({fmt::format("    {:08x}  {}", area.start, size_text(area.size)), S::Text});
    size_t in_use = 0;
    for (const auto& slot : layout.kmap_slots) in_use += slot.pfn != 0;
    lines.push_back(
        {fmt::format("  kmap slots: {} of {} in use", in_use, layout.kmap_slots.size()), S::Text});
    for (const auto& slot : layout.kmap_slots)
        if (slot.pfn) lines.push_back({"    " + kmap_slot_text(slot), slot.users ? S::Text : S::Dim});
    return lines;
}

}  // namespace pc386
