// A 386 already in 32-bit protected mode (no paging) on 1 MiB of flat RAM, for the task-switch
// tests: they add their own TSSs and gates and run a few bytes of code from kCode.
//
// GDT at 0x500: 08/10 flat ring-0 code/data, 18 the current 386 TSS (task A at 0x4000, busy);
// the tests put their descriptors from 20 up. IDT at 0x800: interrupt gates to a HLT at
// 0x3000 + vector. A controllable INTR line (`pic`) raises vector `pic.vector`.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>

#include "base/interrupt_line.h"
#include "base/io_bus.h"
#include "cpu/cpu.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"
#include "support/flat_segments.h"

namespace pc386 {

struct TestInterruptLine : InterruptController {
    uint8_t vector = 0x20;
    uint8_t acknowledge() override {
        intr = false;
        return vector;
    }
};

class TaskTest : public ::testing::Test {
  protected:
    static constexpr uint32_t kGdt = 0x500, kIdt = 0x800, kHandlers = 0x3000, kTssA = 0x4000, kCode = 0x10000,
                              kStackTop = 0x90000;

    PhysicalBus bus{1 << 20};
    Mmu mmu{bus};
    IoBus io;
    TestInterruptLine pic;
    Cpu cpu{mmu, io, &pic};
    CpuState& s = cpu.state();

    // Byte-granular descriptor; `flags` is the high nibble (G, D/B).
    static uint64_t descriptor(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags) {
        return (limit & 0xFFFF) | uint64_t{base & 0xFFFFFF} << 16 | uint64_t{access} << 40 |
               uint64_t{(limit >> 16) & 0xF} << 48 | uint64_t{flags} << 52 | uint64_t{base >> 24} << 56;
    }
    void put(uint32_t at, uint64_t d) {
        bus.write32(at, static_cast<uint32_t>(d));
        bus.write32(at + 4, static_cast<uint32_t>(d >> 32));
    }
    uint8_t gdt_type(uint16_t sel) { return bus.read8(kGdt + sel + 5) & 0x0F; }

    // The GDT entries 08-18 and `vectors` IDT gates; GDTR and IDTR with the given sizes; CR0.PE,
    // flat segments, TR = 18, EIP = kCode, ESP = kStackTop.
    void enter_protected_mode(uint16_t gdt_limit, uint32_t vectors) {
        cpu.reset();
        put(kGdt + 0x08, descriptor(0, 0xFFFFF, 0x9B, 0xC));
        put(kGdt + 0x10, descriptor(0, 0xFFFFF, 0x93, 0xC));
        put(kGdt + 0x18, descriptor(kTssA, 0x67, 0x8B, 0));  // busy 386 TSS
        for (uint32_t v = 0; v < vectors; ++v) {
            const uint32_t handler = kHandlers + v;
            bus.write32(kIdt + v * 8, (0x08u << 16) | (handler & 0xFFFF));
            bus.write32(kIdt + v * 8 + 4, (handler & 0xFFFF0000u) | 0x8E00);
            bus.write8(handler, 0xF4);
        }
        s.gdtr = {kGdt, gdt_limit};
        s.idtr = {kIdt, static_cast<uint16_t>(vectors * 8 - 1)};
        cpu.set_cr0(cr0::PE | cr0::ET);
        load_flat_ring0_segments(s);
        s.tr.selector = 0x18;
        s.tr.base = kTssA;
        s.tr.limit = 0x67;
        s.tr.access = 0x8B;
        s.tr.valid = true;
        s.eip = kCode;
        s.regs[ESP] = kStackTop;
    }

    // Puts `code` and a HLT at kCode and runs until the CPU halts; false if it never does.
    bool run(std::initializer_list<uint8_t> code) {
        uint32_t a = kCode;
        for (uint8_t b : code) bus.write8(a++, b);
        bus.write8(a, 0xF4);
        end_ = a + 1;
        for (int i = 0; i < 100 && !cpu.halted() && !cpu.shutdown(); ++i) cpu.run(100000);
        return cpu.halted();
    }
    // The vector whose HLT handler the CPU stopped in, or -1.
    int vector() const { return s.eip - kHandlers - 1 < 32 ? static_cast<int>(s.eip - kHandlers - 1) : -1; }
    bool finished() const { return s.eip == end_; }  // ran to the HLT after the code
    uint32_t frame(unsigned i) { return bus.read32(s.seg[SS].base + s.regs[ESP] + 4 * i); }

  private:
    uint32_t end_ = 0;
};

}  // namespace pc386
