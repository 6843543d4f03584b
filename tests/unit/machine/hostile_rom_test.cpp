// A whole PC with a hostile BIOS ROM: random bytes, random code, a storm of port I/O to every
// device, a guest that triple-faults every few instructions, garbage guest-info descriptors and
// out-of-range VGA CRTC values. The machine must end normally each time (it resets, halts, exits
// or runs on): no crash, no exception out of run_for, no sanitizer report. Deterministic seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "base/io_bus.h"
#include "base/log.h"
#include "cpu/cpu.h"
#include "devices/vga_text.h"
#include "hostile_guest.h"
#include "machine/machine.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"
#include "support/flat_segments.h"

namespace pc386 {
namespace {

using namespace hostile;

class HostileRom : public ::testing::Test {
  protected:
    void SetUp() override { log::set_level(spdlog::level::off); }  // wild guests log a lot
    void TearDown() override { log::set_level(spdlog::level::warn); }

    std::string rom_file(const std::vector<uint8_t>& rom) {
        const std::string path = dir_.file("rom" + std::to_string(roms_++) + ".bin");
        write_file(path, rom);
        return path;
    }

    ScratchDir dir_;
    unsigned roms_ = 0;
};

// Seeds first .. first+3; PC386_HOSTILE_SEEDS=N runs N of them instead (a longer fuzzing session
// by hand, e.g. under ASan: PC386_HOSTILE_SEEDS=500 ./tests/unit_machine --gtest_filter='*Random*').
std::vector<uint64_t> seeds(uint64_t first) {
    uint64_t count = 4;
    if (const char* env = std::getenv("PC386_HOSTILE_SEEDS"))
        count = std::max<uint64_t>(1, std::strtoull(env, nullptr, 10));
    std::vector<uint64_t> out;
    for (uint64_t i = 0; i < count; ++i) out.push_back(first + i);
    return out;
}

TEST_F(HostileRom, RandomBytesRomRunsToANormalEnd) {
    for (uint64_t seed : seeds(1)) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        Rng rng{seed};
        std::vector<uint8_t> rom(65536);
        for (auto& b : rom) b = rng.byte();
        Machine m(quiet_config(rom_file(rom)));
        RunOutcome r = run_hostile(m, 1'000'000);
        // Whatever happened, the machine is still whole: it reports and can be inspected.
        EXPECT_FALSE(m.stats_report().empty());
        (void)m.current_code_address();
        EXPECT_TRUE(r.exited || r.instructions == 1'000'000u) << "stalled after " << r.instructions;
    }
}

TEST_F(HostileRom, RandomCodeWithAJumpIntoItRunsToANormalEnd) {
    for (uint64_t seed : seeds(1'000'001)) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        Rng rng{seed};
        // A prologue puts random values in the segment registers and the stack, enables
        // interrupts (the IVT is whatever RAM holds), then random bytes run.
        Code c;
        for (uint8_t sreg : {0xC0, 0xD0, 0xD8}) c.mov_ax(static_cast<uint16_t>(rng.next())).raw({0x8E, sreg});
        c.raw({0xBC}).imm16(rng.next());  // mov sp, imm16
        c.raw({0xFB});                    // sti
        std::vector<uint8_t> rom(65536);
        for (auto& b : rom) b = rng.byte();
        const uint16_t entry = static_cast<uint16_t>(rng.below(0xF000));
        std::copy(c.b.begin(), c.b.end(), rom.begin() + entry);
        const uint8_t jump[] = {0xEA, static_cast<uint8_t>(entry), static_cast<uint8_t>(entry >> 8), 0x00,
                                0xF0};
        std::copy(std::begin(jump), std::end(jump), rom.begin() + 0xFFF0);
        Machine m(quiet_config(rom_file(rom)));
        RunOutcome r = run_hostile(m, 1'000'000);
        EXPECT_TRUE(r.exited || r.instructions == 1'000'000u) << "stalled after " << r.instructions;
        EXPECT_FALSE(m.stats_report().empty());
    }
}

// Every device's ports, plus a few random ones, with every access size. Port 0xF4 (debug exit) is
// left out of the storm and written once at the end, so the run ends with a known status.
const uint16_t kDevicePorts[] = {0x20,  0x21,  0xA0,  0xA1,  0x40,  0x41,  0x42,  0x43,  0x60,  0x61,
                                 0x64,  0x70,  0x71,  0x3F8, 0x3F9, 0x3FA, 0x3FB, 0x3FC, 0x3FD, 0x3FE,
                                 0x3FF, 0x1F0, 0x1F1, 0x1F2, 0x1F3, 0x1F4, 0x1F5, 0x1F6, 0x1F7, 0x3F6,
                                 0x3D4, 0x3D5, 0x3DA, 0x3C0, 0x3C1, 0x3C4, 0x3C5, 0x3C7, 0x3C8, 0x3C9,
                                 0x3CE, 0x3CF, 0x92,  0x80,  0xE9,  0xEA,  0xEB,  0xED,  0xF0,  0xF8};

