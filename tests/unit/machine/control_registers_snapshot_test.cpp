// CR0 and CR3 have one home, the MMU, which paging reads; the CPU reads them through. A snapshot
// carries them once, and a machine restored from it pages with them: the CPU's view, the MMU's
// mode and the walk all agree.
#include <gtest/gtest.h>

#include "base/log.h"
#include "cpu/cpu.h"
#include "halt_rom_test.h"
#include "hostile_guest.h"
#include "machine/machine.h"
#include "paged_kernel.h"

namespace pc386 {
namespace {

using namespace hostile;
using namespace paged_kernel;

class ControlRegisters : public HaltRomTest {
  protected:
    std::unique_ptr<Machine> make_486() { return make_machine(CpuModel::i486); }
};

TEST_F(ControlRegisters, TheCpuSeesWhatTheMmuPagesWith) {
    auto m = make_486();
    load_paged_kernel(*m);
    m->cpu().set_cr0(m->cpu().cr0() | cr0::WP);
    EXPECT_EQ(m->cpu().cr3(), kPageDir);
    EXPECT_EQ(m->mmu().cr3(), kPageDir);
    EXPECT_EQ(m->mmu().cr0(), m->cpu().cr0());
    EXPECT_TRUE(m->mmu().paging());
    EXPECT_TRUE(m->mmu().write_protect());
}

TEST_F(ControlRegisters, ARestoredMachinePagesWithTheSnapshotsCr0AndCr3) {
    auto saved = make_486();
    load_paged_kernel(*saved);
    saved->cpu().set_cr0(saved->cpu().cr0() | cr0::WP | cr0::AM);
    const std::vector<uint8_t> snapshot = saved->save_snapshot();

    auto restored = make_486();  // powered on: paging off, CR3 0
    ASSERT_FALSE(restored->mmu().paging());
    restored->load_snapshot(snapshot);
    EXPECT_EQ(restored->cpu().cr0(), saved->cpu().cr0());
    EXPECT_EQ(restored->cpu().cr3(), kPageDir);
    EXPECT_TRUE(restored->mmu().paging());
    EXPECT_TRUE(restored->mmu().write_protect());
    // The kernel reads its one missing page: a #PF through the restored tables, the handler maps
    // the page, the read completes and the guest exits.
    ASSERT_EQ(restored->run_for(10'000), StopReason::GuestExit);
    EXPECT_EQ(restored->mmu().stats().faults(), 1u);
    EXPECT_EQ(restored->cpu().exceptions_delivered(), 1u);
}

}  // namespace
}  // namespace pc386
