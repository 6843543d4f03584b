// The T bit of a 386 TSS (offset 64h) raises #DB (DR6.BT) before the new task's first instruction,
// also when the switch delivers an exception or a hardware interrupt through a task gate (not
// only after a JMP/CALL/INT/IRET): no instruction of the new task runs first.
//
// No paging. GDT at 0x500: 08/10 flat ring-0 code/data, 18 the current 386 TSS (task A), 20 a 386
// TSS with T set (task C, code at 0x6000). IDT: vector 6 (#UD) and 20h (an IRQ) are task gates to
// task C; the others are interrupt gates to a HLT at 0x3000 + vector.
#include <gtest/gtest.h>

#include <initializer_list>

#include "support/task_fixture.h"

namespace pc386 {
namespace {

class TaskTrapTest : public TaskTest {
  protected:
    static constexpr uint32_t kTssC = 0x4100, kCodeC = 0x6000;

    void SetUp() override {
        enter_protected_mode(0x27, 0x21);
        put(kGdt + 0x20, descriptor(kTssC, 0x67, 0x89, 0));  // available 386 TSS
        for (uint32_t v : {6u, 0x20u}) {                     // task gates to TSS 20
            bus.write32(kIdt + v * 8, 0x20u << 16);
            bus.write32(kIdt + v * 8 + 4, 0x8500);
        }

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
    run({0x0F, 0x0B});  // ud2
    expect_trap_before_first_instruction();
}

TEST_F(TaskTrapTest, HardwareInterruptThroughATaskGate) {
    s.regs[EAX] = 0x1234;
    pic.intr = true;
    run({0xFB, 0x90, 0xEB, 0xFE});  // sti; nop; jmp $
    expect_trap_before_first_instruction();
}

TEST_F(TaskTrapTest, JumpToTheTaskAsBefore) {
    run({0xEA, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00});  // jmp 0020:00000000
    expect_trap_before_first_instruction();
}

}  // namespace
}  // namespace pc386
