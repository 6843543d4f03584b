// The heat map's counts: one per TLB fill, by kind of access and physical frame; a page the TLB
// keeps is not counted again until it is filled again; without a counter attached nothing is
// counted.
#include "mmu/access_heat.h"

#include <gtest/gtest.h>

#include "mmu/mmu.h"

namespace pc386 {
namespace {

constexpr uint32_t P = 1, W = 2, U = 4;

struct Heat : ::testing::Test {
    PhysicalBus bus{4 << 20};
    Mmu mmu{bus};
    AccessHeat heat{(4 << 20) >> 12};
    static constexpr uint32_t kDir = 0x1000, kTable = 0x2000;

    void SetUp() override {
        bus.write32(kDir, kTable | P | W | U);
        // Linear page 0x10 maps frame 0x80, page 0x11 frame 0x81, page 0x12 frame 0x82.
        for (uint32_t page = 0x10; page < 0x13; ++page)
            bus.write32(kTable + page * 4, ((page + 0x70) << 12) | P | W | U);
        mmu.set_cr3(kDir);
        mmu.set_paging(true);
    }
};

TEST_F(Heat, GivenReadsWritesAndFetches_ThenEachFrameCountsOneFillPerKindUntilTheTlbIsFlushed) {
    mmu.set_access_heat(&heat);
    for (int i = 0; i < 100; ++i) mmu.read8(0x10000 + i, true);      // one fill, then hits
    for (int i = 0; i < 100; ++i) mmu.write8(0x11000 + i, 1, true);  // the first write walks to set D
    mmu.fetch8(0x12000, true);
    std::vector<AccessHeat::Counts> counts = heat.take();
    EXPECT_EQ(counts[0x80], (AccessHeat::Counts{1, 0, 0}));
    EXPECT_GE(counts[0x81][AccessHeat::kWrite], 1u);
    EXPECT_LE(counts[0x81][AccessHeat::kWrite], 2u) << "per fill, not per byte written";
    EXPECT_EQ(counts[0x82], (AccessHeat::Counts{0, 0, 1}));
    EXPECT_EQ(counts[0x83], (AccessHeat::Counts{0, 0, 0}));

    EXPECT_EQ(heat.take()[0x80], (AccessHeat::Counts{0, 0, 0})) << "take() starts afresh";
    mmu.read8(0x10000, true);
    EXPECT_EQ(heat.take()[0x80][AccessHeat::kRead], 0u) << "still in the TLB: not counted";
    mmu.flush_tlb();
    mmu.read8(0x10000, true);
    EXPECT_EQ(heat.take()[0x80][AccessHeat::kRead], 1u) << "filled again after the flush";
}

TEST_F(Heat, GivenNoCounterAttached_ThenNothingIsCounted) {
    mmu.read8(0x10000, true);
    mmu.set_access_heat(&heat);
    mmu.set_access_heat(nullptr);
    mmu.flush_tlb();
    mmu.read8(0x10000, true);
    EXPECT_EQ(heat.take()[0x80], (AccessHeat::Counts{0, 0, 0}));
}

TEST(AccessHeatBounds, GivenAFrameOutsideTheTable_ThenItIsIgnored) {
    AccessHeat heat(4);
    heat.note(4, AccessHeat::kRead);
    heat.note(0xFFFFFFFF, AccessHeat::kWrite);
    heat.note(1, 7);
    heat.note(1, AccessHeat::kFetch);
    std::vector<AccessHeat::Counts> counts = heat.take();
    ASSERT_EQ(counts.size(), 4u);
    EXPECT_EQ(counts[1], (AccessHeat::Counts{0, 0, 1}));
}

}  // namespace
}  // namespace pc386
