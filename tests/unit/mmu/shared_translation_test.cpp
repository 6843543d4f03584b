// One walk serves a read and the write after it, as the 386's TLB holds one translation per page:
// a read walk fills the write entry too when a write could not fault and D is already set, and a
// write walk fills the read entry. Where a write still needs the walk (D clear), must fault (a
// read-only page for user code, or for the supervisor under the 486's WP) or must be seen (a page
// holding fetched code), the read leaves it alone; and with the heat map on, writes keep their own
// fills so that the map sees them.
#include <gtest/gtest.h>

#include <vector>

#include "mmu/access_heat.h"
#include "mmu/mmu.h"
#include "one_table_paging.h"

namespace pc386 {
namespace {

struct SharedTranslation : OneTablePaging {
    SharedTranslation() : OneTablePaging(2 << 20) {}
    void map(uint32_t lin, uint32_t phys, uint32_t flags) { set_pte(lin, phys | flags); }
    // The page-fault error code of `access`, or -1 if it did not fault.
    template <typename F>
    int64_t fault_code(F access) {
        if (mmu.faults().attempt(access)) return -1;
        return mmu.faults().fault().error;
    }
};

TEST_F(SharedTranslation, AReadOfADirtyWritablePageServesTheWriteAfterIt) {
    map(0x5000, 0x30000, P | W | A | D);
    mmu.reset_stats();
    EXPECT_EQ(mmu.read8(0x5010, false), 0);
    mmu.write8(0x5020, 0x77, false);
    EXPECT_EQ(bus.read8(0x30020), 0x77);
    EXPECT_EQ(mmu.stats().page_walks, 1u);
    EXPECT_EQ(mmu.stats().tlb_hits, 1u);
}

TEST_F(SharedTranslation, AWriteServesTheReadAfterIt) {
    map(0x5000, 0x30000, P | W | U);
    mmu.reset_stats();
    mmu.write32(0x5100, 0x12345678, true);
    EXPECT_EQ(mmu.read32(0x5100, true), 0x12345678u);
    EXPECT_EQ(mmu.stats().page_walks, 1u);
    EXPECT_TRUE(pte(0x5000) & D);
}

// D must be set in memory by a walk: the first write to a clean page walks even after a read.
TEST_F(SharedTranslation, AReadOfACleanPageLeavesTheFirstWriteToWalkAndSetD) {
    map(0x5000, 0x30000, P | W);
    mmu.reset_stats();
    mmu.read8(0x5000, false);
    EXPECT_FALSE(pte(0x5000) & D);
    mmu.write8(0x5000, 1, false);
    EXPECT_TRUE(pte(0x5000) & D);
    EXPECT_EQ(mmu.stats().page_walks, 2u);
}

TEST_F(SharedTranslation, AUserReadOfAReadOnlyPageLeavesTheWriteToFault) {
    map(0x5000, 0x30000, P | U | A | D);
    EXPECT_EQ(fault_code([&] { mmu.read8(0x5000, true); }), -1);
    EXPECT_EQ(fault_code([&] { mmu.write8(0x5000, 1, true); }), 7);  // P | W | U
    EXPECT_EQ(bus.read8(0x30000), 0);
}

TEST_F(SharedTranslation, UnderWpASupervisorReadOfAReadOnlyPageLeavesTheWriteToFault) {
    mmu.set_write_protect(true);
    map(0x5000, 0x30000, P | A | D);
    EXPECT_EQ(fault_code([&] { mmu.read8(0x5000, false); }), -1);
    EXPECT_EQ(fault_code([&] { mmu.write8(0x5000, 1, false); }), 3);  // P | W
    mmu.set_write_protect(false);  // without WP the supervisor may write it: the read serves it
    mmu.reset_stats();
    mmu.read8(0x5000, false);
    mmu.write8(0x5000, 1, false);
    EXPECT_EQ(mmu.stats().page_walks, 1u);
    EXPECT_EQ(bus.read8(0x30000), 1);
}

TEST_F(SharedTranslation, AWriteToAPageHoldingFetchedCodeIsStillSeen) {
    struct : CodeWriteObserver {
        std::vector<uint32_t> pages;
        void code_page_written(uint32_t phys_page) override { pages.push_back(phys_page); }
    } writes;
    mmu.set_code_write_observer(&writes);
    map(0x5000, 0x30000, P | W | A | D);
    mmu.fetch8(0x5000, false);  // marks frame 30h as code
    mmu.read8(0x5800, false);
    mmu.write8(0x5800, 1, false);
    EXPECT_EQ(writes.pages, std::vector<uint32_t>{0x30});
    mmu.set_code_write_observer(nullptr);
}

TEST_F(SharedTranslation, WithTheHeatMapOnAWriteAfterAReadIsCountedAsAWrite) {
    AccessHeat heat(512);
    mmu.set_access_heat(&heat);
    map(0x5000, 0x30000, P | W | A | D);
    mmu.reset_stats();
    mmu.read8(0x5000, false);
    mmu.write8(0x5000, 1, false);
    EXPECT_EQ(mmu.stats().page_walks, 2u);
    EXPECT_EQ(heat.take()[0x30][AccessHeat::kWrite], 1u);
    mmu.set_access_heat(nullptr);
}

// Without paging the same holds for plain RAM: one miss for a read and the writes after it.
TEST_F(SharedTranslation, WithoutPagingAReadServesTheWriteToo) {
    mmu.set_paging(false);
    mmu.reset_stats();
    mmu.read8(0x30000, false);
    mmu.write8(0x30004, 9, false);
    EXPECT_EQ(mmu.stats().tlb_misses, 1u);
    EXPECT_EQ(bus.read8(0x30004), 9);
}

}  // namespace
}  // namespace pc386
