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

uint32_t GridGeometry::end_frame(uint32_t frame_count) const {
    const uint64_t end = uint64_t(first_row + rows) * frames_per_row();
    return uint32_t(std::min<uint64_t>(end, frame_count));
}

std::optional<uint32_t> GridGeometry::frame_at(int px, int py, uint32_t frame_count) const {
    if (!area.contains(px, py) || pitch <= 0) return std::nullopt;
    uint32_t column = static_cast<uint32_t>((px - area.x) / pitch);
    uint32_t row = static_cast<uint32_t>((py - area.y) / pitch);
    if (column >= columns || row >= rows) return std::nullopt;
    uint64_t cell_index = uint64_t(first_row + row) * columns + column;
    if (cell_index >= cells_for(frame_count)) return std::nullopt;
    return static_cast<uint32_t>(cell_index * frames_per_cell);
}

bool GridGeometry::shows_cell(uint32_t cell_index) const {
    if (columns == 0) return false;
    const uint32_t row = cell_index / columns;
    return row >= first_row && row - first_row < rows;
}

Rect GridGeometry::cell_rect(uint32_t cell_index) const {
    if (columns == 0) return {};
    int column = static_cast<int>(cell_index % columns);
    int row = static_cast<int>(int64_t(cell_index / columns) - int64_t(first_row));
    return {area.x + column * pitch, area.y + row * pitch, cell, cell};
}

namespace {

// Everything at once: the biggest cell that fits, grouping frames when even 2-pixel cells do not.
GridGeometry fit_whole(uint32_t frame_count, Rect area, int max_cell) {
    GridGeometry grid;
    area = clamp_rect(area);
    grid.area = grid.bounds = area;
    grid.max_cell = max_cell;
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
                grid.rows = grid.total_rows = rows;
                grid.frames_per_cell = group;
                grid.area = {area.x, area.y, int(columns) * pitch, int(rows) * pitch};
                return grid;
            }
        }
    }
    return grid;
}

// One zoom step in: fewer frames per cell while a cell groups several, then a bigger cell.
bool zoom_in_once(uint32_t& frames_per_cell, int& cell) {
    if (frames_per_cell > 1) {
        frames_per_cell /= 2;
        return true;
    }
    if (cell >= kMaxZoomCell) return false;
    cell = std::min(cell * 2, kMaxZoomCell);
    return true;
}

}  // namespace

GridGeometry fit_grid(uint32_t frame_count, Rect area, int max_cell, GridZoom zoom) {
    GridGeometry grid = fit_whole(frame_count, area, max_cell);
    if (grid.columns == 0) return grid;
    // How far in one can go from here.
    uint32_t frames_per_cell = grid.frames_per_cell;
    int cell = grid.cell;
    while (zoom_in_once(frames_per_cell, cell)) ++grid.max_level;
    const int level = std::clamp(zoom.level, 0, grid.max_level);
    if (level == 0) return grid;
    frames_per_cell = grid.frames_per_cell;
    cell = grid.cell;
    for (int i = 0; i < level; ++i) zoom_in_once(frames_per_cell, cell);
    const Rect bounds = grid.bounds;
    grid.level = level;
    grid.cell = cell;
    grid.pitch = cell + (cell >= 5 ? 1 : 0);
    grid.frames_per_cell = frames_per_cell;
    grid.columns = std::max(1u, floor_power_of_two(static_cast<uint32_t>(bounds.w / grid.pitch)));
    grid.total_rows = (grid.cells_for(frame_count) + grid.columns - 1) / grid.columns;
    grid.rows = std::min<uint32_t>(grid.total_rows, uint32_t(std::max(1, bounds.h / grid.pitch)));
    grid.first_row = std::min(zoom.first_row, grid.total_rows - grid.rows);
    grid.area = {bounds.x, bounds.y, int(grid.columns) * grid.pitch, int(grid.rows) * grid.pitch};
    return grid;
}

GridZoom zoom_grid(const GridGeometry& shown, uint32_t frame_count, int steps,
                   std::optional<uint32_t> anchor) {
    if (shown.columns == 0 || frame_count == 0) return {};
    // The anchor frame and how far down the grid it is on screen (pixels).
    int anchor_y = (int(shown.rows) / 2) * shown.pitch;
    uint32_t frame = shown.first_frame() + (shown.rows / 2) * shown.frames_per_row();
    if (anchor && *anchor < frame_count && shown.shows_cell(*anchor / shown.frames_per_cell)) {
        frame = *anchor;
        anchor_y = int(*anchor / shown.frames_per_row() - shown.first_row) * shown.pitch;
    }
    frame = std::min(frame, frame_count - 1);
    const int level = std::clamp(shown.level + steps, 0, shown.max_level);
    const GridGeometry zoomed = fit_grid(frame_count, shown.bounds, shown.max_cell, {level, 0});
    const uint32_t row = frame / zoomed.frames_per_row();
    const uint32_t rows_above = uint32_t(anchor_y / std::max(1, zoomed.pitch));
    return {level, row > rows_above ? row - rows_above : 0};
}

GridZoom scroll_grid(const GridGeometry& shown, uint32_t frame_count, int64_t rows) {
    const GridZoom zoom{shown.level, uint32_t(std::clamp<int64_t>(int64_t(shown.first_row) + rows, 0,
                                                                  int64_t(shown.total_rows)))};
    // fit_grid keeps the last row at the bottom: store what it shows, so scrolling back moves at once.
    return {zoom.level, fit_grid(frame_count, shown.bounds, shown.max_cell, zoom).first_row};
}

WindowLayout compute_layout(int width, int height, int char_w, int char_h, uint32_t frame_count,
                            int legend_lines, GridZoom zoom) {
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
    // The panes around the grid are placed for all of RAM at once, so that zooming moves nothing
    // but the cells; a zoomed grid gets the same box.
    const GridGeometry whole = fit_grid(frame_count, grid_area);
    int legend_x = std::max(whole.area.right(), grid_area.x) + 2 * margin;
    int legend_h = std::min(std::max(whole.area.h, std::max(legend_lines, 1) * char_h), grid_area.h);
    layout.legend = clamp_rect({legend_x, grid_area.y, right_x + right_w - legend_x, legend_h});
    // The hover line goes under both the grid and the legend, across the pane.
    layout.hover =
        clamp_rect({right_x, std::max(whole.area.bottom(), layout.legend.bottom()) + 2, right_w, char_h});
    layout.grid =
        fit_grid(frame_count, Rect{grid_area.x, grid_area.y, whole.area.w, layout.hover.y - 2 - grid_area.y},
                 12, zoom);
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
