// A 256 MiB machine's frame grid in a PNG drawn off screen, as CI and `--screenshot` draw it, at a
// laptop's and a projector's size: all of RAM at zoom level 0 (the last frame's cell painted, none
// after it), and zoomed in on a block of kernel frames, which then shows at its place with its
// colour, with the range on show in the picture's text.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "machine/machine.h"
#include "ui/debug_window.h"
#include "ui/png_file.h"
#include "ui/window_colours.h"
#include "ui/window_renderer.h"

namespace pc386 {
namespace {

constexpr uint32_t kFrames = 65536;        // 256 MiB
constexpr uint32_t kKernelBlock = 0x9000;  // 144 MiB: 64 kernel frames there, free frames around
constexpr uint32_t kBlockFrames = 64;

uint32_t rgb(Rgb c) {
    return uint32_t(c.r) << 16 | uint32_t(c.g) << 8 | c.b;
}

UiModel big_machine() {
    UiModel model;
    model.memory.from_guest = true;
    model.memory.frames.assign(kFrames, FrameInfo{FrameKind::Free, 0});
    for (uint32_t f = kKernelBlock; f < kKernelBlock + kBlockFrames; ++f)
        model.memory.frames[f] = {FrameKind::Kernel, 0};
    model.memory.details.assign(kFrames, FrameDetail{});
    model.memory.paging = true;
    model.legend = build_legend(model.memory.frames);
    model.status = "RUNNING";
    return model;
}

struct Shot {
    PngImage image;
    GridGeometry grid;
    std::string text;
};

Shot draw(const UiModel& model, int width, int height) {
    Shot shot;
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
    EXPECT_NE(surface, nullptr);
    {
        WindowRenderer renderer(surface);
        renderer.draw(model);
        shot.grid = renderer.grid();
        shot.text = renderer.text_dump(model);
        auto path = std::filesystem::temp_directory_path() / ("pc386_zoom_" + std::to_string(width) + ".png");
        EXPECT_TRUE(renderer.save_picture(path.string()));
        std::string error;
        shot.image = read_png(path.string(), error);
        EXPECT_EQ(shot.image.width, width) << error;
    }
    SDL_FreeSurface(surface);
    return shot;
}

uint32_t cell_colour(const Shot& shot, uint32_t frame) {
    const Rect r = shot.grid.cell_rect(frame / shot.grid.frames_per_cell);
    return shot.image.at(r.x + r.w / 2, r.y + r.h / 2);
}

class GridZoomPicture : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(GridZoomPicture, GivenTwoHundredFiftySixMebibytes_AtZoomLevelZero_ThenTheGridEndsAtTheLastFrame) {
    const auto [width, height] = GetParam();
    const Shot shot = draw(big_machine(), width, height);
    ASSERT_GT(shot.grid.columns, 0u);
    EXPECT_TRUE(shot.grid.shows_all(kFrames));
    EXPECT_EQ(cell_colour(shot, kFrames - 1), rgb(frame_colour({FrameKind::Free, 0})));
    EXPECT_EQ(cell_colour(shot, kKernelBlock), rgb(frame_colour({FrameKind::Kernel, 0})));
    EXPECT_NE(shot.text.find("grid-view shows 00000000-0fffffff zoom_level=0"), std::string::npos)
        << shot.text;
}

TEST_P(GridZoomPicture,
       GivenTwoHundredFiftySixMebibytes_WhenZoomedInOnAKernelBlock_ThenItFillsItsCellsInThePicture) {
    const auto [width, height] = GetParam();
    UiModel model = big_machine();
    const GridGeometry whole = draw(model, width, height).grid;
    // One level short of the largest cells: 8-pixel cells at 1920x1080 and at 1280x720 alike.
    model.grid_zoom = zoom_grid(whole, kFrames, whole.max_level - 1, kKernelBlock);
    const Shot shot = draw(model, width, height);
    const GridGeometry& grid = shot.grid;
    ASSERT_EQ(grid.level, whole.max_level - 1);
    ASSERT_EQ(grid.frames_per_cell, 1u);
    EXPECT_GE(grid.cell, 8) << "cells big enough to see and to click";
    ASSERT_FALSE(grid.shows_all(kFrames));
    EXPECT_LE(grid.first_frame(), kKernelBlock);
    EXPECT_GT(grid.end_frame(kFrames), kKernelBlock + kBlockFrames);
    for (uint32_t f : {kKernelBlock, kKernelBlock + kBlockFrames - 1})
        EXPECT_EQ(cell_colour(shot, f), rgb(frame_colour({FrameKind::Kernel, 0}))) << std::hex << f;
    for (uint32_t f : {kKernelBlock - 1, kKernelBlock + kBlockFrames})
        EXPECT_EQ(cell_colour(shot, f), rgb(frame_colour({FrameKind::Free, 0}))) << std::hex << f;
    // The top-left cell is the first frame on show, and the picture's text names the range.
    EXPECT_EQ(grid.frame_at(grid.area.x, grid.area.y, kFrames), grid.first_frame());
    char range[64];
    std::snprintf(range, sizeof range, "grid-view shows %08x-%08x zoom_level=%d", grid.first_frame() << 12,
                  (grid.end_frame(kFrames) << 12) - 1, grid.level);
    EXPECT_NE(shot.text.find(range), std::string::npos) << range << "\n" << shot.text;
}

INSTANTIATE_TEST_SUITE_P(LaptopAndProjector, GridZoomPicture,
                         ::testing::Values(std::pair{1280, 720}, std::pair{1920, 1080}),
                         [](const auto& info) {
                             return std::to_string(info.param.first) + "x" +
                                    std::to_string(info.param.second);
                         });

// The real headless path: a machine with 256 MiB, its window drawn off screen into a PNG. Paging is
// off, so every frame has the same colour: the cells end exactly after the last frame.
TEST(OffscreenScreenshotOfALargeMachine,
     GivenTwoHundredFiftySixMebibytes_ThenThePngShowsEveryFrameAndNoMore) {
    unsetenv("SDL_VIDEODRIVER");
    std::vector<uint8_t> rom(64 * 1024, 0xF4);  // hlt; the reset vector jumps to an exit through 0xF4
    const uint8_t code[] = {0xB0, 0x00, 0xE6, 0xF4, 0xF4};  // mov al, 0; out 0xF4, al; hlt
    std::copy(std::begin(code), std::end(code), rom.begin());
    const uint8_t reset[] = {0xEA, 0x00, 0x00, 0x00, 0xF0};  // jmp far F000:0000
    std::copy(std::begin(reset), std::end(reset), rom.begin() + 0xFFF0);
    const auto rom_path = std::filesystem::temp_directory_path() / "pc386_zoom_rom.bin";
    std::ofstream(rom_path, std::ios::binary).write(reinterpret_cast<const char*>(rom.data()), rom.size());
    MachineConfig config;
    config.mem_mb = 256;
    config.bios_path = rom_path.string();
    config.serial = CharTarget{CharTarget::Kind::None, {}};
    Machine machine(config);
    prepare_offscreen_screenshot(machine);
    const StopReason reason = machine.run();
    ASSERT_EQ(reason, StopReason::GuestExit);
    const auto png = std::filesystem::temp_directory_path() / "pc386_zoom_256.png";
    ASSERT_TRUE(write_offscreen_screenshot(machine, png.string(), reason));
    std::string error;
    Shot shot;
    shot.image = read_png(png.string(), error);
    ASSERT_EQ(shot.image.width, 1920) << error;
    // The same geometry the off-screen picture used (1920x1080, zoom level 0).
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, 1920, 1080, 32, SDL_PIXELFORMAT_ARGB8888);
    ASSERT_NE(surface, nullptr);
    {
        WindowRenderer renderer(surface);
        shot.grid = renderer.layout(kFrames).grid;
    }
    SDL_FreeSurface(surface);
    ASSERT_GT(shot.grid.columns, 0u);
    const uint32_t painted = cell_colour(shot, 0);
    EXPECT_NE(painted, rgb(window_colours::kBackground));
    EXPECT_EQ(cell_colour(shot, kFrames - 1), painted) << "the last frame's cell";
    // Every row holds frames (no row past the end), and under the last row there is nothing.
    const GridGeometry& g = shot.grid;
    EXPECT_GE(uint64_t(g.rows) * g.frames_per_row(), kFrames);
    EXPECT_LT(uint64_t(g.rows - 1) * g.frames_per_row(), kFrames);
    EXPECT_EQ(shot.image.at(g.area.x + 1, g.area.bottom()), rgb(window_colours::kBackground));
    EXPECT_EQ(shot.image.at(g.area.right() - 2, g.area.bottom() - 2 - (g.pitch - g.cell)), painted);
}

}  // namespace
}  // namespace pc386
