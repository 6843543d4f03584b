// Any address space from its page tables: present runs, swapped-out PTEs with their slot (the
// built-in guest's format), not-present entries, read-only CoW pages, the kernel part folded; and
// the reverse map that finds every PTE mapping a frame.
#include "ui/address_space.h"

#include <gtest/gtest.h>

#include "ui/reverse_map.h"

namespace pc386 {
namespace {

constexpr uint32_t P = 1, W = 2, U = 4, A = 0x20, D = 0x40;

// 1 MiB of RAM; a directory at `dir` whose entry 0x100 (linear 0x40000000) points to `user_table`
// and entry 0x300 (0xC0000000) to the kernel table at 0x9000 (shared by every address space).
struct TwoSpaces : ::testing::Test {
    std::vector<uint8_t> ram = std::vector<uint8_t>(1 << 20);
    VectorMemoryView memory{ram};
    void put(uint32_t at, uint32_t value) { std::memcpy(&ram[at], &value, 4); }
    void SetUp() override {
        for (uint32_t i = 0; i < 4; ++i) put(0x9000 + i * 4, (0x100 + i) << 12 | P | W | A);  // kernel pages
        put(0x9000 + 8 * 4, 0x120000 >> 0 | P | W);  // one page past RAM: still counted
        make_space(0x1000, 0x2000);
        make_space(0x3000, 0x4000);
        put(0x2000 + 0 * 4, 0x50000 | P | W | U | A | D);  // 40000000: writable, dirty
        put(0x2000 + 1 * 4, 0x51000 | P | W | U | A | D);  // 40001000: the next frame: same run
        put(0x2000 + 2 * 4, 0x60000 | P | U | A | 0x200);  // 40002000: read-only, CoW
        put(0x2000 + 3 * 4, 7u << 12 | 0x400);             // 40003000: swapped to slot 7
        put(0x2000 + 4 * 4, 8u << 12 | 0x400);             // 40004000: slot 8: same run
        put(0x2000 + 6 * 4, 0x00abc000);                   // 40006000: not present, not swap
        put(0x4000 + 5 * 4, 0x60000 | P | U | A | 0x200);  // the other space shares the CoW frame
    }
    void make_space(uint32_t dir, uint32_t table) {
        put(dir + 0x100 * 4, table | P | W | U);
        put(dir + 0x300 * 4, 0x9000 | P | W);
    }
};

TEST_F(TwoSpaces, GivenTheGuestsFormat_ThenRunsShowPresentCowSwappedAndNotPresentPages) {
    AddressSpaceView space = read_address_space(memory, 0x1000, true);
    ASSERT_TRUE(space.readable);
    ASSERT_EQ(space.runs.size(), 4u);
    EXPECT_EQ(describe_vm_run(space.runs[0]), "40000000-40001fff     2p -> 00050000  U W A D");
    EXPECT_EQ(describe_vm_run(space.runs[1]), "40002000-40002fff     1p -> 00060000  U R A -  CoW");
    EXPECT_EQ(describe_vm_run(space.runs[2]), "40003000-40004fff     2p swapped out, slots 7-8");
    EXPECT_EQ(describe_vm_run(space.runs[3]), "40006000-40006fff     1p not present (PTE 00abc000)");
    EXPECT_EQ(space.present, 3u);
    EXPECT_EQ(space.swapped, 2u);
    EXPECT_EQ(space.not_present, 1u);
    EXPECT_EQ(space.cow, 1u);
    EXPECT_EQ(space.page_tables, 2u);
    // The kernel part: 5 pages in 2 runs, one line.
    EXPECT_EQ(describe_kernel_part(space),
              "kernel part: 5 pages in 2 runs, c0000000-c0008fff, supervisor only");
}

// The guest write-protects a page swapped in from the swap cache with PTE_COW too (do_swap_page):
// the frame is shared, but with the cache only. Only a frame another space maps is CoW.
TEST_F(TwoSpaces, GivenAPageSharedWithTheSwapCacheAlone_ThenItIsShownAsSwapCacheNotCow) {
    put(0x2000 + 7 * 4, 0x70000 | P | U | A | 0x200);  // 40007000: swapped in, the cache holds it too
    auto sharing = [](uint32_t frame) -> std::optional<FrameSharing> {
        if (frame == 0x70) return FrameSharing{.mappings = 1, .in_swap_cache = true};
        if (frame == 0x60) return FrameSharing{.mappings = 2, .in_swap_cache = false};
        return std::nullopt;
    };
    AddressSpaceView space = read_address_space(memory, 0x1000, true, sharing);
    ASSERT_EQ(space.runs.size(), 5u);
    EXPECT_EQ(describe_vm_run(space.runs[1]), "40002000-40002fff     1p -> 00060000  U R A -  CoW");
    EXPECT_EQ(describe_vm_run(space.runs[4]), "40007000-40007fff     1p -> 00070000  U R A -  swap cache");
    EXPECT_EQ(space.cow, 1u);
    EXPECT_EQ(space.swap_cached, 1u);
    // Once another space maps it too (a fork after the swap-in), it is CoW again.
    auto shared = [](uint32_t) -> std::optional<FrameSharing> { return FrameSharing{2, true}; };
    EXPECT_EQ(read_address_space(memory, 0x1000, true, shared).cow, 2u);
}

TEST_F(TwoSpaces, GivenAnotherGuest_ThenSoftwareBitsAreNotDecoded) {
    AddressSpaceView space = read_address_space(memory, 0x1000, false);
    EXPECT_EQ(space.cow, 0u);
    EXPECT_EQ(space.swapped, 0u);
    EXPECT_EQ(space.not_present, 3u);
}

TEST_F(TwoSpaces, GivenADirectoryOutsideRam_ThenTheSpaceIsUnreadable) {
    EXPECT_FALSE(read_address_space(memory, 0xFFFFF000u, true).readable);
}

TEST_F(TwoSpaces, GivenASharedFrame_ThenTheReverseMapFindsItInBothSpaces) {
    std::vector<KnownAddressSpace> spaces = {
        {0x1000, "pid 1 a"}, {0x3000, "pid 2 b"}, {0x1000, "current CR3"}};
    FrameUses uses = find_frame_uses(memory, spaces, 0x60);
    ASSERT_EQ(uses.mappings.size(), 2u);
    EXPECT_EQ(uses.mappings[0].owner, "pid 1 a");
    EXPECT_EQ(uses.mappings[0].linear, 0x40002000u);
    EXPECT_FALSE(uses.mappings[0].writable);
    EXPECT_EQ(uses.mappings[1].owner, "pid 2 b");
    EXPECT_EQ(uses.mappings[1].linear, 0x40005000u);
    // A kernel frame is mapped by the shared kernel table in both.
    EXPECT_EQ(find_frame_uses(memory, spaces, 0x101).mappings.size(), 2u);
    // Page-table frames say what they are.
    FrameUses dir = find_frame_uses(memory, spaces, 0x1);
    ASSERT_EQ(dir.roles.size(), 1u);
    EXPECT_EQ(dir.roles[0], "page directory of pid 1 a");
    FrameUses table = find_frame_uses(memory, spaces, 0x9);
    EXPECT_EQ(table.roles.size(), 2u);
    EXPECT_EQ(table.roles[0], "page table for c0000000-c03fffff of pid 1 a");
    EXPECT_EQ(find_frame_uses(memory, spaces, 0x101, 1).mappings.size(), 1u) << "capped";
}

}  // namespace
}  // namespace pc386
