#include "ui/timeline.h"

#include <algorithm>
#include <map>

namespace pc386 {
namespace {

constexpr uint64_t kMaxSpan = uint64_t(1) << 44;  // ~4 virtual days: far beyond any run
// Marks closer than span / kBuckets on one track are drawn as one (the newest): a zoomed-out view
// of 65,536 events costs a few thousand marks, and the screen has no more pixels than that.
constexpr uint64_t kBuckets = 2048;

// The family tracks in the order they are drawn: what a learner looks for first on top.
constexpr EventFamily kTrackOrder[] = {EventFamily::Faults,    EventFamily::Paging, EventFamily::Swap,
                                       EventFamily::Processes, EventFamily::Disk,   EventFamily::CpuMmu};

const char* family_label(EventFamily family) {
    switch (family) {
        case EventFamily::Faults: return "faults";
        case EventFamily::Paging: return "paging, CoW";
        case EventFamily::Swap: return "swap";
        case EventFamily::Processes: return "processes";
        case EventFamily::Disk: return "disk";
        case EventFamily::CpuMmu: return "CR3, CPU";
        default: return to_string(family);
    }
}

}  // namespace

bool Timeline::keeps(const Event& e) {
    if (e.kind == EventKind::Invlpg || e.kind == EventKind::TlbFlush) return false;  // too many to draw
    // Only the families that have a track: interrupts and the allocators (buddy, slab, kmap, vmalloc,
    // LRU moves) come by the thousand and would bury the story.
    return std::find(std::begin(kTrackOrder), std::end(kTrackOrder), event_family(e.kind)) != std::end(kTrackOrder);
}

bool timeline_lists(const Event& e) {
    switch (e.kind) {
        case EventKind::ProcSwitch:
        case EventKind::DiskRead:
        case EventKind::DiskWrite:
        case EventKind::Cr0Write:
        case EventKind::Cr3Write:
        case EventKind::TaskSwitch:
        case EventKind::ModeSwitch: return false;
        default: return Timeline::keeps(e);
    }
}

EventSubject event_subject(const Event& e) {
    EventSubject s;
    if (e.pid) s.pid = e.pid;
    switch (e.kind) {
        case EventKind::ZeroFill:
        case EventKind::CowReuse:
        case EventKind::StackGrow:
            s.page = e.a;
            s.frame = e.b;
            break;
        case EventKind::CowCopy:  // the writer's new copy (the old frame stays with the others)
            s.page = e.a;
            s.frame = e.c;
            break;
        case EventKind::SwapOut:
            s.page = e.a;
            s.frame = e.b;
            if (e.d) s.pid = e.d;  // the owner, which need not be the one that reclaimed
            break;
        case EventKind::SwapIn:
            s.page = e.a;
            s.frame = e.c;
            break;
        case EventKind::Exception:
            if (e.a == 14) s.page = e.c;
            break;
        case EventKind::Fork: s.pid = e.b; break;  // the child
        case EventKind::Exec:
        case EventKind::ProcExit:
        case EventKind::Kill:
        case EventKind::OomKill: s.pid = e.a; break;
        case EventKind::ProcSwitch:
            if (e.a) s.pid = e.a;
            break;
        default: break;
    }
    if (s.page) *s.page &= 0xFFFFF000u;
    return s;
}

Rgb event_colour(EventKind kind) {
    switch (kind) {
        case EventKind::Exception: return {255, 150, 40};
        case EventKind::ZeroFill:
        case EventKind::StackGrow: return {80, 150, 255};
        case EventKind::CowCopy: return {230, 90, 230};
        case EventKind::CowReuse: return {160, 110, 230};
        case EventKind::SwapOut: return {240, 70, 60};
        case EventKind::SwapIn: return {80, 220, 110};
        case EventKind::Reclaim: return {240, 170, 150};
        case EventKind::Fork:
        case EventKind::Exec: return {240, 240, 240};
        case EventKind::ProcExit:
        case EventKind::Kill:
        case EventKind::OomKill: return {255, 230, 80};
        case EventKind::ProcSwitch: return {110, 140, 110};
        case EventKind::DiskRead:
        case EventKind::DiskWrite: return {150, 150, 160};
        default: return {120, 120, 130};
    }
}

void Timeline::add(const Event& e) {
    if (!keeps(e)) return;
    if (events_.size() == kCapacity) events_.pop_front();
    events_.push_back(e);
    families_seen_ |= 1u << unsigned(event_family(e.kind));
}

void Timeline::zoom(double factor, double anchor, uint64_t now) {
    anchor = std::clamp(anchor, 0.0, 1.0);
    const uint64_t end = end_at(now);
    const uint64_t start = end - std::min(end, span_);
    const uint64_t pivot = start + uint64_t(anchor * double(span_));
    const uint64_t span = std::clamp<uint64_t>(uint64_t(double(span_) * factor), kMinSpan, kMaxSpan);
    const uint64_t pivot_to_end = uint64_t((1.0 - anchor) * double(span));
    span_ = span;
    const uint64_t new_end = pivot + pivot_to_end;
    if (new_end >= now) {
        following_ = true;
    } else {
        following_ = false;
        end_ = std::max(new_end, std::min(now, span_));
    }
}

void Timeline::scroll(double fraction, uint64_t now) {
    const double moved = fraction * double(span_);
    const double end = double(end_at(now)) + moved;
    if (end >= double(now)) {
        following_ = true;
        return;
    }
    following_ = false;
    end_ = std::max(end < 0 ? uint64_t(0) : uint64_t(end), std::min(now, span_));
}

void Timeline::show_all(uint64_t now) {
    const uint64_t oldest = events_.empty() ? 0 : events_.front().icount;
    const uint64_t range = now > oldest ? now - oldest : 0;
    span_ = std::clamp<uint64_t>(range + range / 50, kMinSpan, kMaxSpan);
    following_ = true;
}

TimelineView Timeline::view_without_names(uint64_t now, size_t max_process_tracks, size_t list_lines) const {
    TimelineView v;
    v.following = following_;
    v.kept = events_.size();
    v.end = std::max(end_at(now), span_);
    v.start = v.end - span_;
    const uint64_t bucket = std::max<uint64_t>(1, span_ / kBuckets);

    auto first_at = [&](uint64_t icount) {
        return std::lower_bound(events_.begin(), events_.end(), icount,
                                [](const Event& e, uint64_t i) { return e.icount < i; });
    };
    const auto begin = first_at(v.start), end = first_at(v.end);

    // Family tracks: every family kept so far has its track (tracks do not come and go on scroll).
    std::map<EventFamily, size_t> family_track;
    for (EventFamily f : kTrackOrder) {
        if (!(families_seen_ & (1u << unsigned(f)))) continue;
        family_track[f] = v.tracks.size();
        TimelineTrack track;
        track.label = family_label(f);
        v.tracks.push_back(std::move(track));
    }
    // Marks, one per bucket per track (the newest in it wins).
    std::vector<uint64_t> last_bucket(v.tracks.size(), ~uint64_t(0));
    auto mark = [&](TimelineTrack& track, uint64_t& last, const Event& e) {
        const uint64_t b = (e.icount - v.start) / bucket;
        if (b == last && !track.marks.empty()) {
            v.events[track.marks.back().event] = e;
            track.marks.back().icount = e.icount;
            track.marks.back().kind = e.kind;
            return;
        }
        last = b;
        track.marks.push_back({e.icount, e.kind, uint32_t(v.events.size())});
        v.events.push_back(e);
    };
    for (auto it = begin; it != end; ++it) {
        const size_t t = family_track.at(event_family(it->kind));
        mark(v.tracks[t], last_bucket[t], *it);
    }

    // Process tracks: who ran when (from the switches) and each process's own story events.
    struct Activity {
        uint64_t events = 0;
        std::vector<TimelineSpan> running;
    };
    std::map<uint32_t, Activity> activity;
    uint32_t running = 0;
    uint64_t since = v.start;
    for (auto it = begin; it != events_.begin();) {  // who was running at the left edge
        --it;
        if (it->kind == EventKind::ProcSwitch) {
            running = it->a;
            break;
        }
    }
    auto close_span = [&](uint64_t until) {
        if (running && until > since) activity[running].running.push_back({since, until});
    };
    for (auto it = begin; it != end; ++it) {
        if (it->kind == EventKind::ProcSwitch) {
            close_span(it->icount);
            running = it->a;
            since = it->icount;
            if (running) ++activity[running].events;
        } else if (timeline_lists(*it)) {
            if (auto pid = event_subject(*it).pid) ++activity[*pid].events;
        }
    }
    close_span(std::min(v.end, std::max(now, v.start)));
    std::vector<std::pair<uint64_t, uint32_t>> ranked;  // (busiest first, then lowest pid)
    for (const auto& [pid, a] : activity) {
        uint64_t ran = 0;
        for (const TimelineSpan& s : a.running) ran += s.end - s.begin;
        ranked.push_back({a.events * bucket + ran, pid});
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    if (ranked.size() > max_process_tracks) ranked.resize(max_process_tracks);
    std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
    std::map<uint32_t, size_t> pid_track;
    for (const auto& [score, pid] : ranked) {
        pid_track[pid] = v.tracks.size();
        TimelineTrack track;
        track.pid = pid;
        track.process = true;
        track.running = std::move(activity[pid].running);
        v.tracks.push_back(std::move(track));
        last_bucket.push_back(~uint64_t(0));
    }
    for (auto it = begin; it != end; ++it) {
        if (!timeline_lists(*it)) continue;
        auto pid = event_subject(*it).pid;
        if (!pid) continue;
        auto found = pid_track.find(*pid);
        if (found != pid_track.end()) mark(v.tracks[found->second], last_bucket[found->second], *it);
    }

    // The list: the last story events up to the right edge.
    std::vector<uint32_t> recent;
    for (auto it = end; it != events_.begin() && recent.size() < list_lines;) {
        --it;
        if (!timeline_lists(*it)) continue;
        recent.push_back(uint32_t(v.events.size()));
        v.events.push_back(*it);
    }
    v.recent.assign(recent.rbegin(), recent.rend());
    return v;
}

}  // namespace pc386
