// A 386 wired to 1 MiB of flat RAM, no BIOS: the tests put a few bytes of code at 0100:0000, run
// them until the HLT the fixture appends, and look at registers, flags and memory.
//
// Real mode; DS = ES = 2000 (data at physical 0x20000), SS = 3000 with SP = FFF0. Every IVT entry
// v points at 0050:v, where a HLT waits: after a fault or INT, vector() tells which one was taken
// (CS = 0050, IP = v + 1) and frame_ip() the IP it pushed.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "base/io_bus.h"
#include "cpu/cpu.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"

namespace pc386 {

// The real-mode layout of the CPU tests: IVT entry v sends vector v to a HLT at 0050:v; code at
// 0100:0000, data (DS, ES) at 2000:0000, the stack at 3000:FFF0.
struct RealModeLayout {
    static constexpr uint16_t kCodeSeg = 0x0100, kDataSeg = 0x2000, kStackSeg = 0x3000, kHandlerSeg = 0x0050;
    static constexpr uint32_t kCode = kCodeSeg << 4, kData = kDataSeg << 4, kStack = kStackSeg << 4;

    static void enter(PhysicalBus& bus, Cpu& cpu) {
        for (uint32_t v = 0; v < 256; ++v) {
            bus.write16(v * 4, static_cast<uint16_t>(v));
            bus.write16(v * 4 + 2, kHandlerSeg);
            bus.write8((kHandlerSeg << 4) + v, 0xF4);
        }
        cpu.load_real_mode_segment(CS, kCodeSeg);
        cpu.load_real_mode_segment(DS, kDataSeg);
        cpu.load_real_mode_segment(ES, kDataSeg);
        cpu.load_real_mode_segment(SS, kStackSeg);
        cpu.state().eip = 0;
        cpu.state().regs[ESP] = 0xFFF0;
    }
};

class CpuTest : public ::testing::Test, protected RealModeLayout {
  protected:
    PhysicalBus bus{1 << 20};
    Mmu mmu{bus};
    IoBus io;
    Cpu cpu{mmu, io, nullptr};
    CpuState& s = cpu.state();

    void SetUp() override {
        cpu.reset();
        RealModeLayout::enter(bus, cpu);
    }

    // Runs `code` (then a HLT) from 0100:0000 until the CPU halts; false if it never does.
    bool run(std::initializer_list<uint8_t> code) {
        uint32_t a = kCode;
        for (uint8_t b : code) bus.write8(a++, b);
        bus.write8(a, 0xF4);
        code_end_ = static_cast<uint32_t>(code.size());
        for (int i = 0; i < 100 && !cpu.halted() && !cpu.shutdown(); ++i) cpu.run(100000);
        return cpu.halted();
    }
    // The vector whose handler the CPU ended in, or -1 (it ran to the HLT after the code).
    int vector() const { return s.seg[CS].selector == kHandlerSeg ? static_cast<int>(s.eip) - 1 : -1; }
    bool finished() const { return vector() < 0 && s.eip == code_end_ + 1; }
    uint16_t frame_ip() { return bus.read16(kStack + (s.regs[ESP] & 0xFFFF)); }

    uint32_t& r(Reg32 reg) { return s.regs[reg]; }
    uint32_t flags() const { return cpu.eflags(); }
    bool flag(uint32_t f) const { return (cpu.eflags() & f) != 0; }
    void set_flags(uint32_t f) { cpu.set_eflags(f | flag::kReserved1); }

    uint8_t data8(uint32_t off) { return bus.read8(kData + off); }
    uint16_t data16(uint32_t off) { return bus.read16(kData + off); }
    uint32_t data32(uint32_t off) { return bus.read32(kData + off); }
    void set_data8(uint32_t off, uint8_t v) { bus.write8(kData + off, v); }
    void set_data16(uint32_t off, uint16_t v) { bus.write16(kData + off, v); }
    void set_data32(uint32_t off, uint32_t v) { bus.write32(kData + off, v); }
    uint16_t stack16(uint32_t off) { return bus.read16(kStack + off); }
    uint32_t stack32(uint32_t off) { return bus.read32(kStack + off); }

  private:
    uint32_t code_end_ = 0;
};

}  // namespace pc386
