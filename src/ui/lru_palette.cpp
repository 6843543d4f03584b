#include "ui/lru_palette.h"

#include <algorithm>
#include <array>
#include <string>

namespace pc386 {
namespace {

constexpr uint8_t kHighMemZone = 2;  // guest_info.h: 0 DMA, 1 Normal, 2 HighMem
constexpr unsigned kLists = 4;       // 0 none, 1 active, 2 inactive_dirty, 3 inactive_clean

// Hot to cold: active red, inactive_dirty amber (must be written before reuse), inactive_clean
// green (free to take), off the lists dark grey.
constexpr std::array<Rgb, kLists> kListColour = {Rgb{60, 60, 68}, Rgb{230, 70, 60}, Rgb{235, 180, 40},
                                                 Rgb{70, 190, 110}};
constexpr std::array<const char*, kLists> kListName = {"no LRU list", "active", "inactive_dirty",
                                                       "inactive_clean"};
// The legend's order: the lists as a page ages through them, then the rest.
constexpr std::array<unsigned, kLists> kLegendOrder = {1, 2, 3, 0};

// Unknown list numbers (a newer or broken guest) count as "no list" rather than index out of range.
unsigned list_of(const FrameDetail& d) {
    return d.lru < kLists ? d.lru : 0;
}
bool highmem(const FrameDetail& d) {
    return d.zone == kHighMemZone;
}

Rgb colour_of(unsigned list, bool high) {
    const Rgb c = kListColour[list];
    if (!high) return c;
    // Half as bright, with a blue cast: still its list's hue, but never mistaken for low memory.
    return {uint8_t(c.r / 2), uint8_t(c.g / 2), uint8_t(std::min(255, c.b / 2 + 70))};
}

}  // namespace

Rgb lru_colour(const FrameDetail& detail) {
    return colour_of(list_of(detail), highmem(detail));
}

Rgb lru_cell_colour(const std::vector<FrameDetail>& details, uint32_t first, uint32_t count) {
    if (first >= details.size()) return kListColour[0];
    std::array<uint32_t, kLists * 2> votes{};
    const uint32_t end = uint32_t(std::min<uint64_t>(uint64_t(first) + count, details.size()));
    for (uint32_t f = first; f < end; ++f) ++votes[list_of(details[f]) * 2 + highmem(details[f])];
    const auto best = unsigned(std::max_element(votes.begin(), votes.end()) - votes.begin());
    return colour_of(best / 2, best % 2);
}

std::vector<LegendEntry> lru_legend(const std::vector<FrameDetail>& details) {
    std::array<uint32_t, kLists> low{}, high{};
    for (const FrameDetail& d : details) ++(highmem(d) ? high : low)[list_of(d)];
    std::vector<LegendEntry> legend;
    for (unsigned list : kLegendOrder) legend.push_back({colour_of(list, false), kListName[list], low[list]});
    for (unsigned list : kLegendOrder)
        if (high[list])
            legend.push_back({colour_of(list, true), std::string(kListName[list]) + ", HighMem", high[list]});
    return legend;
}

}  // namespace pc386
