// The frame grid coloured by the guest's page-replacement lists (guest_info.h: LRU list 1 active,
// 2 inactive_dirty, 3 inactive_clean, 0 none), so that aging and reclaim show as colour moving
// between lists; HighMem frames are a darker shade of their list's colour, telling the zones apart.
#pragma once

#include <cstdint>
#include <vector>

#include "ui/frame_palette.h"
#include "ui/rgb.h"
#include "ui/ui_model.h"

namespace pc386 {

Rgb lru_colour(const FrameDetail& detail);

// A grid cell standing for several frames: the colour most of them have.
Rgb lru_cell_colour(const std::vector<FrameDetail>& details, uint32_t first, uint32_t count);

// The legend in LRU mode: every list (low memory) with its frame count, then the HighMem shade of
// each list that has HighMem frames.
std::vector<LegendEntry> lru_legend(const std::vector<FrameDetail>& details);

}  // namespace pc386
