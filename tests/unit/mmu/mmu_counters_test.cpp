// The MMU's counters mean one thing each and add up: lookups = hits + misses; every miss with paging
// on walks the page tables once per page it touches, a miss with paging off walks nothing; probes
// walk without a lookup.
#include <gtest/gtest.h>

#include "mmu/mmu.h"

namespace pc386 {
namespace {

constexpr uint32_t P = 1, W = 2, U = 4;

struct MmuCounters : ::testing::Test {
    PhysicalBus bus{4 << 20};
    Mmu mmu{bus};
    static constexpr uint32_t kDir = 0x1000, kTable = 0x2000;

    void SetUp() override {
        bus.write32(kDir, kTable | P | W | U);
        for (uint32_t page = 0x10; page < 0x40; ++page)
            bus.write32(kTable + page * 4, (page << 12) | P | W | U);
        mmu.set_cr3(kDir);
    }
};

TEST_F(MmuCounters, GivenAccessesWithPagingOff_ThenMissesNeedNoWalkAndLookupsAddUp) {
    mmu.reset_stats();
    for (uint32_t a = 0x10000; a < 0x14000; a += 4) mmu.write32(a, a, false);
    for (uint32_t a = 0x10000; a < 0x14000; a += 4) EXPECT_EQ(mmu.read32(a, false), a);
    const MmuStats& s = mmu.stats();
    EXPECT_EQ(s.tlb_lookups(), 2u * 0x1000);
    EXPECT_EQ(s.tlb_hits + s.tlb_misses, s.tlb_lookups());
    EXPECT_GT(s.tlb_misses, 0u);
    EXPECT_EQ(s.misses_paging_off, s.tlb_misses);
    EXPECT_EQ(s.page_walks, 0u);
}

TEST_F(MmuCounters, GivenAccessesWithPagingOn_ThenEveryMissWalksOnceAndHitsDoNot) {
    mmu.set_paging(true);
    mmu.reset_stats();
    for (int round = 0; round < 3; ++round) {
        for (uint32_t a = 0x10000; a < 0x20000; a += 64) mmu.write8(a, 1, false);
        for (uint32_t a = 0x10000; a < 0x20000; a += 64) mmu.read8(a, true);
        mmu.flush_tlb();
    }
    const MmuStats& s = mmu.stats();
    EXPECT_EQ(s.tlb_lookups(), 3u * 2 * (0x10000 / 64));
    EXPECT_EQ(s.tlb_hits + s.tlb_misses, s.tlb_lookups());
    EXPECT_EQ(s.misses_paging_off, 0u);
    // 16 pages x (supervisor write, user read) per round: the rest of each page hits.
    EXPECT_EQ(s.page_walks, s.tlb_misses);
    EXPECT_EQ(s.tlb_misses, 3u * 2 * 16);
    EXPECT_EQ(s.probe_walks, 0u);
}

TEST_F(MmuCounters, GivenPageCrossingAccessesAndProbes_ThenWalksAreExplainedByThem) {
    mmu.set_paging(true);
    mmu.reset_stats();
    mmu.read32(0x10FFE, false);               // one miss, two pages walked
    mmu.probe_write(0x11000, 8, false);       // a PUSH-style check: no lookup, one probe walk
    mmu.write32(0x12FFE, 0x11223344, false);  // one miss: two probe walks, then two walks
    const MmuStats& s = mmu.stats();
    EXPECT_EQ(s.tlb_lookups(), 2u);
    EXPECT_EQ(s.tlb_misses, 2u);
    EXPECT_EQ(s.page_walks, 4u);
    EXPECT_EQ(s.probe_walks, 3u);
}

TEST_F(MmuCounters, GivenTheStatsReport_ThenItSaysHowTheNumbersAddUp) {
    mmu.read8(0x10000, false);
    std::string report = mmu.stats().format();
    EXPECT_NE(report.find("1 lookups = 0 hits + 1 misses (1 with paging off)"), std::string::npos) << report;
    EXPECT_NE(report.find("page walks: 0 for misses, 0 probes"), std::string::npos) << report;
}

}  // namespace
}  // namespace pc386
