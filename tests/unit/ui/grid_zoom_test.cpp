// The memory grid's zoom (layout.h: fit_grid with a GridZoom, zoom_grid, scroll_grid): which frames a
// cell stands for at each level, which frame a click lands on, and that zooming keeps the frame under
// the mouse where it was. 256 MiB and 1 GiB are the sizes where all of RAM at once makes cells too
// small to read or to click.
#include <gtest/gtest.h>

#include "ui/layout.h"

namespace pc386 {
namespace {

constexpr uint32_t k256MiB = 65536, k1GiB = 262144;  // frames
const Rect kBox{100, 40, 560, 520};                  // the grid's room at 1920x1080

// The frame under the middle of cell `cell_index` (which must be on show).
std::optional<uint32_t> click(const GridGeometry& grid, uint32_t cell_index, uint32_t frames) {
    EXPECT_TRUE(grid.shows_cell(cell_index)) << "cell " << cell_index;
    const Rect r = grid.cell_rect(cell_index);
    return grid.frame_at(r.x + r.w / 2, r.y + r.h / 2, frames);
}

TEST(GridZoom, GivenOneGibibyte_AtLevelZero_ThenEveryFrameIsOnShowSeveralToACell) {
    GridGeometry grid = fit_grid(k1GiB, kBox);
    EXPECT_EQ(grid.level, 0);
    EXPECT_GT(grid.frames_per_cell, 1u) << "1 GiB does not fit one frame per cell in 560x520";
    EXPECT_TRUE(grid.shows_all(k1GiB));
    EXPECT_EQ(grid.first_frame(), 0u);
    EXPECT_EQ(grid.end_frame(k1GiB), k1GiB);
    EXPECT_GT(grid.max_level, 0);
    // A click on cell 5 lands on the first of its frames.
    EXPECT_EQ(click(grid, 5, k1GiB), 5 * grid.frames_per_cell);
}

TEST(GridZoom, GivenOneGibibyte_WhenZoomingIn_ThenCellsFirstHoldFewerFramesThenGrow) {
    const GridGeometry whole = fit_grid(k1GiB, kBox);
    uint32_t frames_per_cell = whole.frames_per_cell;
    int cell = whole.cell;
    for (int level = 1; level <= whole.max_level; ++level) {
        GridGeometry grid = fit_grid(k1GiB, kBox, 12, {level, 0});
        EXPECT_EQ(grid.level, level);
        if (frames_per_cell > 1) {
            EXPECT_EQ(grid.frames_per_cell, frames_per_cell / 2) << "level " << level;
            EXPECT_EQ(grid.cell, cell);
        } else {
            EXPECT_EQ(grid.frames_per_cell, 1u);
            EXPECT_EQ(grid.cell, std::min(cell * 2, kMaxZoomCell)) << "level " << level;
        }
        frames_per_cell = grid.frames_per_cell;
        cell = grid.cell;
        // The view starts at frame 0, shows whole rows, and stays inside its box.
        EXPECT_FALSE(grid.shows_all(k1GiB));
        EXPECT_EQ(grid.first_frame(), 0u);
        EXPECT_EQ(grid.end_frame(k1GiB), grid.rows * grid.frames_per_row());
        EXPECT_LE(grid.area.right(), kBox.right());
        EXPECT_LE(grid.area.bottom(), kBox.bottom());
        EXPECT_EQ(grid.columns & (grid.columns - 1), 0u) << "rows start at round addresses";
    }
    EXPECT_EQ(cell, kMaxZoomCell);
    EXPECT_EQ(frames_per_cell, 1u);
    // Past the last level nothing changes.
    EXPECT_EQ(fit_grid(k1GiB, kBox, 12, {whole.max_level + 3, 0}).level, whole.max_level);
}

TEST(GridZoom, GivenAScrolledZoomedGrid_WhenClicking_ThenTheFrameUnderTheMouseIsPicked) {
    GridGeometry grid = fit_grid(k256MiB, kBox, 12, {2, 100});
    ASSERT_EQ(grid.frames_per_cell, 1u);
    ASSERT_EQ(grid.first_row, 100u);
    // The top-left cell is the first frame of row 100, the next row's first cell one row of frames on.
    EXPECT_EQ(grid.frame_at(grid.area.x, grid.area.y, k256MiB), 100 * grid.columns);
    EXPECT_EQ(grid.frame_at(grid.area.x, grid.area.y + grid.pitch, k256MiB), 101 * grid.columns);
    const uint32_t frame = 100 * grid.columns + 7;
    EXPECT_EQ(click(grid, frame, k256MiB), frame);
    // Rows above the view are not on show; a click below the last row shown hits nothing.
    EXPECT_FALSE(grid.shows_cell(99 * grid.columns));
    EXPECT_FALSE(grid.frame_at(grid.area.x, grid.area.bottom(), k256MiB).has_value());
}

TEST(GridZoom, GivenTheMouseOverAFrame_WhenZoomingInAndOut_ThenThatFrameStaysUnderIt) {
    const uint32_t frames = k1GiB;
    GridGeometry grid = fit_grid(frames, kBox);
    const uint32_t anchor = 0x2a000;  // 672 MiB
    int y_before = grid.cell_rect(anchor / grid.frames_per_cell).y;
    for (int step = 0; step < 4; ++step) {
        GridZoom zoom = zoom_grid(grid, frames, 1, anchor);
        grid = fit_grid(frames, kBox, 12, zoom);
        ASSERT_TRUE(grid.shows_cell(anchor / grid.frames_per_cell)) << "level " << grid.level;
        const Rect r = grid.cell_rect(anchor / grid.frames_per_cell);
        EXPECT_NEAR(r.y, y_before, grid.pitch) << "level " << grid.level;  // within a row of where it was
        EXPECT_EQ(grid.frame_at(r.x, r.y, frames).value() / grid.frames_per_cell,
                  anchor / grid.frames_per_cell);
        y_before = r.y;
    }
    // Out again, all the way: all of RAM, from frame 0.
    grid = fit_grid(frames, kBox, 12, zoom_grid(grid, frames, -grid.max_level, anchor));
    EXPECT_EQ(grid.level, 0);
    EXPECT_TRUE(grid.shows_all(frames));
}

TEST(GridZoom, GivenAZoomedGrid_WhenScrolled_ThenItStaysWithinTheRowsThereAre) {
    GridGeometry grid = fit_grid(k256MiB, kBox, 12, {3, 0});
    ASSERT_GT(grid.total_rows, grid.rows);
    GridZoom down = scroll_grid(grid, k256MiB, 1'000'000);
    EXPECT_EQ(down.first_row, grid.total_rows - grid.rows) << "the last row at the bottom";
    GridGeometry bottom = fit_grid(k256MiB, kBox, 12, down);
    EXPECT_EQ(bottom.end_frame(k256MiB), k256MiB);
    // Back up by one row moves at once (the position kept is the one shown, not one past the end).
    EXPECT_EQ(scroll_grid(bottom, k256MiB, -1).first_row, down.first_row - 1);
    EXPECT_EQ(scroll_grid(bottom, k256MiB, -1'000'000).first_row, 0u);
}

TEST(GridZoom, GivenSixteenMebibytes_ThenZoomingOnlyGrowsTheCellsToTheLargest) {
    GridGeometry whole = fit_grid(4096, kBox);
    ASSERT_EQ(whole.frames_per_cell, 1u);
    GridGeometry top = fit_grid(4096, kBox, 12, {whole.max_level, 0});
    EXPECT_EQ(top.cell, kMaxZoomCell);
    EXPECT_EQ(top.frames_per_cell, 1u);
}

TEST(ComputeLayout, GivenAZoomedGrid_ThenOnlyTheCellsChangeNotThePanesAroundThem) {
    const WindowLayout whole = compute_layout(1920, 1080, 8, 17, k256MiB);
    const WindowLayout zoomed = compute_layout(1920, 1080, 8, 17, k256MiB, 22, {2, 50});
    EXPECT_EQ(zoomed.legend, whole.legend);
    EXPECT_EQ(zoomed.hover, whole.hover);
    EXPECT_EQ(zoomed.vmap, whole.vmap);
    EXPECT_LE(zoomed.grid.area.right(), whole.legend.x);
    EXPECT_LE(zoomed.grid.area.bottom(), whole.hover.y);
    EXPECT_EQ(zoomed.grid.level, 2);
    EXPECT_EQ(zoomed.grid.first_row, 50u);
}

}  // namespace
}  // namespace pc386
