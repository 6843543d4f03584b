// The timeline tab: the run controls as buttons, a track per family of events and per process
// along virtual time, the selected event, and the last events as clickable lines.
#include <fmt/format.h>

#include <algorithm>

#include "ui/text_wrap.h"
#include "ui/window_colours.h"
#include "ui/window_renderer.h"

namespace pc386 {
namespace {

using namespace window_colours;

constexpr int kLabelColumns = 18;  // "pid 12 forkstorm  "
constexpr Rgb kStrip{32, 32, 42};
constexpr Rgb kRunning{50, 95, 60};

// "12,345,678" for the range line.
std::string grouped(uint64_t value) {
    std::string digits = std::to_string(value), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// Virtual time of `instructions` at 20 ns each, in the unit that reads best.
std::string virtual_time(uint64_t instructions) {
    const double ns = double(instructions) * 20.0;
    if (ns >= 1e9) return fmt::format("{:.2f} s", ns / 1e9);
    if (ns >= 1e6) return fmt::format("{:.2f} ms", ns / 1e6);
    return fmt::format("{:.1f} us", ns / 1e3);
}

}  // namespace

std::string control_label(WindowControl control, const RunState& run) {
    switch (control) {
        case WindowControl::Pause: return run.paused ? "F5 continue" : "F5 pause";
        case WindowControl::NextEvent: return "F8 next event";
        case WindowControl::Slower: return "F9 slower";
        case WindowControl::Faster: return "F10 faster";
        case WindowControl::BreakOnEvents:
            return run.breaking_on_events ? "F11 break on events: on" : "F11 break on events: off";
        case WindowControl::ShowAll: return "Home: all";
        case WindowControl::Follow: return "End: now";
        case WindowControl::ShowRuns: return "runs of pages";
        case WindowControl::ShowTree: return "page-table tree";
        case WindowControl::HeatMap: return run.heat_map ? "Ctrl+H heat map: on" : "Ctrl+H heat map: off";
        case WindowControl::LruMap: return run.lru_map ? "Ctrl+L LRU: on" : "Ctrl+L LRU: off";
    }
    return "?";
}

void WindowRenderer::draw_timeline(const UiModel& model, const Rect& area) {
    PanePicture& t = picture_;
    const int ch = t.char_h(), cw = t.char_w();
    const TimelineView& v = model.timeline;
    int y = area.y;
    auto room = [&](int lines) { return y + lines * ch <= area.bottom(); };

    // Controls: buttons that do what their key does.
    if (room(1)) {
        int x = area.x;
        for (WindowControl c :
             {WindowControl::Pause, WindowControl::NextEvent, WindowControl::Slower, WindowControl::Faster,
              WindowControl::BreakOnEvents, WindowControl::ShowAll, WindowControl::Follow}) {
            const std::string label = fmt::format(" {} ", control_label(c, model.run));
            Rect r{x, y, int(label.size()) * cw, ch};
            if (r.right() > area.right()) break;
            const bool on = c == WindowControl::BreakOnEvents && model.run.breaking_on_events;
            fill(r, on ? kButtonOn : kButton);
            t.draw_text(label, x, y, on ? kHighlight : kText);
            hits_.push_back({r, {Hit::Kind::Control, uint32_t(c)}});
            x = r.right() + cw / 2;
        }
        y += ch + 2;
    }
    if (room(1)) {
        std::string help =
            fmt::format("{}, pace {}   zoom: wheel, Up/Down   scroll: Shift+wheel, Left/Right",
                        model.run.paused ? "PAUSED" : "running",
                        model.run.pace ? fmt::format("{} insn/s", grouped(model.run.pace)) : "full speed");
        if (int(help.size()) * cw > area.w)  // a narrow pane: the keys only (the status line has the rest)
            help = "zoom: wheel, Up/Down   scroll: Shift+wheel, Left/Right   Home/End";
        t.draw_text(help, area.x, y, kDim);
        y += ch;
    }
    if (room(1)) {
        t.draw_text(fmt::format("instructions {} to {} ({} virtual){}", grouped(v.start), grouped(v.end),
                                virtual_time(v.end - v.start), v.following ? ", following now" : ""),
                    area.x, y, kTitle);
        y += ch;
    }

    // Tracks. Family tracks first; process tracks while at least 4 lines stay for the list.
    const int strip_x = area.x + kLabelColumns * cw;
    const int strip_w = std::max(0, area.right() - 6 - strip_x);
    const uint64_t span = std::max<uint64_t>(1, v.end - v.start);
    auto x_of = [&](uint64_t icount) {
        const uint64_t offset = icount > v.start ? icount - v.start : 0;
        return strip_x + int(std::min<uint64_t>(offset, span) * uint64_t(strip_w) / span);
    };
    const int tracks_top = y;
    for (const TimelineTrack& track : v.tracks) {
        const int lines_after = track.process ? 5 : 3;  // axis, selection, list title and lines
        if (!room(1 + lines_after) || strip_w <= 0) break;
        t.draw_text(track.label.substr(0, kLabelColumns - 1), area.x, y, track.process ? kText : kDim);
        fill({strip_x, y + 1, strip_w, ch - 2}, kStrip);
        for (const TimelineSpan& s : track.running) {
            const int x0 = x_of(s.begin), x1 = std::max(x_of(s.end), x0 + 1);
            fill({x0, y + ch / 2 - 2, x1 - x0, 4}, kRunning);
        }
        int last_x = -1;
        for (const TimelineMark& m : track.marks) {
            const int x = x_of(m.icount);
            fill({x, y + 2, 2, ch - 4}, event_colour(m.kind));
            // Hit boxes a few pixels wide, so a one-pixel mark can be clicked; the newest on top.
            if (x != last_x) hits_.push_back({Rect{x - 2, y, 6, ch}, {Hit::Kind::TimelineEvent, m.event}});
            last_x = x;
        }
        y += ch;
    }
    timeline_strip_ = {strip_x, tracks_top, strip_w, y - tracks_top};
    hits_.insert(hits_.begin(), {timeline_strip_, {Hit::Kind::TimelineStrip, 0}});  // under the marks
    if (model.selected_event && model.selected_event->icount >= v.start &&
        model.selected_event->icount < v.end && y > tracks_top)
        fill({x_of(model.selected_event->icount), tracks_top, 1, y - tracks_top}, kHighlight);
    if (v.tracks.empty() && room(1)) {
        t.draw_text("no events yet: the guest's faults, forks, CoW copies and swap-outs appear here", area.x,
                    y, kDim);
        y += ch;
    }
    // The axis: where each end of the strip is.
    if (room(1) && strip_w > 0) {
        const std::string right = grouped(v.end);
        t.draw_text(grouped(v.start), strip_x, y, kDim);
        t.draw_text(right, std::max(strip_x, strip_x + strip_w - int(right.size()) * cw), y, kDim);
        y += ch;
    }

    // The selected event, then the list.
    const size_t columns = size_t(std::max(1, (area.w - 3 * cw) / cw));
    if (!model.selected_event_text.empty()) {
        for (const std::string& part : wrap_text("selected: " + model.selected_event_text, columns)) {
            if (!room(1)) break;
            t.draw_text(part, area.x, y, kHighlight);
            y += ch;
        }
    }
    if (!room(1)) return;
    t.draw_text(fmt::format("Last events ({} kept; click one to select its process, page and frame)",
                            grouped(v.kept)),
                area.x, y, kTitle);
    y += ch;
    // The newest events that fit, each wrapped onto as many lines as it needs (never cut).
    const int rows = std::max(0, (area.bottom() - y) / ch);
    const size_t listed = std::min(v.recent.size(), model.timeline_list.size());
    std::vector<std::vector<std::string>> wrapped(listed);
    size_t first = listed;
    for (int used = 0; first > 0; --first) {
        wrapped[first - 1] = wrap_text(model.timeline_list[first - 1], columns);
        if (used + int(wrapped[first - 1].size()) > rows) break;
        used += int(wrapped[first - 1].size());
    }
    for (size_t i = first; i < listed; ++i) {
        const Event& e = v.events[v.recent[i]];
        const bool selected = model.selected_event && model.selected_event->icount == e.icount &&
                              model.selected_event->kind == e.kind && model.selected_event->a == e.a;
        Rect row{area.x, y, area.w - 6, ch * int(wrapped[i].size())};
        if (selected) fill(row, kSelectedRow);
        fill({area.x + 2, y + 4, cw - 2, ch - 8}, event_colour(e.kind));
        for (const std::string& part : wrapped[i]) {
            t.draw_text(part, area.x + 2 * cw, y, selected ? kHighlight : kText);
            y += ch;
        }
        hits_.push_back({row, {Hit::Kind::TimelineEvent, v.recent[i]}});
    }
}

}  // namespace pc386
