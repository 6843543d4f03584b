// Colours for the physical-memory map, and the legend that explains them. Related kinds share a hue
// and vary in shade (buddy order, slab object size, share count), so the map reads at a glance.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ui/frame_kind.h"
#include "ui/rgb.h"

namespace pc386 {

Rgb frame_colour(const FrameInfo& frame);

// One legend line: a colour, what it means, and how many frames have it right now.
struct LegendEntry {
    Rgb colour;
    std::string label;
    uint32_t frames = 0;
    friend bool operator==(const LegendEntry&, const LegendEntry&) = default;
};

// The legend for the frames on screen: one entry per distinct colour present, in a fixed order
// (kinds in declaration order, then by detail), with its frame count.
std::vector<LegendEntry> build_legend(const std::vector<FrameInfo>& frames);

// How long a frame that just changed kind stays highlighted, and its colour meanwhile: blended
// towards white, fading back to `base` over kChangeGlowMs.
constexpr uint64_t kChangeGlowMs = 1500;
Rgb change_glow(Rgb base, uint64_t age_ms);

// A short label for a frame ("free, order 3", "kmalloc-64", "CoW x3", ...).
std::string frame_label(const FrameInfo& frame);

}  // namespace pc386
