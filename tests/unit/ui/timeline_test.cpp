// The timeline as a learner reads it: a fork, a CoW copy and a swap-out land on their family's
// track and on the process's track, processes show when they ran, the view zooms and scrolls
// through virtual time, and a click on an event names its process, page and frame.
#include "ui/timeline.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace pc386 {
namespace {

Event event(uint64_t icount, EventKind kind, uint16_t pid, uint32_t a = 0, uint32_t b = 0, uint32_t c = 0,
            uint32_t d = 0) {
    Event e;
    e.icount = icount;
    e.kind = kind;
    e.pid = pid;
    e.a = a;
    e.b = b;
    e.c = c;
    e.d = d;
    return e;
}

const TimelineTrack* track(const TimelineView& v, const std::string& label) {
    for (const TimelineTrack& t : v.tracks)
        if (t.label == label) return &t;
    return nullptr;
}

std::string name_of(uint32_t pid) {
    return pid == 2 ? "forkstorm" : "sh";
}

// sh (pid 1) runs, forks pid 2, which runs, copies a CoW page, and has a page swapped out.
Timeline story() {
    Timeline t;
    t.add(event(1000, EventKind::ProcSwitch, 0, 1));
    t.add(event(2000, EventKind::Fork, 1, 1, 2));
    t.add(event(3000, EventKind::ProcSwitch, 1, 2));
    t.add(event(4000, EventKind::Interrupt, 2, 0x20, 0));  // the timer: not kept
    t.add(event(5000, EventKind::CowCopy, 2, 0x40001000, 0x123, 0x456));
    t.add(event(6000, EventKind::SwapOut, 1, 0x40002000, 0x321, 7, 2));
    t.add(event(6500, EventKind::DiskWrite, 1, 1, 100, 8));
    t.zoom(20'000.0 / double(Timeline::kDefaultSpan), 1.0, 10'000);  // 20,000 instructions wide
    return t;
}

TEST(Timeline, GivenAForkACowCopyAndASwapOut_ThenEachIsOnItsFamilysTrackAndTheTimerIsNot) {
    Timeline t = story();
    EXPECT_EQ(t.size(), 6u) << "the timer interrupt is not kept";
    TimelineView v = t.view(10'000, 8, 10, name_of);
    const TimelineTrack* paging = track(v, "paging, CoW");
    const TimelineTrack* swap = track(v, "swap");
    const TimelineTrack* processes = track(v, "processes");
    const TimelineTrack* disk = track(v, "disk");
    ASSERT_TRUE(paging && swap && processes && disk);
    EXPECT_EQ(track(v, "faults"), nullptr) << "no fault happened: no empty track";
    ASSERT_EQ(paging->marks.size(), 1u);
    EXPECT_EQ(paging->marks[0].kind, EventKind::CowCopy);
    EXPECT_EQ(v.events[paging->marks[0].event].c, 0x456u);
    ASSERT_EQ(swap->marks.size(), 1u);
    EXPECT_EQ(swap->marks[0].icount, 6000u);
    EXPECT_EQ(processes->marks.size(), 3u) << "two switches and the fork";
}

// The allocators' events (a vmalloc, a kmap, buddy and slab detail) have no track: they are not
// kept, and a view with them around draws (a vmalloc once made the view throw).
TEST(Timeline, GivenAllocatorEvents_ThenTheyAreNotKeptAndTheViewStillDraws) {
    Timeline t = story();
    t.add(event(7000, EventKind::Vmalloc, 2, 0xF8800000, 0x2000));
    t.add(event(7100, EventKind::Kmap, 2, 0x300, 0xFFC00000));
    t.add(event(7200, EventKind::BuddySplit, 2, 3));
    EXPECT_EQ(t.size(), 6u);
    TimelineView v = t.view(10'000, 8, 10, name_of);
    EXPECT_NE(track(v, "swap"), nullptr);
}

TEST(Timeline, GivenTwoProcesses_ThenEachHasATrackWithWhenItRanAndItsOwnEvents) {
    TimelineView v = story().view(10'000, 8, 10, name_of);
    const TimelineTrack* sh = track(v, "pid 1 sh");
    const TimelineTrack* child = track(v, "pid 2 forkstorm");
    ASSERT_TRUE(sh && child);
    EXPECT_EQ(sh->running, (std::vector<TimelineSpan>{{1000, 3000}}));
    EXPECT_EQ(child->running, (std::vector<TimelineSpan>{{3000, 10'000}})) << "still running now";
    // The swap-out is the owner's (pid 2) even though pid 1 was stamped on it.
    std::vector<EventKind> kinds;
    for (const TimelineMark& m : child->marks) kinds.push_back(m.kind);
    EXPECT_EQ(kinds, (std::vector<EventKind>{EventKind::Fork, EventKind::CowCopy, EventKind::SwapOut}));
}

TEST(Timeline, GivenTheList_ThenItHoldsTheLastStoryEventsOldestFirstWithoutSwitchesOrDisk) {
    TimelineView v = story().view(10'000, 8, 2, name_of);
    ASSERT_EQ(v.recent.size(), 2u);
    EXPECT_EQ(v.events[v.recent[0]].kind, EventKind::CowCopy);
    EXPECT_EQ(v.events[v.recent[1]].kind, EventKind::SwapOut);
}

TEST(Timeline, GivenAZoomIntoThePast_ThenTheRangeStopsFollowingAndScrollsBackToNow) {
    Timeline t = story();
    const uint64_t now = 200'000'000;
    TimelineView v = t.view(now, 8, 10, name_of);
    EXPECT_TRUE(v.following);
    EXPECT_EQ(v.end, now);
    EXPECT_EQ(v.end - v.start, 20'000u);
    EXPECT_TRUE(v.tracks[0].marks.empty()) << "the story happened long before this range";

    t.show_all(now);
    v = t.view(now, 8, 10, name_of);
    EXPECT_LE(v.start, 1000u);
    EXPECT_FALSE(track(v, "swap")->marks.empty());

    t.zoom(0.001, 0.0, now);  // in, around the left edge: the story fills the view
    v = t.view(now, 8, 10, name_of);
    EXPECT_FALSE(v.following);
    EXPECT_LT(v.end, now);
    EXPECT_EQ(v.start, 0u);
    EXPECT_EQ(v.end - v.start, t.span());
    EXPECT_EQ(track(v, "swap")->marks.size(), 1u);
    EXPECT_TRUE(v.recent.empty() || v.events[v.recent.back()].icount < v.end);

    t.scroll(1e9, now);  // far to the right: back to now
    EXPECT_TRUE(t.following());
    t.scroll(-1e9, now);  // far to the left: stops at the start of time
    v = t.view(now, 8, 10, name_of);
    EXPECT_EQ(v.start, 0u);
}

TEST(Timeline, GivenAZoomFarIn_ThenTheSpanStopsAtTheClosestZoom) {
    Timeline t = story();
    for (int i = 0; i < 100; ++i) t.zoom(0.1, 0.5, 10'000);
    EXPECT_EQ(t.span(), Timeline::kMinSpan);
    for (int i = 0; i < 100; ++i) t.zoom(10, 0.5, 10'000);
    EXPECT_GT(t.span(), Timeline::kDefaultSpan);
}

TEST(Timeline, GivenMoreEventsThanPixels_ThenNearbyMarksMergeAndTheOldestAreDropped) {
    Timeline t;
    for (uint64_t i = 0; i < Timeline::kCapacity + 100; ++i)
        t.add(event(i * 10, EventKind::ZeroFill, 3, uint32_t(0x400000 + (i << 12)), uint32_t(i)));
    EXPECT_EQ(t.size(), Timeline::kCapacity);
    t.show_all((Timeline::kCapacity + 100) * 10);
    TimelineView v = t.view((Timeline::kCapacity + 100) * 10, 8, 4, name_of);
    const TimelineTrack* paging = track(v, "paging, CoW");
    ASSERT_TRUE(paging);
    EXPECT_LE(paging->marks.size(), 2100u);
    EXPECT_GT(paging->marks.size(), 1000u);
    EXPECT_TRUE(std::is_sorted(paging->marks.begin(), paging->marks.end(),
                               [](const auto& a, const auto& b) { return a.icount < b.icount; }));
}

TEST(EventSubject, GivenEventsAboutMemory_ThenTheirProcessPageAndFrameAreNamed) {
    EventSubject cow = event_subject(event(1, EventKind::CowCopy, 4, 0x40001234, 0x10, 0x20));
    EXPECT_EQ(cow.pid, 4u);
    EXPECT_EQ(cow.page, 0x40001000u);
    EXPECT_EQ(cow.frame, 0x20u) << "the writer's new copy";
    EventSubject out = event_subject(event(1, EventKind::SwapOut, 1, 0x50000000, 0x99, 3, 6));
    EXPECT_EQ(out.pid, 6u) << "the owner";
    EXPECT_EQ(out.frame, 0x99u);
    EventSubject in = event_subject(event(1, EventKind::SwapIn, 6, 0x50000000, 3, 0x77, 1));
    EXPECT_EQ(in.frame, 0x77u);
    EventSubject fork = event_subject(event(1, EventKind::Fork, 1, 1, 9));
    EXPECT_EQ(fork.pid, 9u) << "the child";
    EXPECT_FALSE(fork.frame);
    EventSubject pf = event_subject(event(1, EventKind::Exception, 2, 14, 6, 0xBFFFEF40));
    EXPECT_EQ(pf.page, 0xBFFFE000u);
}

}  // namespace
}  // namespace pc386
