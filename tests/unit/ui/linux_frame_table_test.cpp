// Linux's struct pages decoded into the window's frame kinds, on a hand-made 1 MiB memory laid out
// as Linux 6.1 i386 lays it out (linux_frame_table.h): the banner, the mem_map and max_mapnr
// variables, and one 32-byte struct page per frame.
#include "ui/linux_frame_table.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace pc386 {
namespace {

using L = LinuxPageLayout;

struct FakeLinux {
    static constexpr uint32_t kFrames = 256, kBanner = 0x1000, kVars = 0x2000, kMemMap = 0x10000;
    std::vector<uint8_t> ram = std::vector<uint8_t>(kFrames * 4096);
    LinuxSymbols symbols{.mem_map = L::kPageOffset + kVars + 4,
                         .max_mapnr = L::kPageOffset + kVars,
                         .linux_banner = L::kPageOffset + kBanner};

    FakeLinux() {
        banner("Linux version 6.1.192 (pc386@test) #1");
        put(kVars, kFrames);                       // max_mapnr
        put(kVars + 4, L::kPageOffset + kMemMap);  // mem_map
        // Every frame starts as an ordinary kernel allocation: one reference, no mapping.
        for (uint32_t pfn = 0; pfn < kFrames; ++pfn) {
            page(pfn, L::kPageType, 0xFFFFFFFF);  // _mapcount -1, no page type
            page(pfn, L::kRefcount, 1);
        }
    }
    void put(uint32_t phys, uint32_t value) { std::memcpy(&ram[phys], &value, 4); }
    void page(uint32_t pfn, uint32_t offset, uint32_t value) {
        put(kMemMap + pfn * L::kSize + offset, value);
    }
    void banner(const char* text) { std::memcpy(&ram[kBanner], text, std::strlen(text) + 1); }
    void buddy(uint32_t pfn, uint32_t order) {
        page(pfn, L::kPageType, ~L::kPgBuddy);
        page(pfn, L::kPrivate, order);
        page(pfn, L::kRefcount, 0);
    }
    LinuxFrameReadResult read() {
        VectorMemoryView view(ram);
        return LinuxFrameTable(symbols).read(view);
    }
};

TEST(LinuxFrameTable, GivenEachKindOfStructPage_ThenEachFrameGetsItsKind) {
    FakeLinux kernel;
    kernel.page(0, L::kFlags, 1u << L::kPgReserved);
    kernel.page(1, L::kPageType, ~L::kPgTable);
    kernel.page(2, L::kFlags, 1u << L::kPgSlab);
    kernel.page(3, L::kMapping, 0xC0123401);  // anon_vma | PAGE_MAPPING_ANON
    kernel.page(3, L::kPageType, 0);          // mapped once
    kernel.page(4, L::kMapping, 0xC0123401);
    kernel.page(4, L::kPageType, 1);          // mapped twice: shared copy-on-write
    kernel.page(5, L::kMapping, 0xC0123400);  // an address_space: page cache
    kernel.page(6, L::kRefcount, 0);          // free on a per-CPU list
    kernel.buddy(8, 3);                       // 8..15 one free block of order 3
    kernel.page(16, L::kFlags, 1u << 16);     // a compound page's head (PG_head) ...
    kernel.page(17, L::kCompoundHead,
                L::kPageOffset + FakeLinux::kMemMap + 16 * L::kSize + 1);  // ... its tail
    kernel.page(18, L::kMapping, 0xC0123401);
    kernel.page(18, L::kFlags, (1u << L::kPgSwapBacked) | (1u << L::kPgOwnerPriv1));  // in the swap cache

    LinuxFrameReadResult r = kernel.read();
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(r.frames.size(), FakeLinux::kFrames);
    EXPECT_EQ(r.frames[0], (FrameInfo{FrameKind::Reserved, 0}));
    EXPECT_EQ(r.frames[1], (FrameInfo{FrameKind::PageTable, 0}));
    EXPECT_EQ(r.frames[2], (FrameInfo{FrameKind::Slab, 0}));
    EXPECT_EQ(r.frames[3], (FrameInfo{FrameKind::UserAnon, 0}));
    EXPECT_EQ(r.frames[4], (FrameInfo{FrameKind::UserShared, 2}));
    EXPECT_EQ(r.frames[5], (FrameInfo{FrameKind::PageCache, 0}));
    EXPECT_EQ(r.frames[6], (FrameInfo{FrameKind::Free, 0}));
    EXPECT_EQ(r.frames[7], (FrameInfo{FrameKind::Kernel, 0}));
    for (uint32_t pfn = 8; pfn < 16; ++pfn) EXPECT_EQ(r.frames[pfn], (FrameInfo{FrameKind::Free, 3})) << pfn;
    EXPECT_EQ(r.frames[16], (FrameInfo{FrameKind::Kernel, 0}));
    EXPECT_EQ(r.frames[17], (FrameInfo{FrameKind::Kernel, 0}));
    EXPECT_EQ(r.frames[18], (FrameInfo{FrameKind::SwapCache, 0}));

    EXPECT_EQ(r.counts.buddy, 8u);
    EXPECT_EQ(r.counts.free_other, 1u);
    EXPECT_EQ(r.counts.slab, 1u);
    EXPECT_EQ(r.counts.anon, 3u);
    EXPECT_EQ(r.counts.page_cache, 1u);
    EXPECT_EQ(r.counts.page_table, 1u);
    EXPECT_EQ(r.counts.reserved, 1u);
    EXPECT_EQ(r.counts.kernel, FakeLinux::kFrames - 16u);
}

TEST(LinuxFrameTable, GivenACompoundSlabPagesTail_ThenItTakesItsHeadsKind) {
    FakeLinux kernel;
    kernel.page(20, L::kFlags, 1u << L::kPgSlab);
    kernel.page(21, L::kCompoundHead, L::kPageOffset + FakeLinux::kMemMap + 20 * L::kSize + 1);
    LinuxFrameReadResult r = kernel.read();
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.frames[21].kind, FrameKind::Slab);
    EXPECT_EQ(r.counts.slab, 2u);
}

