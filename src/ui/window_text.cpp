// The window's picture as text (F12 writes it beside the PNG): the panes' lines and where the
// clickable things were drawn, so a person can grep a screenshot and a test driving the window
// from outside (Xvfb, xdotool) knows where to click and what the window said.
#include <fmt/format.h>

#include "ui/window_renderer.h"

namespace pc386 {

std::string WindowRenderer::text_dump(const UiModel& model) const {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    std::string out = fmt::format("window {}x{}\n", w, h);
    const GridGeometry& g = grid_;
    out += fmt::format("grid x={} y={} pitch={} cell={} columns={} frames_per_cell={} frames={}\n", g.area.x,
                       g.area.y, g.pitch, g.cell, g.columns, g.frames_per_cell, model.memory.frames.size());
    // The physical range on show (all of it unless zoomed in) and the zoom level.
    out += fmt::format("grid-view shows {:08x}-{:08x} zoom_level={} first_row={} rows={} of {}\n",
                       uint64_t(g.first_frame()) << 12,
                       (uint64_t(g.end_frame(uint32_t(model.memory.frames.size()))) << 12) - 1, g.level,
                       g.first_row, g.rows, g.total_rows);
    // Where the panes were drawn, for tests that look at the picture's pixels.
    auto pane = [&out](const char* name, const Rect& r) {
        out += fmt::format("pane {} x={} y={} w={} h={}\n", name, r.x, r.y, r.w, r.h);
    };
    const WindowLayout l =
        layout(uint32_t(model.memory.frames.size()));  // the panes: the zoom moves only the grid
    pane("vmap", l.vmap);
    pane("aux", l.aux);
    if (timeline_strip_.w > 0) pane("timeline-tracks", timeline_strip_);
    for (const auto& [rect, hit] : hits_) {
        const int x = rect.x + std::min(rect.w, 8) / 2, y = rect.y + rect.h / 2;
        switch (hit.kind) {
            case Hit::Kind::Process:
                out += fmt::format("click process {} at {} {}\n", hit.value, x, y);
                break;
            case Hit::Kind::Tab:
                out += fmt::format("click tab {} at {} {}\n", tab_title(DetailTab(hit.value)), x, y);
                break;
            case Hit::Kind::Cr3: out += fmt::format("click cr3 {:08x} at {} {}\n", hit.value, x, y); break;
            case Hit::Kind::Control:
                out += fmt::format("click control {} at {} {}\n",
                                   control_label(WindowControl(hit.value), model.run), x, y);
                break;
            default: break;
        }
    }
    auto section = [&out](const char* title, const std::vector<PaneLine>& lines) {
        out += fmt::format("[{}]\n", title);
        for (const PaneLine& line : lines) out += line.text + "\n";
    };
    out += fmt::format("[selected]\npid {}\nframe {}\n",
                       model.selected_pid ? std::to_string(*model.selected_pid) : "-",
                       model.selected_frame ? fmt::format("{:05x}", *model.selected_frame) : "-");
    // The grid's meaning right now (frame kinds, heat or LRU lists).
    out += "[legend]\n";
    for (const LegendEntry& e : model.legend)
        out +=
            fmt::format("{} {} #{:02x}{:02x}{:02x}\n", e.label, e.frames, e.colour.r, e.colour.g, e.colour.b);
    section("address space", address_space_lines(model.space, model.selected_page));
    section("frame inspector", model.frame_lines);
    section("swap map", model.swap_lines);
    out += "[timeline]\n";
    for (const std::string& line : model.timeline_list) out += line + "\n";
    // The VGA text screen, trailing blanks and empty last rows dropped: what the guest printed.
    out += "[console]\n";
    std::string screen;
    for (int row = 0; row < ConsoleView::kRows; ++row) {
        std::string line;
        for (int col = 0; col < ConsoleView::kColumns; ++col) {
            const uint8_t ch = model.console.cells[size_t(row * ConsoleView::kColumns + col)].ch;
            line += ch >= 0x20 && ch < 0x7F ? char(ch) : ' ';
        }
        line.erase(line.find_last_not_of(' ') + 1);
        screen += line + "\n";
    }
    screen.erase(screen.find_last_not_of('\n') + 1);
    out += screen + "\n";
    out += "[status]\n" + model.status + "\n";
    return out;
}

}  // namespace pc386
