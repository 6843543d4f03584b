#include "ui/heat_map.h"

#include <algorithm>
#include <cmath>

namespace pc386 {
namespace {

constexpr Rgb kAccessColour[3] = {{255, 220, 70}, {255, 60, 40}, {80, 150, 255}};  // read, write, fetch
constexpr float kVisible = 0.05f;  // below this a frame counts as cold

float total(const Heat& h) {
    return h[0] + h[1] + h[2];
}

unsigned dominant(const Heat& h) {
    return unsigned(std::max_element(h.begin(), h.end()) - h.begin());
}

uint8_t mix(uint8_t a, uint8_t b, float t) {
    return uint8_t(std::lround(float(a) * (1 - t) + float(b) * t));
}

}  // namespace

void decay_heat(std::vector<Heat>& heat, const std::vector<AccessHeat::Counts>& fresh) {
    if (heat.size() < fresh.size()) heat.resize(fresh.size(), Heat{});
    for (size_t f = 0; f < heat.size(); ++f)
        for (unsigned k = 0; k < 3; ++k)
            heat[f][k] = heat[f][k] * kHeatKept + (f < fresh.size() ? float(fresh[f][k]) : 0.0f);
}

Rgb heat_colour(Rgb base, const Heat& heat) {
    const Rgb dim{uint8_t(base.r / 4), uint8_t(base.g / 4), uint8_t(base.b / 4)};
    const float t = total(heat);
    if (t < kVisible) return dim;
    const float intensity = std::clamp(0.35f + std::log2(1.0f + t) / 10.0f, 0.0f, 1.0f);
    const Rgb hot = kAccessColour[dominant(heat)];
    return {mix(dim.r, hot.r, intensity), mix(dim.g, hot.g, intensity), mix(dim.b, hot.b, intensity)};
}

std::vector<LegendEntry> heat_legend(const std::vector<Heat>& heat) {
    std::vector<LegendEntry> legend = {{kAccessColour[0], "mostly read", 0},
                                       {kAccessColour[1], "mostly written", 0},
                                       {kAccessColour[2], "code fetched", 0},
                                       {{40, 40, 40}, "cold (kind dimmed)", 0}};
    for (const Heat& h : heat) ++legend[total(h) < kVisible ? 3 : dominant(h)].frames;
    return legend;
}

}  // namespace pc386
