// A gate is checked by one set of rules whether a far CALL or an interrupt goes through it
// (cpu/gate_checks.cpp, after the 386 manual's CALL and INT n pseudo-code): a call gate and an
// interrupt gate that both name a data segment are #GP(that selector); only a hardware interrupt
// adds EXT to the error code. A gate that is not present is #NP with the gate's own error code:
// its selector for CALL, vector*8+2 for INT n.
//
// The TaskTest machine (ring 0, no paging); GDT 20: a 386 call gate; IDT 20h: an interrupt gate.
#include <gtest/gtest.h>

#include "support/task_fixture.h"

namespace pc386 {
namespace {

class GateChecksTest : public TaskTest {
  protected:
    static constexpr uint16_t kDataSel = 0x10, kCallGateSel = 0x20;
    static constexpr uint8_t kVector = 0x20;

    static uint64_t gate(uint16_t selector, uint32_t offset, uint8_t access) {
        return (offset & 0xFFFF) | uint64_t{selector} << 16 | uint64_t{access} << 40 |
               uint64_t{offset >> 16} << 48;
    }
    void SetUp() override { enter_protected_mode(0x27, kVector + 1); }

    // The #GP or #NP handler ran with this error code on the stack.
    void expect_fault(int vector_number, uint32_t error) {
        EXPECT_EQ(vector(), vector_number);
        EXPECT_EQ(frame(0), error);
    }
};

TEST_F(GateChecksTest, ACallGateNamingADataSegmentIsGpWithThatSelector) {
    put(kGdt + kCallGateSel, gate(kDataSel, 0, 0x8C));
    ASSERT_TRUE(run({0x9A, 0x00, 0x00, 0x00, 0x00, kCallGateSel, 0x00}));  // call 0020:00000000
    expect_fault(vec::GP, kDataSel);
}

TEST_F(GateChecksTest, IntNThroughAnInterruptGateNamingADataSegmentIsGpWithThatSelector) {
    put(kIdt + kVector * 8, gate(kDataSel, 0, 0x8E));
    ASSERT_TRUE(run({0xCD, kVector}));  // int 20h
    expect_fault(vec::GP, kDataSel);
}

TEST_F(GateChecksTest, AHardwareInterruptThroughTheSameGateAddsExt) {
    put(kIdt + kVector * 8, gate(kDataSel, 0, 0x8E));
    pic.vector = kVector;
    pic.intr = true;
    ASSERT_TRUE(run({0xFB, 0x90, 0xEB, 0xFE}));  // sti; nop; jmp $
    expect_fault(vec::GP, kDataSel + 1);
}

TEST_F(GateChecksTest, ANotPresentCallGateIsNpWithTheGateSelector) {
    put(kGdt + kCallGateSel, gate(0x08, kCode, 0x0C));
    ASSERT_TRUE(run({0x9A, 0x00, 0x00, 0x00, 0x00, kCallGateSel, 0x00}));
    expect_fault(vec::NP, kCallGateSel);
}

TEST_F(GateChecksTest, ANotPresentInterruptGateIsNpWithTheVectorsIdtErrorCode) {
    put(kIdt + kVector * 8, gate(0x08, kCode, 0x0E));
    ASSERT_TRUE(run({0xCD, kVector}));
    expect_fault(vec::NP, kVector * 8u + 2);
}

}  // namespace
}  // namespace pc386
