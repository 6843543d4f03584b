// A halted guest that can never wake must not freeze the host. Two ways it used to: HLT under CLI
// with an IRQ pending (the machine took the pending INTR for a wake-up, ran zero instructions and
// spun inside run_for forever), and STI; HLT with every IRQ masked while the PIT ticks (each tick
// skipped virtual time without using the slice's budget, so run_for never returned).
#include <gtest/gtest.h>

#include <chrono>

#include "base/io_bus.h"
#include "base/log.h"
#include "cpu/cpu.h"
#include "hostile_guest.h"
#include "machine/machine.h"

namespace pc386 {
namespace {

using namespace hostile;

void init_pics(IoBus& io, uint8_t master_mask, uint8_t slave_mask) {
    io.write(0x20, 1, 0x11);
    io.write(0x21, 1, 0x08);
    io.write(0x21, 1, 0x04);
    io.write(0x21, 1, 0x01);
    io.write(0x21, 1, master_mask);
    io.write(0xA0, 1, 0x11);
    io.write(0xA1, 1, 0x70);
    io.write(0xA1, 1, 0x02);
    io.write(0xA1, 1, 0x01);
    io.write(0xA1, 1, slave_mask);
}

class HostileHalt : public ::testing::Test {
  protected:
    void SetUp() override { log::set_level(spdlog::level::off); }
    void TearDown() override { log::set_level(spdlog::level::warn); }
    ScratchDir dir_;
};

TEST_F(HostileHalt, HltUnderCliWithAPendingIrqIsHung) {
    const std::string rom = dir_.file("rom.bin"), disk = dir_.file("disk.img");
    write_file(rom, make_rom({0xFA, 0xF4}));  // cli; hlt
    write_file(disk, std::vector<uint8_t>(16 * 512, 0));
    MachineConfig config = quiet_config(rom);
    config.hda.path = disk;
    config.hda.snapshot = true;
    Machine m(config);
    EXPECT_EQ(m.run_for(1000), StopReason::Hung);
    init_pics(m.io(), 0x00, 0x00);
    m.io().write(0x1F6, 1, 0xA0);
    m.io().write(0x1F7, 1, 0xEC);  // IDENTIFY: IRQ 14 is raised and stays pending (IF is clear)
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(m.run_for(1000), StopReason::Hung);
    EXPECT_EQ(m.run_for(UINT64_MAX), StopReason::Hung);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    EXPECT_TRUE(m.cpu().halted());
}

TEST_F(HostileHalt, StiHltWithEveryIrqMaskedStillEndsEachSlice) {
    const std::string rom = dir_.file("rom.bin");
    write_file(rom, make_rom({0xFB, 0xF4, 0xEB, 0xFD}));  // sti; hlt; jmp $-3
    Machine m(quiet_config(rom));
    init_pics(m.io(), 0xFF, 0xFF);
    m.io().write(0x43, 1, 0x34);  // PIT channel 0, rate generator, count 2: a tick every ~1.7 us
    m.io().write(0x40, 1, 0x02);
    m.io().write(0x40, 1, 0x00);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 10; ++i) EXPECT_EQ(m.run_for(100'000), StopReason::None);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    EXPECT_TRUE(m.cpu().halted());
    // Virtual time went on (10 slices of 100000 instruction-times, 20 ns each), instructions did not.
    EXPECT_GE(m.now(), 10u * 100'000u * 20u - 20'000u);
    EXPECT_LT(m.instructions(), 10u);
}

}  // namespace
}  // namespace pc386
