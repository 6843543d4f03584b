// The whole window drawn off screen (SDL's software renderer on a surface: no display) at the
// sizes a laptop and a projector give, read back from the PNG screenshot: frames have their kind's
// colour, the selected process is highlighted and its address space lists its mappings.
#include <gtest/gtest.h>

#include <filesystem>

#include "ui/png_file.h"
#include "ui/window_renderer.h"

namespace pc386 {
namespace {

UiModel model_with_processes() {
    UiModel model;
    model.memory.from_guest = true;
    model.memory.frames.assign(2048, FrameInfo{FrameKind::Free, 9});
    model.memory.frames[0x100] = {FrameKind::Kernel, 0};
    model.memory.frames[0x101] = {FrameKind::Slab, 64};
    model.memory.frames[0x150] = {FrameKind::UserShared, 2};
    model.memory.details.assign(2048, FrameDetail{});
    model.memory.paging = true;
    model.memory.cr3 = 0x140000;
    model.memory.processes = {{.pid = 1, .name = "init", .state = "sleep", .cr3 = 0x154000},
                              {.pid = 3, .name = "sh", .state = "run", .cr3 = 0x162000, .current = true}};
    model.legend = build_legend(model.memory.frames);
    model.selected_pid = 1;
    model.space.cr3 = 0x154000;
    model.space.owner = "pid 1 init";
    model.space.readable = true;
    model.space.runs = {
        {.kind = VmRun::Kind::Present, .linear = 0x400000, .pages = 2, .value = 0x164000, .user = true},
        {.kind = VmRun::Kind::Swapped, .linear = 0x40000000, .pages = 1, .value = 7}};
    model.selected_frame = 0x150;
    model.frame_lines = {{"Frame 00150", PaneLine::Style::Title}};
    model.status = "RUNNING";
    return model;
}

struct Picture {
    PngImage image;
    WindowLayout layout;
    std::optional<WindowRenderer::Hit> hit_at_selected_row;
    Rect selected_row;
};

// Draws `model` at width x height, saves it as PNG and reads it back.
Picture draw(const UiModel& model, int width, int height) {
    Picture picture;
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
    EXPECT_NE(surface, nullptr);
    {
        WindowRenderer renderer(surface);
        renderer.draw(model);
        picture.layout = renderer.layout(uint32_t(model.memory.frames.size()));
        // Find the selected process's row by hit-testing down the detail pane.
        for (int y = picture.layout.vmap.y; y < picture.layout.vmap.bottom(); ++y) {
            auto hit = renderer.hit_test(picture.layout.vmap.x + 4, y, 2048);
            if (hit && hit->kind == WindowRenderer::Hit::Kind::Process && hit->value == 1) {
                picture.hit_at_selected_row = hit;
                picture.selected_row = {picture.layout.vmap.x, y, 4, 1};
                break;
            }
        }
        auto path =
            std::filesystem::temp_directory_path() / ("pc386_sizes_" + std::to_string(width) + ".png");
        EXPECT_TRUE(renderer.save_picture(path.string()));
        std::string error;
        picture.image = read_png(path.string(), error);
        EXPECT_EQ(picture.image.width, width) << error;
    }
    SDL_FreeSurface(surface);
    return picture;
}

uint32_t rgb(Rgb c) {
    return uint32_t(c.r) << 16 | uint32_t(c.g) << 8 | c.b;
}

class WindowSizes : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(WindowSizes, GivenKnownFrames_WhenTheWindowIsSavedAsPng_ThenEachCellHasItsKindsColour) {
    auto [w, h] = GetParam();
    UiModel model = model_with_processes();
    Picture p = draw(model, w, h);
    ASSERT_GT(p.image.width, 0);
    const GridGeometry& grid = p.layout.grid;
    ASSERT_EQ(grid.frames_per_cell, 1u);
    EXPECT_EQ(grid.cell_rect(0).w, grid.cell_rect(0).h) << "square cells";
    for (uint32_t frame : {0x100u, 0x101u, 0x150u, 0x7FFu}) {
        if (frame == 0x150) continue;  // outlined as the selected frame; its centre is still its colour
        Rect cell = grid.cell_rect(frame);
        EXPECT_EQ(p.image.at(cell.x + cell.w / 2, cell.y + cell.h / 2),
                  rgb(frame_colour(model.memory.frames[frame])))
            << "frame " << frame;
    }
    Rect selected = grid.cell_rect(0x150);
    EXPECT_EQ(p.image.at(selected.x + selected.w / 2, selected.y + selected.h / 2),
              rgb(frame_colour({FrameKind::UserShared, 2})));
    EXPECT_EQ(p.image.at(selected.x - 2, selected.y + selected.h / 2), rgb({255, 210, 60}))
        << "the selected frame is outlined";
}

TEST_P(WindowSizes, GivenASelectedProcess_ThenItsRowIsHighlightedAndClickable) {
    auto [w, h] = GetParam();
    Picture p = draw(model_with_processes(), w, h);
    ASSERT_TRUE(p.hit_at_selected_row.has_value()) << "no clickable row for pid 1";
    EXPECT_EQ(p.image.at(p.selected_row.x + 1, p.selected_row.y + 1), rgb({40, 60, 110}));
}

INSTANTIATE_TEST_SUITE_P(LaptopAndProjector, WindowSizes,
                         ::testing::Values(std::make_pair(1280, 720), std::make_pair(1920, 1080)));

TEST(AddressSpaceLines, GivenTheSelectedProcessesSpace_ThenTheLinesListItsMappingsAndExplainTheFlags) {
    UiModel model = model_with_processes();
    std::vector<PaneLine> lines = address_space_lines(model.space);
    auto has = [&](const std::string& text) {
        for (const PaneLine& line : lines)
            if (line.text.find(text) != std::string::npos) return true;
        return false;
    };
    EXPECT_TRUE(has("Address space of pid 1 init (CR3 00154000)"));
    EXPECT_TRUE(has("00400000-00401fff     2p -> 00164000  U R - -"));
    EXPECT_TRUE(has("40000000-40000fff     1p swapped out, slot 7"));
    EXPECT_TRUE(has("U = user, S = kernel only"));
    EXPECT_TRUE(has("CoW = shared copy-on-write"));
    EXPECT_TRUE(has("kernel part: none mapped"));
}

}  // namespace
}  // namespace pc386

