// Draws a hand-made model into a window on SDL's dummy video driver (no display needed) and reads
// the pixels back.
#include "ui/window_renderer.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace pc386 {
namespace {

class WindowRendererTest : public ::testing::Test {
  protected:
    void SetUp() override {
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        ASSERT_EQ(SDL_Init(SDL_INIT_VIDEO), 0) << SDL_GetError();
        int w, h;
        WindowRenderer::preferred_size(w, h);
        window_ = SDL_CreateWindow("test", 0, 0, w, h, 0);
        ASSERT_NE(window_, nullptr) << SDL_GetError();
        renderer_.emplace(window_);
    }
    void TearDown() override {
        renderer_.reset();
        if (window_) SDL_DestroyWindow(window_);
        SDL_Quit();
    }

    static UiModel model_with_frames() {
        UiModel model;
        model.memory.from_guest = true;
        model.memory.frames.assign(2048, FrameInfo{FrameKind::Free, 3});
        model.memory.frames[0] = {FrameKind::Kernel, 0};
        model.memory.frames[1] = {FrameKind::Slab, 64};
        model.memory.details.assign(2048, FrameDetail{});
        model.memory.paging = true;
        model.memory.cr3 = 0x5000;
        model.memory.runs = {
            {.linear = 0x400000, .physical = 0x1000, .pages = 1, .user = true, .writable = true}};
        model.memory.processes = {{.pid = 1, .name = "init", .state = "run", .cr3 = 0x5000, .current = true}};
        model.legend = build_legend(model.memory.frames);
        model.machine_counters = {{"instructions", 123456, 0, false}, {"page faults", 3, 1, true}};
        model.info_lines = {"CS:EIP 0008:c0001234"};
        model.status = "RUNNING";
        for (int i = 0; i < 5; ++i) model.console.cells[i] = {uint8_t("Hello"[i]), 0x1F};
        model.console.cursor_row = 0;
        model.console.cursor_col = 5;
        return model;
    }

    SDL_Window* window_ = nullptr;
    std::optional<WindowRenderer> renderer_;
};

TEST_F(WindowRendererTest, GivenFramesOfSeveralKinds_WhenDrawn_ThenEachGridCellHasItsKindsColour) {
    UiModel model = model_with_frames();
    renderer_->draw(model);
    GridGeometry grid = renderer_->layout(2048).grid;
    ASSERT_GT(grid.columns, 0u);
    ASSERT_EQ(grid.frames_per_cell, 1u);
    for (uint32_t frame : {0u, 1u, 2u, 2047u}) {
        Rect cell = grid.cell_rect(frame);
        auto colour = renderer_->pixel(cell.x + cell.w / 2, cell.y + cell.h / 2);
        ASSERT_TRUE(colour.has_value());
        EXPECT_EQ(*colour, frame_colour(model.memory.frames[frame])) << "frame " << frame;
    }
}

TEST_F(WindowRendererTest, GivenAConsoleCellWithABlueBackground_WhenDrawn_ThenItsCellIsBlue) {
    UiModel model = model_with_frames();
    renderer_->draw(model);
    Rect console = renderer_->layout(2048).console;
    // Top-left pixel of cell (0,0): background, not glyph ink.
    EXPECT_EQ(renderer_->pixel(console.x, console.y), (Rgb{0, 0, 0xAA}));
    // An untouched cell: black.
    EXPECT_EQ(renderer_->pixel(console.x + 40 * (console.w / 80), console.y + 10 * (console.h / 25)),
              (Rgb{0, 0, 0}));
}

TEST_F(WindowRendererTest, GivenAHostileModel_WhenDrawn_ThenNothingBreaks) {
    UiModel model;
    model.memory.frames.assign(3u << 18, FrameInfo{FrameKind::UserShared, 0xFFFFFFFF});  // 3 GiB
    model.memory.paging = true;
    model.memory.runs.assign(100000,
                             PageRun{.linear = 0xFFFFF000, .physical = 0xFFFFF000, .pages = 0xFFFFFFFF});
    model.console.cursor_row = 1000;
    model.console.cursor_col = -7;
    model.hovered_frame = 0xFFFFFFFF;
    model.machine_counters.assign(1000, {std::string(500, 'x'), ~0ull, ~0ull, true});
    renderer_->draw(model);
    renderer_->present();
    SUCCEED();
}

TEST(DescribeRun, GivenARun_ThenTheLineShowsRangeTargetAndFlags) {
    PageRun run{.linear = 0x400000,
                .physical = 0x123000,
                .pages = 2,
                .user = true,
                .writable = false,
                .accessed = true,
                .dirty = false};
    EXPECT_EQ(describe_run(run), "00400000-00401fff -> 00123000      2p U R A -");
}

TEST(DescribeFrame, GivenAGuestFrame_ThenTheLineHasAddressKindRefcountAndOwner) {
    MemoryView memory;
    memory.frames = {{FrameKind::Kernel, 0}, {FrameKind::UserShared, 3}};
    memory.details = {{1, 0}, {3, 7}};
    EXPECT_EQ(describe_frame(memory, 1), "frame 00001 (phys 00001000): CoW shared x3, refcount 3, pid 7");
    EXPECT_EQ(describe_frame(memory, 2), "");
}

}  // namespace
}  // namespace pc386

namespace pc386 {
namespace {

TEST(CompactNumber, GivenGrowingValues_ThenTheTextStaysWithinFiveCharacters) {
    EXPECT_EQ(compact_number(0), "0");
    EXPECT_EQ(compact_number(9999), "9999");
    EXPECT_EQ(compact_number(12345), "12k");
    EXPECT_EQ(compact_number(9'999'999), "9999k");
    EXPECT_EQ(compact_number(1'664'607'000), "1664M");
    EXPECT_EQ(compact_number(9'999'999'999'999ull), "9999G");
}

}  // namespace
}  // namespace pc386
