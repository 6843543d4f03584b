#include "ui/page_table_classifier.h"

#include <gtest/gtest.h>

namespace pc386 {
namespace {

constexpr uint32_t kPage = 4096;

void put32(std::vector<uint8_t>& ram, uint32_t at, uint32_t value) {
    std::memcpy(&ram[at], &value, 4);
}

TEST(PageTableFrames, GivenADirectoryWithTwoTables_ThenTheDirectoryAndBothTablesAreListedOnce) {
    std::vector<uint8_t> ram(64 * kPage);
    VectorMemoryView memory(ram);
    uint32_t cr3 = 10 * kPage;
    put32(ram, cr3 + 0 * 4, 11 * kPage | 0x7);
    put32(ram, cr3 + 768 * 4, 12 * kPage | 0x3);
    put32(ram, cr3 + 769 * 4, 12 * kPage | 0x3);  // the same table twice
    put32(ram, cr3 + 5 * 4, 13 * kPage | 0x6);    // not present: ignored
    EXPECT_EQ(page_table_frames(memory, cr3 | 0x18), (std::vector<uint32_t>{10, 11, 12}));
}

TEST(PageTableFrames, GivenGarbageEntriesPointingBeyondRam_ThenTheyAreSkipped) {
    std::vector<uint8_t> ram(16 * kPage);
    VectorMemoryView memory(ram);
    put32(ram, 0, 0xFFFFF001);
    put32(ram, 4, 0x00010001);  // frame 16: just past RAM
    put32(ram, 8, 0x0000F001);  // frame 15: the last one
    EXPECT_EQ(page_table_frames(memory, 0), (std::vector<uint32_t>{0, 15}));
}

TEST(PageTableFrames, GivenCr3BeyondRam_ThenNothingIsRead) {
    std::vector<uint8_t> ram(16 * kPage);
    VectorMemoryView memory(ram);
    EXPECT_TRUE(page_table_frames(memory, 0xFFFFF000).empty());
    EXPECT_TRUE(page_table_frames(memory, 16 * kPage).empty());
}

TEST(ClassifyFromPageTables, GivenOverlappingMappings_ThenTheMostPermissiveWinsAndTablesWinOverAll) {
    std::vector<PageRun> runs = {
        {.linear = 0xC0000000, .physical = 0, .pages = 8, .user = false, .writable = true},
        {.linear = 0x00400000, .physical = 2 * kPage, .pages = 2, .user = true, .writable = false},
        {.linear = 0x00800000, .physical = 3 * kPage, .pages = 1, .user = true, .writable = true},
    };
    std::vector<FrameInfo> frames = classify_from_page_tables(10, runs, {5});
    ASSERT_EQ(frames.size(), 10u);
    EXPECT_EQ(frames[0].kind, FrameKind::SupervisorOnly);
    EXPECT_EQ(frames[2].kind, FrameKind::UserReadOnly);
    EXPECT_EQ(frames[3].kind, FrameKind::UserWritable);
    EXPECT_EQ(frames[4].kind, FrameKind::SupervisorOnly);
    EXPECT_EQ(frames[5].kind, FrameKind::PageTable);
    EXPECT_EQ(frames[8].kind, FrameKind::Unmapped);
    EXPECT_EQ(frames[9].kind, FrameKind::Unmapped);
}

TEST(ClassifyFromPageTables, GivenMappingsOfMmioAndHugeRuns_ThenOnlyRamFramesAreTouched) {
    std::vector<PageRun> runs = {
        {.linear = 0, .physical = 0xFEE00000, .pages = 0xFFFFFFFF, .user = true, .writable = true},
        {.linear = 0, .physical = 6 * kPage, .pages = 0xFFFFFFFF, .user = true, .writable = true},
    };
    std::vector<FrameInfo> frames = classify_from_page_tables(8, runs, {100});
    EXPECT_EQ(frames[5].kind, FrameKind::Unmapped);
    EXPECT_EQ(frames[6].kind, FrameKind::UserWritable);
    EXPECT_EQ(frames[7].kind, FrameKind::UserWritable);
}

}  // namespace
}  // namespace pc386
