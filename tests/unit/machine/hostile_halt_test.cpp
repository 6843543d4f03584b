// A halted guest that can never wake must not freeze the host. Two ways it used to: HLT under CLI
// with an IRQ pending (the machine took the pending INTR for a wake-up, ran zero instructions and
// spun inside run_for forever), and STI; HLT with every IRQ masked while the PIT ticks (each tick
// skipped virtual time; that is now hung too, with the reason in hang_reason()).
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

// The PIT ticks but its IRQ is masked, like every other: no tick can wake the CPU, so the run
// ends as hung (it used to go on forever, skipping virtual time from tick to tick).
TEST_F(HostileHalt, StiHltWithEveryIrqMaskedIsHung) {
    const std::string rom = dir_.file("rom.bin");
    write_file(rom, make_rom({0xFB, 0xF4, 0xEB, 0xFD}));  // sti; hlt; jmp $-3
    Machine m(quiet_config(rom));
    init_pics(m.io(), 0xFF, 0xFF);
    m.io().write(0x43, 1, 0x34);  // PIT channel 0, rate generator, count 2: a tick every ~1.7 us
    m.io().write(0x40, 1, 0x02);
    m.io().write(0x40, 1, 0x00);
    EXPECT_EQ(m.run(), StopReason::Hung);
    EXPECT_EQ(m.hang_reason(), "guest hung at f000:00000002: halted with every interrupt masked");
    EXPECT_EQ(m.idle_skips(), 0u);
    EXPECT_LT(m.now(), 1'000'000u);  // virtual time did not race ahead
}

TEST_F(HostileHalt, CliHltNamesWhy) {
    const std::string rom = dir_.file("rom.bin");
    write_file(rom, make_rom({0xFA, 0xF4}));  // cli; hlt
    Machine m(quiet_config(rom));
    EXPECT_EQ(m.run(), StopReason::Hung);
    EXPECT_EQ(m.hang_reason(), "guest hung at f000:00000002: halted with interrupts disabled");
}

// What can wake the CPU goes through both IMRs and the cascade, and only lines something raises.
TEST_F(HostileHalt, OnlyAnOpenWiredLineKeepsAHaltAlive) {
    const std::string rom = dir_.file("rom.bin");
    write_file(rom, make_rom({0xFB, 0xF4, 0xEB, 0xFD}));  // sti; hlt; jmp $-3
    struct Case {
        uint8_t master, slave;
        bool hung;
    } cases[] = {
        {0xFF, 0x00, true},   // the slave is open but the cascade (IRQ 2) is masked
        {0xFB, 0xFF, true},   // the cascade is open, every slave line masked
        {0xDF, 0xFF, true},   // IRQ 5 only: nothing in this PC raises it
        {0xFB, 0xFE, false},  // IRQ 8 (the RTC) through the cascade
        {0xFD, 0xFF, false},  // IRQ 1: idle waiting for a key is not hung
        {0xEF, 0xFF, false},  // IRQ 4: idle waiting for COM1
    };
    for (const Case& c : cases) {
        Machine m(quiet_config(rom));
        init_pics(m.io(), c.master, c.slave);
        m.io().write(0x43, 1, 0x34);  // the PIT ticks (masked in every case)
        m.io().write(0x40, 1, 0x00);
        m.io().write(0x40, 1, 0x00);
        SCOPED_TRACE(testing::Message() << "masks " << int(c.master) << " " << int(c.slave));
        const StopReason r = m.run_for(10'000'000);
        if (c.hung) {
            EXPECT_EQ(r, StopReason::Hung);
            EXPECT_NE(m.hang_reason().find("every interrupt masked"), std::string::npos);
        } else {
            EXPECT_EQ(r, StopReason::None);
            // The halted CPU skipped from tick to tick (55 ms each), never further.
            EXPECT_GT(m.idle_skips(), 0u);
            EXPECT_LE(m.now(), 10'000'000u * 20u + 55'000'000u);
        }
    }
}

}  // namespace
}  // namespace pc386