uint16_t hostile_port(Rng& rng) {
    if (rng.below(8) == 0) {
        uint16_t p = static_cast<uint16_t>(rng.next());
        return p >= 0xF1 && p <= 0xF7 ? 0xF8 : p;  // a 4-byte access at 0xF1 would reach 0xF4
    }
    uint16_t p = kDevicePorts[rng.below(std::size(kDevicePorts))];
    // 8042 command 0xFE, port 0x92 bit 0 and the like reset the machine: that is allowed, it just
    // starts the ROM over; keep it rare so the storm mostly gets through.
    return p;
}

TEST_F(HostileRom, RandomPortIoFromTheGuestEndsWithTheDebugExit) {
    Rng rng{0x1F0};
    Code c;
    c.cli();
    for (int i = 0; i < 2500; ++i) {
        const uint16_t port = hostile_port(rng);
        const unsigned size = 1u << rng.below(3);
        if (rng.below(2)) {
            uint32_t value = rng.next();
            // Don't let the 8042 or port 0x92 reset the machine on every pass (they may, rarely).
            if ((port == 0x64 || port == 0x92) && rng.below(16)) value &= 0xFFFFFF00u | 0x02;
            c.out_port(port, size, value);
        } else {
            c.in_port(port, size);
        }
    }
    c.out_port(0xF4, 1, 0x21);  // (0x21 << 1) | 1
    c.hlt();
    ASSERT_LT(c.size(), 0xFFF0u);
    Machine m(quiet_config(rom_file(make_rom(c.b))));
    RunOutcome r = run_hostile(m, 5'000'000);
    EXPECT_TRUE(r.exited) << "instructions " << r.instructions << ", resets " << m.resets();
    EXPECT_EQ(r.exit_status, 0x43);
}

// The machine's I/O bus driven straight from the test, between slices of a guest that sits in an
// STI/HLT loop, so device interrupts really get delivered (through a random IVT) while the storm
// goes on.
TEST_F(HostileRom, RandomPortIoOnTheBusBetweenSlices) {
    Rng rng{0x3F8};
    Code c;
    c.raw({0xFB, 0xF4, 0xEB, 0xFC});  // sti; hlt; jmp $-2
    Machine m(quiet_config(rom_file(make_rom(c.b))));
    for (uint32_t a = 0; a < 0x400; a += 4) {  // a random IVT: interrupts go anywhere in memory
        const uint32_t v = rng.next();
        m.bus().poke(a, &v, 4);
    }
    IoBus& io = m.io();
    for (int round = 0; round < 1500; ++round) {
        for (int i = 0; i < 50; ++i) {
            const uint16_t port = hostile_port(rng);
            const unsigned size = 1u << rng.below(3);
            if (rng.below(2))
                io.write(port, size, rng.next());
            else
                (void)io.read(port, size);
        }
        RunOutcome r = run_hostile(m, 500);
        ASSERT_FALSE(r.exited);
    }
    io.write(0xF4, 2, 7);
    RunOutcome r = run_hostile(m, 1000);
    EXPECT_TRUE(r.exited);
    EXPECT_EQ(r.exit_status, 15);
}

