// The page-table tree of an address space read from RAM: the directory's present entries with
// their flags, a table opened under its entry, swapped-out entries with their slot, long runs of
// identical entries folded, and flags the 386 does not have named as ignored.
#include "ui/page_table_tree.h"

#include <gtest/gtest.h>

#include <cstring>

#include "ui/address_space.h"

namespace pc386 {
namespace {

constexpr uint32_t P = 1, W = 2, U = 4, A = 0x20, D = 0x40;

struct Tree : ::testing::Test {
    std::vector<uint8_t> ram = std::vector<uint8_t>(1 << 20);
    VectorMemoryView memory{ram};
    void put(uint32_t at, uint32_t value) { std::memcpy(&ram[at], &value, 4); }
    void SetUp() override {
        put(0x1000 + 0x100 * 4, 0x2000 | P | W | U | A);  // 40000000: a user table
        put(0x1000 + 0x300 * 4, 0x3000 | P | W);          // c0000000: the kernel's
        put(0x2000 + 0 * 4, 0x50000 | P | W | U | A | D);
        put(0x2000 + 1 * 4, 0x60000 | P | U | A | kGuestPteCow);
        put(0x2000 + 2 * 4, 17u << 12 | kGuestPteSwap);
        for (uint32_t i = 0; i < 256; ++i) put(0x3000 + i * 4, (0x100 + i) << 12 | P | W | A);
    }
    static std::string text(const std::vector<TreeLine>& lines) {
        std::string all;
        for (const TreeLine& l : lines) all += l.line.text + "\n";
        return all;
    }
};

TEST_F(Tree, GivenNothingExpanded_ThenEachPresentDirectoryEntryIsOneClickableLine) {
    std::vector<TreeLine> lines = page_table_tree(memory, 0x1000, {}, true, false);
    ASSERT_EQ(lines.size(), 4u);  // title, legend, two entries
    EXPECT_EQ(lines[2].pde, 0x100u);
    EXPECT_EQ(lines[2].line.text,
              "+ PDE 100 40000000-403fffff -> table 00002000  P W U A  (2 present, 1 swapped)");
    EXPECT_EQ(lines[3].pde, 0x300u);
    EXPECT_NE(lines[3].line.text.find("P W S -  (256 present)"), std::string::npos) << lines[3].line.text;
}

TEST_F(Tree, GivenAnExpandedEntry_ThenItsTableIsListedWithCowAndTheSwapSlot) {
    std::string all = text(page_table_tree(memory, 0x1000, {0x100, 0x300}, true, false));
    EXPECT_NE(all.find("- PDE 100"), std::string::npos);
    EXPECT_NE(all.find("    PTE 000 40000000 -> 00050000  P W U A D\n"), std::string::npos) << all;
    EXPECT_NE(all.find("    PTE 001 40001000 -> 00060000  P R U A -  CoW\n"), std::string::npos) << all;
    EXPECT_NE(all.find("    PTE 002 40002000    swapped out, slot 17 (PTE 00011400)\n"), std::string::npos)
        << all;
    EXPECT_NE(all.find("    PTE 000-0ff c0000000-c00fffff -> 00100000-001fffff  P W S A -\n"),
              std::string::npos)
        << "256 identical kernel entries fold into one line:\n"
        << all;
}

TEST_F(Tree, GivenAnotherGuest_ThenSoftwareBitsAreRawAndNotDecoded) {
    std::string all = text(page_table_tree(memory, 0x1000, {0x100}, false, false));
    EXPECT_EQ(all.find("CoW"), std::string::npos);
    EXPECT_NE(all.find("avl=1"), std::string::npos);
    EXPECT_NE(all.find("not present (PTE 00011400)"), std::string::npos);
}

TEST(DecodeEntryFlags, GivenBitsThe386DoesNotHave_ThenTheyAreNamedAsIgnored) {
    EXPECT_EQ(decode_entry_flags(P | W | U | A | D, false, false), "P W U A D");
    EXPECT_EQ(decode_entry_flags(P | A | D, true, false), "P R S A")
        << "D means nothing in a directory entry";
    EXPECT_EQ(decode_entry_flags(P | 0x18, false, true), "P R S - - PWT PCD");
    EXPECT_EQ(decode_entry_flags(P | 0x18, false, false), "P R S - - (PWT/PCD set: no cache on a 386)");
    EXPECT_EQ(decode_entry_flags(P | 0x80, true, false), "P R S - (PS set: no 4 MiB pages here)");
}

TEST(PageTableTreeOutsideRam, GivenADirectoryPastTheEndOfRam_ThenOneWarningLine) {
    std::vector<uint8_t> ram(4096);
    VectorMemoryView memory{ram};
    std::vector<TreeLine> lines = page_table_tree(memory, 0x200000, {}, true, false);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].line.style, PaneLine::Style::Warning);
}

}  // namespace
}  // namespace pc386
