// The stack when its size changes under an instruction or differs from the operand size: POP SS
// loading a B=1 stack from a B=0 one (the pop steps SP by the old size), ENTER with a 32-bit operand
// on a 16-bit stack (EBP = the whole ESP), and ENTER's check of its final stack pointer before it
// changes anything (#PF at ring 3, #SS for an expand-down limit, with or without a display).
//
// Protected mode from the task fixture (GDT 08/10 flat ring 0, 18 the 386 TSS); here 20 is a 16-bit
// (B=0) data segment at 0, 28 a 32-bit (B=1) one, 30 a 16-bit expand-down one (limit 0FFFh), 3B
// ring-3 32-bit code, 43 a ring-3 16-bit stack at 20000h.
#include <gtest/gtest.h>

#include "support/task_fixture.h"

namespace pc386 {
namespace {

class StackSizeTest : public TaskTest {
  protected:
    static constexpr uint32_t kDir = 0x70000, kTable = 0x71000;

    void SetUp() override {
        enter_protected_mode(0x4F, 32);
        put(kGdt + 0x20, descriptor(0, 0xFFFFF, 0x93, 0x0));
        put(kGdt + 0x28, descriptor(0, 0xFFFFF, 0x93, 0x4));
        put(kGdt + 0x30, descriptor(0, 0x0FFF, 0x97, 0x0));
        put(kGdt + 0x38, descriptor(0, 0xFFFFF, 0xFB, 0xC));
        put(kGdt + 0x40, descriptor(0x20000, 0xFFFF, 0xF3, 0x0));
    }
    void use_stack(uint16_t selector, uint32_t esp) {
        cpu.load_segment(SS, selector);
        s.regs[ESP] = esp;
    }
    // Paging with every page of the first MiB user-writable but linear 20000h (supervisor only),
    // a ring-0 stack in the TSS, and CPL 3 with CS = 3B and the 16-bit ring-3 stack 43.
    void ring3_with_supervisor_page() {
        bus.write32(kDir, kTable | 7);
        for (uint32_t p = 0; p < 256; ++p) bus.write32(kTable + p * 4, (p << 12) | (p == 0x20 ? 3 : 7));
        bus.write32(kTssA + 4, 0x80000);  // ESP0
        bus.write32(kTssA + 8, 0x10);     // SS0
        cpu.set_cr3(kDir);
        cpu.set_cr0(cr0::PE | cr0::PG | cr0::ET);
        s.cpl = 3;
        cpu.load_segment(CS, 0x3B);
        cpu.load_segment(SS, 0x43);
        cpu.load_segment(DS, 0x43);
    }
};

TEST_F(StackSizeTest, PopSsThatSetsBStepsSpByTheOldSize) {
    use_stack(0x20, 0x2FFFC);
    bus.write32(0xFFFC, 0x28);
    ASSERT_TRUE(run({0x17}));  // pop ss
    EXPECT_TRUE(finished());
    EXPECT_EQ(s.seg[SS].selector, 0x28);
    EXPECT_TRUE(s.seg[SS].big);
    EXPECT_EQ(s.regs[ESP], 0x00020000u);  // SP wrapped to 0, ESP's upper word kept
}

TEST_F(StackSizeTest, Pop16SsThatSetsBStepsSpByTheOldSize) {
    use_stack(0x20, 0x2FFFE);
    bus.write16(0xFFFE, 0x28);
    ASSERT_TRUE(run({0x66, 0x17}));  // o16 pop ss
    EXPECT_TRUE(finished());
    EXPECT_EQ(s.regs[ESP], 0x00020000u);
}

TEST_F(StackSizeTest, Enter32On16BitStackSetsEbpToTheWholeEsp) {
    use_stack(0x20, 0x10000);
    s.regs[EBP] = 0x1FFEC;
    ASSERT_TRUE(run({0xC8, 0x08, 0x00, 0x04}));  // enter 8, 4
    EXPECT_TRUE(finished());
    EXPECT_EQ(s.regs[ESP], 0x1FFE4u);
    EXPECT_EQ(s.regs[EBP], 0x1FFFCu);
    EXPECT_EQ(bus.read32(0xFFFC), 0x1FFECu);  // the old EBP
    EXPECT_EQ(bus.read32(0xFFEC), 0x1FFFCu);  // the frame pointer pushed last
}

// SS base 20000h, ESP 1004h: the push of EBP lands in the user page at 21000h, the final SS:ESP
// (20FFFh) in the supervisor page: #PF(7) there, before anything is written or changed.
TEST_F(StackSizeTest, EnterFaultsAtItsFinalStackPointerFirst) {
    ring3_with_supervisor_page();
    s.regs[ESP] = 0x1004;
    s.regs[EBP] = 0x5A5A5A5A;
    bus.write32(0x21000, 0xDEADBEEF);
    ASSERT_TRUE(run({0xC8, 0x01, 0x00, 0x00}));  // enter 1, 0
    EXPECT_EQ(vector(), vec::PF);
    EXPECT_EQ(frame(0), 7u);  // present, write, user
    EXPECT_EQ(s.cr2, 0x20FFFu);
    EXPECT_EQ(frame(1), kCode);    // EIP of the ENTER
    EXPECT_EQ(frame(4), 0x1004u);  // ring-3 ESP unchanged
    EXPECT_EQ(s.regs[EBP], 0x5A5A5A5Au);
    EXPECT_EQ(bus.read32(0x21000), 0xDEADBEEFu);  // EBP not pushed
}

TEST_F(StackSizeTest, Enter16FaultsAtItsFinalStackPointerFirst) {
    ring3_with_supervisor_page();
    s.regs[ESP] = 0x1002;
    s.regs[EBP] = 0x5A5A5A5A;
    ASSERT_TRUE(run({0x66, 0xC8, 0x01, 0x00, 0x00}));  // o16 enter 1, 0: final SP 0FFFh
    EXPECT_EQ(vector(), vec::PF);
    EXPECT_EQ(frame(0), 7u);
    EXPECT_EQ(s.cr2, 0x20FFFu);
    EXPECT_EQ(frame(4), 0x1002u);
    EXPECT_EQ(s.regs[EBP], 0x5A5A5A5Au);
}

TEST_F(StackSizeTest, EnterWithALevelFaultsAtItsFinalStackPointerFirst) {
    ring3_with_supervisor_page();
    s.regs[ESP] = 0x1008;
    s.regs[EBP] = 0x2000;
    ASSERT_TRUE(run({0xC8, 0x01, 0x00, 0x01}));  // enter 1, 1: EBP and the frame pointer, then 1 byte
    EXPECT_EQ(vector(), vec::PF);
    EXPECT_EQ(s.cr2, 0x20FFFu);
    EXPECT_EQ(frame(4), 0x1008u);
    EXPECT_EQ(s.regs[EBP], 0x2000u);
}

// Expand-down stack, limit 0FFFh: offsets 1000h-FFFFh are valid. ENTER's final ESP 0FECh is not
// (the #SS frame, 16 bytes, still fits above the limit).
TEST_F(StackSizeTest, EnterBelowAnExpandDownLimitIsSs) {
    use_stack(0x30, 0x1010);
    s.regs[EBP] = 0x5A5A5A5A;
    ASSERT_TRUE(run({0xC8, 0x20, 0x00, 0x00}));  // enter 20h, 0
    EXPECT_EQ(vector(), vec::SS);
    EXPECT_EQ(s.regs[EBP], 0x5A5A5A5Au);
    EXPECT_EQ(frame(0), 0u);
    EXPECT_EQ(frame(1), kCode);
    EXPECT_EQ(s.regs[ESP], 0x1000u);  // the frame (16 bytes) below ESP as it was, 1010h
}

}  // namespace
}  // namespace pc386
