// Where each pane of the debug window goes, and how the physical-memory grid fits its pane. Pure
// arithmetic on pixel sizes, so it is tested without a display.
#pragma once

#include <cstdint>
#include <optional>

namespace pc386 {

struct Rect {
    int x = 0, y = 0, w = 0, h = 0;
    int right() const { return x + w; }
    int bottom() const { return y + h; }
    bool contains(int px, int py) const { return px >= x && py >= y && px < right() && py < bottom(); }
    friend bool operator==(const Rect&, const Rect&) = default;
};

// The user's view of the memory grid (Ctrl+wheel, Ctrl+plus/minus): `level` 0 shows all of RAM;
// each level up halves the memory a cell stands for, first by grouping fewer frames per cell, then
// by doubling the cell (up to kMaxZoomCell pixels). `first_row` is the top row on show when the
// grid no longer fits its pane (the wheel and Ctrl+PgUp/PgDn scroll it).
struct GridZoom {
    int level = 0;
    uint32_t first_row = 0;
    friend bool operator==(const GridZoom&, const GridZoom&) = default;
};
constexpr int kMaxZoomCell = 16;

// The memory grid: one square cell per `frames_per_cell` frames (a power of two, 1 unless RAM is too
// large for one cell per frame at the smallest size), `columns` cells per row (a power of two, so
// every row starts at a round physical address). `rows` rows are on show, from `first_row` of
// `total_rows` (all of them at zoom level 0).
struct GridGeometry {
    Rect area;      // where the cells are drawn (row address labels go left of it)
    Rect bounds;    // the room the grid was given (area is the part it uses)
    int cell = 0;   // cell side in pixels, without the gap
    int pitch = 0;  // cell + gap
    int max_cell = 12;
    uint32_t columns = 0;
    uint32_t rows = 0;
    uint32_t frames_per_cell = 1;
    int level = 0;  // the zoom level actually shown (GridZoom's, clamped to max_level)
    int max_level = 0;
    uint32_t first_row = 0, total_rows = 0;

    uint32_t cells_for(uint32_t frame_count) const {
        return (frame_count + frames_per_cell - 1) / frames_per_cell;
    }
    uint32_t frames_per_row() const { return columns * frames_per_cell; }
    // The frames on show: [first_frame, end_frame) (end clamped to frame_count).
    uint32_t first_frame() const { return first_row * frames_per_row(); }
    uint32_t end_frame(uint32_t frame_count) const;
    bool shows_all(uint32_t frame_count) const {
        return first_row == 0 && end_frame(frame_count) >= frame_count;
    }
    // The first frame of the cell under pixel (px, py), if that cell exists.
    std::optional<uint32_t> frame_at(int px, int py, uint32_t frame_count) const;
    // Whether cell `cell_index` (counted from frame 0) is on show, and where.
    bool shows_cell(uint32_t cell_index) const;
    Rect cell_rect(uint32_t cell_index) const;
};

// Fits `frame_count` frames into `area`: at zoom level 0 the biggest cell (up to `max_cell` pixels)
// for which all rows fit, frames grouped per cell below 2-pixel cells; at higher levels as GridZoom
// says, scrolled to `zoom.first_row` (clamped so the last row is at the bottom).
GridGeometry fit_grid(uint32_t frame_count, Rect area, int max_cell = 12, GridZoom zoom = {});
// The zoom `steps` levels in (negative: out) from the grid on show, keeping `anchor` (a frame: the
// one under the mouse; default the middle of the view) at the same height on screen.
GridZoom zoom_grid(const GridGeometry& shown, uint32_t frame_count, int steps,
                   std::optional<uint32_t> anchor = std::nullopt);
// The grid on show scrolled by `rows` (negative: up), kept within the rows there are.
GridZoom scroll_grid(const GridGeometry& shown, uint32_t frame_count, int64_t rows);

struct WindowLayout {
    Rect console;   // the 80x25 VGA text screen
    Rect counters;  // live counters below the console
    Rect memory;    // the physical-memory pane (title, address labels, grid)
    GridGeometry grid;
    Rect hover;   // one line under the grid: the frame under the mouse
    Rect legend;  // right of the grid
    // Below the memory pane: the detail panes. Wide windows split them in two: the processes and
    // the selected address space (vmap) on the left, a tabbed pane (frame inspector, CPU) on the
    // right (aux). Narrow ones have one tabbed pane: vmap == aux, and its tabs include the address
    // space. `tabs` is the tab bar's line (above aux).
    Rect detail;
    Rect vmap;
    Rect aux;
    Rect tabs;
    bool split = false;
    Rect status;  // the bottom line (run state, key help)
};

// Columns each detail pane needs to show its lines uncut (the inspector's hex dump is the widest).
constexpr int kVmapColumns = 62;
constexpr int kAuxColumns = 80;

// Places the panes for a window of `width` x `height` pixels and a text cell of `char_w` x `char_h`.
// `legend_lines` is how many legend entries there are. Never returns negative sizes, however small
// the window.
WindowLayout compute_layout(int width, int height, int char_w, int char_h, uint32_t frame_count,
                            int legend_lines = 22, GridZoom zoom = {});

}  // namespace pc386
