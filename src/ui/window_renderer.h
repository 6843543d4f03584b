// Draws a UiModel into an SDL window: the VGA console, the counters, the physical-memory grid with
// its legend, the current address space and the process list, and a status line.
#pragma once

#include <SDL.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ui/layout.h"
#include "ui/pane_picture.h"
#include "ui/text_atlas.h"
#include "ui/ui_model.h"

namespace pc386 {

// The window's panes, each re-rendered only when its picture changed (pane_picture.h).
enum class Pane : uint8_t { Console, Counters, Memory, Hover, Vmap, Aux, Status, Count };

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

    // The layout for the window's current size, `frame_count` frames and the grid's zoom.
    WindowLayout layout(uint32_t frame_count, GridZoom zoom = {}) const;
    // The memory grid as the last picture drew it (its zoom and scroll): for hit tests and zooming.
    const GridGeometry& grid() const { return grid_; }
    // The window size that shows everything comfortably with this font.
    static void preferred_size(int& width, int& height);

    // Draws the model into the window's canvas, re-rendering only the panes whose picture changed;
    // returns whether any did. present() puts the canvas on screen. pixel(), save_bmp() and
    // save_picture() read the canvas: the last picture drawn, presented or not.
    bool draw(const UiModel& model);
    void present();
    // How many times `pane` was rendered (for tests and the log line at the end).
    uint64_t pane_renders(Pane pane) const { return panes_[size_t(pane)].renders; }
    std::optional<Rgb> pixel(int x, int y);
    // Writes the drawn frame to a BMP file; false (and a logged warning) on failure.
    bool save_bmp(const std::string& path);
    // What is under pixel (x, y) in the last picture drawn: a process row, a tab label or a frame.
    struct Hit {
        enum class Kind {
            Process,
            Tab,
            Frame,
            Vmap,
            Aux,
            TimelineEvent,
            Control,
            TimelineStrip,
            Cr3,
            TreeEntry
        } kind;
        // pid, DetailTab, frame number, index into UiModel::timeline.events, WindowControl, CR3,
        // directory index (Vmap, Aux, TimelineStrip: the pane, for the wheel)
        uint32_t value = 0;
    };
    std::optional<Hit> hit_test(int x, int y, uint32_t frame_count) const;
    // How far each scrolling pane can scroll (lines), as of the last picture.
    int vmap_scroll_limit() const { return vmap_scroll_limit_; }
    int aux_scroll_limit() const { return aux_scroll_limit_; }
    // Lines a scrolling pane shows at once (for PageUp/PageDown).
    int vmap_page() const { return vmap_page_; }
    // Where the last picture drew the timeline's tracks (x: virtual time from the view's start to
    // its end), for zooming around the mouse; empty when the timeline is not on show.
    Rect timeline_strip() const { return timeline_strip_; }

    // The last picture as text: its size, the grid's geometry, where processes, tabs and CR3s can
    // be clicked, and the panes' lines (window_text.cpp). F12 writes it beside the PNG.
    std::string text_dump(const UiModel& model) const;

    // Writes the drawn frame as PNG when `path` ends in .png (any case), else as BMP.
    bool save_picture(const std::string& path);

