// The window's readers on the real MMU, physical bus and VGA (no CPU): page tables built in RAM
// by hand, a guest descriptor published or not, text written through the VGA's MMIO window.
#include "ui/machine_inspection.h"

#include <gtest/gtest.h>

#include <cstring>

#include "devices/vga_text.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"
#include "ui/guest_frame_table.h"
#include "ui/linux_frame_table.h"

namespace pc386 {
namespace {

constexpr uint32_t kPage = 4096;
constexpr uint32_t kRam = 4 << 20;  // 1024 frames
constexpr uint32_t kDirectory = 0x200000, kUserTable = 0x201000, kKernelTable = 0x202000;

struct PagedMachine {
    PhysicalBus bus{kRam};
    Mmu mmu{bus};

    void put32(uint32_t at, uint32_t v) { ASSERT_TRUE(bus.poke(at, &v, 4)); }

    // User page 0x00400000 -> frame 0x300 (user, writable); user page 0x00401000 -> frame 0x301
    // (user, read-only); kernel 0xC0000000.. -> frames 0..3 (supervisor).
    PagedMachine() {
        put32(kDirectory + 1 * 4, kUserTable | 0x7);
        put32(kDirectory + 768 * 4, kKernelTable | 0x3);
        put32(kUserTable + 0 * 4, 0x300000 | 0x7);
        put32(kUserTable + 1 * 4, 0x301000 | 0x5);
        for (uint32_t i = 0; i < 4; ++i) put32(kKernelTable + i * 4, i * kPage | 0x3);
        mmu.set_cr3(kDirectory);
        mmu.set_paging(true);
    }
};

TEST(ReadMemory, GivenNoGuestDescriptor_ThenFramesAreColouredFromTheCurrentPageTables) {
    PagedMachine m;
    MemoryView view;
    std::vector<CounterValue> guest_counters;
    read_memory(m.bus, m.mmu, 0, view, guest_counters);
    ASSERT_EQ(view.frames.size(), 1024u);
    EXPECT_FALSE(view.from_guest);
    EXPECT_TRUE(view.paging);
    EXPECT_EQ(view.cr3, kDirectory);
    EXPECT_EQ(view.frames[kDirectory / kPage].kind, FrameKind::PageTable);
    EXPECT_EQ(view.frames[kUserTable / kPage].kind, FrameKind::PageTable);
    EXPECT_EQ(view.frames[kKernelTable / kPage].kind, FrameKind::PageTable);
    EXPECT_EQ(view.frames[0x300].kind, FrameKind::UserWritable);
    EXPECT_EQ(view.frames[0x301].kind, FrameKind::UserReadOnly);
    EXPECT_EQ(view.frames[2].kind, FrameKind::SupervisorOnly);
    EXPECT_EQ(view.frames[0x302].kind, FrameKind::Unmapped);
    EXPECT_TRUE(guest_counters.empty());
    // The address space: the user run(s) and the kernel run, as the MMU's walk reports them.
    uint64_t user_pages = 0, kernel_pages = 0;
    for (const PageRun& run : view.runs) (run.user ? user_pages : kernel_pages) += run.pages;
    EXPECT_EQ(user_pages, 2u);
    EXPECT_EQ(kernel_pages, 4u);
}

TEST(ReadMemory, GivenPagingOff_ThenNoRunsAndEveryFrameUnmapped) {
    PhysicalBus bus(kRam);
    Mmu mmu(bus);
    MemoryView view;
    std::vector<CounterValue> counters;
    read_memory(bus, mmu, 0, view, counters);
    EXPECT_FALSE(view.paging);
    EXPECT_TRUE(view.runs.empty());
    EXPECT_EQ(view.frames.size(), 1024u);
    EXPECT_EQ(view.frames[0].kind, FrameKind::Unmapped);
}

TEST(ReadMemory, GivenAGarbageGuestDescriptor_ThenThePageTablesAreUsedAndTheRejectionIsShown) {
    PagedMachine m;
    m.put32(0x100000, 0x12345678);  // not the magic
    MemoryView view;
    std::vector<CounterValue> counters;
    read_memory(m.bus, m.mmu, 0x100000, view, counters);
    EXPECT_FALSE(view.from_guest);
    EXPECT_NE(view.source_note.find("rejected"), std::string::npos);
    EXPECT_EQ(view.frames[0x300].kind, FrameKind::UserWritable);
    // An address past RAM is rejected the same way, without reading anything.
    read_memory(m.bus, m.mmu, 0xFFFFFFF0, view, counters);
    EXPECT_FALSE(view.from_guest);
}

TEST(ReadMemory, GivenAValidGuestDescriptor_ThenFramesComeFromTheGuestsTable) {
    PagedMachine m;
    const uint32_t info = 0x100000, table = 0x101000, frame_size = 8, frames = 512;  // manages 2 of 4 MiB
    const uint32_t fields[] = {0x36383350, 1, table, frames, frame_size, 0, 0, 0, 0, 0, 0};
    ASSERT_TRUE(m.bus.poke(info, fields, sizeof fields));
    for (uint32_t f = 0; f < frames; ++f) {
        GuestFrameRecord r{f == 7 ? uint8_t(kGuestUser) : uint8_t(kGuestFree), 2, uint16_t(f == 7 ? 3 : 0), 0,
                           0};
        ASSERT_TRUE(m.bus.poke(table + f * frame_size, &r, sizeof r));
    }
    MemoryView view;
    std::vector<CounterValue> counters;
    read_memory(m.bus, m.mmu, info, view, counters);
    ASSERT_TRUE(view.from_guest) << view.source_note;
    ASSERT_EQ(view.frames.size(), 1024u);
    EXPECT_EQ(view.frames[7], (FrameInfo{FrameKind::UserShared, 3}));
    EXPECT_EQ(view.frames[8], (FrameInfo{FrameKind::Free, 2}));
    EXPECT_EQ(view.frames[600].kind, FrameKind::Unknown) << "beyond the guest's table";
    EXPECT_EQ(view.details.size(), 1024u);
    EXPECT_FALSE(view.runs.empty()) << "the address space is still the page tables'";
}

// --guest-symbols: with Linux's symbols the frames come from its struct pages once Linux runs; before
// that (no banner at linux_banner) from the page tables, with the reason under the grid.
TEST(ReadMemory, GivenLinuxSymbols_ThenFramesComeFromStructPagesOnceLinuxRuns) {
    PagedMachine m;
    constexpr uint32_t kBanner = 0x100000, kVars = 0x101000, kMemMap = 0x110000;
    const LinuxFrameTable linux_frames(LinuxSymbols{.mem_map = LinuxPageLayout::kPageOffset + kVars + 4,
                                                    .max_mapnr = LinuxPageLayout::kPageOffset + kVars,
                                                    .linux_banner = LinuxPageLayout::kPageOffset + kBanner});
    MemoryView view;
    std::vector<CounterValue> guest_counters;
    read_memory(m.bus, m.mmu, 0, view, guest_counters, &linux_frames);
    EXPECT_FALSE(view.from_guest);
    EXPECT_NE(view.source_note.find("Linux is not running"), std::string::npos) << view.source_note;
    EXPECT_EQ(view.frames[0x300].kind, FrameKind::UserWritable);  // from the page tables

    const char banner[] = "Linux version 6.1.192";
    ASSERT_TRUE(m.bus.poke(kBanner, banner, sizeof banner));
    m.put32(kVars, 1024);                                        // max_mapnr
    m.put32(kVars + 4, LinuxPageLayout::kPageOffset + kMemMap);  // mem_map
    for (uint32_t pfn = 0; pfn < 1024; ++pfn) {
        m.put32(kMemMap + pfn * LinuxPageLayout::kSize + LinuxPageLayout::kPageType, 0xFFFFFFFF);
        m.put32(kMemMap + pfn * LinuxPageLayout::kSize + LinuxPageLayout::kRefcount, 1);
    }
    // A free block of order 2 at frame 0x300.
    m.put32(kMemMap + 0x300 * LinuxPageLayout::kSize + LinuxPageLayout::kPageType,
            ~LinuxPageLayout::kPgBuddy);
    m.put32(kMemMap + 0x300 * LinuxPageLayout::kSize + LinuxPageLayout::kPrivate, 2);
    read_memory(m.bus, m.mmu, 0, view, guest_counters, &linux_frames);
    EXPECT_TRUE(view.from_guest);
    EXPECT_TRUE(view.source_note.empty()) << view.source_note;
    ASSERT_EQ(view.frames.size(), 1024u);
    EXPECT_EQ(view.details.size(), 1024u);
    for (uint32_t pfn = 0x300; pfn < 0x304; ++pfn)
        EXPECT_EQ(view.frames[pfn], (FrameInfo{FrameKind::Free, 2}));
    EXPECT_EQ(view.frames[0x304].kind, FrameKind::Kernel);
}

TEST(ReadConsole, GivenTextWrittenThroughVgaMemory_ThenTheConsoleViewHasItsCharacterAndColours) {
    VgaText vga;
    vga.mmio_write(0, 2, 0x1F41);       // 'A' white on blue at row 0, column 0
    vga.mmio_write(2 * 81, 2, 0x4E42);  // 'B' yellow on red at row 1, column 1
    ConsoleView view;
    read_console(vga, view);
    EXPECT_EQ(view.cells[0], (ConsoleCell{'A', 0x1F}));
    EXPECT_EQ(view.cells[81], (ConsoleCell{'B', 0x4E}));
}

TEST(MmuCounters, GivenStats_ThenTotalsAndKindsAreListed) {
    MmuStats stats;
    stats.faults_user = 2;
    stats.faults_supervisor = 1;
    stats.faults_not_present_write = 3;
    auto counters = mmu_counters(stats);
    auto value = [&](const std::string& name) {
        for (const auto& c : counters)
            if (c.name == name) return uint64_t(c.value);
        return uint64_t(~0ull);
    };
    EXPECT_EQ(value("page faults"), 3u);
    EXPECT_EQ(value("  not present, write"), 3u);
    EXPECT_EQ(value("  from user mode"), 2u);
}

}  // namespace
}  // namespace pc386
