// The swap map from page tables and the guest's counts: who holds each used slot (a slot two
// processes share after a fork, a run of memhog's pages), which slot the swap cache links to a frame.
#include "ui/swap_map.h"

#include <gtest/gtest.h>

#include <cstring>

namespace pc386 {
namespace {

constexpr uint32_t P = 1, W = 2, U = 4;

struct SwapSpaces : ::testing::Test {
    std::vector<uint8_t> ram = std::vector<uint8_t>(1 << 20);
    VectorMemoryView memory{ram};
    void put(uint32_t at, uint32_t value) { std::memcpy(&ram[at], &value, 4); }
    void SetUp() override {
        // Two spaces (directories 0x1000 and 0x3000, tables 0x2000 and 0x4000) at 0x40000000.
        put(0x1000 + 0x100 * 4, 0x2000 | P | W | U);
        put(0x3000 + 0x100 * 4, 0x4000 | P | W | U);
        for (uint32_t i = 0; i < 3; ++i) put(0x2000 + i * 4, (10 + i) << 12 | kGuestPteSwap);  // slots 10-12
        put(0x2000 + 5 * 4, 5u << 12 | kGuestPteSwap);                                         // slot 5 ...
        put(0x4000 + 5 * 4, 5u << 12 | kGuestPteSwap);  // ... shared with the child
        swap.refs.assign(16, 0);
        for (uint32_t s : {10u, 11u, 12u}) swap.refs[s] = 1;
        swap.refs[5] = 2;
        swap.refs[7] = 1;  // only the cache keeps it
        swap.cached = {{7, 0x99}};
    }
    std::vector<KnownAddressSpace> spaces = {
        {0x1000, "pid 3 sh"}, {0x3000, "pid 4 sh"}, {0x1000, "current CR3"}};
    SwapView swap;
};

TEST_F(SwapSpaces, GivenSwappedPtesInTwoSpaces_ThenEachSlotNamesItsHolders) {
    std::vector<SwapHolder> holders = find_swap_holders(memory, spaces);
    ASSERT_EQ(holders.size(), 5u) << "the current CR3 repeats pid 3's: read once";
    EXPECT_EQ(holders[0], (SwapHolder{5, "pid 3 sh", 0x40005000}));
    EXPECT_EQ(holders[1], (SwapHolder{5, "pid 4 sh", 0x40005000}));
    EXPECT_EQ(holders[2], (SwapHolder{10, "pid 3 sh", 0x40000000}));
}

TEST_F(SwapSpaces, GivenTheMap_ThenLinesSummariseShareRunAndCache) {
    std::vector<PaneLine> lines = swap_map_lines(swap, find_swap_holders(memory, spaces));
    auto has = [&](const std::string& text) {
        for (const PaneLine& l : lines)
            if (l.text.find(text) != std::string::npos) return true;
        return false;
    };
    EXPECT_TRUE(has("Swap area: 15 slots (60 KiB): 5 used, 10 free; 1 in the swap cache")) << lines[0].text;
    EXPECT_TRUE(has("    5            2  pid 3 sh 40005000, pid 4 sh 40005000"));
    EXPECT_TRUE(has("    7            1  (the swap cache's copy only)  frame 00099"));
    EXPECT_TRUE(has("   10-12      1 each pid 3 sh 40000000-40002fff (3 pages)"));
}

TEST_F(SwapSpaces, GivenSlotStates_ThenFreeUsedSharedAndCachedAreToldApart) {
    std::vector<bool> cached(16, false);
    cached[7] = true;
    EXPECT_EQ(slot_state(swap, 1, cached), SlotState::Free);
    EXPECT_EQ(slot_state(swap, 10, cached), SlotState::Used);
    EXPECT_EQ(slot_state(swap, 5, cached), SlotState::Shared);
    EXPECT_EQ(slot_state(swap, 7, cached), SlotState::Cached);
    EXPECT_EQ(slot_state(swap, 99, cached), SlotState::Free);
    EXPECT_EQ(swap_map_lines(SwapView{}, {}).size(), 1u);
}

}  // namespace
}  // namespace pc386
