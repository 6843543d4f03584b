// Runs a whole machine in the debug window on SDL's dummy video driver: a tiny ROM writes a blue
// 'A' to the text screen and exits through port 0xF4; the window must return GuestExit and its last
// picture (saved through PC386_UI_SCREENSHOT) must show the blue cell.
#include <SDL.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "machine/machine.h"
#include "ui/debug_window.h"
#include "ui/png_file.h"

namespace pc386 {
namespace {

std::filesystem::path write_rom() {
    std::vector<uint8_t> rom(64 * 1024, 0xF4);  // hlt everywhere else
    const uint8_t code[] = {
        0xB8, 0x00, 0xB8,                    // mov ax, 0xB800
        0x8E, 0xD8,                          // mov ds, ax
        0xC7, 0x06, 0x00, 0x00, 0x41, 0x1F,  // mov word [0], 0x1F41 ('A', white on blue)
        0xB9, 0xFF, 0xFF,                    // mov cx, 0xFFFF
        0xE2, 0xFE,                          // loop $ (some instructions for a few slices)
        0xB0, 0x00,                          // mov al, 0
        0xE6, 0xF4,                          // out 0xF4, al: exit status 1
        0xF4,                                // hlt
    };
    std::copy(std::begin(code), std::end(code), rom.begin());
    const uint8_t reset[] = {0xEA, 0x00, 0x00, 0x00, 0xF0};  // jmp far F000:0000
    std::copy(std::begin(reset), std::end(reset), rom.begin() + 0xFFF0);
    auto path = std::filesystem::temp_directory_path() / "pc386_ui_smoke_rom.bin";
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(rom.data()), rom.size());
    return path;
}

TEST(DebugWindowSmoke, GivenAGuestThatWritesTheScreenAndExits_ThenTheWindowShowsItAndReturnsGuestExit) {
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    auto shot = std::filesystem::temp_directory_path() / "pc386_ui_smoke.bmp";
    std::filesystem::remove(shot);
    setenv("PC386_UI_SCREENSHOT", shot.c_str(), 1);

    MachineConfig config;
    config.mem_mb = 2;
    config.bios_path = write_rom().string();
    config.serial = CharTarget{CharTarget::Kind::None, {}};
    Machine machine(config);
    StopReason reason = run_debug_window(machine);
    unsetenv("PC386_UI_SCREENSHOT");

    EXPECT_EQ(reason, StopReason::GuestExit);
    EXPECT_EQ(machine.exit_status(), 1);
    ASSERT_TRUE(std::filesystem::exists(shot));
    SDL_Surface* loaded = SDL_LoadBMP(shot.c_str());
    ASSERT_NE(loaded, nullptr) << SDL_GetError();
    SDL_Surface* image = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(loaded);
    ASSERT_NE(image, nullptr);
    // The console's first cell sits at the left margin, one title line down: look for its blue.
    bool found_blue = false;
    for (int y = 0; y < 80 && !found_blue; ++y) {
        uint32_t px = static_cast<const uint32_t*>(image->pixels)[y * (image->pitch / 4) + 9];
        found_blue = (px & 0xFFFFFF) == 0x0000AA;
    }
    SDL_FreeSurface(image);
    EXPECT_TRUE(found_blue) << "the blue 'A' cell is not in the saved picture";
}

TEST(OffscreenScreenshot, GivenARunWithoutTheWindow_WhenAPngIsAskedFor_ThenItShowsTheConsoleWithoutADisplay) {
    unsetenv("SDL_VIDEODRIVER");
    unsetenv("DISPLAY");
    auto shot = std::filesystem::temp_directory_path() / "pc386_ui_offscreen.png";
    std::filesystem::remove(shot);
    MachineConfig config;
    config.mem_mb = 2;
    config.bios_path = write_rom().string();
    config.serial = CharTarget{CharTarget::Kind::None, {}};
    Machine machine(config);
    prepare_offscreen_screenshot(machine);
    StopReason reason = machine.run();
    ASSERT_EQ(reason, StopReason::GuestExit);
    ASSERT_TRUE(write_offscreen_screenshot(machine, shot.string(), reason));
    std::string error;
    PngImage image = read_png(shot.string(), error);
    ASSERT_GT(image.width, 0) << error;
    bool found_blue = false;
    for (int y = 0; y < 80 && !found_blue; ++y) found_blue = image.at(9, y) == 0x0000AA;
    EXPECT_TRUE(found_blue) << "the blue 'A' cell is not in the PNG";
    EXPECT_FALSE(write_offscreen_screenshot(machine, "/nonexistent-dir/x.png", reason));
}

}  // namespace
}  // namespace pc386
