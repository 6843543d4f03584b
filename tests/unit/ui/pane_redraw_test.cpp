// The window re-renders only the panes whose picture changed (pane_picture.h): a model drawn again
// unchanged renders nothing and asks for no present; a change to what one pane shows renders that
// pane alone, and the canvas (what a screenshot and the screen get) shows the change.
#include <gtest/gtest.h>

#include <filesystem>

#include "ui/pane_picture.h"
#include "ui/png_file.h"
#include "ui/window_renderer.h"

namespace pc386 {
namespace {

UiModel small_machine() {
    UiModel model;
    model.memory.from_guest = true;
    model.memory.frames.assign(4096, FrameInfo{FrameKind::Free, 0});
    model.memory.frames[0] = {FrameKind::Kernel, 0};
    model.memory.details.assign(4096, FrameDetail{});
    model.memory.paging = true;
    model.legend = build_legend(model.memory.frames);
    model.machine_counters = {{"instructions", 1000, 0, false}, {"page faults", 3, 0, false}};
    model.info_lines = {"instructions 1000"};
    model.status = "RUNNING";
    return model;
}

class PaneRedraw : public ::testing::Test {
  protected:
    void SetUp() override {
        surface_ = SDL_CreateRGBSurfaceWithFormat(0, 1920, 1080, 32, SDL_PIXELFORMAT_ARGB8888);
        ASSERT_NE(surface_, nullptr);
        renderer_.emplace(surface_);
    }
    void TearDown() override {
        renderer_.reset();
        SDL_FreeSurface(surface_);
    }
    // Renders per pane since the last call.
    std::vector<uint64_t> renders_since() {
        std::vector<uint64_t> delta;
        for (size_t p = 0; p < size_t(Pane::Count); ++p) {
            const uint64_t now = renderer_->pane_renders(Pane(p));
            delta.push_back(now - last_[p]);
            last_[p] = now;
        }
        return delta;
    }
    static std::vector<uint64_t> only(Pane pane) {
        std::vector<uint64_t> v(size_t(Pane::Count), 0);
        v[size_t(pane)] = 1;
        return v;
    }
    Rgb cell_pixel(uint32_t frame) {
        const GridGeometry& grid = renderer_->grid();
        const Rect r = grid.cell_rect(frame / grid.frames_per_cell);
        return renderer_->pixel(r.x + r.w / 2, r.y + r.h / 2).value();
    }

