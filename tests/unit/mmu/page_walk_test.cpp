// The cheap page walk and the O(1) flush keep the 386's rules where the shortcuts end: tables
// outside plain RAM go through the bus, A/D updates to a table page that holds code are reported,
// a flush drops every translation however many flushes came before (the generation wraps), and
// the flush event still counts the entries it dropped.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "base/event_log.h"
#include "mmu/mmu.h"
#include "one_table_paging.h"

namespace pc386 {
namespace {

struct CodeWrites : CodeWriteObserver {
    std::vector<uint32_t> pages;
    void code_page_written(uint32_t phys_page) override { pages.push_back(phys_page); }
};

TEST(PlainRamPage, IsRamOutsideTheHoleAndUnderNoRomOrMmio) {
    PhysicalBus bus((2 << 20) + 0x800);  // a partial last page
    struct : MmioHandler {
        uint32_t mmio_read(uint32_t, unsigned) override { return 0; }
        void mmio_write(uint32_t, unsigned, uint32_t) override {}
    } device;
    bus.map_rom(0x150000, std::vector<uint8_t>(0x1000, 0x90));  // a ROM over RAM
    bus.map_mmio(0x160800, 0x10, &device);                      // MMIO inside one RAM page
    EXPECT_EQ(bus.plain_ram_page(0x5123, false), bus.ram() + 0x5000);
    EXPECT_EQ(bus.plain_ram_page(0x9F000, false), bus.ram() + 0x9F000);
    EXPECT_EQ(bus.plain_ram_page(0xA0000, false), nullptr);  // the PC hole
    EXPECT_EQ(bus.plain_ram_page(0xFFFFF, false), nullptr);
    EXPECT_EQ(bus.plain_ram_page(0x100000, false), bus.ram() + 0x100000);
    EXPECT_EQ(bus.plain_ram_page(0x150000, false), nullptr);
    EXPECT_EQ(bus.plain_ram_page(0x160000, false), nullptr);
    EXPECT_EQ(bus.plain_ram_page(0x200000, false), nullptr);  // the partial page
    EXPECT_EQ(bus.plain_ram_page(0x300000, false), nullptr);  // beyond RAM
}

TEST(PlainRamPage, APageHoldingCodeIsPlainForReadsOnly) {
    PhysicalBus bus(1 << 20);
    bus.mark_code_page(0x7);
    EXPECT_EQ(bus.plain_ram_page(0x7000, false), bus.ram() + 0x7000);
    EXPECT_EQ(bus.plain_ram_page(0x7000, true), nullptr);
    bus.write8(0x7000, 1);  // the write clears the mark
    EXPECT_EQ(bus.plain_ram_page(0x7000, true), bus.ram() + 0x7000);
}

// 2 MiB of RAM; map() leaves the TLB as it is.
struct PageWalk : OneTablePaging {
    PageWalk() : OneTablePaging(2 << 20) {}
    void map(uint32_t lin, uint32_t phys, uint32_t flags) { set_pte(lin, phys | flags); }
};

TEST_F(PageWalk, TablesInRomAreWalkedThroughTheBusAndKeepTheirBits) {
    // A directory and a table in a ROM in the hole (0xE0000): readable, but A and D cannot stick.
    std::vector<uint8_t> rom(0x2000, 0);
    const uint32_t pde = 0xE1000 | P | W, entry = 0x30000 | P | W;
    std::memcpy(&rom[0], &pde, 4);
    std::memcpy(&rom[0x1000 + 5 * 4], &entry, 4);
    bus.map_rom(0xE0000, rom);
    bus.write32(0x30010, 0x12345678);
    mmu.set_cr3(0xE0000);
    EXPECT_EQ(mmu.read32(0x5010, false), 0x12345678u);
    mmu.write32(0x5010, 0x9ABCDEF0, false);
    EXPECT_EQ(bus.read32(0x30010), 0x9ABCDEF0u);
    EXPECT_EQ(bus.read32(0xE0000), pde);
    EXPECT_EQ(bus.read32(0xE1000 + 5 * 4), entry);
}

TEST_F(PageWalk, SettingABitInATableThatHoldsFetchedCodeIsReportedAsACodeWrite) {
    CodeWrites writes;
    mmu.set_code_write_observer(&writes);
    map(0x2000, 0x2000, P | W | A | D);  // the table maps itself
    map(0x5000, 0x30000, P | W);         // A clear
    mmu.fetch8(0x2000, false);           // the table's frame now holds "code"
    ASSERT_TRUE(bus.is_code_page(0x2));
    mmu.read8(0x5000, false);
    EXPECT_TRUE(pte(0x5000) & A);
    EXPECT_EQ(writes.pages, std::vector<uint32_t>{0x2});
    mmu.set_code_write_observer(nullptr);
}

TEST_F(PageWalk, TheAccessThatMissedGoesToThePageTheWalkFound) {
    map(0x5000, 0x30000, P | W);
    mmu.write16(0x5FFE, 0xBEEF, false);  // miss: walk, fill, then the write through the host page
    EXPECT_EQ(bus.read16(0x30FFE), 0xBEEF);
    EXPECT_TRUE(pte(0x5000) & D);
    mmu.write16(0x5FFE, 0xCAFE, false);  // the TLB now hits
    EXPECT_EQ(mmu.stats().tlb_hits, 1u);
    EXPECT_EQ(bus.read16(0x30FFE), 0xCAFE);
}

// The TLB's generation wraps after 4,095 flushes: a translation from before must never come back.
TEST_F(PageWalk, AFlushDropsEveryTranslationHoweverManyFlushesCameBefore) {
    bus.write8(0x30000, 1);
    bus.write8(0x40000, 2);
    for (unsigned flushes : {1u, 4094u, 4095u, 4096u, 8190u, 8191u}) {
        SCOPED_TRACE(flushes);
        map(0x5000, 0x30000, P | W);
        mmu.flush_tlb();
        EXPECT_EQ(mmu.read8(0x5000, false), 1);
        map(0x5000, 0x40000, P | W);  // no flush yet: the TLB still says 0x30000
        EXPECT_EQ(mmu.read8(0x5000, false), 1);
        for (unsigned i = 0; i < flushes; ++i) mmu.flush_tlb();
        EXPECT_EQ(mmu.read8(0x5000, false), 2);
    }
}

TEST_F(PageWalk, TheFlushEventCountsTheEntriesItDropped) {
    EventLog log;
    std::vector<uint32_t> dropped;
    log.subscribe([&](const Event& e) {
        if (e.kind == EventKind::TlbFlush) dropped.push_back(e.a);
    });
    mmu.set_event_log(&log);
    for (uint32_t page = 0x10; page < 0x20; ++page) map(page << 12, page << 12, P | W);
    mmu.flush_tlb();
    for (uint32_t page = 0x10; page < 0x20; ++page) mmu.read8(page << 12, false);  // 16 read entries
    mmu.write8(0x10000, 1, false);                                                 // and one write entry
    mmu.invalidate_page(0x11000);                                                  // drops one
    mmu.flush_tlb();
    mmu.flush_tlb();
    EXPECT_EQ(dropped, (std::vector<uint32_t>{0, 16, 0}));
    mmu.set_event_log(nullptr);
}

}  // namespace
}  // namespace pc386
