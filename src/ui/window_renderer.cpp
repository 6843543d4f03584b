#include "ui/window_renderer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "base/log.h"
#include "ui/kernel_layout_text.h"
#include "ui/lru_palette.h"
#include "ui/png_file.h"
#include "ui/text_mode_palette.h"
#include "ui/text_wrap.h"
#include "ui/window_colours.h"

namespace pc386 {
namespace {

using namespace window_colours;
constexpr int kFontPixels = 14;

uint32_t argb(Rgb c) {
    return 0xFF000000u | uint32_t(c.r) << 16 | uint32_t(c.g) << 8 | c.b;
}

// The colour of a grid cell that stands for several frames: the most common kind among them (a
// cell groups at most a few dozen frames at any RAM size: a linear search of the votes is enough).
FrameInfo dominant(const std::vector<FrameInfo>& frames, uint32_t first, uint32_t count) {
    if (count == 1) return frames[first];
    constexpr size_t kMaxKinds = 16;
    std::pair<FrameInfo, uint32_t> votes[kMaxKinds];
    size_t kinds = 0;
    FrameInfo best = frames[first];
    uint32_t best_votes = 0;
    uint32_t end = std::min<uint64_t>(uint64_t(first) + count, frames.size());
    for (uint32_t i = first; i < end; ++i) {
        size_t k = 0;
        while (k < kinds &&
               !(votes[k].first.kind == frames[i].kind && votes[k].first.detail == frames[i].detail))
            ++k;
        if (k == kinds) {
            if (kinds == kMaxKinds)
                continue;  // more kinds than that in one cell: the later ones are not counted
            votes[kinds++] = {frames[i], 0};
        }
        if (++votes[k].second > best_votes) {
            best_votes = votes[k].second;
            best = frames[i];
        }
    }
    return best;
}

std::string with_thousands(uint64_t value) {
    std::string digits = std::to_string(value);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace

std::string compact_number(uint64_t value) {
    if (value < 10'000) return std::to_string(value);
    if (value < 10'000'000) return std::to_string(value / 1000) + "k";
    if (value < 10'000'000'000ull) return std::to_string(value / 1'000'000) + "M";
    return std::to_string(value / 1'000'000'000) + "G";
}

std::string describe_frame(const MemoryView& memory, uint32_t frame) {
    if (frame >= memory.frames.size()) return {};
    std::string line = fmt::format("frame {:05x} (phys {:08x}): {}", frame, uint64_t(frame) << 12,
                                   frame_label(memory.frames[frame]));
    if (frame < memory.details.size()) {
        const FrameDetail& d = memory.details[frame];
        line += fmt::format(", refcount {}", d.refcount);
        if (d.owner_pid) line += fmt::format(", pid {}", d.owner_pid);
    }
    return line;
}

std::string describe_cell(const MemoryView& memory, uint32_t first, uint32_t count) {
    if (first >= memory.frames.size() || count == 0) return {};
    const uint32_t last = uint32_t(std::min<uint64_t>(uint64_t(first) + count, memory.frames.size()) - 1);
    return fmt::format(
        "frames {:05x}-{:05x} (phys {:08x}-{:08x}, {} per cell; Ctrl+wheel zooms in): mostly {}", first, last,
        uint64_t(first) << 12, (uint64_t(last) << 12) | 0xFFF, count,
        frame_label(dominant(memory.frames, first, count)));
}

std::string describe_run(const PageRun& run) {
    uint64_t end = uint64_t(run.linear) + uint64_t(run.pages) * 4096 - 1;
    return fmt::format("{:08x}-{:08x} -> {:08x} {:6}p {} {} {} {}", run.linear, end, run.physical, run.pages,
                       run.user ? 'U' : 'S', run.writable ? 'W' : 'R', run.accessed ? 'A' : '-',
                       run.dirty ? 'D' : '-');
}

WindowRenderer::WindowRenderer(SDL_Window* window) : window_(window) {
    renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_ACCELERATED);
    if (!renderer_) renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE);
    if (!renderer_) throw std::runtime_error(std::string("SDL_CreateRenderer: ") + SDL_GetError());
    init_text();
}

WindowRenderer::WindowRenderer(SDL_Surface* target) : window_(nullptr) {
    renderer_ = SDL_CreateSoftwareRenderer(target);
    if (!renderer_) throw std::runtime_error(std::string("SDL_CreateSoftwareRenderer: ") + SDL_GetError());
    init_text();
}

void WindowRenderer::init_text() {
    try {
        text_.emplace(renderer_, kFontPixels);
    } catch (...) {
        SDL_DestroyRenderer(renderer_);
        throw;
    }
}

WindowRenderer::~WindowRenderer() {
    if (grid_texture_) SDL_DestroyTexture(grid_texture_);
    text_.reset();
    if (renderer_) SDL_DestroyRenderer(renderer_);
}

void WindowRenderer::preferred_size(int& width, int& height) {
    width = 1480;
    height = 940;
}

WindowLayout WindowRenderer::layout(uint32_t frame_count, GridZoom zoom) const {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    return compute_layout(w, h, text_->char_w(), text_->char_h(), frame_count, legend_lines_, zoom);
}

bool WindowRenderer::ensure_canvas() {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    if (canvas_ && canvas_w_ == w && canvas_h_ == h) return true;
    if (canvas_) SDL_DestroyTexture(canvas_);
    canvas_ = nullptr;
    for (PaneState& pane : panes_) pane.on_canvas = false;
    if (!targets_supported_ || w <= 0 || h <= 0) return false;
    canvas_ = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
    if (!canvas_ || SDL_SetRenderTarget(renderer_, canvas_) != 0) {
        log::get("ui").info("no render targets ({}): the window is redrawn whole each time", SDL_GetError());
        if (canvas_) SDL_DestroyTexture(canvas_);
        canvas_ = nullptr;
        targets_supported_ = false;
        return false;
    }
    canvas_w_ = w;
    canvas_h_ = h;
    // Between the panes: the background, once.
    SDL_SetRenderDrawColor(renderer_, kBackground.r, kBackground.g, kBackground.b, 255);
    SDL_RenderClear(renderer_);
    SDL_SetRenderTarget(renderer_, nullptr);
    return true;
}

void WindowRenderer::begin_pane(Pane pane, const Rect& area) {
    current_pane_ = pane;
    current_area_ = area;
    picture_.clear();
}

bool WindowRenderer::end_pane() {
    PaneState& state = panes_[size_t(current_pane_)];
    if (canvas_ && state.on_canvas && state.area == current_area_ &&
        state.fingerprint == picture_.fingerprint())
        return false;
    // Switch to the canvas only for a pane that needs it: with some drivers (Mesa's swrast on X) a
    // switch of render target costs a copy of the whole window.
    if (canvas_ && !on_canvas_target_) {
        SDL_SetRenderTarget(renderer_, canvas_);
        on_canvas_target_ = true;
    }
    const SDL_Rect clip{current_area_.x, current_area_.y, current_area_.w, current_area_.h};
    SDL_RenderSetClipRect(renderer_, &clip);
    SDL_SetRenderDrawColor(renderer_, kBackground.r, kBackground.g, kBackground.b, 255);
    SDL_RenderFillRect(renderer_, &clip);
    picture_.replay(renderer_, *text_);
    SDL_RenderSetClipRect(renderer_, nullptr);
    state.area = current_area_;
    state.fingerprint = picture_.fingerprint();
    state.on_canvas = canvas_ != nullptr;
    ++state.renders;
    return true;
}

bool WindowRenderer::draw(const UiModel& model) {
    // The legend's room only grows: panes do not jump under the mouse as kinds come and go.
    legend_lines_ = std::max(legend_lines_, int(model.legend.size()));
    WindowLayout l = layout(static_cast<uint32_t>(model.memory.frames.size()), model.grid_zoom);
    picture_.set_cell(text_->char_w(), text_->char_h());
    on_canvas_target_ = false;
    if (!ensure_canvas()) {
        SDL_SetRenderDrawColor(renderer_, kBackground.r, kBackground.g, kBackground.b, 255);
        SDL_RenderClear(renderer_);
    }
    hits_.clear();
    grid_ = l.grid;
    // Where each pane goes. A wide window has the address space beside the tabbed pane; a narrow
    // one shows it as a tab.
    const int ch = text_->char_h();
    Rect areas[size_t(Pane::Count)];
    areas[size_t(Pane::Console)] = {l.console.x - 1, l.console.y - ch, l.console.w + 2, l.console.h + ch + 1};
    areas[size_t(Pane::Counters)] = l.counters;
    areas[size_t(Pane::Memory)] = {l.memory.x, l.memory.y, l.memory.w, l.hover.y - l.memory.y};
    areas[size_t(Pane::Hover)] = l.hover;
    areas[size_t(Pane::Vmap)] = l.split ? l.vmap : Rect{};
    areas[size_t(Pane::Aux)] = {l.tabs.x, l.tabs.y, l.tabs.w, l.detail.bottom() - l.tabs.y};
    areas[size_t(Pane::Status)] = l.status;
    // Panes that moved (the legend grew, the window was resized) leave old pictures in the gaps
    // between the new places: start from a clear canvas.
    if (canvas_ && !std::equal(std::begin(areas), std::end(areas), std::begin(pane_areas_))) {
        SDL_SetRenderTarget(renderer_, canvas_);
        on_canvas_target_ = true;
        SDL_SetRenderDrawColor(renderer_, kBackground.r, kBackground.g, kBackground.b, 255);
        SDL_RenderClear(renderer_);
        for (PaneState& pane : panes_) pane.on_canvas = false;
    }
    std::copy(std::begin(areas), std::end(areas), std::begin(pane_areas_));
    bool changed = false;
    begin_pane(Pane::Console, areas[size_t(Pane::Console)]);
    draw_console(model.console, l.console);
    changed |= end_pane();
    begin_pane(Pane::Counters, areas[size_t(Pane::Counters)]);
    draw_counters(model, l.counters);
    changed |= end_pane();
    begin_pane(Pane::Memory, areas[size_t(Pane::Memory)]);
    draw_memory(model, l);
    draw_legend(model.legend, l.legend);
    changed |= end_pane();
    begin_pane(Pane::Hover, areas[size_t(Pane::Hover)]);
    draw_hover(model, l.hover);
    changed |= end_pane();
    if (l.split) {
        begin_pane(Pane::Vmap, areas[size_t(Pane::Vmap)]);
        draw_vmap(model, l.vmap);
        changed |= end_pane();
    }
    begin_pane(Pane::Aux, areas[size_t(Pane::Aux)]);
    if (!l.split && model.tab == DetailTab::AddressSpace) draw_vmap(model, l.vmap);
    draw_aux(model, l);
    changed |= end_pane();
    begin_pane(Pane::Status, areas[size_t(Pane::Status)]);
    draw_status(model, l.status);
    changed |= end_pane();
    if (on_canvas_target_) SDL_SetRenderTarget(renderer_, nullptr);
    on_canvas_target_ = false;
    return changed;
}

void WindowRenderer::present() {
    if (canvas_) SDL_RenderCopy(renderer_, canvas_, nullptr, nullptr);
    SDL_RenderPresent(renderer_);
}

void WindowRenderer::draw_console(const ConsoleView& console, const Rect& area) {
    PanePicture& t = picture_;
    t.draw_text("VGA text console (keys typed here go to the guest)", area.x, area.y - t.char_h(), kTitle);
    fill(area, {0, 0, 0});
    for (int row = 0; row < ConsoleView::kRows; ++row) {
        for (int col = 0; col < ConsoleView::kColumns; ++col) {
            const ConsoleCell& cell = console.cells[row * ConsoleView::kColumns + col];
            int x = area.x + col * t.char_w(), y = area.y + row * t.char_h();
            Rgb bg = attribute_background(cell.attribute);
            if (bg != Rgb{0, 0, 0}) fill({x, y, t.char_w(), t.char_h()}, bg);
            if (cell.ch != ' ' && cell.ch != 0)
                t.draw_char(cp437_to_unicode(cell.ch), x, y, attribute_foreground(cell.attribute));
        }
    }
    if (console.cursor_row >= 0 && console.cursor_row < ConsoleView::kRows && console.cursor_col >= 0 &&
        console.cursor_col < ConsoleView::kColumns) {
        const ConsoleCell& cell =
            console.cells[console.cursor_row * ConsoleView::kColumns + console.cursor_col];
        fill({area.x + console.cursor_col * t.char_w(), area.y + (console.cursor_row + 1) * t.char_h() - 3,
              t.char_w(), 2},
             attribute_foreground(cell.attribute));
    }
    outline({area.x - 1, area.y - 1, area.w + 2, area.h + 2}, kDim);
}

void WindowRenderer::draw_counters(const UiModel& model, const Rect& area) {
    PanePicture& t = picture_;
    int y = area.y;
    // A short pane (a 720-line window) keeps room for the counters: only the first info line (the
    // CPU tab has the rest) and at most a third of the lines for events.
    const int pane_lines = area.h / t.char_h();
    const bool short_pane = pane_lines < 30;
    for (size_t i = 0; i < model.info_lines.size() && !(short_pane && i > 0); ++i) {
        if (y + t.char_h() > area.bottom()) return;
        t.draw_text(model.info_lines[i], area.x, y, kText);
        y += t.char_h();
    }
    // Lines longer than the pane wrap (text_wrap.h), never drawn over the next pane nor cut.
    const size_t columns = static_cast<size_t>(std::max(1, area.w / t.char_w()));
    auto draw_wrapped = [&](const std::string& line, Rgb colour) {
        for (const std::string& part : wrap_text(line, columns)) {
            if (y + t.char_h() > area.bottom()) return;
            t.draw_text(part, area.x, y, colour);
            y += t.char_h();
        }
    };
    if (!model.fault_line.empty()) draw_wrapped(model.fault_line, model.fault_fresh ? kHighlight : kText);
    if (!model.event_lines.empty() && y + 2 * t.char_h() <= area.bottom()) {
        y += t.char_h() / 2;
        t.draw_text("Last events (instruction, process, what)", area.x, y, kTitle);
        y += t.char_h();
        const size_t shown =
            short_pane ? std::max<size_t>(2, size_t(pane_lines / 4)) : model.event_lines.size();
        const size_t first = model.event_lines.size() > shown ? model.event_lines.size() - shown : 0;
        for (size_t i = first; i < model.event_lines.size() && y + t.char_h() <= area.bottom(); ++i) {
            const bool newest = i + 1 == model.event_lines.size();
            draw_wrapped(model.event_lines[i], newest && model.events_fresh ? kHighlight : kText);
        }
    }
    y += t.char_h() / 2;
    // Two columns: the machine's counters on the left, the guest kernel's on the right, each as
    // wide as its longest name and value need (names are never cut), plus room for " +delta".
    auto width_of = [](const std::vector<CounterTracker::Row>& rows, size_t& name_w, size_t& value_w) {
        name_w = value_w = 0;
        for (const auto& row : rows) {
            name_w = std::max(name_w, row.name.size());
            value_w = std::max(value_w, with_thousands(row.value).size());
        }
    };
    constexpr size_t kDeltaColumns = 7;  // " +1234k"
    auto column = [&](const std::string& title, const std::vector<CounterTracker::Row>& rows, int x, int w) {
        int cy = y;
        if (cy + t.char_h() > area.bottom()) return;
        t.draw_text(title, x, cy, kTitle);
        cy += t.char_h();
        size_t name_w = 0, value_w = 0;
        width_of(rows, name_w, value_w);
        const size_t columns = size_t(std::max(1, w / t.char_w()));
        if (name_w + 1 + value_w + kDeltaColumns > columns)  // too narrow: cut names, not values
            name_w = columns > value_w + 1 + kDeltaColumns ? columns - value_w - 1 - kDeltaColumns : 1;
        for (const auto& row : rows) {
            if (cy + t.char_h() > area.bottom()) {  // replaces the last row drawn
                fill({x, cy - t.char_h(), w, t.char_h()}, kBackground);
                t.draw_text("... (a taller window shows more)", x, cy - t.char_h(), kDim);
                return;
            }
            std::string name = row.name.size() <= name_w ? row.name : row.name.substr(0, name_w - 1) + "~";
            std::string text = fmt::format("{:<{}} {:>{}}", name, name_w, with_thousands(row.value), value_w);
            int end = t.draw_text(text, x, cy, row.highlighted ? kHighlight : kText);
            if (row.highlighted && row.delta)
                t.draw_text(" +" + compact_number(row.delta), end, cy, kHighlight);
            cy += t.char_h();
        }
    };
    size_t machine_name = 0, machine_value = 0;
    width_of(model.machine_counters, machine_name, machine_value);
    const int machine_w = std::min(area.w / 2 + area.w / 6,
                                   int(machine_name + 1 + machine_value + kDeltaColumns + 2) * t.char_w());
    if (y + t.char_h() <= area.bottom()) {
        t.draw_text("Counters (yellow: changed in the last second; +N: by how much)", area.x, y, kDim);
        y += t.char_h();
    }
    column("Machine", model.machine_counters, area.x, machine_w);
    if (!model.guest_counters.empty())
        column("Guest kernel", model.guest_counters, area.x + machine_w, area.w - machine_w);
}

void WindowRenderer::draw_memory(const UiModel& model, const WindowLayout& l) {
    PanePicture& t = picture_;
    const MemoryView& memory = model.memory;
    const GridGeometry& grid = l.grid;
    const uint32_t frame_count = static_cast<uint32_t>(memory.frames.size());
    const std::string source = memory.from_guest ? "guest's frame table" : "page tables";
    std::string title = fmt::format("Physical memory, {} frames of 4 KiB ({} KiB), by the {}", frame_count,
                                    uint64_t(frame_count) * 4, source);
    if (!memory.from_guest && !memory.paging)
        title = fmt::format("Physical memory: {} frames of 4 KiB; paging is off, nothing to colour by",
                            frame_count);
    // Zoomed in: which physical range is on show, and how far in.
    const bool zoomed = grid.columns && !grid.shows_all(frame_count);
    const std::string range =
        zoomed ? fmt::format("{:08x}-{:08x} of {} MiB", uint64_t(grid.first_frame()) << 12,
                             (uint64_t(grid.end_frame(frame_count)) << 12) - 1, uint64_t(frame_count) / 256)
               : "";
    const std::string per_cell =
        grid.frames_per_cell > 1 ? fmt::format(", {} frames per cell", grid.frames_per_cell) : "";
    if (grid.level > 0)
        title = fmt::format("Memory {}, zoom {}x{}, by the {}", range, 1u << grid.level, per_cell, source);
    else
        title += per_cell;
    {  // the map switches at the right end of the title line; a narrow pane gets a short title
        const WindowControl switches[] = {WindowControl::LruMap, WindowControl::HeatMap};
        std::string labels[2];
        int labels_w = 0;
        for (int i = 0; i < 2; ++i) {
            labels[i] = fmt::format(" {} ", control_label(switches[i], model.run));
            labels_w += int(labels[i].size() + 1) * t.char_w();
        }
        if (int(title.size() + 2) * t.char_w() + labels_w > l.memory.w)
            title = grid.level > 0
                        ? fmt::format(
                              "{} zoom {}x{}", range, 1u << grid.level,
                              grid.frames_per_cell > 1 ? fmt::format(" {}/cell", grid.frames_per_cell) : "")
                        : fmt::format(
                              "Memory: {} frames, {}{}", frame_count,
                              memory.from_guest ? "guest's table" : "page tables",
                              grid.frames_per_cell > 1 ? fmt::format(", {}/cell", grid.frames_per_cell) : "");
        int x = std::max(l.memory.x + int(title.size() + 2) * t.char_w(), l.memory.right() - labels_w);
        for (int i = 0; i < 2; ++i) {
            const bool on = switches[i] == WindowControl::HeatMap ? model.run.heat_map : model.run.lru_map;
            Rect r{x, l.memory.y, int(labels[i].size()) * t.char_w(), t.char_h()};
            fill(r, on ? kButtonOn : kButton);
            t.draw_text(labels[i], r.x, r.y, on ? kHighlight : kText);
            hits_.push_back({r, {Hit::Kind::Control, uint32_t(switches[i])}});
            x = r.right() + t.char_w();
        }
    }
    t.draw_text(title, l.memory.x, l.memory.y, kTitle);
    if (grid.columns == 0 || frame_count == 0) return;

    // Cells go into one streaming texture: one upload and one copy instead of thousands of rects,
    // and no upload at all when no cell changed colour.
    const uint32_t first_cell = grid.first_row * grid.columns;
    const uint32_t end_cell =
        std::min(grid.cells_for(frame_count), (grid.first_row + grid.rows) * grid.columns);
    std::vector<uint32_t>& colours = cell_scratch_;
    colours.clear();
    for (uint32_t c = first_cell; c < end_cell; ++c) {
        uint32_t first = c * grid.frames_per_cell;
        Rgb colour = model.run.lru_map && !memory.details.empty()
                         ? lru_cell_colour(memory.details, first, grid.frames_per_cell)
                         : frame_colour(dominant(memory.frames, first, grid.frames_per_cell));
        if (!model.heat.empty()) {  // the heat map: the hottest frame of the cell
            Heat hottest{};
            const uint32_t end =
                std::min<uint64_t>(uint64_t(first) + grid.frames_per_cell, model.heat.size());
            for (uint32_t f = first; f < end; ++f)
                if (model.heat[f][0] + model.heat[f][1] + model.heat[f][2] >
                    hottest[0] + hottest[1] + hottest[2])
                    hottest = model.heat[f];
            colour = heat_colour(colour, hottest);
        }
        if (first < model.frame_changed_ms.size()) {
            uint64_t changed = 0;
            uint32_t end =
                std::min<uint64_t>(uint64_t(first) + grid.frames_per_cell, model.frame_changed_ms.size());
            for (uint32_t f = first; f < end; ++f) changed = std::max(changed, model.frame_changed_ms[f]);
            if (changed && model.now_ms >= changed) colour = change_glow(colour, model.now_ms - changed);
        }
        colours.push_back(argb(colour));
    }
    int w = grid.area.w, h = grid.area.h;
    if (!grid_texture_ || grid_texture_w_ != w || grid_texture_h_ != h) {
        if (grid_texture_) SDL_DestroyTexture(grid_texture_);
        grid_texture_ =
            SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
        grid_texture_w_ = w;
        grid_texture_h_ = h;
        cell_colours_.clear();
    }
    if (!grid_texture_) return;
    if (colours != cell_colours_ || grid_columns_ != grid.columns) {
        grid_pixels_.assign(size_t(w) * size_t(h), argb(kBackground));
        for (uint32_t c = first_cell; c < end_cell; ++c) {
            Rect r = grid.cell_rect(c);
            int x0 = r.x - grid.area.x, y0 = r.y - grid.area.y;
            for (int y = y0; y < y0 + r.h && y < h; ++y)
                std::fill_n(&grid_pixels_[size_t(y) * w + x0], std::min(r.w, w - x0),
                            colours[c - first_cell]);
        }
        SDL_UpdateTexture(grid_texture_, nullptr, grid_pixels_.data(), w * 4);
        cell_colours_.swap(colours);
        grid_columns_ = grid.columns;
        ++grid_version_;
    }
    picture_.texture(grid_texture_, grid.area, grid_version_);

    // Row addresses, as often as the text height allows.
    int every = std::max(1, (t.char_h() + grid.pitch - 1) / grid.pitch);
    for (uint32_t row = 0; row < grid.rows; row += every) {
        if (grid.area.y + int(row) * grid.pitch + t.char_h() > l.hover.y) break;  // never over the hover line
        uint64_t address = uint64_t(grid.first_row + row) * grid.frames_per_row() * 4096;
        t.draw_text(fmt::format("{:08x}", address), l.memory.x, grid.area.y + int(row) * grid.pitch, kDim);
    }
    if (zoomed) {  // a scroll bar right of the cells: where the rows on show are among all of them
        Rect bar{grid.area.right() + 3, grid.area.y, 3, grid.area.h};
        fill(bar, {50, 50, 60});
        const int thumb_h = std::max(6, int(int64_t(bar.h) * grid.rows / grid.total_rows));
        const int thumb_y = bar.y + int(int64_t(bar.h - thumb_h) * grid.first_row /
                                        std::max<uint32_t>(1, grid.total_rows - grid.rows));
        fill({bar.x, thumb_y, bar.w, thumb_h}, kDim);
    }
    auto mark = [&](std::optional<uint32_t> frame, int inset, Rgb colour) {
        if (!frame || *frame >= frame_count || !grid.shows_cell(*frame / grid.frames_per_cell)) return;
        Rect r = grid.cell_rect(*frame / grid.frames_per_cell);
        outline({r.x - inset, r.y - inset, r.w + 2 * inset, r.h + 2 * inset}, colour);
    };
    mark(model.selected_frame, 2, kHighlight);
    mark(model.selected_frame, 3, kHighlight);
    mark(model.hovered_frame, 2, {255, 255, 255});
}

void WindowRenderer::draw_legend(const std::vector<LegendEntry>& legend, const Rect& area) {
    PanePicture& t = picture_;
    int y = area.y;
    for (const LegendEntry& entry : legend) {
        if (y + t.char_h() > area.bottom()) break;
        fill({area.x, y + 3, t.char_h() - 6, t.char_h() - 6}, entry.colour);
        t.draw_text(fmt::format("{:<16} {:>6}", entry.label, entry.frames), area.x + t.char_h(), y, kText);
        y += t.char_h();
    }
}

std::vector<PaneLine> address_space_lines(const AddressSpaceView& space,
                                          std::optional<uint32_t> selected_page) {
    using S = PaneLine::Style;
    std::vector<PaneLine> lines;
    if (!space.readable) {
        lines.push_back({fmt::format("CR3 {:08x}: the page directory is not in RAM", space.cr3), S::Warning});
        return lines;
    }
    lines.push_back({fmt::format("Address space of {} (CR3 {:08x})", space.owner, space.cr3), S::Title});
    lines.push_back({fmt::format("user pages: {} present, {} swapped out, {} not present", space.present,
                                 space.swapped, space.not_present),
                     S::Text});
    lines.push_back(
        {fmt::format("            {} CoW, {} swap cache", space.cow, space.swap_cached), S::Text});
    lines.push_back({"Np = a run of N pages   U = user, S = kernel only", S::Dim});
    lines.push_back({"W = writable, R = read-only   A = accessed, D = dirty", S::Dim});
    lines.push_back({"CoW = shared copy-on-write (copied at the first write)", S::Dim});
    lines.push_back({"swap cache = read-only, shared with the swap cache only", S::Dim});
    lines.push_back({describe_kernel_part(space), S::Dim});
    for (const VmRun& run : space.runs) {
        const bool selected = selected_page && *selected_page >= run.linear &&
                              *selected_page - run.linear < uint64_t(run.pages) * 4096;
        if (selected) {  // the page of the event clicked on the timeline, or a `select page`
            lines.push_back(
                {fmt::format("> {}  <- selected page {:08x}", describe_vm_run(run), *selected_page),
                 S::Selected});
            continue;
        }
        lines.push_back({describe_vm_run(run), run.kind == VmRun::Kind::Swapped      ? S::Highlight
                                               : run.kind == VmRun::Kind::NotPresent ? S::Warning
                                                                                     : S::Text});
    }
    if (selected_page && !space.runs.empty() &&
        std::none_of(lines.begin(), lines.end(), [](const PaneLine& l) { return l.style == S::Selected; }))
        lines.push_back({fmt::format("selected page {:08x}: not mapped here", *selected_page), S::Dim});
    if (space.runs.empty()) lines.push_back({"no user pages", S::Dim});
    return lines;
}

const char* tab_title(DetailTab tab) {
    switch (tab) {
        case DetailTab::AddressSpace: return "Address space";
        case DetailTab::Frame: return "Frame";
        case DetailTab::Cpu: return "CPU";
        case DetailTab::Timeline: return "Timeline";
        case DetailTab::Swap: return "Swap map";
    }
    return "?";
}

namespace {

Rgb style_colour(PaneLine::Style style) {
    switch (style) {
        case PaneLine::Style::Title: return kTitle;
        case PaneLine::Style::Dim: return kDim;
        case PaneLine::Style::Highlight: return kHighlight;
        case PaneLine::Style::Warning: return kWarning;
        case PaneLine::Style::Selected: return kHighlight;
        case PaneLine::Style::Text: break;
    }
    return kText;
}

}  // namespace

int WindowRenderer::draw_lines(const std::vector<PaneLine>& source, const Rect& area, int scroll) {
    PanePicture& t = picture_;
    const int rows = std::max(0, area.h / t.char_h());
    // Lines wider than the pane wrap (the panes are sized so that they rarely do); never cut.
    const size_t columns = size_t(std::max(1, (area.w - 6) / t.char_w()));
    std::vector<PaneLine> wrapped;
    const std::vector<PaneLine>* shown = &source;
    if (std::any_of(source.begin(), source.end(),
                    [&](const PaneLine& l) { return l.text.size() > columns; })) {
        for (const PaneLine& line : source)
            for (std::string& part : wrap_text(line.text, columns))
                wrapped.push_back({std::move(part), line.style});
        shown = &wrapped;
    }
    const std::vector<PaneLine>& lines = *shown;
    const int limit = std::max(0, int(lines.size()) - rows);
    scroll = std::clamp(scroll, 0, limit);
    for (int i = 0; i < rows && scroll + i < int(lines.size()); ++i) {
        const PaneLine& line = lines[size_t(scroll + i)];
        if (line.style == PaneLine::Style::Selected)
            fill({area.x, area.y + i * t.char_h(), area.w - 6, t.char_h()}, kSelectedRow);
        t.draw_text(line.text, area.x, area.y + i * t.char_h(), style_colour(line.style));
    }
    if (limit > 0 && rows > 0) {  // a scroll bar: where the visible lines are among all of them
        Rect bar{area.right() - 4, area.y, 4, rows * t.char_h()};
        fill(bar, {50, 50, 60});
        int thumb_h = std::max(6, bar.h * rows / int(lines.size()));
        int thumb_y = bar.y + (bar.h - thumb_h) * scroll / limit;
        fill({bar.x, thumb_y, bar.w, thumb_h}, kDim);
    }
    return limit;
}

void WindowRenderer::draw_vmap(const UiModel& model, const Rect& area) {
    PanePicture& t = picture_;
    const MemoryView& memory = model.memory;
    int y = area.y;
    hits_.push_back({area, {Hit::Kind::Vmap, 0}});
    if (!memory.source_note.empty() && y + t.char_h() <= area.bottom()) {
        t.draw_text(memory.source_note, area.x, y, kWarning);
        y += t.char_h();
    }
    const int ch = t.char_h(), cw = t.char_w();
    if (!memory.processes.empty()) {
        t.draw_text(
            fmt::format("Processes ({}): click one to see its address space", memory.processes.size()),
            area.x, y, kTitle);
        y += ch;
        t.draw_text("  name              pid state    rss  swap  cr3      (* running)", area.x, y, kDim);
        y += ch;
        // At most a third of the pane (forkstorm has 64), scrolled so the selected one shows.
        const size_t count = memory.processes.size();
        const size_t cap = size_t(std::max(4, area.h / ch / 3));
        size_t first = 0;
        if (count > cap) {
            size_t selected = 0;
            for (size_t i = 0; i < count; ++i)  // the selected process, or the running one
                if (model.selected_pid ? model.selected_pid == memory.processes[i].pid
                                       : memory.processes[i].current)
                    selected = i;
            first = std::min(selected > cap / 2 ? selected - cap / 2 : 0, count - (cap - 1));
        }
        const size_t rows = count > cap ? cap - 1 : count;
        for (size_t i = first; i < first + rows && i < count; ++i) {
            const ProcessView& p = memory.processes[i];
            if (y + ch > area.bottom()) break;
            const bool selected = model.selected_pid == p.pid && !model.selected_cr3;
            Rect row{area.x, y, std::min(area.w, 62 * cw), ch};
            if (selected) fill(row, kSelectedRow);
            std::string text = fmt::format("{}{}{:<16} {:>4} {:<7} {:>5} {:>5}  {:08x}", selected ? '>' : ' ',
                                           p.current ? '*' : ' ', p.name.substr(0, 16), p.pid,
                                           p.state.substr(0, 7), p.rss_pages, p.swap_pages, p.cr3);
            t.draw_text(text, area.x, y, p.current ? kHighlight : kText);
            hits_.push_back({row, {Hit::Kind::Process, p.pid}});
            y += ch;
        }
        if (count > cap && y + ch <= area.bottom()) {
            t.draw_text(fmt::format("  ({}-{} of {} shown; click a timeline event to pick another)",
                                    first + 1, first + rows, count),
                        area.x, y, kDim);
            y += ch;
        }
        y += ch / 2;
    }
    if (!memory.paging) {
        if (y + ch <= area.bottom())
            t.draw_text("Paging is off: linear addresses are physical.", area.x, y, kTitle);
        vmap_scroll_limit_ = 0;
        return;
    }
    // Every page directory seen in CR3 (any guest), as clickable chips: at most two rows, newest.
    if (!memory.seen_cr3s.empty() && y + ch <= area.bottom()) {
        const std::string label = "CR3s seen:";
        const int per_row = std::max(1, (area.w - int(label.size() + 1) * cw) / (9 * cw));
        const size_t shown = std::min<size_t>(memory.seen_cr3s.size(), size_t(2 * per_row));
        t.draw_text(label, area.x, y, kTitle);
        int x = area.x + int(label.size() + 1) * cw, row = 0;
        for (size_t i = memory.seen_cr3s.size() - shown; i < memory.seen_cr3s.size(); ++i) {
            if (x + 8 * cw > area.right()) {
                if (++row == 2 || y + 2 * ch > area.bottom()) break;
                x = area.x + int(label.size() + 1) * cw;
                y += ch;
            }
            const uint32_t cr3 = memory.seen_cr3s[i];
            const bool picked = model.selected_cr3 == cr3;
            Rect chip{x, y, 8 * cw, ch};
            fill(chip, picked ? kSelectedRow : kButton);
            t.draw_text(fmt::format("{:08x}", cr3), x, y, picked ? kHighlight : kText);
            hits_.push_back({chip, {Hit::Kind::Cr3, cr3}});
            x += 9 * cw;
        }
        y += ch + 2;
    }
    // Runs or the tree: two buttons (F2 switches too).
    if (y + ch <= area.bottom()) {
        int x = area.x;
        for (WindowControl c : {WindowControl::ShowRuns, WindowControl::ShowTree}) {
            const bool on = (c == WindowControl::ShowTree) == model.show_tree;
            const std::string label = c == WindowControl::ShowTree ? " page-table tree " : " runs of pages ";
            Rect r{x, y, int(label.size()) * cw, ch};
            fill(r, on ? kSelectedRow : kButton);
            t.draw_text(label, x, y, on ? kHighlight : kText);
            hits_.push_back({r, {Hit::Kind::Control, uint32_t(c)}});
            x = r.right() + cw;
        }
        t.draw_text("F2 switches; wheel, PgUp/PgDn scroll", x, y, kDim);
        y += ch + 2;
    }
    Rect lines_area{area.x, y, area.w, area.bottom() - y};
    vmap_page_ = std::max(1, lines_area.h / ch - 1);
    if (!model.show_tree) {
        vmap_scroll_limit_ =
            draw_lines(address_space_lines(model.space, model.selected_page), lines_area, model.vmap_scroll);
        return;
    }
    std::vector<PaneLine> lines;
    lines.reserve(model.tree.size());
    for (const TreeLine& l : model.tree) lines.push_back(l.line);
    vmap_scroll_limit_ = draw_lines(lines, lines_area, model.vmap_scroll);
    // Directory entries are clickable: the same scroll draw_lines used.
    const int rows = std::max(0, lines_area.h / ch);
    const int scroll = std::clamp(model.vmap_scroll, 0, vmap_scroll_limit_);
    for (int i = 0; i < rows && scroll + i < int(model.tree.size()); ++i)
        if (const auto& pde = model.tree[size_t(scroll + i)].pde)
            hits_.push_back({Rect{lines_area.x, lines_area.y + i * ch, lines_area.w - 6, ch},
                             {Hit::Kind::TreeEntry, *pde}});
}

void WindowRenderer::draw_aux(const UiModel& model, const WindowLayout& l) {
    PanePicture& t = picture_;
    // The tab bar: each title clickable, the one on show highlighted.
    std::vector<DetailTab> tabs = {DetailTab::Timeline, DetailTab::Frame, DetailTab::Cpu, DetailTab::Swap};
    if (!l.split) tabs.insert(tabs.begin(), DetailTab::AddressSpace);
    const DetailTab shown = l.split ? model.aux_tab : model.tab;
    int x = l.tabs.x;
    for (DetailTab tab : tabs) {
        std::string title = fmt::format(" {} ", tab_title(tab));
        Rect r{x, l.tabs.y, int(title.size()) * t.char_w(), t.char_h()};
        if (r.right() > l.tabs.right()) break;
        fill(r, tab == shown ? Rgb{70, 70, 100} : Rgb{40, 40, 50});
        t.draw_text(title, x, l.tabs.y, tab == shown ? kHighlight : kText);
        hits_.push_back({r, {Hit::Kind::Tab, uint32_t(tab)}});
        x = r.right() + t.char_w();
    }
    t.draw_text(l.split ? "F1 F3 F4" : "F2 F1 F3 F4", x, l.tabs.y, kDim);
    timeline_strip_ = {};
    if (shown == DetailTab::AddressSpace) return;  // drawn by draw_vmap in the same place
    if (shown == DetailTab::Timeline) {
        draw_timeline(model, l.aux);
        return;
    }
    if (shown == DetailTab::Swap) {
        hits_.push_back({l.aux, {Hit::Kind::Aux, 0}});
        draw_swap(model, l.aux);
        return;
    }
    hits_.push_back({l.aux, {Hit::Kind::Aux, 0}});
    static const std::vector<PaneLine> kNoFrame = {
        {"Click a frame in the grid to inspect it: its kind, who maps it", PaneLine::Style::Dim},
        {"(every PTE in every address space), its bytes and its events.", PaneLine::Style::Dim}};
    if (shown == DetailTab::Frame && model.frame_lines.empty()) {
        // Nothing picked: the hint, then the kernel's virtual layout (every frame's inspector ends with it).
        std::vector<PaneLine> lines = kNoFrame;
        for (PaneLine& line : kernel_layout_lines(model.memory.layout)) lines.push_back(std::move(line));
        aux_scroll_limit_ = draw_lines(lines, l.aux, model.aux_scroll);
        return;
    }
    const std::vector<PaneLine>& lines = shown == DetailTab::Cpu ? model.cpu_lines : model.frame_lines;
    aux_scroll_limit_ = draw_lines(lines, l.aux, model.aux_scroll);
}

void WindowRenderer::draw_hover(const UiModel& model, const Rect& area) {
    PanePicture& t = picture_;
    std::string text = "point at a frame: details here; click: inspector; Ctrl+wheel: zoom";
    if (model.hovered_frame)
        text = grid_.frames_per_cell > 1
                   ? describe_cell(model.memory, *model.hovered_frame, grid_.frames_per_cell)
                   : describe_frame(model.memory, *model.hovered_frame);
    if (model.hovered_frame && *model.hovered_frame < model.heat.size()) {
        const Heat& h = model.heat[*model.hovered_frame];
        text +=
            fmt::format("; TLB fills (decaying): {:.0f} read {:.0f} write {:.0f} fetch", h[0], h[1], h[2]);
    }
    const size_t columns = size_t(std::max(1, area.w / t.char_w()));
    if (text.size() > columns) text = text.substr(0, columns - 1) + "~";
    t.draw_text(text, area.x, area.y, model.hovered_frame ? kText : kDim);
}

std::optional<WindowRenderer::Hit> WindowRenderer::hit_test(int x, int y, uint32_t frame_count) const {
    // Later regions are drawn on top of earlier ones (a row inside its pane): search backwards.
    for (auto it = hits_.rbegin(); it != hits_.rend(); ++it)
        if (it->first.contains(x, y)) return it->second;
    if (auto frame = grid_.frame_at(x, y, frame_count)) return Hit{Hit::Kind::Frame, *frame};
    return std::nullopt;
}

void WindowRenderer::draw_status(const UiModel& model, const Rect& area) {
    PanePicture& t = picture_;
    t.draw_text(model.status, area.x, area.y, kHighlight);
}

std::optional<Rgb> WindowRenderer::pixel(int x, int y) {
    uint32_t value = 0;
    SDL_Rect r{x, y, 1, 1};
    if (canvas_) SDL_SetRenderTarget(renderer_, canvas_);
    const int failed = SDL_RenderReadPixels(renderer_, &r, SDL_PIXELFORMAT_ARGB8888, &value, 4);
    if (canvas_) SDL_SetRenderTarget(renderer_, nullptr);
    if (failed) return std::nullopt;
    return Rgb{uint8_t(value >> 16), uint8_t(value >> 8), uint8_t(value)};
}

SDL_Surface* WindowRenderer::read_back() {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surface) return nullptr;
    if (canvas_) SDL_SetRenderTarget(renderer_, canvas_);  // the last picture, presented or not
    const int failed =
        SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ARGB8888, surface->pixels, surface->pitch);
    if (canvas_) SDL_SetRenderTarget(renderer_, nullptr);
    if (failed) {
        SDL_FreeSurface(surface);
        return nullptr;
    }
    return surface;
}

bool WindowRenderer::save_bmp(const std::string& path) {
    SDL_Surface* surface = read_back();
    bool ok = surface && SDL_SaveBMP(surface, path.c_str()) == 0;
    if (!ok) log::get("ui").warn("cannot save a screenshot to '{}': {}", path, SDL_GetError());
    if (surface) SDL_FreeSurface(surface);
    return ok;
}

bool WindowRenderer::save_picture(const std::string& path) {
    std::string lower = path;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (!lower.ends_with(".png")) return save_bmp(path);
    SDL_Surface* surface = read_back();
    std::string error = surface ? "" : SDL_GetError();
    bool ok = surface && write_png(path, static_cast<const uint32_t*>(surface->pixels), surface->w,
                                   surface->h, surface->pitch, error);
    if (!ok) log::get("ui").warn("cannot save a screenshot to '{}': {}", path, error);
    if (surface) SDL_FreeSurface(surface);
    return ok;
}

}  // namespace pc386