// LIDT with a zero limit then INT 3: the interrupt is past the IDT limit, #GP is too, so the CPU
// shuts down after three instructions; the PC resets and does it again, forever.
TEST_F(HostileRom, TripleFaultLoopKeepsRunningAndCountsResets) {
    Code c;
    c.raw({0x2E, 0x0F, 0x01, 0x1E}).imm16(0x0100);  // lidt cs:[0x100]
    c.raw({0xCC});                                  // int3
    std::vector<uint8_t> rom = make_rom(c.b);
    std::fill(rom.begin() + 0x100, rom.begin() + 0x106, 0);  // limit 0, base 0
    Machine m(quiet_config(rom_file(rom)));
    RunOutcome r = run_hostile(m, 120'000, /*reset_when_hung=*/false);
    EXPECT_EQ(r.hung, 0u);
    EXPECT_GE(r.instructions, 120'000u);
    EXPECT_GT(m.resets(), 20'000u);
    EXPECT_NE(m.stats_report().find("resets: "), std::string::npos);
}

// The CRTC's start address and cursor location registers with values far outside the 80x25
// screen, every CRTC index with random values, and attribute/DAC indices past their ends.
TEST_F(HostileRom, VgaCrtcOutOfRangeValues) {
    Code c;
    c.cli().hlt();
    Machine m(quiet_config(rom_file(make_rom(c.b))));
    IoBus& io = m.io();
    Rng rng{0x3D4};
    const uint16_t values[] = {0x0000, 0x07CF, 0x07D0, 0x3FFF, 0x4000, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF};
    for (uint16_t start : values) {
        for (uint16_t cursor : values) {
            io.write(0x3D4, 1, 0x0C);
            io.write(0x3D5, 1, start >> 8);
            io.write(0x3D4, 1, 0x0D);
            io.write(0x3D5, 1, start & 0xFF);
            io.write(0x3D4, 2, 0x0E | (cursor & 0xFF00));  // index and data in one 16-bit OUT
            io.write(0x3D4, 2, 0x0F | (cursor & 0x00FF) << 8);
            io.write(0x3D4, 1, 0x0A);
            io.write(0x3D5, 1, rng.byte());
            io.write(0x3D4, 1, 0x0B);
            io.write(0x3D5, 1, rng.byte());
            const VgaText::Cursor cur = m.vga().cursor();
            EXPECT_LT(cur.row, VgaText::kRows);
            EXPECT_LT(cur.column, VgaText::kColumns);
            EXPECT_EQ(m.vga().screen_text().size() <= VgaText::kRows * (VgaText::kColumns + 1), true);
            (void)m.vga().cell(VgaText::kRows - 1, VgaText::kColumns - 1);
        }
    }
    for (int i = 0; i < 20000; ++i) {
        const uint16_t port = static_cast<uint16_t>(0x3C0 + rng.below(0x1B));
        if (rng.below(2))
            io.write(port, 1u << rng.below(3), rng.next());
        else
            (void)io.read(port, 1u << rng.below(3));
    }
    (void)m.vga().screen_text();
    (void)m.vga().cursor();
    run_hostile(m, 1000, false);
}

// Port 0xEA takes any 32-bit value as the guest-info descriptor's address. The machine only
// remembers it: nothing in Machine or its statistics dereferences it.
TEST_F(HostileRom, GarbageGuestInfoAddressIsNeverTrusted) {
    Code c;
    for (uint32_t address : {0xFFFFFFFFu, 0xFFFFFFFCu, 0x003FFFFFu, 0x00400000u, 0x000A0000u, 0x12345678u}) {
        c.mov_eax(address).mov_dx(0xEA).out(4);
        c.raw({0xB9}).imm16(100).raw({0xE2, 0xFE});  // mov cx, 100; loop $: let a slice end here
    }
    c.mov_eax(0xFFFFFFF0u).mov_dx(0xEA).out(4).cli().hlt();
    Machine m(quiet_config(rom_file(make_rom(c.b))));
    for (int i = 0; i < 20; ++i) {
        run_hostile(m, 50, false);
        EXPECT_FALSE(m.stats_report().empty());
        (void)m.guest_info_address();
    }
    run_hostile(m, 10'000, false);
    EXPECT_EQ(m.guest_info_address(), 0xFFFFFFF0u);
    EXPECT_FALSE(m.stats_report().empty());
    // Byte and word writes are not the protocol; reads of every size are harmless.
    m.io().write(0xEA, 1, 0x12);
    m.io().write(0xEB, 2, 0x1234);
    (void)m.io().read(0xEA, 1);
    (void)m.io().read(0xEA, 4);
    m.reset();
    EXPECT_EQ(m.guest_info_address(), 0u);
}

}  // namespace
}  // namespace pc386

namespace pc386 {
namespace {

// Random bytes as 32-bit protected-mode code on the whole machine: RAM, the GDT, the IDT and the
// page tables are garbage, interrupts are on and the devices are live (the code reaches them with
// whatever IN/OUT it happens to contain).
TEST_F(HostileRom, RandomProtectedModeCodeOnTheWholeMachine) {
    Machine m(quiet_config(rom_file(make_rom({0xFA, 0xF4})), 2));
    for (uint64_t seed : seeds(2'000'001)) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        Rng rng{seed};
        m.reset();
        uint8_t* ram = m.bus().ram();  // straight into RAM: poke() checks every byte
        for (uint32_t a = 0; a < m.bus().ram_size(); a += 4) {
            const uint32_t v = rng.next();
            std::memcpy(ram + a, &v, 4);
        }
        m.mmu().flush_tlb();
        m.cpu().flush_decode_cache();  // the code was written past the bus
        Cpu& cpu = m.cpu();
        CpuState& s = cpu.state();
        for (unsigned r = 0; r < 8; ++r) s.regs[r] = rng.next() & 0x1FFFFF;
        s.gdtr = {rng.next() & 0x1FFFFF, static_cast<uint16_t>(rng.next())};
        s.idtr = {rng.next() & 0x1FFFFF, static_cast<uint16_t>(rng.next())};
        load_flat_ring0_segments(s);
        cpu.set_cr3(rng.next() & 0x1FF000);
        cpu.set_cr0(cr0::PE | cr0::ET | ((rng.next() & 1) ? cr0::PG : 0));
        s.eip = rng.next() & 0x1FFFFF;
        cpu.set_eflags((rng.next() & ~(flag::TF | flag::VM)) | flag::IF);
        RunOutcome r = run_hostile(m, 50'000);
        EXPECT_FALSE(m.stats_report().empty());
        if (r.exited) break;  // the guest found port 0xF4: the machine stays exited
    }
}

}  // namespace
}  // namespace pc386
