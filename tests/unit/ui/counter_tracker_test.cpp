#include "ui/counter_tracker.h"

#include <gtest/gtest.h>

namespace pc386 {
namespace {

TEST(CounterTracker, GivenAFirstUpdate_ThenValuesAreBaselinesNotChanges) {
    CounterTracker tracker;
    EXPECT_TRUE(tracker.update({{"faults", 5}, {"walks", 7}}, 100));
    auto rows = tracker.rows(100);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].name, "faults");
    EXPECT_EQ(rows[0].value, 5u);
    EXPECT_FALSE(rows[0].highlighted);
    EXPECT_EQ(rows[0].delta, 0u);
    EXPECT_FALSE(tracker.highlight_pending(100));
}

TEST(CounterTracker, GivenACounterThatGrew_ThenItIsHighlightedWithItsDeltaUntilTheHighlightFades) {
    CounterTracker tracker;
    tracker.update({{"faults", 5}, {"walks", 7}}, 100);
    EXPECT_TRUE(tracker.update({{"faults", 8}, {"walks", 7}}, 200));
    auto rows = tracker.rows(250);
    EXPECT_TRUE(rows[0].highlighted);
    EXPECT_EQ(rows[0].delta, 3u);
    EXPECT_FALSE(rows[1].highlighted);
    EXPECT_TRUE(tracker.highlight_pending(250));
    EXPECT_FALSE(tracker.rows(200 + CounterTracker::kHighlightMs)[0].highlighted);
    EXPECT_FALSE(tracker.highlight_pending(200 + CounterTracker::kHighlightMs));
}

TEST(CounterTracker, GivenNoChange_ThenUpdateReportsNothingChanged) {
    CounterTracker tracker;
    tracker.update({{"a", 1}}, 0);
    EXPECT_FALSE(tracker.update({{"a", 1}}, 10));
}

TEST(CounterTracker, GivenACounterReset_ThenTheChangeShowsWithoutAWrappedDelta) {
    CounterTracker tracker;
    tracker.update({{"a", 100}}, 0);
    EXPECT_TRUE(tracker.update({{"a", 0}}, 10));
    EXPECT_EQ(tracker.rows(10)[0].delta, 0u);
    EXPECT_TRUE(tracker.rows(10)[0].highlighted);
}

TEST(RateMeter, GivenSamplesOverAWindow_ThenTheRateIsEventsPerSecond) {
    RateMeter meter(500);
    EXPECT_FALSE(meter.sample(0, 1000));
    EXPECT_FALSE(meter.sample(1'000'000, 1200));
    EXPECT_TRUE(meter.sample(5'000'000, 1500));
    EXPECT_DOUBLE_EQ(meter.per_second(), 10'000'000.0);
}

TEST(RateMeter, GivenACounterThatWentBackwards_ThenTheMeterRestartsInsteadOfReportingGarbage) {
    RateMeter meter(100);
    meter.sample(1000, 0);
    EXPECT_FALSE(meter.sample(10, 200));
    EXPECT_TRUE(meter.sample(110, 300));
    EXPECT_DOUBLE_EQ(meter.per_second(), 1000.0);
}

}  // namespace
}  // namespace pc386
