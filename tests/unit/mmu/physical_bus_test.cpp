// The physical address space: RAM with the PC hole, ROM that ignores writes, MMIO dispatch,
// floating unmapped addresses, the A20 wrap.
#include <gtest/gtest.h>

#include <vector>

#include "mmu/mmu.h"

namespace pc386 {
namespace {

struct FakeDevice : MmioHandler {
    uint32_t last_offset = 0, last_value = 0;
    unsigned last_size = 0;
    uint32_t mmio_read(uint32_t offset, unsigned size) override { return 0x1000 + offset; }
    void mmio_write(uint32_t offset, unsigned size, uint32_t value) override {
        last_offset = offset, last_size = size, last_value = value;
    }
};

TEST(PhysicalBus, RamReadsBackWhatWasWritten) {
    PhysicalBus bus(2 << 20);
    bus.write32(0x100, 0x12345678);
    EXPECT_EQ(bus.read32(0x100), 0x12345678u);
    EXPECT_EQ(bus.read8(0x101), 0x56);
    EXPECT_EQ(bus.read16(0x102), 0x1234);
}

TEST(PhysicalBus, UnmappedAddressesReadAllOnes) {
    PhysicalBus bus(1 << 20);
    EXPECT_EQ(bus.read32(0x200000), 0xFFFFFFFFu);
    EXPECT_EQ(bus.read8(0xA0000), 0xFF);  // the VGA hole with no VGA
    bus.write8(0x200000, 1);              // ignored, no crash
}

TEST(PhysicalBus, RomIgnoresWritesAndMirrorsAtTheTop) {
    PhysicalBus bus(1 << 20);
    std::vector<uint8_t> rom(65536, 0xEA);
    bus.map_rom(0xF0000, rom);
    bus.map_rom(0xFFFF0000u, rom);
    bus.write8(0xF0000, 0);
    EXPECT_EQ(bus.read8(0xF0000), 0xEA);
    EXPECT_EQ(bus.read8(0xFFFFFFF0u), 0xEA);
}

TEST(PhysicalBus, MmioGoesToTheHandlerWithTheRegionOffset) {
    PhysicalBus bus(1 << 20);
    FakeDevice vga;
    bus.map_mmio(0xB8000, 0x8000, &vga);
    bus.write16(0xB8010, 0x0741);
    EXPECT_EQ(vga.last_offset, 0x10u);
    EXPECT_EQ(vga.last_size, 2u);
    EXPECT_EQ(vga.last_value, 0x0741u);
    EXPECT_EQ(bus.read8(0xB8004), 0x04);  // 0x1004 truncated to a byte
}

TEST(PhysicalBus, A20OffWrapsAtOneMegabyte) {
    PhysicalBus bus(2 << 20);
    bus.write8(0x000010, 0x11);
    bus.write8(0x100010, 0x22);
    bus.set_a20(false);
    EXPECT_EQ(bus.read8(0x100010), 0x11);
    bus.set_a20(true);
    EXPECT_EQ(bus.read8(0x100010), 0x22);
}

TEST(PhysicalBus, PeekHasNoDeviceSideEffectsAndPokeWritesOnlyRam) {
    PhysicalBus bus(1 << 20);
    FakeDevice vga;
    bus.map_mmio(0xB8000, 0x8000, &vga);
    uint8_t byte = 0;
    EXPECT_FALSE(bus.peek(0xB8000, &byte, 1));
    EXPECT_EQ(byte, 0xFF);
    const uint32_t value = 0xDEADBEEF;
    EXPECT_TRUE(bus.poke(0x500, &value, 4));
    EXPECT_EQ(bus.read32(0x500), value);
    EXPECT_FALSE(bus.poke(0xB8000, &value, 4));
    EXPECT_EQ(vga.last_size, 0u);
}

// A poke is checked and copied page by page: across page boundaries it writes every byte, and one
// that runs into the hole at A0000h writes nothing at all. A code page it writes is reported.
TEST(PhysicalBus, APokeAcrossPagesWritesAllOrNothing) {
    PhysicalBus bus(1 << 20);
    std::vector<uint8_t> data(3 * 4096 + 100);
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7 + 1);
    EXPECT_TRUE(bus.poke(0x10F00, data.data(), data.size()));
    for (size_t i = 0; i < data.size(); i += 499) EXPECT_EQ(bus.read8(0x10F00 + i), data[i]) << i;
    EXPECT_EQ(bus.read8(0x10F00 + data.size() - 1), data.back());
    EXPECT_FALSE(bus.poke(0x9E000, data.data(), data.size()));  // its last 3,428 bytes fall in the hole
    EXPECT_EQ(bus.read8(0x9E000), 0);
    EXPECT_EQ(bus.read8(0x9FFFF), 0);
    struct : CodeWriteObserver {
        std::vector<uint32_t> pages;
        void code_page_written(uint32_t phys_page) override { pages.push_back(phys_page); }
    } writes;
    bus.set_code_write_observer(&writes);
    bus.mark_code_page(0x12);
    EXPECT_TRUE(bus.poke(0x11FFE, data.data(), 4));
    EXPECT_EQ(writes.pages, std::vector<uint32_t>{0x12});
    bus.set_code_write_observer(nullptr);
}

TEST(Mmu, WithoutPagingLinearIsPhysicalAndA20Applies) {
    PhysicalBus bus(2 << 20);
    Mmu mmu(bus);
    bus.write8(0x10, 0x33);
    mmu.write8(0x100020, 0x44, false);
    EXPECT_EQ(mmu.read8(0x10, false), 0x33);
    bus.set_a20(false);
    mmu.a20_changed();
    EXPECT_EQ(mmu.read8(0x100010, false), 0x33);
}

}  // namespace
}  // namespace pc386
