#include "ui/window_renderer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

#include "base/log.h"
#include "ui/png_file.h"
#include "ui/text_mode_palette.h"

namespace pc386 {
namespace {

constexpr int kFontPixels = 14;
constexpr Rgb kBackground{22, 22, 28};
constexpr Rgb kTitle{230, 230, 160};
constexpr Rgb kText{200, 200, 200};
constexpr Rgb kDim{120, 120, 130};
constexpr Rgb kHighlight{255, 210, 60};
constexpr Rgb kWarning{255, 120, 100};

uint32_t argb(Rgb c) {
    return 0xFF000000u | uint32_t(c.r) << 16 | uint32_t(c.g) << 8 | c.b;
}

// The colour of a grid cell that stands for several frames: the most common kind among them.
FrameInfo dominant(const std::vector<FrameInfo>& frames, uint32_t first, uint32_t count) {
    if (count == 1) return frames[first];
    std::map<std::pair<FrameKind, uint32_t>, uint32_t> votes;
    FrameInfo best = frames[first];
    uint32_t best_votes = 0;
    uint32_t end = std::min<uint64_t>(uint64_t(first) + count, frames.size());
    for (uint32_t i = first; i < end; ++i) {
        uint32_t v = ++votes[{frames[i].kind, frames[i].detail}];
        if (v > best_votes) {
            best_votes = v;
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

WindowLayout WindowRenderer::layout(uint32_t frame_count) const {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    return compute_layout(w, h, text_->char_w(), text_->char_h(), frame_count);
}

void WindowRenderer::fill(const Rect& r, Rgb c) {
    SDL_SetRenderDrawColor(renderer_, c.r, c.g, c.b, 255);
    SDL_Rect sr{r.x, r.y, r.w, r.h};
    SDL_RenderFillRect(renderer_, &sr);
}

void WindowRenderer::outline(const Rect& r, Rgb c) {
    SDL_SetRenderDrawColor(renderer_, c.r, c.g, c.b, 255);
    SDL_Rect sr{r.x, r.y, r.w, r.h};
    SDL_RenderDrawRect(renderer_, &sr);
}

void WindowRenderer::draw(const UiModel& model) {
    WindowLayout l = layout(static_cast<uint32_t>(model.memory.frames.size()));
    SDL_SetRenderDrawColor(renderer_, kBackground.r, kBackground.g, kBackground.b, 255);
    SDL_RenderClear(renderer_);
    draw_console(model.console, l.console);
    draw_counters(model, l.counters);
    draw_memory(model, l);
    draw_legend(model.legend, l.legend);
    draw_address_space(model.memory, l.vmap);
    draw_status(model, l.status);
}

void WindowRenderer::present() {
    SDL_RenderPresent(renderer_);
}

void WindowRenderer::draw_console(const ConsoleView& console, const Rect& area) {
    TextAtlas& t = *text_;
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
    TextAtlas& t = *text_;
    int y = area.y;
    for (const std::string& line : model.info_lines) {
        if (y + t.char_h() > area.bottom()) return;
        t.draw_text(line, area.x, y, kText);
        y += t.char_h();
    }
    // Lines longer than the pane are cut (with a mark), never drawn over the next pane.
    const size_t columns = static_cast<size_t>(std::max(1, area.w / t.char_w()));
    auto fit = [columns](const std::string& line) {
        return line.size() <= columns ? line : line.substr(0, columns - 1) + "~";
    };
    if (!model.fault_line.empty() && y + t.char_h() <= area.bottom()) {
        t.draw_text(fit(model.fault_line), area.x, y, model.fault_fresh ? kHighlight : kText);
        y += t.char_h();
    }
    if (!model.event_lines.empty() && y + 2 * t.char_h() <= area.bottom()) {
        y += t.char_h() / 2;
        t.draw_text("Last events (instruction, process, what)", area.x, y, kTitle);
        y += t.char_h();
        for (size_t i = 0; i < model.event_lines.size() && y + t.char_h() <= area.bottom(); ++i) {
            const bool newest = i + 1 == model.event_lines.size();
            t.draw_text(fit(model.event_lines[i]), area.x, y, newest && model.events_fresh ? kHighlight : kText);
            y += t.char_h();
        }
    }
    y += t.char_h() / 2;
    // Two columns: the machine's counters on the left, the guest kernel's on the right.
    int column_w = area.w / 2;
    auto column = [&](const char* title, const std::vector<CounterTracker::Row>& rows, int x) {
        int cy = y;
        if (cy + t.char_h() > area.bottom()) return;
        t.draw_text(title, x, cy, kTitle);
        cy += t.char_h();
        // Name, a 12-digit value, and room for " +delta" (8).
        int name_w = std::max(0, column_w / t.char_w() - 21);
        for (const auto& row : rows) {
            if (cy + t.char_h() > area.bottom()) {
                t.draw_text("...", x, cy - t.char_h(), kDim);
                return;
            }
            std::string name = row.name.substr(0, static_cast<size_t>(name_w));
            std::string text = fmt::format("{:<{}} {:>12}", name, name_w, with_thousands(row.value));
            int end = t.draw_text(text, x, cy, row.highlighted ? kHighlight : kText);
            if (row.highlighted && row.delta)
                t.draw_text(" +" + compact_number(row.delta), end, cy, kHighlight);
            cy += t.char_h();
        }
    };
    column("Machine", model.machine_counters, area.x);
    if (!model.guest_counters.empty()) column("Guest kernel", model.guest_counters, area.x + column_w);
}

void WindowRenderer::draw_memory(const UiModel& model, const WindowLayout& l) {
    TextAtlas& t = *text_;
    const MemoryView& memory = model.memory;
    const GridGeometry& grid = l.grid;
    const uint32_t frame_count = static_cast<uint32_t>(memory.frames.size());
    std::string title = fmt::format(
        "Physical memory: {} frames of 4 KiB ({} KiB), {}", frame_count, uint64_t(frame_count) * 4,
        memory.from_guest ? "from the guest's frame table" : "from the page tables");
    if (!memory.from_guest && !memory.paging)
        title = fmt::format("Physical memory: {} frames of 4 KiB; paging is off, nothing to colour by",
                            frame_count);
    if (grid.frames_per_cell > 1) title += fmt::format(", {} frames per cell", grid.frames_per_cell);
    t.draw_text(title, l.memory.x, l.memory.y, kTitle);
    if (grid.columns == 0 || frame_count == 0) return;

    // Cells go into one streaming texture: one upload and one copy instead of thousands of rects.
    int w = grid.area.w, h = grid.area.h;
    if (!grid_texture_ || grid_texture_w_ != w || grid_texture_h_ != h) {
        if (grid_texture_) SDL_DestroyTexture(grid_texture_);
        grid_texture_ =
            SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
        grid_texture_w_ = w;
        grid_texture_h_ = h;
    }
    if (!grid_texture_) return;
    grid_pixels_.assign(size_t(w) * size_t(h), argb(kBackground));
    uint32_t cells = grid.cells_for(frame_count);
    for (uint32_t c = 0; c < cells; ++c) {
        uint32_t first = c * grid.frames_per_cell;
        Rgb colour = frame_colour(dominant(memory.frames, first, grid.frames_per_cell));
        if (first < model.frame_changed_ms.size()) {
            uint64_t changed = 0;
            uint32_t end =
                std::min<uint64_t>(uint64_t(first) + grid.frames_per_cell, model.frame_changed_ms.size());
            for (uint32_t f = first; f < end; ++f) changed = std::max(changed, model.frame_changed_ms[f]);
            if (changed && model.now_ms >= changed) colour = change_glow(colour, model.now_ms - changed);
        }
        Rect r = grid.cell_rect(c);
        int x0 = r.x - grid.area.x, y0 = r.y - grid.area.y;
        uint32_t px = argb(colour);
        for (int y = y0; y < y0 + r.h && y < h; ++y)
            std::fill_n(&grid_pixels_[size_t(y) * w + x0], std::min(r.w, w - x0), px);
    }
    SDL_UpdateTexture(grid_texture_, nullptr, grid_pixels_.data(), w * 4);
    SDL_Rect dst{grid.area.x, grid.area.y, w, h};
    SDL_RenderCopy(renderer_, grid_texture_, nullptr, &dst);

    // Row addresses, as often as the text height allows.
    int every = std::max(1, (t.char_h() + grid.pitch - 1) / grid.pitch);
    for (uint32_t row = 0; row < grid.rows; row += every) {
        uint64_t address = uint64_t(row) * grid.columns * grid.frames_per_cell * 4096;
        t.draw_text(fmt::format("{:08x}", address), l.memory.x, grid.area.y + int(row) * grid.pitch, kDim);
    }
    if (model.hovered_frame && *model.hovered_frame < frame_count) {
        Rect r = grid.cell_rect(*model.hovered_frame / grid.frames_per_cell);
        outline({r.x - 2, r.y - 2, r.w + 4, r.h + 4}, {255, 255, 255});
    }
}

void WindowRenderer::draw_legend(const std::vector<LegendEntry>& legend, const Rect& area) {
    TextAtlas& t = *text_;
    int y = area.y;
    for (const LegendEntry& entry : legend) {
        if (y + t.char_h() > area.bottom()) break;
        fill({area.x, y + 3, t.char_h() - 6, t.char_h() - 6}, entry.colour);
        t.draw_text(fmt::format("{:<16} {:>6}", entry.label, entry.frames), area.x + t.char_h(), y, kText);
        y += t.char_h();
    }
}

void WindowRenderer::draw_address_space(const MemoryView& memory, const Rect& area) {
    TextAtlas& t = *text_;
    int y = area.y;
    auto line = [&](const std::string& text, Rgb colour) {
        if (y + t.char_h() > area.bottom()) return false;
        t.draw_text(text, area.x, y, colour);
        y += t.char_h();
        return true;
    };
    if (!memory.source_note.empty()) line(memory.source_note, kWarning);
    if (!memory.processes.empty()) {
        line(fmt::format("Processes ({})      pid state     rss  swap cr3", memory.processes.size()), kTitle);
        for (const ProcessView& p : memory.processes) {
            std::string text = fmt::format("{}{:<16} {:>4} {:<8} {:>5} {:>5} {:08x}", p.current ? '*' : ' ',
                                           p.name.substr(0, 16), p.pid, p.state.substr(0, 8), p.rss_pages,
                                           p.swap_pages, p.cr3);
            if (!line(text, p.current ? kHighlight : kText)) return;
        }
        y += t.char_h() / 2;
    }
    if (!memory.paging) {
        line("Paging is off: linear addresses are physical.", kTitle);
        return;
    }
    uint64_t user_pages = 0, kernel_pages = 0;
    for (const PageRun& run : memory.runs) (run.user ? user_pages : kernel_pages) += run.pages;
    line(fmt::format("Address space of CR3={:08x}: {} runs, {} user pages, {} kernel pages", memory.cr3,
                     memory.runs.size(), user_pages, kernel_pages),
         kTitle);
    // Two columns of runs when the pane is wide enough.
    const int run_w = 50 * t.char_w();
    int columns = std::max(1, area.w / run_w);
    int rows_left = std::max(0, (area.bottom() - y) / t.char_h());
    size_t capacity = size_t(rows_left) * columns;
    for (size_t i = 0; i < memory.runs.size() && i < capacity; ++i) {
        int x = area.x + int(i / rows_left) * run_w;
        int ry = y + int(i % rows_left) * t.char_h();
        bool last_slot = i + 1 == capacity && memory.runs.size() > capacity;
        std::string text = last_slot ? fmt::format("... {} more runs", memory.runs.size() - i)
                                     : describe_run(memory.runs[i]);
        t.draw_text(text, x, ry, memory.runs[i].user ? kText : kDim);
    }
}

void WindowRenderer::draw_status(const UiModel& model, const Rect& area) {
    TextAtlas& t = *text_;
    int x = t.draw_text(model.status, area.x, area.y, kHighlight);
    if (model.hovered_frame)
        t.draw_text("   " + describe_frame(model.memory, *model.hovered_frame), x, area.y, kText);
}

std::optional<Rgb> WindowRenderer::pixel(int x, int y) {
    uint32_t value = 0;
    SDL_Rect r{x, y, 1, 1};
    if (SDL_RenderReadPixels(renderer_, &r, SDL_PIXELFORMAT_ARGB8888, &value, 4) != 0) return std::nullopt;
    return Rgb{uint8_t(value >> 16), uint8_t(value >> 8), uint8_t(value)};
}

SDL_Surface* WindowRenderer::read_back() {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (surface &&
        SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ARGB8888, surface->pixels, surface->pitch) != 0) {
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
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (!lower.ends_with(".png")) return save_bmp(path);
    SDL_Surface* surface = read_back();
    std::string error = surface ? "" : SDL_GetError();
    bool ok = surface && write_png(path, static_cast<const uint32_t*>(surface->pixels), surface->w, surface->h,
                                   surface->pitch, error);
    if (!ok) log::get("ui").warn("cannot save a screenshot to '{}': {}", path, error);
    if (surface) SDL_FreeSurface(surface);
    return ok;
}

}  // namespace pc386
