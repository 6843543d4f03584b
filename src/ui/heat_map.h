// The access heat map over the frame grid: reads, writes and instruction fetches per frame as the
// MMU counts them at each TLB fill (mmu/access_heat.h), decaying over time so that the picture
// shows what is being used now. Pure arithmetic; the window takes the counts a few times a second.
#pragma once

#include <array>
#include <vector>

#include "mmu/access_heat.h"
#include "ui/frame_palette.h"
#include "ui/rgb.h"

namespace pc386 {

using Heat = std::array<float, 3>;  // reads, writes, fetches (AccessHeat::Access order)

// Each take keeps this share of the heat before adding the fresh counts: a frame nobody touches
// fades to a tenth in about ten takes (two seconds at five a second).
constexpr float kHeatKept = 0.8f;

// heat = heat * kHeatKept + fresh, frame by frame (`heat` grows to fresh's size).
void decay_heat(std::vector<Heat>& heat, const std::vector<AccessHeat::Counts>& fresh);

// A cell's colour: the frame's own colour dimmed, blended towards the colour of the access that
// dominates (reads yellow, writes red, fetches blue) as the heat grows (logarithmically: one fill
// shows, a thousand are bright).
Rgb heat_colour(Rgb base, const Heat& heat);

// The legend while the heat map is on: what each colour means, with how many frames it dominates.
std::vector<LegendEntry> heat_legend(const std::vector<Heat>& heat);

}  // namespace pc386