    SDL_Surface* surface_ = nullptr;
    std::optional<WindowRenderer> renderer_;
    uint64_t last_[size_t(Pane::Count)] = {};
};

TEST_F(PaneRedraw, GivenAPictureOnShow_WhenTheSameModelIsDrawnAgain_ThenNoPaneIsRendered) {
    UiModel model = small_machine();
    EXPECT_TRUE(renderer_->draw(model)) << "the first picture renders every pane";
    for (uint64_t n : renders_since()) EXPECT_LE(n, 1u);
    EXPECT_FALSE(renderer_->draw(model)) << "nothing changed: nothing to present";
    EXPECT_EQ(renders_since(), std::vector<uint64_t>(size_t(Pane::Count), 0));
}

TEST_F(PaneRedraw, GivenAPictureOnShow_WhenOnlyTheConsoleChanges_ThenOnlyTheConsoleIsRendered) {
    UiModel model = small_machine();
    renderer_->draw(model);
    renders_since();
    model.console.cells[0] = {' ', 0x1F};  // blue background
    EXPECT_TRUE(renderer_->draw(model));
    EXPECT_EQ(renders_since(), only(Pane::Console));
    const WindowLayout l = renderer_->layout(4096);
    EXPECT_EQ(renderer_->pixel(l.console.x + 1, l.console.y + 1), (Rgb{0, 0, 0xAA}))
        << "the new cell is on the canvas";
}

TEST_F(PaneRedraw, GivenAPictureOnShow_WhenAFrameChangesKind_ThenOnlyTheMemoryPaneIsRendered) {
    UiModel model = small_machine();
    renderer_->draw(model);
    renders_since();
    const Rgb free_colour = cell_pixel(100);
    model.memory.frames[100] = {FrameKind::PageTable, 0};
    EXPECT_TRUE(renderer_->draw(model));
    EXPECT_EQ(renders_since(), only(Pane::Memory));
    EXPECT_NE(cell_pixel(100), free_colour);
    EXPECT_EQ(cell_pixel(100), frame_colour({FrameKind::PageTable, 0}));
    EXPECT_EQ(cell_pixel(101), free_colour) << "its neighbour kept its colour";
}

TEST_F(PaneRedraw, GivenAPictureOnShow_WhenACounterChanges_ThenOnlyTheCountersAreRendered) {
    UiModel model = small_machine();
    renderer_->draw(model);
    renders_since();
    model.machine_counters[1].value = 4;
    EXPECT_TRUE(renderer_->draw(model));
    EXPECT_EQ(renders_since(), only(Pane::Counters));
}

TEST_F(PaneRedraw, GivenAPictureOnShow_WhenTheMouseMovesOntoAFrame_ThenTheHoverLineAndTheGridAreRendered) {
    UiModel model = small_machine();
    renderer_->draw(model);
    renders_since();
    model.hovered_frame = 7;  // the line under the grid describes it, the grid outlines it
    EXPECT_TRUE(renderer_->draw(model));
    std::vector<uint64_t> expected(size_t(Pane::Count), 0);
    expected[size_t(Pane::Memory)] = expected[size_t(Pane::Hover)] = 1;
    EXPECT_EQ(renders_since(), expected);
}

// The canvas after a sequence of pictures is the picture a fresh window draws of the last model:
// nothing of an earlier picture survives, even where panes moved a little (the legend grew by one
// entry and pushed the hover line and the tabs down by a line, leaving the old tab line in the gap
// between the new hover line and the new tabs) or a tab changed.
TEST(PaneRedrawCanvas, GivenPanesThatMoveAndChange_ThenTheCanvasEqualsAFreshDrawingOfTheLastModel) {
    auto with_legend = [](size_t entries) {
        UiModel model = small_machine();
        model.legend.clear();
        for (size_t i = 0; i < entries; ++i)
            model.legend.push_back(
                {{uint8_t(40 + 8 * i), 90, 200}, "kind " + std::to_string(i), uint32_t(i)});
        return model;
    };
    struct Picture {
        std::vector<uint32_t> pixels;
        int hover_y = 0;
    };
    // Draws `models` one after the other; the canvas as a PNG read back (when `pixels`).
    auto picture = [](const std::vector<UiModel>& models, bool pixels = true) {
        SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, 1280, 720, 32, SDL_PIXELFORMAT_ARGB8888);
        EXPECT_NE(surface, nullptr);
        Picture p;
        {
            WindowRenderer renderer(surface);
            for (const UiModel& model : models) renderer.draw(model);
            p.hover_y = renderer.layout(4096).hover.y;
            const auto path = std::filesystem::temp_directory_path() / "pc386_pane_redraw.png";
            std::string error;
            if (pixels && renderer.save_picture(path.string()))
                p.pixels = read_png(path.string(), error).argb;
        }
        SDL_FreeSurface(surface);
        return p;
    };
    // The smallest legend whose next entry moves the panes under it (the legend's room only grows,
    // so one window finds it, drawing longer and longer legends).
    size_t entries = 0;
    {
        SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, 1280, 720, 32, SDL_PIXELFORMAT_ARGB8888);
        ASSERT_NE(surface, nullptr);
        {
            WindowRenderer renderer(surface);
            renderer.draw(with_legend(1));
            const int hover_y = renderer.layout(4096).hover.y;
            for (size_t k = 2; k < 40 && !entries; ++k) {
                renderer.draw(with_legend(k));
                if (renderer.layout(4096).hover.y != hover_y) entries = k - 1;
            }
        }
        SDL_FreeSurface(surface);
    }
    ASSERT_GT(entries, 0u);
    UiModel first = with_legend(entries);
    first.tab = DetailTab::Cpu;
    first.cpu_lines = {{"EAX=00000001 EBX=00000002", PaneLine::Style::Text}};
    UiModel last = with_legend(entries + 1);
    last.tab = DetailTab::Frame;
    last.frame_lines = {{"Frame 00005", PaneLine::Style::Title}};
    last.console.cells[0] = {'#', 0x4E};
    const Picture incremental = picture({first, last});
    const Picture fresh = picture({last});
    ASSERT_GT(fresh.hover_y, picture({first}, false).hover_y) << "the panes moved";
    ASSERT_EQ(fresh.pixels.size(), 1280u * 720u);
    ASSERT_EQ(incremental.pixels.size(), fresh.pixels.size());
    size_t differing = 0;
    for (size_t i = 0; i < fresh.pixels.size(); ++i) differing += incremental.pixels[i] != fresh.pixels[i];
    EXPECT_EQ(differing, 0u) << "pixels that differ from a fresh drawing";
}

TEST(PanePicture, GivenTwoRecordings_ThenTheirFingerprintsDifferExactlyWhenTheirPicturesDo) {
    auto record = [](const char* text, Rgb colour, int x) {
        PanePicture p;
        p.clear();
        p.fill({0, 0, 10, 10}, {1, 2, 3});
        p.draw_text(text, x, 5, colour);
        return p.fingerprint();
    };
    EXPECT_EQ(record("page faults 3", {200, 200, 200}, 8), record("page faults 3", {200, 200, 200}, 8));
    EXPECT_NE(record("page faults 3", {200, 200, 200}, 8), record("page faults 4", {200, 200, 200}, 8));
    EXPECT_NE(record("page faults 3", {200, 200, 200}, 8), record("page faults 3", {255, 255, 0}, 8));
    EXPECT_NE(record("page faults 3", {200, 200, 200}, 8), record("page faults 3", {200, 200, 200}, 9));
    PanePicture p;
    p.clear();
    const int end = p.draw_text("abc", 10, 0, {});
    EXPECT_EQ(end, 10 + 3 * p.char_w()) << "text advances by the cell, as TextAtlas's does";
}

}  // namespace
}  // namespace pc386
