// The 386's paging rules, one behaviour per test: A/D bits, user/supervisor x read/write at both
// levels, fault error codes, page-straddling accesses, TLB flushes, the code-write hook.
#include <gtest/gtest.h>

#include "mmu/mmu.h"
#include "one_table_paging.h"

namespace pc386 {
namespace {

// 4 MiB of RAM; map() flushes the TLB, as a kernel would after changing a PTE.
struct PagingTest : OneTablePaging {
    PagingTest() : OneTablePaging(4 << 20) {}
    void map(uint32_t lin, uint32_t phys, uint32_t flags) {
        set_pte(lin, phys | flags);
        mmu.flush_tlb();
    }
    uint32_t pde() { return bus.read32(kDir); }
    // The error code of the page fault `access` raises, or -1 if it does not fault.
    template <typename F>
    int64_t fault_code(F access, uint32_t* cr2 = nullptr) {
        if (mmu.faults().attempt(access)) return -1;
        const GuestFault& f = mmu.faults().fault();
        EXPECT_EQ(f.vector, kPageFaultVector);
        if (cr2) *cr2 = f.linear;
        return f.error;
    }
};

TEST_F(PagingTest, TranslatesThroughBothLevels) {
    map(0x5000, 0x30000, P | W | U);
    bus.write32(0x30123, 0xCAFEBABE);
    EXPECT_EQ(mmu.read32(0x5123, false), 0xCAFEBABEu);
}

TEST_F(PagingTest, ReadSetsAccessedAtBothLevelsButNotDirty) {
    map(0x5000, 0x30000, P | W | U);
    bus.write32(kDir, kTable | P | W | U);  // A clear in the PDE
    mmu.read8(0x5000, false);
    EXPECT_TRUE(pde() & A);
    EXPECT_TRUE(pte(0x5000) & A);
    EXPECT_FALSE(pte(0x5000) & D);
}

TEST_F(PagingTest, WriteSetsDirty) {
    map(0x5000, 0x30000, P | W | U);
    mmu.read8(0x5000, false);  // fills the read TLB only
    mmu.write8(0x5000, 1, false);
    EXPECT_TRUE(pte(0x5000) & D);
}

TEST_F(PagingTest, FirstWriteToACleanPageSetsDirtyEvenAfterEarlierHits) {
    map(0x5000, 0x30000, P | W | U | A);
    for (int i = 0; i < 3; ++i) mmu.read8(0x5000, true);
    EXPECT_FALSE(pte(0x5000) & D);
    mmu.write8(0x5001, 7, true);
    EXPECT_TRUE(pte(0x5000) & D);
    EXPECT_EQ(bus.read8(0x30001), 7);
}

TEST_F(PagingTest, NotPresentFaultsCarryTheAccessKind) {
    EXPECT_EQ(fault_code([&] { mmu.read8(0x7000, false); }), 0);
    EXPECT_EQ(fault_code([&] { mmu.write8(0x7000, 0, false); }), 2);
    EXPECT_EQ(fault_code([&] { mmu.read8(0x7000, true); }), 4);
    EXPECT_EQ(fault_code([&] { mmu.write8(0x7000, 0, true); }), 6);
    EXPECT_EQ(fault_code([&] { mmu.fetch8(0x7000, true); }), 4);
}

TEST_F(PagingTest, NotPresentDirectoryEntryFaults) {
    uint32_t cr2 = 0;
    EXPECT_EQ(fault_code([&] { mmu.read8(0x00400010, false); }, &cr2), 0);
    EXPECT_EQ(cr2, 0x00400010u);
}

// Every combination of U/S and R/W in the PDE and PTE, for every kind of access: the effective
// right is the more restrictive level; supervisor accesses ignore both bits (no CR0.WP).
TEST_F(PagingTest, ProtectionCombinesBothLevels) {
    for (uint32_t pde_bits = 0; pde_bits < 4; ++pde_bits) {
        for (uint32_t pte_bits = 0; pte_bits < 4; ++pte_bits) {
            const uint32_t pde_flags = (pde_bits & 1 ? W : 0) | (pde_bits & 2 ? U : 0);
            const uint32_t pte_flags = (pte_bits & 1 ? W : 0) | (pte_bits & 2 ? U : 0);
            bus.write32(kDir, kTable | P | pde_flags);
            map(0x5000, 0x30000, P | pte_flags);
            const bool user_ok = (pde_flags & pte_flags & U) != 0;
            const bool user_write_ok = user_ok && (pde_flags & pte_flags & W) != 0;
            SCOPED_TRACE(testing::Message() << "pde " << pde_flags << " pte " << pte_flags);
            EXPECT_EQ(fault_code([&] { mmu.read8(0x5000, false); }), -1);
            EXPECT_EQ(fault_code([&] { mmu.write8(0x5000, 1, false); }), -1);
            EXPECT_EQ(fault_code([&] { mmu.read8(0x5000, true); }), user_ok ? -1 : 5);
            EXPECT_EQ(fault_code([&] { mmu.write8(0x5000, 1, true); }), user_write_ok ? -1 : 7);
        }
    }
}

TEST_F(PagingTest, SupervisorWriteToReadOnlyUserPageSucceedsOnA386) {
    map(0x5000, 0x30000, P | U);
    mmu.write32(0x5000, 0x11223344, false);
    EXPECT_EQ(bus.read32(0x30000), 0x11223344u);
}

TEST_F(PagingTest, StraddlingWriteFaultsOnTheSecondPageAndWritesNothing) {
    map(0x5000, 0x30000, P | W | U);
    map(0x6000, 0x31000, P | U);  // read-only for user
    uint32_t cr2 = 0;
    EXPECT_EQ(fault_code([&] { mmu.write32(0x5FFE, 0xAABBCCDD, true); }, &cr2), 7);
    EXPECT_EQ(cr2, 0x6000u);
    EXPECT_EQ(bus.read16(0x30FFE), 0);
    EXPECT_EQ(bus.read16(0x31000), 0);
}

TEST_F(PagingTest, StraddlingAccessUsesBothFrames) {
    map(0x5000, 0x30000, P | W);
    map(0x6000, 0x90000, P | W);
    mmu.write32(0x5FFE, 0xAABBCCDD, false);
    EXPECT_EQ(bus.read16(0x30FFE), 0xCCDD);
    EXPECT_EQ(bus.read16(0x90000), 0xAABB);
    EXPECT_EQ(mmu.read32(0x5FFE, false), 0xAABBCCDDu);
}

TEST_F(PagingTest, Cr3WriteFlushesStaleTranslations) {
    map(0x5000, 0x30000, P | W);
    bus.write8(0x30000, 1);
    bus.write8(0x40000, 2);
    EXPECT_EQ(mmu.read8(0x5000, false), 1);
    bus.write32(kTable + 5 * 4, 0x40000 | P | W);  // remap without flushing: the TLB still says 0x30000
    EXPECT_EQ(mmu.read8(0x5000, false), 1);
    mmu.set_cr3(kDir);
    EXPECT_EQ(mmu.read8(0x5000, false), 2);
    EXPECT_GE(mmu.stats().tlb_flushes, 1u);
}

TEST_F(PagingTest, InvalidatePageDropsOneTranslation) {
    map(0x5000, 0x30000, P | W);
    mmu.read8(0x5000, false);
    bus.write32(kTable + 5 * 4, 0x40000 | P | W);
    bus.write8(0x40000, 9);
    mmu.invalidate_page(0x5000);
    EXPECT_EQ(mmu.read8(0x5000, false), 9);
}

TEST_F(PagingTest, DirectoryIndexWrapsAt4MiBBoundaries) {
    // Linear 0x00400000 uses directory entry 1, with its own table.
    bus.write32(kDir + 4, 0x3000 | P | W);
    bus.write32(0x3000 + 2 * 4, 0x50000 | P | W);
    bus.write8(0x50004, 0x5A);
    EXPECT_EQ(mmu.read8(0x00402004, false), 0x5A);
    EXPECT_EQ(mmu.translate(0x00402004, kDir, true), 0x50004u);
    EXPECT_FALSE(mmu.translate(0x00802004, kDir, true).has_value());
}

TEST_F(PagingTest, CountsHitsMissesWalksAndFaults) {
    map(0x5000, 0x30000, P | W);
    mmu.reset_stats();
    mmu.read8(0x5000, false);
    mmu.read8(0x5001, false);
    fault_code([&] { mmu.read8(0x9000, true); });
    const MmuStats& s = mmu.stats();
    EXPECT_EQ(s.tlb_hits, 1u);
    EXPECT_EQ(s.tlb_misses, 2u);
    EXPECT_EQ(s.page_walks, 2u);
    EXPECT_EQ(s.faults_not_present_read, 1u);
    EXPECT_EQ(s.faults_user, 1u);
}

TEST_F(PagingTest, IntrospectionHasNoSideEffects) {
    map(0x5000, 0x30000, P | W | U);
    map(0x6000, 0x31000, P | W | U);
    const uint32_t before = pte(0x5000);
    uint32_t value = 0;
    EXPECT_TRUE(mmu.read_linear(0x5000, &value, 4));
    EXPECT_EQ(pte(0x5000), before);
    auto runs = mmu.walk(kDir);
    // Identity pages for the tables are not mapped; 0x5000-0x6FFF is one run of two pages.
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].linear, 0x5000u);
    EXPECT_EQ(runs[0].physical, 0x30000u);
    EXPECT_EQ(runs[0].length, 0x2000u);
    EXPECT_TRUE(runs[0].user);
}

