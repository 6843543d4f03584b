#include "ui/layout.h"

#include <algorithm>

namespace pc386 {
namespace {

uint32_t floor_power_of_two(uint32_t value) {
    uint32_t power = 1;
    while (power * 2 <= value && power < (1u << 30)) power *= 2;
    return value == 0 ? 0 : power;
}

Rect clamp_rect(Rect r) {
    r.w = std::max(r.w, 0);
    r.h = std::max(r.h, 0);
    return r;
}

}  // namespace

std::optional<uint32_t> GridGeometry::frame_at(int px, int py, uint32_t frame_count) const {
    if (!area.contains(px, py) || pitch <= 0) return std::nullopt;
    uint32_t column = static_cast<uint32_t>((px - area.x) / pitch);
    uint32_t row = static_cast<uint32_t>((py - area.y) / pitch);
    if (column >= columns) return std::nullopt;
    uint64_t cell_index = uint64_t(row) * columns + column;
    if (cell_index >= cells_for(frame_count)) return std::nullopt;
    return static_cast<uint32_t>(cell_index * frames_per_cell);
}

Rect GridGeometry::cell_rect(uint32_t cell_index) const {
    if (columns == 0) return {};
    int column = static_cast<int>(cell_index % columns);
    int row = static_cast<int>(cell_index / columns);
    return {area.x + column * pitch, area.y + row * pitch, cell, cell};
}

GridGeometry fit_grid(uint32_t frame_count, Rect area, int max_cell) {
    GridGeometry grid;
    area = clamp_rect(area);
    grid.area = area;
    if (frame_count == 0 || area.w < 2 || area.h < 2) return grid;
    for (uint32_t group = 1; group != 0; group *= 2) {
        uint32_t cells = (frame_count + group - 1) / group;
        for (int cell = std::max(max_cell, 1); cell >= 1; --cell) {
            int gap = cell >= 5 ? 1 : 0;  // small cells touch; a gap would eat a third of them
            int pitch = cell + gap;
            uint32_t columns = floor_power_of_two(static_cast<uint32_t>(area.w / pitch));
            if (columns == 0) continue;
            uint32_t rows = (cells + columns - 1) / columns;
            bool fits = uint64_t(rows) * pitch <= uint64_t(area.h);
            if (fits && (cell >= 2 || group >= (1u << 31))) {
                grid.cell = cell;
                grid.pitch = pitch;
                grid.columns = columns;
                grid.rows = rows;
                grid.frames_per_cell = group;
                grid.area = {area.x, area.y, int(columns) * pitch, int(rows) * pitch};
                return grid;
            }
        }
    }
    return grid;
}

WindowLayout compute_layout(int width, int height, int char_w, int char_h, uint32_t frame_count,
                            int legend_lines) {
    WindowLayout layout;
    const int margin = 8;
    char_w = std::max(char_w, 1);
    char_h = std::max(char_h, 1);
    // Left column: console (80x25 cells plus a title line) and the counters under it.
    layout.console = {margin, margin + char_h, 80 * char_w, 25 * char_h};
    int left_width = std::max(layout.console.w, 60 * char_w);
    layout.status = clamp_rect({margin, height - margin - char_h, width - 2 * margin, char_h});
    layout.counters = clamp_rect({margin, layout.console.bottom() + margin, left_width,
                                  layout.status.y - margin - (layout.console.bottom() + margin)});
    // Right column: memory pane on top (~60 %), legend, then the virtual map.
    int right_x = margin + left_width + 2 * margin;
    int right_w = std::max(width - right_x - margin, 0);
    int right_h = std::max(layout.status.y - margin - margin, 0);
    int memory_h = right_h * 3 / 5;
    layout.memory = clamp_rect({right_x, margin, right_w, memory_h});
    // Grid: below the pane's title line, right of the 8-digit row address labels, left of the
    // legend column (the grid is height-bound, so the legend costs it little), above the hover line.
    int label_w = 9 * char_w;
    int legend_w = 30 * char_w;
    Rect grid_area = clamp_rect({right_x + label_w, margin + char_h + 2,
                                 right_w - label_w - legend_w - margin, memory_h - 2 * char_h - 4});
    layout.grid = fit_grid(frame_count, grid_area);
    int legend_x = std::max(layout.grid.area.right(), grid_area.x) + 2 * margin;
    int legend_h = std::min(std::max(layout.grid.area.h, std::max(legend_lines, 1) * char_h), grid_area.h);
    layout.legend = clamp_rect({legend_x, grid_area.y, right_x + right_w - legend_x, legend_h});
    // The hover line goes under both the grid and the legend, across the pane.
    layout.hover = clamp_rect(
        {right_x, std::max(layout.grid.area.bottom(), layout.legend.bottom()) + 2, right_w, char_h});
    int detail_y = layout.hover.bottom() + margin;
    layout.detail = clamp_rect({right_x, detail_y, right_w, layout.status.y - margin - detail_y});
    const Rect& d = layout.detail;
    layout.split = d.w >= (kVmapColumns + kAuxColumns) * char_w + 2 * margin;
    if (layout.split) {
        int vmap_w = std::max(kVmapColumns * char_w, d.w - kAuxColumns * char_w - 2 * margin);
        layout.vmap = {d.x, d.y, vmap_w, d.h};
        int aux_x = d.x + vmap_w + 2 * margin;
        layout.tabs = clamp_rect({aux_x, d.y, d.right() - aux_x, std::min(char_h, d.h)});
    } else {
        layout.tabs = clamp_rect({d.x, d.y, d.w, std::min(char_h, d.h)});
    }
    layout.aux = clamp_rect(
        {layout.tabs.x, layout.tabs.bottom() + 2, layout.tabs.w, d.bottom() - layout.tabs.bottom() - 2});
    if (!layout.split) layout.vmap = layout.aux;
    return layout;
}

}  // namespace pc386
