#include "ui/frame_palette.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace pc386 {
namespace {

// Mixes `from` towards `to` by t/steps: the shade ramps of one hue.
Rgb ramp(Rgb from, Rgb to, unsigned t, unsigned steps) {
    if (steps == 0) return from;
    t = std::min(t, steps);
    auto mix = [&](uint8_t a, uint8_t b) {
        return static_cast<uint8_t>(a + (int(b) - int(a)) * int(t) / int(steps));
    };
    return {mix(from.r, to.r), mix(from.g, to.g), mix(from.b, to.b)};
}

// log2 of a kmalloc object size, clamped to the size classes 32 B (0) .. 4 KiB (7).
unsigned slab_class(uint32_t object_size) {
    unsigned cls = 0;
    for (uint32_t size = 32; size < object_size && cls < 7; size <<= 1) ++cls;
    return cls;
}

constexpr unsigned kMaxOrder = 10;      // Linux's largest block (pc386's guest stops at 9)
constexpr unsigned kMaxShareShade = 4;  // share counts 2, 3, 4, 5+ get distinct shades

// The legend groups frames whose colour comes from the same (kind, bucket).
uint32_t legend_bucket(const FrameInfo& frame) {
    switch (frame.kind) {
        case FrameKind::Free: return std::min(frame.detail, kMaxOrder);
        case FrameKind::Slab: return frame.detail;
        case FrameKind::UserShared: return std::clamp<uint32_t>(frame.detail, 2, 2 + kMaxShareShade - 1);
        default: return 0;
    }
}

}  // namespace

const char* to_string(FrameKind kind) {
    switch (kind) {
        case FrameKind::Unknown: return "unknown";
        case FrameKind::Reserved: return "reserved";
        case FrameKind::Free: return "free";
        case FrameKind::Kernel: return "kernel";
        case FrameKind::PageTable: return "page table";
        case FrameKind::Slab: return "kmalloc";
        case FrameKind::UserAnon: return "user";
        case FrameKind::UserShared: return "CoW shared";
        case FrameKind::SwapCache: return "swap cache";
        case FrameKind::PageCache: return "page cache";
        case FrameKind::Unmapped: return "unmapped";
        case FrameKind::SupervisorOnly: return "kernel-mapped";
        case FrameKind::UserReadOnly: return "user read-only";
        case FrameKind::UserWritable: return "user writable";
    }
    return "?";
}

Rgb frame_colour(const FrameInfo& frame) {
    switch (frame.kind) {
        case FrameKind::Unknown: return {0, 0, 0};
        case FrameKind::Reserved: return {70, 70, 70};
        // Free: green, light for single pages, darker for big blocks; a table, not a ramp, so that
        // neighbouring orders differ visibly.
        case FrameKind::Free: {
            static constexpr Rgb kOrders[kMaxOrder + 1] = {
                {230, 245, 160}, {190, 230, 130}, {150, 215, 110}, {110, 195, 95}, {70, 170, 85},
                {40, 145, 75},   {25, 120, 70},   {15, 100, 60},   {10, 80, 50},   {5, 62, 42},
                {3, 48, 34}};
            return kOrders[std::min(frame.detail, kMaxOrder)];
        }
        case FrameKind::Kernel: return {200, 60, 60};
        case FrameKind::PageTable: return {240, 220, 60};
        // kmalloc: light orange for small objects, brown for page-sized ones, one shade a size class.
        case FrameKind::Slab: {
            static constexpr Rgb kSizes[8] = {{255, 220, 150}, {250, 190, 110}, {240, 160, 70}, {225, 130, 40},
                                              {200, 105, 25},  {170, 85, 20},   {140, 65, 15},  {110, 50, 10}};
            return kSizes[slab_class(frame.detail)];
        }
        case FrameKind::UserAnon: return {70, 130, 240};
        // Shared copy-on-write: violet, deeper the more sharers.
        case FrameKind::UserShared:
            return ramp({220, 140, 240}, {140, 30, 170}, legend_bucket(frame) - 2, kMaxShareShade - 1);
        case FrameKind::SwapCache: return {60, 210, 220};
        case FrameKind::PageCache: return {200, 200, 120};
        case FrameKind::Unmapped: return {40, 40, 48};
        case FrameKind::SupervisorOnly: return {150, 70, 70};
        case FrameKind::UserReadOnly: return {140, 170, 230};
        case FrameKind::UserWritable: return {50, 100, 230};
    }
    return {0, 0, 0};
}

Rgb change_glow(Rgb base, uint64_t age_ms) {
    if (age_ms >= kChangeGlowMs) return base;
    // At age 0 the colour is 70 % white; the glow fades linearly.
    unsigned strength = unsigned(70 * (kChangeGlowMs - age_ms) / kChangeGlowMs);
    return ramp(base, {255, 255, 255}, strength, 100);
}

std::string frame_label(const FrameInfo& frame) {
    switch (frame.kind) {
        case FrameKind::Free: return fmt::format("free, order {}", frame.detail);
        // Detail 0: a slab page of mixed sizes (Linux's SLOB).
        case FrameKind::Slab: return frame.detail ? fmt::format("kmalloc-{}", frame.detail) : "slab";
        case FrameKind::UserShared: return fmt::format("CoW shared x{}", frame.detail);
        default: return to_string(frame.kind);
    }
}

std::vector<LegendEntry> build_legend(const std::vector<FrameInfo>& frames) {
    // Key: (kind, bucket) keeps the fixed order; the first frame seen gives the label.
    std::map<std::pair<FrameKind, uint32_t>, LegendEntry> groups;
    for (const FrameInfo& frame : frames) {
        auto key = std::make_pair(frame.kind, legend_bucket(frame));
        auto [it, inserted] = groups.try_emplace(key);
        if (inserted) {
            FrameInfo shown{frame.kind, key.second};
            it->second.colour = frame_colour(shown);
            it->second.label = frame_label(shown);
            if (frame.kind == FrameKind::UserShared && key.second == 2 + kMaxShareShade - 1)
                it->second.label += "+";
        }
        ++it->second.frames;
    }
    std::vector<LegendEntry> legend;
    legend.reserve(groups.size());
    for (auto& [key, entry] : groups) legend.push_back(std::move(entry));
    return legend;
}

}  // namespace pc386