TEST(LinuxFrameTable, GivenGarbageOrdersAndTailPointers_ThenTheReaderStaysInsideMemMap) {
    FakeLinux kernel;
    kernel.buddy(250, 0xFFFFFFFF);                  // order clamped, block cut at max_mapnr
    kernel.page(30, L::kCompoundHead, 0xFFFFFFFF);  // a "tail" whose head is nowhere
    kernel.page(31, L::kCompoundHead,
                L::kPageOffset + FakeLinux::kMemMap + 200 * L::kSize + 1);  // ahead of it
    LinuxFrameReadResult r = kernel.read();
    ASSERT_TRUE(r.ok) << r.error;
    for (uint32_t pfn = 250; pfn < FakeLinux::kFrames; ++pfn) EXPECT_EQ(r.frames[pfn].kind, FrameKind::Free);
    EXPECT_EQ(r.frames[250].detail, L::kMaxOrder);
    EXPECT_EQ(r.counts.buddy, 6u);
    EXPECT_EQ(r.frames[30].kind, FrameKind::Kernel);
    EXPECT_EQ(r.frames[31].kind, FrameKind::Kernel);
}

TEST(LinuxFrameTable, GivenNoRunningLinuxOrAnotherOne_ThenItSaysWhyAndReadsNothing) {
    {
        FakeLinux kernel;
        kernel.banner("");  // the kernel is not in memory yet
        LinuxFrameReadResult r = kernel.read();
        EXPECT_FALSE(r.ok);
        EXPECT_TRUE(r.frames.empty());
        EXPECT_NE(r.error.find("Linux is not running"), std::string::npos) << r.error;
    }
    {
        FakeLinux kernel;
        kernel.banner("Linux version 5.10.0 (x@y) #1");
        LinuxFrameReadResult r = kernel.read();
        EXPECT_FALSE(r.ok);
        EXPECT_NE(r.error.find("not Linux 6.1"), std::string::npos) << r.error;
    }
    {
        FakeLinux kernel;
        kernel.put(FakeLinux::kVars + 4, 0);  // early boot: mem_map not allocated yet
        LinuxFrameReadResult r = kernel.read();
        EXPECT_FALSE(r.ok);
        EXPECT_NE(r.error.find("not set up mem_map yet"), std::string::npos) << r.error;
    }
    {
        FakeLinux kernel;
        kernel.put(FakeLinux::kVars, 1u << 20);  // more frames than RAM
        LinuxFrameReadResult r = kernel.read();
        EXPECT_FALSE(r.ok);
        EXPECT_NE(r.error.find("does not fit"), std::string::npos) << r.error;
    }
    {
        FakeLinux kernel;
        kernel.symbols.mem_map = 0x1000;  // a user address: another kernel's map
        LinuxFrameReadResult r = kernel.read();
        EXPECT_FALSE(r.ok);
        EXPECT_NE(r.error.find("does not match"), std::string::npos) << r.error;
    }
}

}  // namespace
}  // namespace pc386
