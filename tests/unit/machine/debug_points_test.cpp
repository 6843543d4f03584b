// The debugger's breakpoints and watchpoints on a whole machine (what the gdb stub uses): a code
// breakpoint stops *before* its instruction and resuming runs it; a watchpoint stops right after
// the instruction that touched the watched bytes, and only there (other accesses to the same page
// go through the slow path but do not stop).
#include <gtest/gtest.h>

#include "base/log.h"
#include "halt_rom_test.h"
#include "hostile_guest.h"
#include "paged_kernel.h"

namespace pc386 {
namespace {

using namespace hostile;
using namespace paged_kernel;

class DebugPoints : public HaltRomTest {
  protected:
    void SetUp() override {
        HaltRomTest::SetUp();
        machine_ = make_machine();
        load_paged_kernel(*machine_);
    }
    uint32_t eip() { return machine_->cpu().state().eip; }

    std::unique_ptr<Machine> machine_;
};

TEST_F(DebugPoints, ACodeBreakpointStopsBeforeItsInstructionAndResumingRunsIt) {
    Machine& m = *machine_;
    m.add_code_breakpoint(kHandler);
    ASSERT_EQ(m.run_for(10'000), StopReason::Breakpoint);
    EXPECT_EQ(eip(), kHandler);
    EXPECT_EQ(m.cpu().state().cr2, kMissing);
    const uint32_t pte = kPageTable + (kMissing >> 12) * 4;
    EXPECT_EQ(m.bus().ram()[pte] & 1, 0);  // the handler's first instruction has not run
    EXPECT_FALSE(m.watch_hit());
    EXPECT_EQ(m.run_for(10'000), StopReason::GuestExit);  // resumes over the breakpoint
    EXPECT_EQ(m.bus().ram()[pte] & 1, 1);
}

TEST_F(DebugPoints, SingleStepsRunOneInstructionEach) {
    Machine& m = *machine_;
    m.add_code_breakpoint(kHandler);
    ASSERT_EQ(m.run_for(10'000), StopReason::Breakpoint);
    m.limit_next_slice(1);
    EXPECT_EQ(m.run_for(10'000), StopReason::None);
    EXPECT_EQ(eip(), kHandler + 7);  // past `or dword [pte], 1`
    m.limit_next_slice(1);
    EXPECT_EQ(m.run_for(10'000), StopReason::None);
    EXPECT_EQ(eip(), kHandler + 10);  // past `add esp, 4`
    m.remove_code_breakpoint(kHandler);
    EXPECT_EQ(m.run_for(10'000), StopReason::GuestExit);
}

TEST_F(DebugPoints, AWriteWatchpointStopsAfterTheWritingInstruction) {
    Machine& m = *machine_;
    const uint32_t pte = kPageTable + (kMissing >> 12) * 4;
    m.add_watchpoint(Watchpoint{pte, 4, Watchpoint::Kind::Write});
    ASSERT_EQ(m.run_for(10'000), StopReason::Breakpoint);
    EXPECT_EQ(eip(), kHandler + 7);  // the OR has completed
    ASSERT_TRUE(m.watch_hit());
    EXPECT_EQ(m.watch_hit()->addr, pte);
    EXPECT_TRUE(m.watch_hit()->write);
    EXPECT_EQ(m.bus().ram()[pte] & 1, 1);
    EXPECT_EQ(m.run_for(10'000), StopReason::GuestExit);
}

TEST_F(DebugPoints, AReadWatchpointIgnoresWritesAndOtherBytesOfThePage) {
    Machine& m = *machine_;
    m.add_watchpoint(Watchpoint{kMissing + 0x800, 4, Watchpoint::Kind::Read});  // same page, other bytes
    EXPECT_EQ(m.run_for(10'000), StopReason::GuestExit);
    EXPECT_FALSE(m.watch_hit());
}

TEST_F(DebugPoints, AReadWatchpointOnTheLoadedWordStops) {
    Machine& m = *machine_;
    m.add_watchpoint(Watchpoint{kMissing + 2, 1, Watchpoint::Kind::Access});
    ASSERT_EQ(m.run_for(10'000), StopReason::Breakpoint);
    EXPECT_EQ(eip(), kCode + 5);  // after mov eax, [kMissing] (the retry that succeeded)
    ASSERT_TRUE(m.watch_hit());
    EXPECT_FALSE(m.watch_hit()->write);
    m.clear_debug_points();
    EXPECT_EQ(m.run_for(10'000), StopReason::GuestExit);
}

}  // namespace
}  // namespace pc386
