#include "ui/layout.h"

#include <gtest/gtest.h>

namespace pc386 {
namespace {

TEST(FitGrid, GivenSixteenMegabytes_ThenEveryFrameGetsItsOwnCellInsideTheArea) {
    Rect area{100, 50, 700, 500};
    GridGeometry grid = fit_grid(4096, area);
    EXPECT_EQ(grid.frames_per_cell, 1u);
    EXPECT_GE(grid.cell, 2);
    EXPECT_EQ(grid.columns & (grid.columns - 1), 0u) << "columns must be a power of two";
    EXPECT_GE(uint64_t(grid.columns) * grid.rows, 4096u);
    EXPECT_LE(grid.area.right(), area.right());
    EXPECT_LE(grid.area.bottom(), area.bottom());
    // A bigger cell would not fit: the grid uses the space.
    GridGeometry bigger = grid;
    bigger.pitch = grid.pitch + 1;
    uint32_t columns = 1;
    while (columns * 2 <= uint32_t(area.w / bigger.pitch)) columns *= 2;
    EXPECT_GT(uint64_t((4096 + columns - 1) / columns) * bigger.pitch, uint64_t(area.h));
}

TEST(FitGrid, GivenMoreFramesThanPixels_ThenFramesAreGroupedPerCell) {
    GridGeometry grid = fit_grid(3u << 18, Rect{0, 0, 256, 256});  // 3 GiB of RAM
    EXPECT_GT(grid.frames_per_cell, 1u);
    EXPECT_EQ(grid.frames_per_cell & (grid.frames_per_cell - 1), 0u);
    EXPECT_LE(uint64_t(grid.rows) * grid.pitch, 256u);
    EXPECT_GE(uint64_t(grid.columns) * grid.rows * grid.frames_per_cell, uint64_t(3u << 18));
}

TEST(FitGrid, GivenAnEmptyArea_ThenTheGridIsEmptyAndHitTestsMiss) {
    GridGeometry grid = fit_grid(4096, Rect{0, 0, 0, -5});
    EXPECT_EQ(grid.columns, 0u);
    EXPECT_FALSE(grid.frame_at(0, 0, 4096).has_value());
}

TEST(FitGrid, GivenAPixel_WhenHitTesting_ThenTheFrameUnderItIsFound) {
    GridGeometry grid = fit_grid(1000, Rect{10, 20, 640, 640});
    Rect cell = grid.cell_rect(grid.columns + 3);
    auto frame = grid.frame_at(cell.x + 1, cell.y + 1, 1000);
    ASSERT_TRUE(frame.has_value());
    EXPECT_EQ(*frame, grid.columns + 3);
    // Past the last frame, inside the grid's rectangle: no frame.
    Rect last_row = grid.cell_rect((grid.rows - 1) * grid.columns + grid.columns - 1);
    ASSERT_GT(grid.rows * grid.columns, 1000u) << "the grid has unused cells at its end";
    EXPECT_FALSE(grid.frame_at(last_row.x, last_row.y, 1000).has_value());
    EXPECT_FALSE(grid.frame_at(9, 20, 1000).has_value());
}

TEST(ComputeLayout, GivenATypicalWindow_ThenPanesDoNotOverlapAndStayInside) {
    WindowLayout layout = compute_layout(1480, 940, 8, 17, 4096);
    const Rect panes[] = {layout.console, layout.counters, layout.memory,
                          layout.legend,  layout.vmap,     layout.status};
    for (const Rect& r : panes) {
        EXPECT_GE(r.x, 0);
        EXPECT_GE(r.y, 0);
        EXPECT_LE(r.right(), 1480);
        EXPECT_LE(r.bottom(), 940);
    }
    EXPECT_LE(layout.console.bottom(), layout.counters.y);
    EXPECT_LE(layout.console.right(), layout.memory.x);
    EXPECT_LE(layout.grid.area.right(), layout.legend.x);
    EXPECT_GE(layout.legend.w, 20 * 8) << "room for legend labels";
    EXPECT_LE(layout.grid.area.bottom(), layout.vmap.y);
    EXPECT_LE(layout.legend.bottom(), layout.vmap.y);
    EXPECT_EQ(layout.grid.frames_per_cell, 1u);
    EXPECT_EQ(layout.console.w, 640);
    EXPECT_EQ(layout.console.h, 425);
}

TEST(ComputeLayout, GivenATinyWindow_ThenNoSizeIsNegative) {
    WindowLayout layout = compute_layout(50, 30, 8, 17, 4096);
    const Rect panes[] = {layout.counters, layout.memory, layout.legend,
                          layout.vmap,     layout.status, layout.grid.area};
    for (const Rect& r : panes) {
        EXPECT_GE(r.w, 0);
        EXPECT_GE(r.h, 0);
    }
}

bool overlap(const Rect& a, const Rect& b) {
    return a.w > 0 && b.w > 0 && a.h > 0 && b.h > 0 && a.x < b.right() && b.x < a.right() &&
           a.y < b.bottom() && b.y < a.bottom();
}

// The sizes a projector or a laptop gives: everything inside, nothing overlapping, square cells,
// and enough lines in the detail panes to read an address space.
void expect_usable(int width, int height, uint32_t frames, bool split) {
    SCOPED_TRACE(testing::Message() << width << "x" << height << ", " << frames << " frames");
    WindowLayout l = compute_layout(width, height, 8, 17, frames);
    const Rect panes[] = {l.console, l.counters, l.memory, l.grid.area, l.hover,
                          l.legend,  l.tabs,     l.vmap,   l.aux,       l.status};
    for (const Rect& r : panes) {
        EXPECT_GE(r.x, 0);
        EXPECT_GE(r.y, 0);
        EXPECT_LE(r.right(), width);
        EXPECT_LE(r.bottom(), height);
    }
    const Rect separate[] = {l.console, l.counters, l.grid.area, l.hover, l.legend, l.tabs, l.aux, l.status};
    for (const Rect& a : separate)
        for (const Rect& b : separate)
            if (&a != &b) {
                EXPECT_FALSE(overlap(a, b)) << a.x << "," << a.y << " vs " << b.x << "," << b.y;
            }
    EXPECT_EQ(l.split, split);
    if (split) {
        EXPECT_FALSE(overlap(l.vmap, l.aux));
        EXPECT_GE(l.vmap.w, kVmapColumns * 8);
    } else {
        EXPECT_EQ(l.vmap, l.aux) << "one tabbed pane";
    }
    EXPECT_GE(l.aux.w, std::min(kAuxColumns, kVmapColumns) * 8);
    EXPECT_GE(l.aux.h, 8 * 17) << "at least 8 lines of detail";
    EXPECT_GE(l.counters.h, 10 * 17);
    // Square cells (one side: cell), every frame on screen, at least 2 pixels a cell.
    EXPECT_GE(l.grid.cell, 2);
    EXPECT_GE(uint64_t(l.grid.columns) * l.grid.rows * l.grid.frames_per_cell, frames);
    EXPECT_EQ(l.grid.area.w, int(l.grid.columns) * l.grid.pitch);
    EXPECT_EQ(l.grid.area.h, int(l.grid.rows) * l.grid.pitch);
}

TEST(ComputeLayout, GivenA1280x720Window_ThenEverythingFitsWithOneTabbedDetailPane) {
    for (uint32_t frames : {256u, 2048u, 4096u, 16384u, 3u << 18}) expect_usable(1280, 720, frames, false);
}

TEST(ComputeLayout, GivenA1920x1080Window_ThenTheAddressSpaceAndTheInspectorSitSideBySide) {
    for (uint32_t frames : {256u, 2048u, 4096u, 16384u, 3u << 18}) expect_usable(1920, 1080, frames, true);
}

}  // namespace
}  // namespace pc386
