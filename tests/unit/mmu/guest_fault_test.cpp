// The one way a fault reaches the instruction boundary (mmu/guest_fault.h): raise() leaves the
// code in progress for the innermost attempt(), which reports it; an attempt that ends, normally
// or by a fault, hands the catch point back to the one around it.
#include "mmu/guest_fault.h"

#include <gtest/gtest.h>

namespace pc386 {
namespace {

TEST(GuestFault, AnAttemptThatRaisesNothingCompletes) {
    FaultUnwinder faults;
    int steps = 0;
    EXPECT_TRUE(faults.attempt([&] { ++steps; }));
    EXPECT_EQ(steps, 1);
}

TEST(GuestFault, RaiseLeavesTheBodyAtOnceAndTheAttemptSaysWhatWasRaised) {
    FaultUnwinder faults;
    int after = 0;
    EXPECT_FALSE(faults.attempt([&] {
        faults.raise(GuestFault{14, true, 6, 0x12345678});
        ++after;
    }));
    EXPECT_EQ(after, 0);
    EXPECT_EQ(faults.fault().vector, 14);
    EXPECT_TRUE(faults.fault().has_error);
    EXPECT_EQ(faults.fault().error, 6u);
    EXPECT_EQ(faults.fault().linear, 0x12345678u);
}

// The double-fault pattern: the inner catch point repairs and passes the fault on with reraise();
// the outer one gets it, and afterwards a new attempt still catches (the catch points unwound).
TEST(GuestFault, NestedAttemptsCatchInnermostFirstAndReraiseGoesOut) {
    FaultUnwinder faults;
    bool inner_caught = false;
    EXPECT_FALSE(faults.attempt([&] {
        if (!faults.attempt([&] { faults.raise(GuestFault{13, true, 0x28, 0}); })) {
            inner_caught = true;
            faults.reraise();
        }
    }));
    EXPECT_TRUE(inner_caught);
    EXPECT_EQ(faults.fault().vector, 13);
    EXPECT_EQ(faults.fault().error, 0x28u);
    EXPECT_FALSE(faults.attempt([&] { faults.raise(GuestFault{6, false, 0, 0}); }));
    EXPECT_EQ(faults.fault().vector, 6);
}

// A fault raised after an inner attempt completed goes to the outer one, not to the finished one.
TEST(GuestFault, AFinishedAttemptNoLongerCatches) {
    FaultUnwinder faults;
    EXPECT_FALSE(faults.attempt([&] {
        EXPECT_TRUE(faults.attempt([] {}));
        faults.raise(GuestFault{12, true, 0, 0});
    }));
    EXPECT_EQ(faults.fault().vector, 12);
}

// Raising with no catch point is a caller's bug: one line on stderr, then abort.
TEST(GuestFaultDeathTest, RaiseOutsideAnyAttemptAborts) {
    FaultUnwinder faults;
    EXPECT_DEATH(faults.raise(GuestFault{13, true, 0, 0}), "raised outside an instruction");
}

}  // namespace
}  // namespace pc386
