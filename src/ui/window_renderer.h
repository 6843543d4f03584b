// Draws a UiModel into an SDL window: the VGA console, the counters, the physical-memory grid with
// its legend, the current address space and the process list, and a status line.
#pragma once

#include <SDL.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ui/layout.h"
#include "ui/text_atlas.h"
#include "ui/ui_model.h"

namespace pc386 {

class WindowRenderer {
  public:
    // Creates the renderer (accelerated if available, else software) and the text atlas. Throws
    // std::runtime_error if SDL cannot give either.
    explicit WindowRenderer(SDL_Window* window);
    // Draws into `target` (32-bit pixels) with SDL's software renderer: no display and no video
    // subsystem needed (headless screenshots, tests at any window size).
    explicit WindowRenderer(SDL_Surface* target);
    ~WindowRenderer();
    WindowRenderer(const WindowRenderer&) = delete;
    WindowRenderer& operator=(const WindowRenderer&) = delete;

    // The layout for the window's current size and `frame_count` frames (also for hit tests).
    WindowLayout layout(uint32_t frame_count) const;
    // The window size that shows everything comfortably with this font.
    static void preferred_size(int& width, int& height);

    // Draws the model into the back buffer; present() shows it. Between the two, pixel() and
    // save_bmp() read what was drawn (after present() the back buffer's content is undefined).
    void draw(const UiModel& model);
    void present();
    std::optional<Rgb> pixel(int x, int y);
    // Writes the drawn frame to a BMP file; false (and a logged warning) on failure.
    bool save_bmp(const std::string& path);
    // Writes the drawn frame as PNG when `path` ends in .png (any case), else as BMP.
    bool save_picture(const std::string& path);

  private:
    void init_text();
    SDL_Surface* read_back();  // the drawn frame as an ARGB8888 surface (caller frees), or nullptr
    void draw_console(const ConsoleView& console, const Rect& area);
    void draw_counters(const UiModel& model, const Rect& area);
    void draw_memory(const UiModel& model, const WindowLayout& layout);
    void draw_legend(const std::vector<LegendEntry>& legend, const Rect& area);
    void draw_address_space(const MemoryView& memory, const Rect& area);
    void draw_status(const UiModel& model, const Rect& area);
    void fill(const Rect& r, Rgb colour);
    void outline(const Rect& r, Rgb colour);

    SDL_Window* window_;
    SDL_Renderer* renderer_ = nullptr;
    std::optional<TextAtlas> text_;
    SDL_Texture* grid_texture_ = nullptr;
    int grid_texture_w_ = 0, grid_texture_h_ = 0;
    std::vector<uint32_t> grid_pixels_;
};

// A counter's growth in at most 5 characters up to 10^13: 1234, 12k, 345k, 12M, 3G.
std::string compact_number(uint64_t value);
// One line of the frame shown under the mouse: address, kind, and the guest's details.
std::string describe_frame(const MemoryView& memory, uint32_t frame);
// One line per run of the address space: "00400000-00401fff -> 00123000    2p U W A D".
std::string describe_run(const PageRun& run);

}  // namespace pc386