TEST_F(PagingTest, ToolWritesGoThroughThePageTablesWithoutSideEffects) {
    map(0x5000, 0x30000, P | U);  // read-only: a tool may still write
    const uint32_t before = pte(0x5000);
    const uint32_t value = 0xCAFEF00D;
    EXPECT_FALSE(mmu.write_linear(0x5FFE, &value, 4));  // 0x6000 is not mapped
    EXPECT_TRUE(mmu.write_linear(0x5FFC, &value, 4));
    uint32_t back = 0;
    ASSERT_TRUE(bus.peek(0x30FFC, &back, 4));
    EXPECT_EQ(back, value);
    EXPECT_EQ(pte(0x5000), before);  // no A or D bit
    EXPECT_EQ(mmu.stats().faults(), 0u);
}

struct RecordingObserver : CodeWriteObserver {
    std::vector<uint32_t> pages;
    void code_page_written(uint32_t page) override { pages.push_back(page); }
};

TEST_F(PagingTest, WritesToFetchedCodePagesAreReported) {
    RecordingObserver observer;
    mmu.set_code_write_observer(&observer);
    map(0x5000, 0x30000, P | W | D | A);
    mmu.write8(0x5000, 0x90, false);  // data page so far: fast write entry
    mmu.fetch8(0x5000, false);        // now it holds code
    mmu.write8(0x5001, 0x90, false);
    ASSERT_EQ(observer.pages.size(), 1u);
    EXPECT_EQ(observer.pages[0], 0x30u);
}

}  // namespace
}  // namespace pc386