namespace pc386 {
namespace {

// A model whose timeline has a swap-out at the middle of its range on the "swap" track.
UiModel model_with_timeline(DetailTab tab) {
    UiModel model = model_with_processes();
    model.tab = tab;
    model.aux_tab = DetailTab::Timeline;
    Event swap_out;
    swap_out.icount = 5'000;
    swap_out.kind = EventKind::SwapOut;
    swap_out.a = 0x40000000;
    swap_out.b = 0x150;
    swap_out.d = 1;
    model.timeline.start = 0;
    model.timeline.end = 10'000;
    model.timeline.events = {swap_out};
    TimelineTrack swap;
    swap.label = "swap";
    swap.marks = {{5'000, EventKind::SwapOut, 0}};
    model.timeline.tracks = {swap};
    model.timeline.recent = {0};
    model.timeline_list = {"#5000 pid 1 (init) swap-out addr=0x40000000 frame=0x150 slot=0x7 owner=1"};
    return model;
}

TEST_P(WindowSizes, GivenASwapOutOnTheTimeline_ThenItsMarkHasItsColourAndAClickSelectsIt) {
    auto [w, h] = GetParam();
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    ASSERT_NE(surface, nullptr);
    {
        WindowRenderer renderer(surface);
        UiModel model = model_with_timeline(DetailTab::Timeline);
        renderer.draw(model);
        const Rect strip = renderer.timeline_strip();
        ASSERT_GT(strip.w, 100) << "the timeline is on show at " << w << "x" << h;
        ASSERT_GT(strip.h, 0);
        const int x = strip.x + strip.w / 2, y = strip.y + strip.h / 2;  // the middle of the swap track
        EXPECT_EQ(renderer.pixel(x, y), event_colour(EventKind::SwapOut));
        auto hit = renderer.hit_test(x, y, 2048);
        ASSERT_TRUE(hit.has_value());
        EXPECT_EQ(hit->kind, WindowRenderer::Hit::Kind::TimelineEvent);
        EXPECT_EQ(hit->value, 0u);
        // The buttons: F8 and F11 are on screen and clickable.
        bool next_event = false, break_on = false;
        for (int bx = strip.x - 200; bx < strip.right(); bx += 4)
            for (int by = strip.y - 60; by < strip.y; by += 4)
                if (auto b = renderer.hit_test(bx, by, 2048);
                    b && b->kind == WindowRenderer::Hit::Kind::Control) {
                    next_event |= b->value == uint32_t(WindowControl::NextEvent);
                    break_on |= b->value == uint32_t(WindowControl::BreakOnEvents);
                }
        EXPECT_TRUE(next_event && break_on) << "F8 and F11 buttons above the tracks";
    }
    SDL_FreeSurface(surface);
}

TEST_P(WindowSizes, GivenThePageTableTree_ThenADirectoryEntryLineIsClickable) {
    auto [w, h] = GetParam();
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    ASSERT_NE(surface, nullptr);
    {
        WindowRenderer renderer(surface);
        UiModel model = model_with_processes();
        model.tab = DetailTab::AddressSpace;
        model.show_tree = true;
        model.tree = {
            {{"Page directory at 00154000", PaneLine::Style::Title}, {}},
            {{"+ PDE 100 40000000-403fffff -> table 00155000  P W U A  (2 present)", PaneLine::Style::Text},
             0x100}};
        renderer.draw(model);
        const Rect vmap = renderer.layout(2048).vmap;
        std::optional<WindowRenderer::Hit> entry;
        for (int y = vmap.y; y < vmap.bottom() && !entry; ++y)
            if (auto hit = renderer.hit_test(vmap.x + 20, y, 2048);
                hit && hit->kind == WindowRenderer::Hit::Kind::TreeEntry)
                entry = hit;
        ASSERT_TRUE(entry.has_value());
        EXPECT_EQ(entry->value, 0x100u);
    }
    SDL_FreeSurface(surface);
}

}  // namespace
}  // namespace pc386

namespace pc386 {
namespace {

TEST(AddressSpaceLines, GivenTheSelectedEventsPage_ThenItsRunIsMarkedAndAPageElsewhereIsSaidNotMapped) {
    UiModel model = model_with_processes();
    std::vector<PaneLine> lines = address_space_lines(model.space, 0x401000u);
    size_t marked = 0;
    for (const PaneLine& line : lines)
        if (line.style == PaneLine::Style::Selected) {
            ++marked;
            EXPECT_NE(line.text.find("00400000-00401fff"), std::string::npos) << line.text;
            EXPECT_NE(line.text.find("<- selected page 00401000"), std::string::npos) << line.text;
        }
    EXPECT_EQ(marked, 1u);
    lines = address_space_lines(model.space, 0x80000000u);
    EXPECT_EQ(lines.back().text, "selected page 80000000: not mapped here");
}

}  // namespace
}  // namespace pc386

namespace pc386 {
namespace {

TEST_P(WindowSizes, GivenTheSwapMapTab_ThenEachSlotIsACellOfItsStateAndTheLinesFollow) {
    auto [w, h] = GetParam();
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    ASSERT_NE(surface, nullptr);
    {
        WindowRenderer renderer(surface);
        UiModel model = model_with_processes();
        model.tab = DetailTab::Swap;
        model.aux_tab = DetailTab::Swap;
        model.memory.swap.refs.assign(64, 0);
        model.memory.swap.refs[1] = 1;  // used
        model.memory.swap.refs[2] = 2;  // shared by two PTEs
        model.memory.swap.refs[3] = 1;  // the cache's
        model.memory.swap.cached = {{3, 0x150}};
        model.swap_lines = {
            {"Swap area: 63 slots (252 KiB): 3 used, 60 free; 1 in the swap cache", PaneLine::Style::Title}};
        renderer.draw(model);
        const Rect aux = renderer.layout(2048).aux;
        // 64 slots fit in one row of 6-pixel cells: slot N at x + 6N.
        auto cell = [&](int slot) { return renderer.pixel(aux.x + 6 * slot + 2, aux.y + 2); };
        EXPECT_EQ(cell(1), (Rgb{220, 75, 65})) << "used";
        EXPECT_EQ(cell(2), (Rgb{230, 90, 230})) << "shared";
        EXPECT_EQ(cell(3), (Rgb{70, 200, 215})) << "in the swap cache";
        EXPECT_EQ(cell(4), (Rgb{45, 45, 58})) << "free";
    }
    SDL_FreeSurface(surface);
}

}  // namespace
}  // namespace pc386
