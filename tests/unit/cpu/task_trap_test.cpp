// The T bit of a 386 TSS (offset 64h) raises #DB (DR6.BT) before the new task's first instruction,
// also when the switch delivers an exception or a hardware interrupt through a task gate (not
// only after a JMP/CALL/INT/IRET): no instruction of the new task runs first.
//
// No paging. GDT at 0x500: 08/10 flat ring-0 code/data, 18 the current 386 TSS (task A), 20 a 386
// TSS with T set (task C, code at 0x6000). IDT: vector 6 (#UD) and 20h (an IRQ) are task gates to
// task C; the others are interrupt gates to a HLT at 0x3000 + vector.
#include <gtest/gtest.h>

#include <initializer_list>

#include "base/interrupt_line.h"
#include "base/io_bus.h"
#include "cpu/cpu.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"
#include "support/flat_segments.h"

namespace pc386 {
namespace {

// One IRQ at vector 20h, raised by the test.
struct OneIrq : InterruptController {
    uint8_t acknowledge() override {
        intr = false;
        return 0x20;
    }
};

class TaskTrapTest : public ::testing::Test {
  protected:
    static constexpr uint32_t kGdt = 0x500, kIdt = 0x800, kHandlers = 0x3000, kTssA = 0x4000, kTssC = 0x4100,
                              kCodeC = 0x6000, kCode = 0x10000, kStackTop = 0x90000;

    PhysicalBus bus{1 << 20};
    Mmu mmu{bus};
    IoBus io;
    OneIrq pic;
    Cpu cpu{mmu, io, &pic};
    CpuState& s = cpu.state();

    static uint64_t descriptor(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags) {
        return (limit & 0xFFFF) | uint64_t{base & 0xFFFFFF} << 16 | uint64_t{access} << 40 |
               uint64_t{(limit >> 16) & 0xF} << 48 | uint64_t{flags} << 52 | uint64_t{base >> 24} << 56;
    }
    void put(uint32_t at, uint64_t d) {
        bus.write32(at, static_cast<uint32_t>(d));
        bus.write32(at + 4, static_cast<uint32_t>(d >> 32));
    }

    void SetUp() override {
        cpu.reset();
        put(kGdt + 0x08, descriptor(0, 0xFFFFF, 0x9B, 0xC));
        put(kGdt + 0x10, descriptor(0, 0xFFFFF, 0x93, 0xC));
        put(kGdt + 0x18, descriptor(kTssA, 0x67, 0x8B, 0));  // busy 386 TSS
        put(kGdt + 0x20, descriptor(kTssC, 0x67, 0x89, 0));  // available 386 TSS
        for (uint32_t v = 0; v < 0x21; ++v) {
            const uint32_t handler = kHandlers + v;
            bus.write32(kIdt + v * 8, (0x08u << 16) | (handler & 0xFFFF));
            bus.write32(kIdt + v * 8 + 4, (handler & 0xFFFF0000u) | 0x8E00);
            bus.write8(handler, 0xF4);
        }
        for (uint32_t v : {6u, 0x20u}) {  // task gates to TSS 20
            bus.write32(kIdt + v * 8, 0x20u << 16);
            bus.write32(kIdt + v * 8 + 4, 0x8500);
        }
        s.gdtr = {kGdt, 0x27};
        s.idtr = {kIdt, 0x21 * 8 - 1};
        cpu.set_cr0(cr0::PE | cr0::ET);
        load_flat_ring0_segments(s);
        s.tr.selector = 0x18;
        s.tr.base = kTssA;
        s.tr.limit = 0x67;
        s.tr.access = 0x8B;
        s.tr.valid = true;
        s.eip = kCode;
        s.regs[ESP] = kStackTop;

        // Task C: EIP 6000, EFLAGS 2, ESP 80000, flat segments, T = 1. Its first instruction is
        // INC EAX (EAX 0 in its TSS), then HLT.
        bus.write32(kTssC + 0x20, kCodeC);
        bus.write32(kTssC + 0x24, 0x2);
        bus.write32(kTssC + 0x38, 0x80000);
        for (uint32_t off : {0x48u, 0x50u, 0x54u, 0x58u, 0x5Cu}) bus.write16(kTssC + off, 0x10);
        bus.write16(kTssC + 0x4C, 0x08);
        bus.write16(kTssC + 0x64, 1);
        bus.write8(kCodeC, 0x40);
        bus.write8(kCodeC + 1, 0xF4);
    }
    void code(std::initializer_list<uint8_t> bytes) {
        uint32_t a = kCode;
        for (uint8_t b : bytes) bus.write8(a++, b);
    }
    void run_until_halt() {
        for (int i = 0; i < 100 && !cpu.halted() && !cpu.shutdown(); ++i) cpu.run(100000);
    }
    // In task C's #DB handler: the handler's HLT ran, the frame's EIP is task C's first
    // instruction, which has not run, and DR6 says BT.
    void expect_trap_before_first_instruction() {
        EXPECT_EQ(s.tr.selector, 0x20);
        EXPECT_EQ(s.eip, kHandlers + 1 + 1);  // past the #DB handler's HLT
        EXPECT_EQ(bus.read32(s.regs[ESP]), kCodeC);
        EXPECT_EQ(s.regs[EAX], 0u);
        EXPECT_TRUE(s.dr[6] & (1u << 15));
    }
};

TEST_F(TaskTrapTest, ExceptionThroughATaskGate) {
    s.regs[EAX] = 0x1234;
    code({0x0F, 0x0B});  // ud2
    run_until_halt();
    expect_trap_before_first_instruction();
}

TEST_F(TaskTrapTest, HardwareInterruptThroughATaskGate) {
    s.regs[EAX] = 0x1234;
    code({0xFB, 0x90, 0xEB, 0xFE});  // sti; nop; jmp $
    pic.intr = true;
    run_until_halt();
    expect_trap_before_first_instruction();
}

TEST_F(TaskTrapTest, JumpToTheTaskAsBefore) {
    code({0xEA, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00});  // jmp 0020:00000000
    run_until_halt();
    expect_trap_before_first_instruction();
}

}  // namespace
}  // namespace pc386
