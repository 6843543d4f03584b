#include "ui/debug_window.h"

#include <SDL.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "base/log.h"
#include "debug/event_writer.h"
#include "machine/machine.h"
#include "mmu/mmu.h"
#include "ui/counter_tracker.h"
#include "ui/heat_map.h"
#include "ui/lru_palette.h"
#include "ui/machine_snapshot.h"
#include "ui/screenshot_name.h"
#include "ui/timeline.h"
#include "ui/window_renderer.h"
#include "ui/window_requests.h"

namespace pc386 {
namespace {

spdlog::logger& logger() {
    return log::get("ui");
}

uint64_t host_ms() {
    using namespace std::chrono;
    return uint64_t(duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
}

constexpr uint64_t kFrameMs = 33;  // at most ~30 redraws a second (fewer on a slower display)
// The slow things share one tick, so that they change the picture together (one present, not
// several): each tick re-reads the frame table and page tables and steps the glow of changed
// frames; every kTextTicks-th also the counters, MIPS, the CPU panel and the timeline.
constexpr uint64_t kTickMs = 250;
constexpr uint64_t kTextTicks = 2;
constexpr int kIdleWaitMs = 250;         // a paused window with nothing to draw looks for Ctrl-C this often
constexpr uint64_t kSliceTargetMs = 10;  // host time one CPU slice should take
constexpr uint64_t kMinSlice = 10'000, kMaxSlice = 20'000'000;

// The events a learner follows in the window: what the memory manager did, faults and the
// process life cycle (not the timer's interrupts or the TLB's flushes).
EventFilter story_filter() {
    std::string why;
    return *EventFilter::parse(
        "exception,proc,zero-fill,cow-copy,cow-reuse,stack-grow,swap-out,swap-in,reclaim,"
        "oom-kill,reset,shutdown,guest-exit",
        why);
}

// Slow-motion steps (F9 slower, F10 faster): instructions per second, 0 = full speed.
constexpr uint64_t kPaces[] = {0, 10'000'000, 1'000'000, 100'000, 10'000, 1'000};
constexpr size_t kEventLines = 8;                               // the last events shown under the counters
constexpr int kOffscreenWidth = 1920, kOffscreenHeight = 1080;  // --screenshot without a window

// The picture's text (window_text.cpp) beside the picture at `picture_path`, with .txt for its
// extension: greppable, and what tests read. `exclusive` (F12): never over an existing file.
bool write_text_beside(const std::string& picture_path, const std::string& text, bool exclusive) {
    const std::filesystem::path text_path = std::filesystem::path(picture_path).replace_extension(".txt");
    if (text_path == std::filesystem::path(picture_path)) return true;  // a picture named .txt keeps it
    std::FILE* f = std::fopen(text_path.c_str(), exclusive ? "wx" : "w");
    bool ok = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (f && std::fclose(f) != 0) ok = false;
    if (!ok && !exclusive) logger().warn("cannot write the screenshot's text to {}", text_path.string());
    return ok || exclusive;
}

// SDL's video subsystem and one window, released in reverse order.
struct SdlWindow {
    SDL_Window* window = nullptr;
    SdlWindow() {
        if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
            throw std::runtime_error(std::string("SDL_Init: ") + SDL_GetError());
        int w, h;
        WindowRenderer::preferred_size(w, h);
        // Never larger than the screen (a 1280x720 projector): the layout fits whatever it gets.
        SDL_Rect usable;
        if (SDL_GetDisplayUsableBounds(0, &usable) == 0 && usable.w > 0 && usable.h > 0) {
            w = std::min(w, usable.w);
            h = std::min(h, usable.h);
        }
        window = SDL_CreateWindow("pc386", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h,
                                  SDL_WINDOW_RESIZABLE);
        if (!window) {
            std::string error = SDL_GetError();
            SDL_QuitSubSystem(SDL_INIT_VIDEO);
            throw std::runtime_error("SDL_CreateWindow: " + error);
        }
    }
    ~SdlWindow() {
        SDL_DestroyWindow(window);
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    }
};

// The window's state between frames: run control, the model on screen and what changed.
class DebugWindow {
  public:
    // `window` is null for an off-screen picture (`renderer` then draws into a surface).
    DebugWindow(Machine& machine, SDL_Window* window, WindowRenderer& renderer,
                const DebugWindowOptions& options)
        : machine_(machine),
          window_(window),
          renderer_(renderer),
          snapshot_(machine, options.linux_frames),
          story_(story_filter()),
          own_requests_(options.requests ? nullptr : std::make_unique<WindowRequests>(machine)),
          requests_(options.requests ? *options.requests : *own_requests_) {
        screenshot_at_exit_ = options.screenshot;
        if (const char* path = std::getenv("PC386_UI_SCREENSHOT"); path && screenshot_at_exit_.empty())
            screenshot_at_exit_ = path;
        if (window_) {
            SDL_StartTextInput();
            // Never more pictures than the display shows.
            SDL_DisplayMode mode;
            if (SDL_GetCurrentDisplayMode(std::max(0, SDL_GetWindowDisplayIndex(window_)), &mode) == 0 &&
                mode.refresh_rate > 0)
                frame_period_ms_ = std::max<uint64_t>(kFrameMs, 1000 / uint64_t(mode.refresh_rate));
            frame_interval_ms_ = frame_period_ms_;
        }
        machine_.events().keep_history();  // the event list below the counters
        for (size_t i = 0; i < std::size(kPaces); ++i)
            if (kPaces[i] == machine_.pace()) pace_index_ = i;
    }

    ~DebugWindow() = default;
    DebugWindow(const DebugWindow&) = delete;
    DebugWindow& operator=(const DebugWindow&) = delete;

    StopReason run();
    // Reads the machine and draws the picture once (for an off-screen screenshot).
    void draw_once(const std::string& why_stopped) {
        stopped_ = why_stopped;
        refresh(true);           // reads the machine and applies the requests (window_requests.h)
        renderer_.draw(model_);  // again, without presenting: the picture stays readable
    }
    std::string text_dump() const { return renderer_.text_dump(model_); }

  private:
    StopReason run_cpu();
    void handle_event(const SDL_Event& event);
    void handle_key(const SDL_KeyboardEvent& key);
    void refresh(bool force);
    void note_frame_changes(const MemoryView& before, const MemoryView& after, uint64_t now);
    void draw();
    std::string status_text() const;

    void note_events();
    void click(int x, int y);
    void show_tab(DetailTab tab);
    void scroll_vmap(int lines);
    void scroll_aux(int lines);
    void read_details();
    void set_title(const char* title) {
        if (window_) SDL_SetWindowTitle(window_, title);
    }
    void set_break_on_story(bool on);
    void type_to_guest(const std::string& text);
    void control(WindowControl c);
    void select_event(const Event& e);
    void select_process(uint32_t pid);
    void select_frame(uint32_t frame);
    void select_page(uint32_t page);
    void apply_requests();
    void apply(const WindowRequests::Entry& request);
    void read_timeline();
    void note_cr3(uint32_t cr3);
    void zoom_timeline(double factor, std::optional<int> mouse_x);
    // The memory grid: `steps` zoom levels in (negative: out) around `anchor`; scrolled by `rows`.
    void zoom_grid_by(int steps, std::optional<uint32_t> anchor);
    void scroll_grid_by(int rows);
    // The legend of the map on show: heat, LRU lists or frame kinds.
    std::vector<LegendEntry> legend() const {
        if (requests_.heat()) return heat_legend(model_.heat);
        if (lru_map_) return lru_legend(model_.memory.details);
        return build_legend(model_.memory.frames);
    }

    Machine& machine_;
    SDL_Window* window_;
    WindowRenderer& renderer_;
    MachineSnapshot snapshot_;
    UiModel model_;
    CounterTracker machine_tracker_, guest_tracker_;
    RateMeter mips_;
    uint64_t slice_ = 200'000;
    bool paused_ = false;
    uint64_t step_instructions_ = 0;  // a single step asked for while paused (a slice or one instruction)
    bool quit_ = false;
    bool dirty_ = true;  // the model differs from what is on screen
    uint64_t last_draw_ms_ = 0;
    uint64_t last_frame_change_ms_ = 0;
    uint64_t frames_drawn_ = 0, draw_ms_total_ = 0;  // for the log line at the end
    double draw_ms_average_ = 0;                     // host ms a frame takes (refresh and draw)
    uint32_t last_cr2_ = 0;
    uint64_t last_cr2_change_ms_ = 0;
    // The display's frame period, at least kFrameMs; the interval grows when drawing is slow, so that
    // the window never takes more than ~10 % of the host.
    uint64_t frame_period_ms_ = kFrameMs;
    uint64_t frame_interval_ms_ = kFrameMs;
    uint64_t last_tick_ms_ = 0, ticks_ = 0;   // the slow tick (kTickMs)
    uint64_t memory_read_at_ = ~uint64_t(0);  // instruction count of the memory view on show
    bool repaint_ = true;                     // the screen lost the picture (exposed, resized)
    uint32_t selected_cell_frames_ = 1;       // frames in the grid cell clicked (zoomed out: several)
    std::string screenshot_at_exit_;
    EventFilter story_;
    uint64_t events_seen_ = 0;        // sequence number of the next event to list
    std::deque<std::string> events_;  // the last kEventLines story events, newest last
    uint64_t last_event_ms_ = 0;
    int step_break_ = 0;   // F8: a one-shot break on the next story event
    int story_break_ = 0;  // F11: break on every story event
    size_t pace_index_ = 0;
    std::string break_line_;  // why the machine paused itself
    std::string notice_;      // a one-off message for the status line (where F12 saved)
    uint64_t notice_ms_ = 0;  // when it was set: it goes after kNoticeMs
    // Keys typed while the machine is paused: the 8042 holds them until it runs again, and the
    // status line says so (the console cannot echo them before the guest reads them).
    std::string typed_while_paused_;
    std::string stopped_;     // why the run ended (the last picture says so)
    Timeline timeline_;
    std::unique_ptr<WindowRequests> own_requests_;  // when the caller keeps none
    WindowRequests& requests_;                      // the view asked for, and the heat map's counter
    size_t requests_applied_ = 0;
    bool lru_map_ = false;                      // Ctrl+L: the grid by LRU list
    std::vector<uint32_t> seen_cr3s_;           // distinct page directories written to CR3, oldest first
    uint64_t timeline_read_at_ = ~uint64_t(0);  // instruction count of the timeline on show
};

StopReason DebugWindow::run() {
    refresh(true);
    StopReason reason = StopReason::None;
    while (reason == StopReason::None && !quit_) {
        if (!paused_ || step_instructions_) reason = run_cpu();
        SDL_Event event;
        if (paused_ && !step_instructions_) {
            // Nothing runs: sleep in SDL until the user does something, or the next picture is due
            // (a highlight still fading), never spinning.
            const uint64_t since = host_ms() - last_draw_ms_;
            const int wait = !dirty_                       ? kIdleWaitMs
                             : since >= frame_interval_ms_ ? 0
                                                           : int(frame_interval_ms_ - since);
            if (wait > 0 && SDL_WaitEventTimeout(&event, wait)) handle_event(event);
        }
        while (SDL_PollEvent(&event)) handle_event(event);
        // Ctrl-C or SIGTERM while paused: the machine is not running to see it, so look here.
        if (paused_ && machine_.stop_requested()) quit_ = true;
        refresh(false);
    }
    if (quit_ && reason == StopReason::None) reason = StopReason::HostRequest;
    // Show the final state (and keep it as a screenshot if asked).
    stopped_ = to_string(reason);
    refresh(true);
    if (!screenshot_at_exit_.empty()) {
        renderer_.draw(model_);
        if (renderer_.save_picture(screenshot_at_exit_) &&
            write_text_beside(screenshot_at_exit_, renderer_.text_dump(model_), false))
            logger().info("screenshot saved to {}", screenshot_at_exit_);
        renderer_.present();
    }
    logger().info(
        "debug window: stopped ({}); {} frames drawn, {:.1f} ms each on average; panes rendered: console {}, "
        "counters {}, memory {}, hover {}, address space {}, tabs {}, status {}",
        to_string(reason), frames_drawn_,
        frames_drawn_ ? double(draw_ms_total_) / double(frames_drawn_) : 0.0,
        renderer_.pane_renders(Pane::Console), renderer_.pane_renders(Pane::Counters),
        renderer_.pane_renders(Pane::Memory), renderer_.pane_renders(Pane::Hover),
        renderer_.pane_renders(Pane::Vmap), renderer_.pane_renders(Pane::Aux),
        renderer_.pane_renders(Pane::Status));
    return reason;
}

// One slice of guest time, sized so that it takes about kSliceTargetMs of host time.
StopReason DebugWindow::run_cpu() {
    if (!paused_) typed_while_paused_.clear();  // the guest has them now
    uint64_t budget = step_instructions_ ? step_instructions_ : slice_;
    if (machine_.pace()) budget = std::clamp<uint64_t>(machine_.pace() / 30, 1, budget);  // a frame's worth
    step_instructions_ = 0;
    auto start = std::chrono::steady_clock::now();
    uint64_t before = machine_.instructions();
    StopReason reason = machine_.run_for(budget);
    if (reason == StopReason::EventBreak) {
        const bool step_was_own = step_break_ && machine_.break_id() == step_break_;
        if (step_was_own) {  // F8's one-shot break
            machine_.remove_break(step_break_);
            step_break_ = 0;
        }
        // A break (F8, F11, --break-on or a script's break-on): pause at the event and say why.
        paused_ = true;
        set_title("pc386 (paused at an event)");
        if (const auto& e = machine_.break_event()) {
            const std::string where = event_stop_text(*e, &machine_.events());
            break_line_ = "stopped at " + where;
            // A break the user set (--break-on, a script's break-on) is said on the console too, as
            // the headless run's exit line does; the window's own steps (F8, F11) only in the window.
            const bool own = machine_.break_id() == story_break_ || step_was_own;
            if (!own) std::fprintf(stderr, "pc386: window paused at a break-on event: %s\n", where.c_str());
        }
        reason = StopReason::None;
    }
    double elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!paused_ && machine_.instructions() - before >= budget / 2) {
        double scale = elapsed_ms > 0.01 ? double(kSliceTargetMs) / elapsed_ms : 2.0;
        scale = std::clamp(scale, 0.5, 2.0);
        slice_ = std::clamp<uint64_t>(uint64_t(double(slice_) * scale), kMinSlice, kMaxSlice);
    }
    if (paused_) dirty_ = true;  // a single step: show its result at once
    return reason;
}

void DebugWindow::handle_event(const SDL_Event& event) {
    switch (event.type) {
        case SDL_QUIT: quit_ = true; break;
        case SDL_WINDOWEVENT:
            if (event.window.event == SDL_WINDOWEVENT_CLOSE) quit_ = true;
            dirty_ = repaint_ = true;  // resized, exposed, restored
            break;
        case SDL_KEYDOWN: handle_key(event.key); break;
        case SDL_TEXTINPUT: {
            // Printable text goes to the guest's keyboard (ASCII only: the 8042 model types US keys);
            // not with Ctrl held (Ctrl+plus/minus zoom the grid).
            if (SDL_GetModState() & KMOD_CTRL) break;
            std::string text;
            for (const char* p = event.text.text; *p; ++p)
                if (static_cast<unsigned char>(*p) >= 0x20 && static_cast<unsigned char>(*p) < 0x7F)
                    text += *p;
            if (!text.empty()) type_to_guest(text);
            break;
        }
        case SDL_MOUSEBUTTONDOWN:
            if (event.button.button == SDL_BUTTON_LEFT) click(event.button.x, event.button.y);
            break;
        case SDL_MOUSEWHEEL: {
            int x = 0, y = 0;
            SDL_GetMouseState(&x, &y);
            auto hit = renderer_.hit_test(x, y, uint32_t(model_.memory.frames.size()));
            const bool on_timeline = renderer_.timeline_strip().contains(x, y);
            if (on_timeline && (event.wheel.x != 0 || (SDL_GetModState() & KMOD_SHIFT))) {
                const int steps = event.wheel.x != 0 ? event.wheel.x : -event.wheel.y;
                timeline_.scroll(0.1 * steps, machine_.instructions());
                read_timeline();
            } else if (on_timeline) {
                zoom_timeline(event.wheel.y > 0 ? 0.8 : 1.25, x);
            } else if (hit && hit->kind == WindowRenderer::Hit::Kind::Frame) {
                // Over the grid: Ctrl+wheel zooms around the pointer, the wheel scrolls.
                if (SDL_GetModState() & KMOD_CTRL)
                    zoom_grid_by(event.wheel.y > 0 ? 1 : -1, hit->value);
                else
                    scroll_grid_by(-3 * event.wheel.y);
            } else if (hit && hit->kind == WindowRenderer::Hit::Kind::Aux)
                scroll_aux(-3 * event.wheel.y);
            else if (hit)
                scroll_vmap(-3 * event.wheel.y);
            break;
        }
        case SDL_MOUSEMOTION: {
            auto frame = renderer_.grid().frame_at(event.motion.x, event.motion.y,
                                                   uint32_t(model_.memory.frames.size()));
            if (frame != model_.hovered_frame) {
                model_.hovered_frame = frame;
                dirty_ = true;
            }
            break;
        }
        default: break;
    }
}

void DebugWindow::handle_key(const SDL_KeyboardEvent& key) {
    switch (key.keysym.sym) {
        case SDLK_ESCAPE: quit_ = true; return;
        case SDLK_F5:
            // Shift+F5: continue without any break (--break-on fork would stop at each of
            // forkstorm's 64 forks), as after a last look at the one that mattered.
            if (key.keysym.mod & KMOD_SHIFT) {
                machine_.clear_breaks();
                story_break_ = step_break_ = 0;
                if (!paused_) return;
            }
            control(WindowControl::Pause);
            return;
        case SDLK_PAUSE: control(WindowControl::Pause); return;
        case SDLK_F6:  // one slice
            if (paused_) step_instructions_ = slice_;
            return;
        case SDLK_F7:  // one instruction
            if (paused_) step_instructions_ = 1;
            return;
        case SDLK_F8: control(WindowControl::NextEvent); return;
        case SDLK_F9: control(WindowControl::Slower); return;
        case SDLK_F10: control(WindowControl::Faster); return;
        case SDLK_F11: control(WindowControl::BreakOnEvents); return;
        case SDLK_HOME: control(WindowControl::ShowAll); return;
        case SDLK_END: control(WindowControl::Follow); return;
        // The timeline's view: arrows scroll (a quarter of the range) and zoom.
        case SDLK_LEFT:
        case SDLK_RIGHT:
            timeline_.scroll(key.keysym.sym == SDLK_LEFT ? -0.25 : 0.25, machine_.instructions());
            read_timeline();
            return;
        case SDLK_UP:
        case SDLK_DOWN: zoom_timeline(key.keysym.sym == SDLK_UP ? 0.5 : 2.0, std::nullopt); return;
        case SDLK_F1: show_tab(DetailTab::Timeline); return;
        case SDLK_h:  // Ctrl+H: the heat map (a plain 'h' is typed to the guest)
            if (key.keysym.mod & KMOD_CTRL) control(WindowControl::HeatMap);
            return;
        case SDLK_l:  // Ctrl+L: the grid by LRU list
            if (key.keysym.mod & KMOD_CTRL) control(WindowControl::LruMap);
            return;
        case SDLK_F2:  // the address space; again: runs or the page-table tree
            if (model_.tab == DetailTab::AddressSpace || renderer_.layout(0).split)
                control(model_.show_tree ? WindowControl::ShowRuns : WindowControl::ShowTree);
            show_tab(DetailTab::AddressSpace);
            return;
        case SDLK_F3: show_tab(DetailTab::Frame); return;
        // The memory grid's zoom: Ctrl+plus/minus, Ctrl+0 all of RAM (plain keys go to the guest).
        case SDLK_EQUALS:
        case SDLK_PLUS:
        case SDLK_KP_PLUS:
        case SDLK_MINUS:
        case SDLK_KP_MINUS:
        case SDLK_0:
        case SDLK_KP_0:
            if (!(key.keysym.mod & KMOD_CTRL)) return;
            if (key.keysym.sym == SDLK_0 || key.keysym.sym == SDLK_KP_0) {
                model_.grid_zoom = {};  // all of RAM
                dirty_ = true;
            } else {
                zoom_grid_by(key.keysym.sym == SDLK_MINUS || key.keysym.sym == SDLK_KP_MINUS ? -1 : 1,
                             model_.selected_frame);
            }
            return;
        case SDLK_F4: show_tab(DetailTab::Cpu); return;
        case SDLK_PAGEUP:
        case SDLK_PAGEDOWN: {
            const int direction = key.keysym.sym == SDLK_PAGEUP ? -1 : 1;
            if (key.keysym.mod & KMOD_CTRL) {  // Ctrl+PgUp/PgDn: the zoomed grid, a screenful less a row
                scroll_grid_by(direction * std::max(1, int(renderer_.grid().rows) - 1));
                return;
            }
            int page = renderer_.vmap_page() * direction;
            if (model_.tab == DetailTab::AddressSpace || renderer_.layout(0).split)
                scroll_vmap(page);
            else
                scroll_aux(page);
            return;
        }
        case SDLK_F12: {
            // Numbered past every earlier one, so nothing is overwritten; said on stderr and in
            // the status line, since the person who pressed F12 is looking at the window.
            std::string path = next_screenshot_path().string();
            model_.status = status_text();  // as of now, though the last redraw may be a frame old
            renderer_.draw(model_);
            if (renderer_.save_picture(path)) {
                std::string absolute = std::filesystem::absolute(path).lexically_normal().string();
                write_text_beside(path, renderer_.text_dump(model_), true);
                logger().info("screenshot saved to {}", absolute);
                std::fprintf(stderr, "pc386: screenshot saved to %s\n", absolute.c_str());
                notice_ = "screenshot saved to " + absolute;
                notice_ms_ = host_ms();
            } else {
                notice_ = "cannot write " + path + " (see the log)";
                notice_ms_ = host_ms();
            }
            renderer_.present();
            dirty_ = true;
            return;
        }
        // Keys that produce no SDL_TEXTINPUT but mean a character to the guest.
        case SDLK_RETURN:
        case SDLK_KP_ENTER: type_to_guest("\n"); return;
        case SDLK_BACKSPACE: type_to_guest("\b"); return;
        case SDLK_TAB: type_to_guest("\t"); return;
        default: return;
    }
}

// Re-reads the machine when it may have changed, and redraws when the picture did (at most at
// the display's rate, ~30 frames/s). The console is compared every frame; the frame table and
// page tables are read 4 times a second (only after the machine moved) and the glow of changed
// frames steps as often; the counters, MIPS, the CPU panel and the timeline twice a second.
// The renderer then re-renders only the panes whose picture changed.
void DebugWindow::refresh(bool force) {
    uint64_t now = host_ms();
    if (!force && now - last_draw_ms_ < frame_interval_ms_) return;

    note_events();
    apply_requests();
    ConsoleView console = model_.console;
    snapshot_.read_console(console);
    if (console != model_.console) {
        model_.console = console;
        dirty_ = true;
    }
    const bool tick = force || now - last_tick_ms_ >= kTickMs;
    if (tick && !force) {
        last_tick_ms_ = now;
        ++ticks_;
    }
    const bool text_due = force || (tick && ticks_ % kTextTicks == 0);
    if (text_due) {
        if (!paused_) mips_.sample(machine_.instructions(), now);
        if (machine_tracker_.update(snapshot_.machine_counters(), now)) dirty_ = true;
        // Highlights fade: keep redrawing the counters until the last one has ended.
        if (machine_tracker_.highlight_pending(now) || guest_tracker_.highlight_pending(now)) dirty_ = true;
    }

    // The memory view: each tick while the machine runs, at once after a step while paused.
    const bool machine_moved = machine_.instructions() != memory_read_at_;
    if (force || (machine_moved && (tick || paused_))) {
        memory_read_at_ = machine_.instructions();
        MemoryView memory;
        std::vector<CounterValue> guest_counters;
        snapshot_.read_memory(memory, guest_counters);
        memory.seen_cr3s = seen_cr3s_;
        if (guest_tracker_.update(guest_counters, now)) dirty_ = true;
        if (AccessHeat* heat = requests_.heat()) {
            decay_heat(model_.heat, heat->take());
            model_.heat.resize(memory.frames.size());
            dirty_ = true;
        }
        if (!(memory == model_.memory)) {
            if (model_.hovered_frame && *model_.hovered_frame >= memory.frames.size())
                model_.hovered_frame.reset();
            note_frame_changes(model_.memory, memory, now);
            model_.memory = std::move(memory);
            dirty_ = true;
        }
        model_.legend = legend();
        AddressSpaceView space = model_.space;
        std::vector<PaneLine> frame_lines = model_.frame_lines;
        std::vector<TreeLine> tree = model_.tree;
        read_details();
        if (!(space == model_.space) || frame_lines != model_.frame_lines || tree != model_.tree)
            dirty_ = true;
    }
    // The timeline moves with virtual time while it follows it (only when it is on show), with
    // the counters: at 30 frames a second the window cost a fifth of the emulation's CPU.
    const bool timeline_shown = model_.tab == DetailTab::Timeline ||
                                (model_.aux_tab == DetailTab::Timeline && renderer_.layout(0).split);
    if (timeline_shown && machine_.instructions() != timeline_read_at_ && (text_due || paused_))
        read_timeline();
    // Changed frames glow, fading a step each tick until the last one has ended.
    if (tick && last_frame_change_ms_ && now - last_frame_change_ms_ <= kChangeGlowMs + kTickMs)
        dirty_ = true;
    if (!force && !dirty_) return;

    if (text_due) {
        model_.machine_counters = machine_tracker_.rows(now);
        model_.guest_counters = guest_tracker_.rows(now);
        model_.info_lines = snapshot_.cpu_lines();
        model_.cpu_lines = snapshot_.cpu_panel();
        model_.info_lines.insert(
            model_.info_lines.begin(),
            fmt::format("instructions {:>15}   {:6.2f} MIPS   slice {}", machine_.instructions(),
                        paused_ ? 0.0 : mips_.per_second() / 1e6, slice_));
        uint32_t cr2 = snapshot_.last_fault_address();
        if (cr2 != last_cr2_) {
            last_cr2_ = cr2;
            last_cr2_change_ms_ = now;
        }
        model_.fault_fresh = last_cr2_change_ms_ && now - last_cr2_change_ms_ < CounterTracker::kHighlightMs;
        model_.fault_line = last_cr2_change_ms_ ? fmt::format("last page fault at {:08x} (CR2)", cr2) : "";
        model_.events_fresh = last_event_ms_ && now - last_event_ms_ < CounterTracker::kHighlightMs;
    }
    if (!break_line_.empty()) model_.fault_line = break_line_;
    model_.event_lines.assign(events_.begin(), events_.end());
    model_.status = status_text();
    model_.run = {paused_, story_break_ != 0, machine_.pace(), requests_.heat() != nullptr, lru_map_};
    model_.now_ms = now;
    draw();
    uint64_t done = host_ms();
    // The interval follows the average cost of a frame (not the first: it sets up the renderer's
    // fonts and shaders), so one slow frame does not freeze the window for seconds.
    if (frames_drawn_ > 0)
        draw_ms_average_ =
            frames_drawn_ == 1 ? double(done - now) : 0.875 * draw_ms_average_ + 0.125 * double(done - now);
    frame_interval_ms_ = std::max<uint64_t>(frame_period_ms_, uint64_t(10 * draw_ms_average_));
    ++frames_drawn_;
    draw_ms_total_ += done - now;
    last_draw_ms_ = done;
    dirty_ = false;
}

// Remembers when each frame changed kind, so the renderer can make fresh changes glow. The first
// picture, and a switch between the page tables and the guest's table, are not changes.
void DebugWindow::note_frame_changes(const MemoryView& before, const MemoryView& after, uint64_t now) {
    if (before.frames.size() != after.frames.size() || before.from_guest != after.from_guest) {
        model_.frame_changed_ms.assign(after.frames.size(), 0);
        return;
    }
    model_.frame_changed_ms.resize(after.frames.size(), 0);
    for (size_t i = 0; i < after.frames.size(); ++i) {
        if (before.frames[i] != after.frames[i]) {
            model_.frame_changed_ms[i] = now;
            last_frame_change_ms_ = now;
        }
    }
}

// Lists the story events that happened since the last frame (the newest kEventLines).
void DebugWindow::note_events() {
    const EventLog& log = machine_.events();
    if (log.total() == events_seen_) return;
    // Only the newest kEventLines story events are put into words (memhog makes thousands a second).
    std::deque<Event> newest;
    for (const Event& e : log.since(events_seen_)) {
        timeline_.add(e);
        if (e.kind == EventKind::Cr3Write) note_cr3(e.b);
        if (!story_.matches(e)) continue;
        newest.push_back(e);
        if (newest.size() > kEventLines) newest.pop_front();
    }
    events_seen_ = log.total();
    if (newest.empty()) return;
    for (const Event& e : newest) {
        events_.push_back(event_to_text(e, &log));
        if (events_.size() > kEventLines) events_.pop_front();
    }
    last_event_ms_ = host_ms();
    dirty_ = true;
}

// A click picks a process (its address space), a frame (the inspector) or a tab.
void DebugWindow::click(int x, int y) {
    auto hit = renderer_.hit_test(x, y, uint32_t(model_.memory.frames.size()));
    if (!hit) return;
    using Kind = WindowRenderer::Hit::Kind;
    switch (hit->kind) {
        case Kind::Process: select_process(hit->value); return;
        case Kind::Frame: select_frame(hit->value); return;
        case Kind::Tab: show_tab(static_cast<DetailTab>(hit->value)); break;
        case Kind::Control: control(static_cast<WindowControl>(hit->value)); return;
        case Kind::Cr3:
            model_.selected_cr3 = hit->value;
            model_.selected_page.reset();
            model_.expanded_pdes.clear();
            model_.vmap_scroll = 0;
            show_tab(DetailTab::AddressSpace);
            break;
        case Kind::TreeEntry:  // open or fold a directory entry
            if (!model_.expanded_pdes.erase(hit->value)) model_.expanded_pdes.insert(hit->value);
            read_details();
            dirty_ = true;
            return;
        case Kind::TimelineEvent:
            if (hit->value < model_.timeline.events.size()) select_event(model_.timeline.events[hit->value]);
            return;
        default: return;
    }
    read_details();
    dirty_ = true;
}

void DebugWindow::select_process(uint32_t pid) {
    model_.selected_pid = pid;
    model_.selected_cr3.reset();
    model_.selected_page.reset();
    model_.expanded_pdes.clear();
    model_.vmap_scroll = 0;
    show_tab(DetailTab::AddressSpace);
    read_details();
}

void DebugWindow::select_frame(uint32_t frame) {
    model_.selected_frame = frame;
    selected_cell_frames_ = renderer_.grid().frames_per_cell;
    model_.selected_event.reset();
    model_.selected_event_text.clear();
    model_.aux_scroll = 0;
    show_tab(DetailTab::Frame);
    read_details();
}

// The page at `page` in the address space on show, and the frame it maps (a `select page` request).
void DebugWindow::select_page(uint32_t page) {
    page &= 0xFFFFF000u;
    for (const VmRun& run : model_.space.runs) {
        if (run.kind != VmRun::Kind::Present || page < run.linear ||
            uint64_t(page) >= uint64_t(run.linear) + uint64_t(run.pages) * 4096u)
            continue;
        select_frame((run.value >> 12) + (page - run.linear) / 4096u);
        model_.selected_page = page;
        const std::vector<PaneLine> lines = address_space_lines(model_.space, model_.selected_page);
        for (size_t i = 0; i < lines.size(); ++i)
            if (lines[i].style == PaneLine::Style::Selected) model_.vmap_scroll = std::max(0, int(i) - 8);
        return;
    }
}

// The requests of scripts and --window not yet applied, in order (window_requests.h).
void DebugWindow::apply_requests() {
    const std::vector<WindowRequests::Entry>& entries = requests_.entries();
    if (requests_applied_ < entries.size() && model_.memory.frames.empty()) {
        // Selections need the memory view: read it first.
        std::vector<CounterValue> guest_counters;
        snapshot_.read_memory(model_.memory, guest_counters);
        model_.memory.seen_cr3s = seen_cr3s_;
        read_details();
    }
    while (requests_applied_ < entries.size()) apply(entries[requests_applied_++]);
}

void DebugWindow::apply(const WindowRequests::Entry& request) {
    using Kind = WindowCommand::Kind;
    const WindowCommand& c = request.command;
    static_assert(std::size(kWindowTabNames) == size_t(DetailTab::Swap) + 1);
    switch (c.kind) {
        case Kind::Lru:
            if (lru_map_ != c.on) control(WindowControl::LruMap);
            break;
        case Kind::Heat:  // the counter is the requests' (already on or off): show it
            model_.heat.assign(requests_.heat() ? model_.memory.frames.size() : 0, Heat{});
            model_.legend = legend();
            break;
        case Kind::Tree: control(c.on ? WindowControl::ShowTree : WindowControl::ShowRuns); break;
        case Kind::Tab: show_tab(DetailTab(c.value)); break;
        case Kind::Timeline: control(c.on ? WindowControl::ShowAll : WindowControl::Follow); break;
        case Kind::SelectPid: select_process(c.value); break;
        case Kind::SelectFrame:
            if (c.value < model_.memory.frames.size()) select_frame(c.value);
            break;
        case Kind::SelectPage: select_page(c.value); break;
        case Kind::SelectEvent:
            if (request.event) select_event(*request.event);
            break;
    }
    dirty_ = true;
}

void DebugWindow::show_tab(DetailTab tab) {
    model_.tab = tab;
    if (tab != DetailTab::AddressSpace) model_.aux_tab = tab;
    if (tab == DetailTab::Swap) {
        model_.aux_scroll = 0;
        read_details();
    }
    dirty_ = true;
}

void DebugWindow::scroll_vmap(int lines) {
    model_.vmap_scroll = std::clamp(model_.vmap_scroll + lines, 0, renderer_.vmap_scroll_limit());
    dirty_ = true;
}

void DebugWindow::scroll_aux(int lines) {
    model_.aux_scroll = std::clamp(model_.aux_scroll + lines, 0, renderer_.aux_scroll_limit());
    dirty_ = true;
}

// The selected address space and frame, re-read with the memory view.
void DebugWindow::read_details() {
    if (model_.selected_pid) {
        bool listed = false;
        for (const ProcessView& p : model_.memory.processes) listed |= p.pid == *model_.selected_pid;
        if (!listed) model_.selected_pid.reset();  // it exited: back to the current CR3
    }
    model_.space = snapshot_.address_space(model_.memory, model_.selected_pid, model_.selected_cr3);
    model_.tree.clear();
    if (model_.show_tree && model_.memory.paging)
        model_.tree = snapshot_.page_tables(model_.memory, model_.space.cr3, model_.expanded_pdes);
    if (model_.selected_frame && *model_.selected_frame >= model_.memory.frames.size())
        model_.selected_frame.reset();
    model_.frame_lines.clear();
    if (model_.selected_frame) {
        model_.frame_lines = snapshot_.inspect_frame(model_.memory, *model_.selected_frame);
        if (selected_cell_frames_ > 1)  // a zoomed-out cell: say what it stood for
            model_.frame_lines.insert(
                model_.frame_lines.begin(),
                {fmt::format(
                     "the cell clicked holds {} frames, {:05x}-{:05x}; its first is shown (Ctrl+wheel "
                     "zooms in to pick another)",
                     selected_cell_frames_, *model_.selected_frame,
                     *model_.selected_frame + selected_cell_frames_ - 1),
                 PaneLine::Style::Warning});
    }
    // The swap map reads every process's page tables: only while its tab is on show.
    const bool split = renderer_.layout(0).split;
    model_.swap_lines.clear();
    if ((split ? model_.aux_tab : model_.tab) == DetailTab::Swap)
        model_.swap_lines = snapshot_.swap_map(model_.memory);
}

// The buttons of the timeline pane and their keys (F5, F8-F11, Home, End) do the same thing.
void DebugWindow::control(WindowControl c) {
    dirty_ = true;
    switch (c) {
        case WindowControl::Pause:
            paused_ = !paused_;
            if (!paused_) {
                mips_.restart(machine_.instructions(), host_ms());
                break_line_.clear();
            }
            set_title(paused_ ? "pc386 (paused)" : "pc386");
            return;
        case WindowControl::NextEvent:
            // Run to the next event of the story (a fault, a CoW copy, a swap-out, ...): frame by
            // frame like F5 (the window stays live while nothing happens) with a one-shot break
            // that pauses it again.
            if (!step_break_) step_break_ = machine_.add_break(story_);
            paused_ = false;
            break_line_.clear();
            mips_.restart(machine_.instructions(), host_ms());
            set_title("pc386 (running to the next event)");
            return;
        case WindowControl::Slower:
        case WindowControl::Faster:
            if (c == WindowControl::Slower && pace_index_ + 1 < std::size(kPaces)) ++pace_index_;
            if (c == WindowControl::Faster && pace_index_ > 0) --pace_index_;
            machine_.set_pace(kPaces[pace_index_]);
            return;
        case WindowControl::BreakOnEvents: set_break_on_story(story_break_ == 0); return;
        case WindowControl::ShowAll:
            timeline_.show_all(machine_.instructions());
            read_timeline();
            return;
        case WindowControl::Follow:
            timeline_.follow();
            read_timeline();
            return;
        case WindowControl::HeatMap:
            // Counting starts when the map is asked for and stops (costing nothing) when it is off.
            requests_.set_heat(!requests_.heat());
            model_.heat.assign(requests_.heat() ? model_.memory.frames.size() : 0, Heat{});
            model_.legend = legend();
            return;
        case WindowControl::LruMap:
            lru_map_ = !lru_map_;
            model_.run.lru_map = lru_map_;
            model_.legend = legend();
            return;
        case WindowControl::ShowRuns:
        case WindowControl::ShowTree:
            model_.show_tree = c == WindowControl::ShowTree;
            model_.vmap_scroll = 0;
            read_details();
            return;
    }
}

// Zooms the timeline around the mouse (x in the window), or around its right edge while it
// follows now and its middle otherwise.
void DebugWindow::zoom_timeline(double factor, std::optional<int> mouse_x) {
    double anchor = timeline_.following() ? 1.0 : 0.5;
    const Rect strip = renderer_.timeline_strip();
    if (mouse_x && strip.w > 0) anchor = double(*mouse_x - strip.x) / double(strip.w);
    timeline_.zoom(factor, anchor, machine_.instructions());
    read_timeline();
}

// From the zoom asked for last, not the last picture's: two presses before the next picture are
// two steps.
void DebugWindow::zoom_grid_by(int steps, std::optional<uint32_t> anchor) {
    const uint32_t frames = uint32_t(model_.memory.frames.size());
    model_.grid_zoom = zoom_grid(renderer_.layout(frames, model_.grid_zoom).grid, frames, steps, anchor);
    dirty_ = true;
}

void DebugWindow::scroll_grid_by(int rows) {
    const uint32_t frames = uint32_t(model_.memory.frames.size());
    model_.grid_zoom = scroll_grid(renderer_.layout(frames, model_.grid_zoom).grid, frames, rows);
    dirty_ = true;
}

// Keeps the most recent kMaxSeenCr3 distinct page directories (a guest's processes come and go).
void DebugWindow::note_cr3(uint32_t cr3) {
    constexpr size_t kMaxSeenCr3 = 64;
    cr3 &= 0xFFFFF000u;
    auto found = std::find(seen_cr3s_.begin(), seen_cr3s_.end(), cr3);
    if (found != seen_cr3s_.end()) {
        if (found + 1 == seen_cr3s_.end()) return;
        seen_cr3s_.erase(found);
    }
    seen_cr3s_.push_back(cr3);
    if (seen_cr3s_.size() > kMaxSeenCr3) seen_cr3s_.erase(seen_cr3s_.begin());
}

void DebugWindow::read_timeline() {
    const EventLog& log = machine_.events();
    model_.timeline =
        timeline_.view(machine_.instructions(), 8, 40, [&](uint32_t pid) { return log.process_name(pid); });
    model_.timeline_list.clear();
    for (uint32_t i : model_.timeline.recent)
        model_.timeline_list.push_back(event_to_text(model_.timeline.events[i], &log));
    timeline_read_at_ = machine_.instructions();
    dirty_ = true;
}

// A click on an event selects what it is about everywhere: its process (the list and the address
// space), its page (marked in the address space, scrolled to) and its frame (the grid, the
// inspector).
void DebugWindow::select_event(const Event& e) {
    model_.selected_event = e;
    model_.selected_event_text = event_to_text(e, &machine_.events());
    const EventSubject subject = event_subject(e);
    model_.selected_page = subject.page;
    if (subject.pid) {
        for (const ProcessView& p : model_.memory.processes)
            if (p.pid == *subject.pid) {
                model_.selected_pid = p.pid;
                model_.selected_cr3.reset();
            }
    }
    if (subject.frame && *subject.frame < model_.memory.frames.size()) {
        model_.selected_frame = subject.frame;
        selected_cell_frames_ = 1;
    }
    read_details();
    model_.vmap_scroll = 0;
    if (model_.selected_page) {  // scroll the address space to the page's line
        const std::vector<PaneLine> lines = address_space_lines(model_.space, model_.selected_page);
        for (size_t i = 0; i < lines.size(); ++i)
            if (lines[i].style == PaneLine::Style::Selected) model_.vmap_scroll = std::max(0, int(i) - 8);
    }
    dirty_ = true;
}

void DebugWindow::type_to_guest(const std::string& text) {
    machine_.keyboard_type(text);
    if (!paused_) return;
    for (char c : text)
        typed_while_paused_ += c == '\n'   ? "[Enter]"
                               : c == '\b' ? "[Backspace]"
                               : c == '\t' ? "[Tab]"
                                           : std::string(1, c);
    dirty_ = true;
}

void DebugWindow::set_break_on_story(bool on) {
    if (story_break_) machine_.remove_break(story_break_);
    story_break_ = on ? machine_.add_break(story_) : 0;
}

// Presents only when a pane changed (or the screen lost the picture): an unchanged window costs
// its recording and nothing else.
void DebugWindow::draw() {
    if (renderer_.draw(model_) || repaint_) renderer_.present();
    repaint_ = false;
}

std::string DebugWindow::status_text() const {
    const std::string pace = machine_.pace() ? fmt::format("{} insn/s", machine_.pace()) : "full speed";
    if (!stopped_.empty())
        return fmt::format("STOPPED ({}) after {} instructions", stopped_, machine_.instructions());
    constexpr uint64_t kNoticeMs = 8000;
    const std::string notice = notice_.empty() || host_ms() - notice_ms_ > kNoticeMs ? "" : "   " + notice_;
    // Keys typed while paused right after the state, so that they never fall off the right edge.
    const std::string typed =
        paused_ && !typed_while_paused_.empty()
            ? fmt::format("; typed \"{}\": the guest reads it when it runs (F5)", typed_while_paused_)
            : "";
    // Paused at a break: where and why first (the event, its process and EIP), then what to do.
    if (paused_ && !break_line_.empty())
        return fmt::format("PAUSED, {}{}   F5 continue  Shift+F5 continue, no more breaks  F8 next event{}",
                           break_line_, typed, notice);
    return fmt::format(
        "{} ({}{}){}  F5 pause  F6 slice  F7 step  F8 next event  F9/F10 pace  F11 break on events  "
        "F1 timeline  Ctrl+wheel zoom  F12 screenshot  Esc quit{}",
        paused_ ? "PAUSED" : "RUNNING", pace, story_break_ ? ", breaking on events" : "", typed, notice);
}

}  // namespace

StopReason run_debug_window(Machine& machine, const DebugWindowOptions& options) {
    std::optional<SdlWindow> sdl;
    std::optional<WindowRenderer> renderer;
    std::unique_ptr<DebugWindow> window;
    try {
        sdl.emplace();
        renderer.emplace(sdl->window);
        window = std::make_unique<DebugWindow>(machine, sdl->window, *renderer, options);
    } catch (const std::exception& e) {
        logger().warn("no debug window ({}); running without it", e.what());
        window.reset();
        renderer.reset();
        sdl.reset();
        if (!options.screenshot.empty()) prepare_offscreen_screenshot(machine);
        StopReason reason = machine.run();
        if (!options.screenshot.empty())
            write_offscreen_screenshot(machine, options.screenshot, reason, options.linux_frames,
                                       options.requests);
        return reason;
    }
    return window->run();
}

void prepare_offscreen_screenshot(Machine& machine) {
    machine.events().keep_history();
}

bool write_offscreen_screenshot(Machine& machine, const std::string& path, StopReason reason,
                                const LinuxFrameTable* linux_frames, WindowRequests* requests) {
    // Full HD, not the window's preferred size: wide enough for the address space beside the
    // timeline, so a CI picture shows both (it need not fit anyone's screen).
    const int w = kOffscreenWidth, h = kOffscreenHeight;
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surface) {
        logger().warn("cannot draw a screenshot: {}", SDL_GetError());
        return false;
    }
    bool ok = false;
    try {
        WindowRenderer renderer(surface);
        DebugWindow window(machine, nullptr, renderer,
                           {.screenshot = {}, .linux_frames = linux_frames, .requests = requests});
        window.draw_once(reason == StopReason::None
                             ? std::string("a script's screenshot, the machine still running")
                             : to_string(reason));
        ok = renderer.save_picture(path);
        ok = ok && write_text_beside(path, window.text_dump(), false);
        if (ok) logger().info("screenshot saved to {}", path);
    } catch (const std::exception& e) {
        logger().warn("cannot draw a screenshot: {}", e.what());
    }
    SDL_FreeSurface(surface);
    return ok;
}

}  // namespace pc386
