// The LRU mode of the frame grid: each list and HighMem get their own colour, the legend counts
// frames per list, and the renderer paints the grid with it when the switch is on.
#include "ui/lru_palette.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <set>
#include <tuple>

#include "ui/window_renderer.h"

namespace pc386 {
namespace {

FrameDetail on_list(uint8_t lru, uint8_t zone = 1) {
    FrameDetail d;
    d.zone = zone;
    d.lru = lru;
    d.has_vm = true;
    return d;
}

TEST(LruPalette, GivenFramesOnEachListAndZone_ThenEachHasItsOwnColour) {
    std::set<std::tuple<uint8_t, uint8_t, uint8_t>> colours;
    for (uint8_t zone : {1, 2})
        for (uint8_t lru = 0; lru < 4; ++lru) {
            Rgb c = lru_colour(on_list(lru, zone));
            colours.insert({c.r, c.g, c.b});
        }
    EXPECT_EQ(colours.size(), 8u) << "four lists, low and high memory";
    EXPECT_EQ(lru_colour(on_list(1, 0)), lru_colour(on_list(1, 1))) << "DMA and Normal are both low memory";
    EXPECT_EQ(lru_colour(on_list(9)), lru_colour(on_list(0))) << "an unknown list counts as none";
}

TEST(LruPalette, GivenFramesOnEachList_ThenTheLegendCountsThemInAgingOrder) {
    std::vector<FrameDetail> details = {on_list(1), on_list(1), on_list(2), on_list(3),
                                        on_list(3), on_list(3), on_list(0), on_list(2, 2)};
    std::vector<LegendEntry> legend = lru_legend(details);
    ASSERT_EQ(legend.size(), 5u);
    EXPECT_EQ(legend[0].label, "active");
    EXPECT_EQ(legend[0].frames, 2u);
    EXPECT_EQ(legend[1].label, "inactive_dirty");
    EXPECT_EQ(legend[1].frames, 1u);
    EXPECT_EQ(legend[2].label, "inactive_clean");
    EXPECT_EQ(legend[2].frames, 3u);
    EXPECT_EQ(legend[3].label, "no LRU list");
    EXPECT_EQ(legend[3].frames, 1u);
    EXPECT_EQ(legend[4].label, "inactive_dirty, HighMem");
    EXPECT_EQ(legend[4].frames, 1u);
    EXPECT_EQ(legend[4].colour, lru_colour(on_list(2, 2)));
}

TEST(LruPalette, GivenACellOfSeveralFrames_ThenItTakesTheCommonestColour) {
    std::vector<FrameDetail> details = {on_list(0), on_list(3), on_list(3), on_list(1)};
    EXPECT_EQ(lru_cell_colour(details, 0, 4), lru_colour(on_list(3)));
    EXPECT_EQ(lru_cell_colour(details, 3, 4), lru_colour(on_list(1))) << "a short last cell";
}

TEST(LruPalette, GivenTheLruSwitchOn_WhenDrawn_ThenGridCellsHaveTheirListsColour) {
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    ASSERT_EQ(SDL_Init(SDL_INIT_VIDEO), 0) << SDL_GetError();
    int w, h;
    WindowRenderer::preferred_size(w, h);
    SDL_Window* window = SDL_CreateWindow("test", 0, 0, w, h, 0);
    ASSERT_NE(window, nullptr) << SDL_GetError();
    {
        WindowRenderer renderer(window);
        UiModel model;
        model.memory.from_guest = true;
        model.memory.frames.assign(2048, FrameInfo{FrameKind::UserAnon, 0});
        model.memory.details.assign(2048, on_list(0));
        model.memory.details[0] = on_list(1);
        model.memory.details[1] = on_list(2);
        model.memory.details[2] = on_list(3);
        model.memory.details[2047] = on_list(1, 2);
        model.run.lru_map = true;
        model.legend = lru_legend(model.memory.details);
        renderer.draw(model);
        GridGeometry grid = renderer.layout(2048).grid;
        ASSERT_EQ(grid.frames_per_cell, 1u);
        for (uint32_t frame : {0u, 1u, 2u, 3u, 2047u}) {
            Rect cell = grid.cell_rect(frame);
            auto colour = renderer.pixel(cell.x + cell.w / 2, cell.y + cell.h / 2);
            ASSERT_TRUE(colour.has_value());
            EXPECT_EQ(*colour, lru_colour(model.memory.details[frame])) << "frame " << frame;
        }
        const std::string text = renderer.text_dump(model);
        EXPECT_NE(text.find("Ctrl+L LRU: on"), std::string::npos) << text;
        EXPECT_NE(text.find("inactive_clean"), std::string::npos) << text;
    }
    SDL_DestroyWindow(window);
    SDL_Quit();
}

}  // namespace
}  // namespace pc386
