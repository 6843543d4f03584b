// The timeline: the events the window keeps (the memory manager's story, process switches, disk
// transfers, CR3 writes) along virtual time (the instruction count), one track per family of events
// and one per process, with a view that zooms and scrolls. Pure data and arithmetic, no SDL: the
// window feeds it events and asks for a TimelineView to draw.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "base/event.h"
#include "base/event_family.h"
#include "ui/rgb.h"

namespace pc386 {

// One event on a track; `event` indexes TimelineView::events.
struct TimelineMark {
    uint64_t icount = 0;
    EventKind kind = EventKind::Exception;
    uint32_t event = 0;
    friend bool operator==(const TimelineMark&, const TimelineMark&) = default;
};

// An interval a process ran (between the switch to it and the next switch), in instructions.
struct TimelineSpan {
    uint64_t begin = 0, end = 0;
    friend bool operator==(const TimelineSpan&, const TimelineSpan&) = default;
};

struct TimelineTrack {
    std::string label;     // "swap", "pid 3 sh"
    uint32_t pid = 0;      // a process track's pid (0: a family track)
    bool process = false;  // a process track (with the spans it ran)
    std::vector<TimelineMark> marks;
    std::vector<TimelineSpan> running;
    friend bool operator==(const TimelineTrack&, const TimelineTrack&) = default;
};

// What the timeline pane draws: the visible range [start, end) in instructions, its tracks, and
// the last events as a list (newest last). Marks and list lines index `events`.
struct TimelineView {
    uint64_t start = 0, end = 0;
    bool following = true;  // the range ends at the newest instruction and moves with it
    std::vector<TimelineTrack> tracks;
    std::vector<Event> events;
    std::vector<uint32_t> recent;  // the list: indexes into events, oldest first
    uint64_t kept = 0;             // events the timeline holds
};

class Timeline {
  public:
    static constexpr size_t kCapacity = 1u << 16;         // events kept (the oldest are dropped)
    static constexpr uint64_t kMinSpan = 1000;            // the closest zoom, in instructions
    static constexpr uint64_t kDefaultSpan = 50'000'000;  // one virtual second at 20 ns each

    // Whether the timeline keeps this kind (the story, switches, disk transfers, CR3 writes; not
    // timer interrupts or TLB flushes, which would bury the rest).
    static bool keeps(const Event& e);
    // Events in the order they happened (icount never decreases).
    void add(const Event& e);
    size_t size() const { return events_.size(); }

    // The view: zoom by `factor` (< 1 in, > 1 out) keeping the instruction at `anchor` (0 = the left
    // edge, 1 = the right) where it is; scroll by a fraction of the span (negative: back in time);
    // follow the newest instruction again; show everything kept.
    void zoom(double factor, double anchor, uint64_t now);
    void scroll(double fraction, uint64_t now);
    void follow() { following_ = true; }
    void show_all(uint64_t now);
    bool following() const { return following_; }
    uint64_t span() const { return span_; }

    // The view at instruction count `now`: at most `max_process_tracks` process tracks (the most
    // active in range first, then by pid), the last `list_lines` list events (story events only).
    // `name` gives a process's name for its track label.
    template <class NameOf>
    TimelineView view(uint64_t now, size_t max_process_tracks, size_t list_lines, NameOf name) const {
        TimelineView v = view_without_names(now, max_process_tracks, list_lines);
        for (TimelineTrack& t : v.tracks)
            if (t.process) t.label = "pid " + std::to_string(t.pid) + " " + std::string(name(t.pid));
        return v;
    }
    TimelineView view_without_names(uint64_t now, size_t max_process_tracks, size_t list_lines) const;

  private:
    uint64_t end_at(uint64_t now) const { return following_ ? now : end_; }

    std::deque<Event> events_;
    uint32_t families_seen_ = 0;  // bit per EventFamily kept so far: its track stays
    uint64_t span_ = kDefaultSpan;
    uint64_t end_ = 0;  // the right edge when not following
    bool following_ = true;
};

// Whether an event belongs to the listed story (not switches, disk transfers or CR3 writes, which
// only draw marks).
bool timeline_lists(const Event& e);
// The frame, page (linear address) and process an event is about, when it has them: a click on
// it selects them in the grid, the address space and the process list.
struct EventSubject {
    std::optional<uint32_t> frame, page, pid;
};
EventSubject event_subject(const Event& e);

// A mark's colour on the timeline: one per kind a learner tells apart (faults orange, zero-fill
// blue, CoW magenta, swap-out red, swap-in green, process life white, disk grey, CR3 dim).
Rgb event_colour(EventKind kind);

}  // namespace pc386
