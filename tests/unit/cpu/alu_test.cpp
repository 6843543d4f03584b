// ALU instructions: flags of ADD/ADC/SUB/CMP/logic/INC/NEG in 8, 16 and 32 bits (0x66), 32-bit
// addressing with SIB (0x67), MOVSX/MOVZX, SETcc.
#include "cpu_fixture.h"

namespace pc386 {
namespace {

using namespace flag;

TEST_F(CpuTest, AddByteWrapsToZeroSettingCarryZeroAuxParity) {
    r(EAX) = 0x01;
    ASSERT_TRUE(run({0x04, 0xFF}));  // add al, 0FFh
    EXPECT_TRUE(finished());
    EXPECT_EQ(r(EAX), 0u);
    EXPECT_TRUE(flag(CF) && flag(ZF) && flag(AF) && flag(PF));
    EXPECT_FALSE(flag(OF) || flag(SF));
}

TEST_F(CpuTest, Add32WithOperandSizePrefixOverflowsIntoSign) {
    r(EAX) = 0x7FFFFFFF;
    ASSERT_TRUE(run({0x66, 0x05, 0x01, 0x00, 0x00, 0x00}));  // add eax, 1
    EXPECT_EQ(r(EAX), 0x80000000u);
    EXPECT_TRUE(flag(OF) && flag(SF));
    EXPECT_FALSE(flag(CF) || flag(ZF));
}

TEST_F(CpuTest, Cmp32BorrowsAndOverflows) {
    r(EAX) = 0;
    ASSERT_TRUE(run({0x66, 0x3D, 0x00, 0x00, 0x00, 0x80}));  // cmp eax, 80000000h
    EXPECT_EQ(r(EAX), 0u);                                   // CMP stores nothing
    EXPECT_TRUE(flag(CF) && flag(OF) && flag(SF));
    EXPECT_FALSE(flag(ZF));
}

TEST_F(CpuTest, Adc32AddsTheCarry) {
    r(EAX) = 0xFFFFFFFF;
    r(EBX) = 0;
    ASSERT_TRUE(run({0xF9, 0x66, 0x11, 0xD8}));  // stc; adc eax, ebx
    EXPECT_EQ(r(EAX), 0u);
    EXPECT_TRUE(flag(CF) && flag(ZF));
}

TEST_F(CpuTest, Sbb16SubtractsTheBorrow) {
    r(EAX) = 0x0000;
    r(EBX) = 0x0000;
    ASSERT_TRUE(run({0xF9, 0x19, 0xD8}));  // stc; sbb ax, bx
    EXPECT_EQ(r(EAX), 0xFFFFu);
    EXPECT_TRUE(flag(CF) && flag(SF) && flag(AF));
    EXPECT_FALSE(flag(OF));
}

TEST_F(CpuTest, LogicClearsCarryAndOverflow) {
    r(EAX) = 0xF0F0;
    ASSERT_TRUE(run({0xF9, 0x25, 0x0F, 0x0F}));  // stc; and ax, 0F0Fh
    EXPECT_EQ(r(EAX), 0u);
    EXPECT_TRUE(flag(ZF) && flag(PF));
    EXPECT_FALSE(flag(CF) || flag(OF));
}

TEST_F(CpuTest, IncKeepsCarry) {
    r(EAX) = 0xFFFF;
    ASSERT_TRUE(run({0xF9, 0x40}));  // stc; inc ax
    EXPECT_EQ(r(EAX), 0u);
    EXPECT_TRUE(flag(CF) && flag(ZF) && flag(AF));
}

TEST_F(CpuTest, NegSetsCarryUnlessZero) {
    r(EAX) = 1;
    r(EBX) = 0;
    ASSERT_TRUE(run({0xF7, 0xD8, 0xF7, 0xDB}));  // neg ax; neg bx
    EXPECT_EQ(r(EAX), 0xFFFFu);
    EXPECT_EQ(r(EBX), 0u);
    EXPECT_FALSE(flag(CF));  // from NEG BX (0)
    EXPECT_TRUE(flag(ZF));
}

TEST_F(CpuTest, GroupOneWithSignExtendedByteImmediate32) {
    r(ECX) = 10;
    ASSERT_TRUE(run({0x66, 0x83, 0xE9, 0xFF}));  // sub ecx, -1
    EXPECT_EQ(r(ECX), 11u);
    EXPECT_TRUE(flag(CF));  // 10 - 0xFFFFFFFF borrows
}

TEST_F(CpuTest, SibScaledIndexPlusBase) {
    r(EBX) = 0x100;
    r(ECX) = 3;
    set_data32(0x10C, 0x12345678);
    ASSERT_TRUE(run({0x67, 0x66, 0x8B, 0x04, 0x8B}));  // mov eax, [ebx+ecx*4]
    EXPECT_EQ(r(EAX), 0x12345678u);
}

TEST_F(CpuTest, SibIndexWithoutBaseTakesDisp32) {
    r(ECX) = 2;
    set_data16(0x18, 0xBEEF);
    ASSERT_TRUE(run({0x67, 0x8B, 0x04, 0x8D, 0x10, 0x00, 0x00, 0x00}));  // mov ax, [ecx*4+10h]
    EXPECT_EQ(r(EAX) & 0xFFFF, 0xBEEFu);
}

TEST_F(CpuTest, SibWithEbpBaseDefaultsToStackSegment) {
    r(EBP) = 0x40;
    bus.write16(kStack + 0x48, 0x5A5A);
    set_data16(0x48, 0x1111);
    ASSERT_TRUE(run({0x67, 0x8B, 0x44, 0x25, 0x08}));  // mov ax, [ebp+8] (SIB, no index)
    EXPECT_EQ(r(EAX) & 0xFFFF, 0x5A5Au);
}

TEST_F(CpuTest, Address32BeyondFfffFaultsInRealMode) {
    r(EBX) = 0x10000;
    ASSERT_TRUE(run({0x67, 0x8B, 0x03}));  // mov ax, [ebx]
    EXPECT_EQ(vector(), vec::GP);
    EXPECT_EQ(frame_ip(), 0u);
}

TEST_F(CpuTest, MovzxAndMovsx) {
    r(EBX) = 0x8080;
    ASSERT_TRUE(run({0x0F, 0xBE, 0xC3,           // movsx ax, bl
                     0x66, 0x0F, 0xB7, 0xCB,     // movzx ecx, bx
                     0x66, 0x0F, 0xBF, 0xD3}));  // movsx edx, bx
    EXPECT_EQ(r(EAX) & 0xFFFF, 0xFF80u);
    EXPECT_EQ(r(ECX), 0x00008080u);
    EXPECT_EQ(r(EDX), 0xFFFF8080u);
}

TEST_F(CpuTest, SetccFollowsTheConditions) {
    r(EAX) = 1;
    r(EBX) = 2;
    ASSERT_TRUE(run({0x39, 0xD8,           // cmp ax, bx (1 - 2)
                     0x0F, 0x9C, 0xC1,     // setl cl
                     0x0F, 0x92, 0xC5,     // setb ch
                     0x0F, 0x94, 0xC2,     // sete dl
                     0x0F, 0x9F, 0xC6}));  // setg dh
    EXPECT_EQ(r(ECX) & 0xFFFF, 0x0101u);
    EXPECT_EQ(r(EDX) & 0xFFFF, 0x0000u);
}

TEST_F(CpuTest, XchgMemoryAndLockedAdd) {
    set_data16(0x100, 0x1234);
    r(EAX) = 0x1111;
    ASSERT_TRUE(run({0xF0, 0x01, 0x06, 0x00, 0x01,  // lock add [100h], ax
                     0x87, 0x06, 0x00, 0x01}));     // xchg [100h], ax
    EXPECT_TRUE(finished());
    EXPECT_EQ(r(EAX) & 0xFFFF, 0x2345u);
    EXPECT_EQ(data16(0x100), 0x1111u);
}

}  // namespace
}  // namespace pc386
