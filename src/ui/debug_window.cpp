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
#include "ui/counter_tracker.h"
#include "ui/machine_snapshot.h"
#include "ui/screenshot_name.h"
#include "ui/window_renderer.h"

namespace pc386 {
namespace {

spdlog::logger& logger() {
    return log::get("ui");
}

uint64_t host_ms() {
    using namespace std::chrono;
    return uint64_t(duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
}

constexpr uint64_t kFrameMs = 33;           // at most ~30 redraws a second
constexpr uint64_t kMemoryRefreshMs = 200;  // the frame table and page tables are re-read 5 times a second
constexpr uint64_t kSliceTargetMs = 10;     // host time one CPU slice should take
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
constexpr size_t kEventLines = 8;  // the last events shown under the counters

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
          story_(story_filter()) {
        screenshot_at_exit_ = options.screenshot;
        if (const char* path = std::getenv("PC386_UI_SCREENSHOT"); path && screenshot_at_exit_.empty())
            screenshot_at_exit_ = path;
        if (window_) SDL_StartTextInput();
        machine_.events().keep_history();  // the event list below the counters
        for (size_t i = 0; i < std::size(kPaces); ++i)
            if (kPaces[i] == machine_.pace()) pace_index_ = i;
    }

    StopReason run();
    // Reads the machine and draws the picture once (for an off-screen screenshot).
    void draw_once(const std::string& why_stopped) {
        stopped_ = why_stopped;
        refresh(true);
        renderer_.draw(model_);  // again, without presenting: the picture stays readable
    }

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
    uint64_t last_draw_ms_ = 0, last_memory_ms_ = 0;
    uint64_t last_frame_change_ms_ = 0;
    uint64_t frames_drawn_ = 0, draw_ms_total_ = 0;  // for the log line at the end
    uint32_t last_cr2_ = 0;
    uint64_t last_cr2_change_ms_ = 0;
    // Grows when drawing is slow, so that the window never takes more than ~10 % of the host.
    uint64_t frame_interval_ms_ = kFrameMs;
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
    std::string stopped_;     // why the run ended (the last picture says so)
};

StopReason DebugWindow::run() {
    refresh(true);
    StopReason reason = StopReason::None;
    while (reason == StopReason::None && !quit_) {
        if (!paused_ || step_instructions_) reason = run_cpu();
        SDL_Event event;
        if (paused_ && !step_instructions_ && !dirty_) {
            // Nothing runs and nothing changed: sleep in SDL until the user does something.
            if (SDL_WaitEventTimeout(&event, 250)) handle_event(event);
        }
        while (SDL_PollEvent(&event)) handle_event(event);
        refresh(false);
    }
    if (quit_ && reason == StopReason::None) reason = StopReason::HostRequest;
    // Show the final state (and keep it as a screenshot if asked).
    stopped_ = to_string(reason);
    refresh(true);
    if (!screenshot_at_exit_.empty()) {
        renderer_.draw(model_);
        if (renderer_.save_picture(screenshot_at_exit_))
            logger().info("screenshot saved to {}", screenshot_at_exit_);
        renderer_.present();
    }
    logger().info("debug window: stopped ({}); {} frames drawn, {:.1f} ms each on average", to_string(reason),
                  frames_drawn_, frames_drawn_ ? double(draw_ms_total_) / double(frames_drawn_) : 0.0);
    return reason;
}

// One slice of guest time, sized so that it takes about kSliceTargetMs of host time.
StopReason DebugWindow::run_cpu() {
    uint64_t budget = step_instructions_ ? step_instructions_ : slice_;
    if (machine_.pace()) budget = std::clamp<uint64_t>(machine_.pace() / 30, 1, budget);  // a frame's worth
    step_instructions_ = 0;
    auto start = std::chrono::steady_clock::now();
    uint64_t before = machine_.instructions();
    StopReason reason = machine_.run_for(budget);
    if (reason == StopReason::EventBreak) {
        if (step_break_ && machine_.break_id() == step_break_) {  // F8's one-shot break
            machine_.remove_break(step_break_);
            step_break_ = 0;
        }
        // A break (F8, F11, --break-on or a script's break-on): pause at the event and say why.
        paused_ = true;
        set_title("pc386 (paused at an event)");
        if (const auto& e = machine_.break_event())
            break_line_ = "stopped at " + event_to_text(*e, &machine_.events());
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
            dirty_ = true;  // resized, exposed, restored
            break;
        case SDL_KEYDOWN: handle_key(event.key); break;
        case SDL_TEXTINPUT: {
            // Printable text goes to the guest's keyboard (ASCII only: the 8042 model types US keys).
            std::string text;
            for (const char* p = event.text.text; *p; ++p)
                if (static_cast<unsigned char>(*p) >= 0x20 && static_cast<unsigned char>(*p) < 0x7F)
                    text += *p;
            if (!text.empty()) machine_.keyboard_type(text);
            break;
        }
        case SDL_MOUSEBUTTONDOWN:
            if (event.button.button == SDL_BUTTON_LEFT) click(event.button.x, event.button.y);
            break;
        case SDL_MOUSEWHEEL: {
            int x = 0, y = 0;
            SDL_GetMouseState(&x, &y);
            auto hit = renderer_.hit_test(x, y, uint32_t(model_.memory.frames.size()));
            if (hit && hit->kind == WindowRenderer::Hit::Kind::Aux)
                scroll_aux(-3 * event.wheel.y);
            else if (hit)
                scroll_vmap(-3 * event.wheel.y);
            break;
        }
        case SDL_MOUSEMOTION: {
            auto frame =
                renderer_.layout(uint32_t(model_.memory.frames.size()))
                    .grid.frame_at(event.motion.x, event.motion.y, uint32_t(model_.memory.frames.size()));
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
        case SDLK_PAUSE:
            paused_ = !paused_;
            if (!paused_) {
                mips_.restart(machine_.instructions(), host_ms());
                break_line_.clear();
            }
            set_title(paused_ ? "pc386 (paused)" : "pc386");
            dirty_ = true;
            return;
        case SDLK_F6:  // one slice
            if (paused_) step_instructions_ = slice_;
            return;
        case SDLK_F7:  // one instruction
            if (paused_) step_instructions_ = 1;
            return;
        case SDLK_F8:  // run to the next event of the story (a fault, a CoW copy, a swap-out, ...)
            // Runs frame by frame like F5 (the window stays live while nothing happens) with a
            // one-shot break that pauses it again.
            if (!step_break_) step_break_ = machine_.add_break(story_);
            paused_ = false;
            break_line_.clear();
            mips_.restart(machine_.instructions(), host_ms());
            set_title("pc386 (running to the next event)");
            dirty_ = true;
            return;
        case SDLK_F9:   // slower
        case SDLK_F10:  // faster
            if (key.keysym.sym == SDLK_F9 && pace_index_ + 1 < std::size(kPaces)) ++pace_index_;
            if (key.keysym.sym == SDLK_F10 && pace_index_ > 0) --pace_index_;
            machine_.set_pace(kPaces[pace_index_]);
            dirty_ = true;
            return;
        case SDLK_F11:  // break on every event of the story
            set_break_on_story(story_break_ == 0);
            dirty_ = true;
            return;
        case SDLK_F2: show_tab(DetailTab::AddressSpace); return;
        case SDLK_F3: show_tab(DetailTab::Frame); return;
        case SDLK_F4: show_tab(DetailTab::Cpu); return;
        case SDLK_PAGEUP:
        case SDLK_PAGEDOWN: {
            int page = renderer_.vmap_page() * (key.keysym.sym == SDLK_PAGEUP ? -1 : 1);
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
            renderer_.draw(model_);
            if (renderer_.save_picture(path)) {
                std::string absolute = std::filesystem::absolute(path).lexically_normal().string();
                logger().info("screenshot saved to {}", absolute);
                std::fprintf(stderr, "pc386: screenshot saved to %s\n", absolute.c_str());
                notice_ = "screenshot saved to " + absolute;
            } else {
                notice_ = "cannot write " + path + " (see the log)";
            }
            renderer_.present();
            dirty_ = true;
            return;
        }
        // Keys that produce no SDL_TEXTINPUT but mean a character to the guest.
        case SDLK_RETURN:
        case SDLK_KP_ENTER: machine_.keyboard_type("\n"); return;
        case SDLK_BACKSPACE: machine_.keyboard_type("\b"); return;
        case SDLK_TAB: machine_.keyboard_type("\t"); return;
        default: return;
    }
}

// Re-reads the machine when it may have changed, and redraws when the picture did (capped at
// ~30 frames/s). Console and counters are cheap and read every frame; the frame table and page
// tables are read a few times a second.
void DebugWindow::refresh(bool force) {
    uint64_t now = host_ms();
    if (!force && now - last_draw_ms_ < frame_interval_ms_) return;

    note_events();
    ConsoleView console = model_.console;
    snapshot_.read_console(console);
    if (console != model_.console) {
        model_.console = console;
        dirty_ = true;
    }
    if (!paused_ && mips_.sample(machine_.instructions(), now)) dirty_ = true;
    std::vector<CounterValue> machine_counters = snapshot_.machine_counters();
    if (machine_tracker_.update(machine_counters, now)) dirty_ = true;

    if (force || now - last_memory_ms_ >= kMemoryRefreshMs || (paused_ && dirty_)) {
        last_memory_ms_ = now;
        MemoryView memory;
        std::vector<CounterValue> guest_counters;
        snapshot_.read_memory(memory, guest_counters);
        if (guest_tracker_.update(guest_counters, now)) dirty_ = true;
        if (!(memory == model_.memory)) {
            if (model_.hovered_frame && *model_.hovered_frame >= memory.frames.size())
                model_.hovered_frame.reset();
            note_frame_changes(model_.memory, memory, now);
            model_.memory = std::move(memory);
            model_.legend = build_legend(model_.memory.frames);
            dirty_ = true;
        }
        AddressSpaceView space = model_.space;
        std::vector<PaneLine> frame_lines = model_.frame_lines;
        read_details();
        if (!(space == model_.space) || frame_lines != model_.frame_lines) dirty_ = true;
    }
    // Highlights fade: keep drawing until the last one has ended.
    if (machine_tracker_.highlight_pending(now) || guest_tracker_.highlight_pending(now)) dirty_ = true;
    if (last_frame_change_ms_ && now - last_frame_change_ms_ <= kChangeGlowMs) dirty_ = true;
    if (!force && !dirty_) return;

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
    if (!break_line_.empty()) model_.fault_line = break_line_;
    model_.event_lines.assign(events_.begin(), events_.end());
    model_.events_fresh = last_event_ms_ && now - last_event_ms_ < CounterTracker::kHighlightMs;
    model_.status = status_text();
    model_.now_ms = now;
    draw();
    uint64_t done = host_ms();
    frame_interval_ms_ = std::max<uint64_t>(kFrameMs, 10 * (done - now));
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
    for (const Event& e : log.since(events_seen_)) {
        if (!story_.matches(e)) continue;
        events_.push_back(event_to_text(e, &log));
        if (events_.size() > kEventLines) events_.pop_front();
        last_event_ms_ = host_ms();
        dirty_ = true;
    }
    events_seen_ = log.total();
}

// A click picks a process (its address space), a frame (the inspector) or a tab.
void DebugWindow::click(int x, int y) {
    auto hit = renderer_.hit_test(x, y, uint32_t(model_.memory.frames.size()));
    if (!hit) return;
    using Kind = WindowRenderer::Hit::Kind;
    switch (hit->kind) {
        case Kind::Process:
            model_.selected_pid = hit->value;
            model_.vmap_scroll = 0;
            show_tab(DetailTab::AddressSpace);
            break;
        case Kind::Frame:
            model_.selected_frame = hit->value;
            model_.aux_scroll = 0;
            show_tab(DetailTab::Frame);
            break;
        case Kind::Tab: show_tab(static_cast<DetailTab>(hit->value)); break;
        default: return;
    }
    read_details();
    dirty_ = true;
}

void DebugWindow::show_tab(DetailTab tab) {
    model_.tab = tab;
    if (tab != DetailTab::AddressSpace) model_.aux_tab = tab;
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
    model_.space = snapshot_.address_space(model_.memory, model_.selected_pid);
    if (model_.selected_frame && *model_.selected_frame >= model_.memory.frames.size())
        model_.selected_frame.reset();
    model_.frame_lines.clear();
    if (model_.selected_frame)
        model_.frame_lines = snapshot_.inspect_frame(model_.memory, *model_.selected_frame);
}

void DebugWindow::set_break_on_story(bool on) {
    if (story_break_) machine_.remove_break(story_break_);
    story_break_ = on ? machine_.add_break(story_) : 0;
}

void DebugWindow::draw() {
    renderer_.draw(model_);
    renderer_.present();
}

std::string DebugWindow::status_text() const {
    const std::string pace = machine_.pace() ? fmt::format("{} insn/s", machine_.pace()) : "full speed";
    if (!stopped_.empty())
        return fmt::format("STOPPED ({}) after {} instructions", stopped_, machine_.instructions());
    std::string notice = notice_.empty() ? "" : "   " + notice_;
    return fmt::format(
        "{} ({}{})  F5 pause  F6 slice  F7 step  F8 next event  F9/F10 slower/faster  F11 break on events  "
        "F12 screenshot  Esc quit{}",
        paused_ ? "PAUSED" : "RUNNING", pace, story_break_ ? ", breaking on events" : "", notice);
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
            write_offscreen_screenshot(machine, options.screenshot, reason, options.linux_frames);
        return reason;
    }
    return window->run();
}

void prepare_offscreen_screenshot(Machine& machine) {
    machine.events().keep_history();
}

bool write_offscreen_screenshot(Machine& machine, const std::string& path, StopReason reason,
                                const LinuxFrameTable* linux_frames) {
    int w = 0, h = 0;
    WindowRenderer::preferred_size(w, h);
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surface) {
        logger().warn("cannot draw a screenshot: {}", SDL_GetError());
        return false;
    }
    bool ok = false;
    try {
        WindowRenderer renderer(surface);
        DebugWindow window(machine, nullptr, renderer, {.screenshot = {}, .linux_frames = linux_frames});
        window.draw_once(reason == StopReason::None ? std::string("a script's screenshot, the machine still running") : to_string(reason));
        ok = renderer.save_picture(path);
        if (ok) logger().info("screenshot saved to {}", path);
    } catch (const std::exception& e) {
        logger().warn("cannot draw a screenshot: {}", e.what());
    }
    SDL_FreeSurface(surface);
    return ok;
}

}  // namespace pc386
