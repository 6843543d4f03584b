#include "ui/swap_map.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "ui/address_space.h"

namespace pc386 {

std::vector<SwapHolder> find_swap_holders(const PhysicalMemoryView& memory,
                                          const std::vector<KnownAddressSpace>& spaces) {
    std::vector<SwapHolder> holders;
    std::vector<uint32_t> read;
    for (const KnownAddressSpace& space : spaces) {
        const uint32_t dir = space.cr3 & 0xFFFFF000u;
        if (std::find(read.begin(), read.end(), dir) != read.end()) continue;
        read.push_back(dir);
        for (const VmRun& run : read_address_space(memory, dir, true).runs) {
            if (run.kind != VmRun::Kind::Swapped) continue;
            for (uint32_t i = 0; i < run.pages; ++i)
                holders.push_back({run.value + i, space.owner, run.linear + i * 4096});
        }
    }
    std::stable_sort(holders.begin(), holders.end(),
                     [](const SwapHolder& a, const SwapHolder& b) { return a.slot < b.slot; });
    return holders;
}

SlotState slot_state(const SwapView& swap, uint32_t slot, const std::vector<bool>& cached) {
    if (slot >= swap.refs.size() || swap.refs[slot] == 0) return SlotState::Free;
    if (slot < cached.size() && cached[slot]) return SlotState::Cached;
    return swap.refs[slot] > 1 ? SlotState::Shared : SlotState::Used;
}

std::vector<PaneLine> swap_map_lines(const SwapView& swap, const std::vector<SwapHolder>& holders) {
    using S = PaneLine::Style;
    std::vector<PaneLine> lines;
    if (swap.refs.size() < 2) {
        lines.push_back({"The guest has no swap area (or publishes no swap map).", S::Dim});
        return lines;
    }
    const uint32_t slots = uint32_t(swap.refs.size()) - 1;  // slot 0 is never used
    uint32_t used = 0;
    for (size_t s = 1; s < swap.refs.size(); ++s) used += swap.refs[s] != 0;
    lines.push_back({fmt::format("Swap area: {} slots ({} KiB): {} used, {} free; {} in the swap cache",
                                 slots, uint64_t(slots) * 4, used, slots - used, swap.cached.size()),
                     S::Title});
    lines.push_back({"refs = PTEs holding the slot, +1 while the swap cache keeps a frame for it", S::Dim});
    lines.push_back({"slot(s)       refs  held by (pid, address)          swap cache", S::Dim});

    std::map<uint32_t, uint32_t> cache_frame;
    for (const SwapView::CacheLink& link : swap.cached) cache_frame[link.slot] = link.frame;
    std::map<uint32_t, std::vector<const SwapHolder*>> by_slot;
    for (const SwapHolder& h : holders) by_slot[h.slot].push_back(&h);

    // Runs: consecutive slots with one reference, one holder each (the same process at the next
    // page), none cached: memhog's hundreds of pages read as one line.
    for (uint32_t s = 1; s < swap.refs.size(); ++s) {
        const uint16_t refs = swap.refs[s];
        if (refs == 0) continue;
        const auto& who = by_slot[s];
        const auto cached = cache_frame.find(s);
        auto simple = [&](uint32_t slot) {
            auto it = by_slot.find(slot);
            return slot < swap.refs.size() && swap.refs[slot] == 1 && it != by_slot.end() &&
                   it->second.size() == 1 && !cache_frame.count(slot);
        };
        if (simple(s)) {
            uint32_t end = s + 1;
            while (simple(end) && by_slot[end][0]->owner == who[0]->owner &&
                   by_slot[end][0]->linear == who[0]->linear + (end - s) * 4096)
                ++end;
            if (end - s > 1) {
                lines.push_back(
                    {fmt::format("{:>5}-{:<7} 1 each {} {:08x}-{:08x} ({} pages)", s, end - 1, who[0]->owner,
                                 who[0]->linear, who[0]->linear + (end - s) * 4096 - 1, end - s),
                     S::Text});
                s = end - 1;
                continue;
            }
        }
        std::string held;
        for (const SwapHolder* h : who)
            held += fmt::format("{}{} {:08x}", held.empty() ? "" : ", ", h->owner, h->linear);
        if (held.empty()) held = "(the swap cache's copy only)";
        std::string cache = cached != cache_frame.end() ? fmt::format("  frame {:05x}", cached->second) : "";
        lines.push_back({fmt::format("{:>5}         {:>4}  {}{}", s, refs, held, cache),
                         refs > 1 && cached == cache_frame.end() ? S::Highlight : S::Text});
    }
    return lines;
}

Rgb slot_colour(SlotState state) {
    switch (state) {
        case SlotState::Free: return {45, 45, 58};
        case SlotState::Used: return {220, 75, 65};
        case SlotState::Shared: return {230, 90, 230};
        case SlotState::Cached: return {70, 200, 215};
    }
    return {};
}

}  // namespace pc386