  private:
    void init_text();
    SDL_Surface* read_back();  // the drawn frame as an ARGB8888 surface (caller frees), or nullptr
    void draw_console(const ConsoleView& console, const Rect& area);
    void draw_counters(const UiModel& model, const Rect& area);
    void draw_memory(const UiModel& model, const WindowLayout& layout);
    void draw_legend(const std::vector<LegendEntry>& legend, const Rect& area);
    void draw_vmap(const UiModel& model, const Rect& area);
    void draw_aux(const UiModel& model, const WindowLayout& layout);
    void draw_timeline(const UiModel& model, const Rect& area);  // timeline_pane.cpp
    void draw_swap(const UiModel& model, const Rect& area);      // swap_pane.cpp
    // Draws `lines` from `scroll` on, in `area`, with a scroll bar when they do not all fit;
    // returns how far they can scroll.
    int draw_lines(const std::vector<PaneLine>& lines, const Rect& area, int scroll);
    void draw_hover(const UiModel& model, const Rect& area);
    void draw_status(const UiModel& model, const Rect& area);
    void fill(const Rect& r, Rgb colour) { picture_.fill(r, colour); }
    void outline(const Rect& r, Rgb colour) { picture_.outline(r, colour); }
    // A pane's recording: begin_pane starts it, end_pane renders it into the canvas if it differs
    // from what the canvas holds in `area` (which it owns: cleared, then drawn, clipped to it).
    void begin_pane(Pane pane, const Rect& area);
    bool end_pane();
    // The canvas texture at the output's size (recreated on a resize); false: render targets are
    // not supported, and every pane is drawn straight to the back buffer every time.
    bool ensure_canvas();

    SDL_Window* window_;
    SDL_Renderer* renderer_ = nullptr;
    std::optional<TextAtlas> text_;
    PanePicture picture_;  // the pane being recorded: every draw_* function draws into it
    struct PaneState {
        Rect area;
        uint64_t fingerprint = 0;
        bool on_canvas = false;  // the canvas holds this picture in `area`
        uint64_t renders = 0;
    };
    PaneState panes_[size_t(Pane::Count)];
    Rect pane_areas_[size_t(Pane::Count)];  // where the last picture put each pane
    Pane current_pane_ = Pane::Console;
    Rect current_area_;
    SDL_Texture* canvas_ = nullptr;  // the whole window's last picture (null: no render targets)
    int canvas_w_ = 0, canvas_h_ = 0;
    bool targets_supported_ = true;
    bool on_canvas_target_ = false;  // this draw() switched the renderer to the canvas
    SDL_Texture* grid_texture_ = nullptr;
    int grid_texture_w_ = 0, grid_texture_h_ = 0;
    std::vector<uint32_t> grid_pixels_;
    std::vector<uint32_t> cell_colours_;  // the grid's cells as last uploaded to grid_texture_
    std::vector<uint32_t> cell_scratch_;  // this picture's cells (swapped with cell_colours_)
    uint32_t grid_columns_ = 0;           // of the last upload
    GridGeometry grid_;                   // of the last picture
    uint64_t grid_version_ = 0;           // bumped at each upload
    // Hit regions of the last picture.
    std::vector<std::pair<Rect, Hit>> hits_;
    int vmap_scroll_limit_ = 0, aux_scroll_limit_ = 0, vmap_page_ = 1;
    Rect timeline_strip_;
    int legend_lines_ = 1;  // the most legend entries drawn so far (the layout leaves that much room)
};

// The address-space pane's lines: title, flag legend, the folded kernel part, then the runs; the
// run holding `selected_page` (an event's page) is marked.
std::vector<PaneLine> address_space_lines(const AddressSpaceView& space,
                                          std::optional<uint32_t> selected_page = std::nullopt);
// The label of a control button as the window shows it ("F5 pause", "F11 break on events: off").
std::string control_label(WindowControl control, const RunState& run);
// The tabs a pane offers: all three when the window is narrow, else Frame and CPU.
const char* tab_title(DetailTab tab);

// A counter's growth in at most 5 characters up to 10^13: 1234, 12k, 345k, 12M, 3G.
std::string compact_number(uint64_t value);
// One line of the frame shown under the mouse: address, kind, and the guest's details.
std::string describe_frame(const MemoryView& memory, uint32_t frame);
// One line for a grid cell that stands for `count` frames from `first`: the range and its most
// common kind.
std::string describe_cell(const MemoryView& memory, uint32_t first, uint32_t count);
// One line per run of present pages: "00400000-00401fff -> 00123000    2p U W A D".
std::string describe_run(const PageRun& run);

}  // namespace pc386
