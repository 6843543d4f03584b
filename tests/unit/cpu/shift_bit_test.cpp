// Shifts and rotates (counts masked to 5 bits, CF/OF), SHLD/SHRD, BT/BTS/BTR/BTC (register and
// immediate offsets, memory offsets beyond the operand), BSF/BSR.
#include "cpu_fixture.h"

namespace pc386 {
namespace {

using namespace flag;

TEST_F(CpuTest, ShlByOneSetsCarryAndOverflow) {
    r(EAX) = 0x81;
    ASSERT_TRUE(run({0xD0, 0xE0}));  // shl al, 1
    EXPECT_EQ(r(EAX) & 0xFF, 0x02u);
    EXPECT_TRUE(flag(CF) && flag(OF));  // OF = new MSB xor CF
}

TEST_F(CpuTest, SarKeepsTheSign) {
    r(EAX) = 0x88;
    ASSERT_TRUE(run({0xC0, 0xF8, 0x03}));  // sar al, 3
    EXPECT_EQ(r(EAX) & 0xFF, 0xF1u);
    EXPECT_FALSE(flag(CF));  // bit 2 of 0x88
    EXPECT_TRUE(flag(SF));
}

TEST_F(CpuTest, Shr32ByClTakesTheLastBitOut) {
    r(EAX) = 0xC0000001;
    r(ECX) = 31;
    ASSERT_TRUE(run({0x66, 0xD3, 0xE8}));  // shr eax, cl
    EXPECT_EQ(r(EAX), 1u);
    EXPECT_TRUE(flag(CF));  // bit 30
}

TEST_F(CpuTest, ShiftCountIsMaskedToFiveBitsAndZeroChangesNothing) {
    r(EAX) = 0x81;
    r(ECX) = 0x20;  // masks to 0
    set_flags(CF | ZF);
    ASSERT_TRUE(run({0xD2, 0xE0}));  // shl al, cl
    EXPECT_EQ(r(EAX), 0x81u);
    EXPECT_TRUE(flag(CF) && flag(ZF));
}

TEST_F(CpuTest, RolAndRcr) {
    r(EAX) = 0x80;
    r(EBX) = 0x01;
    ASSERT_TRUE(run({0xD0, 0xC0}));  // rol al, 1
    EXPECT_EQ(r(EAX) & 0xFF, 0x01u);
    EXPECT_TRUE(flag(CF) && flag(OF));
    SetUp();
    r(EBX) = 0x01;
    set_flags(CF);
    ASSERT_TRUE(run({0xD0, 0xDB}));  // rcr bl, 1
    EXPECT_EQ(r(EBX) & 0xFF, 0x80u);
    EXPECT_TRUE(flag(CF) && flag(OF));
}

TEST_F(CpuTest, Shld32FillsFromTheSource) {
    r(EAX) = 0x11223344;
    r(EBX) = 0xAABBCCDD;
    ASSERT_TRUE(run({0x66, 0x0F, 0xA4, 0xD8, 0x08}));  // shld eax, ebx, 8
    EXPECT_EQ(r(EAX), 0x223344AAu);
    EXPECT_TRUE(flag(CF));  // bit 24 of the old EAX
}

TEST_F(CpuTest, Shrd16AndShrd32ByCl) {
    r(EAX) = 0x1234;
    r(EBX) = 0xABCD;
    ASSERT_TRUE(run({0x0F, 0xAC, 0xD8, 0x04}));  // shrd ax, bx, 4
    EXPECT_EQ(r(EAX) & 0xFFFF, 0xD123u);
    EXPECT_FALSE(flag(CF));
    SetUp();
    r(EAX) = 0x00000010;
    r(EBX) = 0x0000000F;
    r(ECX) = 4;
    ASSERT_TRUE(run({0x66, 0x0F, 0xAD, 0xD8}));  // shrd eax, ebx, cl
    EXPECT_EQ(r(EAX), 0xF0000001u);
    EXPECT_FALSE(flag(CF));
}

TEST_F(CpuTest, BtRegisterAndImmediate) {
    r(EAX) = 0x0010;
    r(EBX) = 4 + 16;                       // register operand: the offset is taken modulo 16
    ASSERT_TRUE(run({0x0F, 0xA3, 0xD8}));  // bt ax, bx
    EXPECT_TRUE(flag(CF));
    SetUp();
    r(EAX) = 0x0010;
    ASSERT_TRUE(run({0x0F, 0xBA, 0xE0, 0x05}));  // bt ax, 5
    EXPECT_FALSE(flag(CF));
}

TEST_F(CpuTest, Bts32MemoryOffsetReachesTheNextDword) {
    r(EBX) = 35;  // dword 1, bit 3
    set_data32(0x104, 0);
    ASSERT_TRUE(run({0x66, 0x0F, 0xAB, 0x1E, 0x00, 0x01}));  // bts [100h], ebx
    EXPECT_EQ(data32(0x104), 0x8u);
    EXPECT_FALSE(flag(CF));
}

TEST_F(CpuTest, BtrWithNegativeOffsetReachesBelow) {
    r(EBX) = 0xFFFF;  // -1: bit 15 of the word at 100h - 2
    set_data16(0xFE, 0x8001);
    ASSERT_TRUE(run({0x0F, 0xB3, 0x1E, 0x00, 0x01}));  // btr [100h], bx
    EXPECT_EQ(data16(0xFE), 0x0001u);
    EXPECT_TRUE(flag(CF));
}

TEST_F(CpuTest, BtcImmediateOnMemory) {
    set_data16(0x100, 0x0001);
    ASSERT_TRUE(run({0x0F, 0xBA, 0x3E, 0x00, 0x01, 0x10}));  // btc word [100h], 16 (masked to 0)
    EXPECT_EQ(data16(0x100), 0x0000u);
    EXPECT_TRUE(flag(CF));
}

TEST_F(CpuTest, BsfAndBsr) {
    r(EBX) = 0x0100;
    r(EDX) = 0x80000001;
    ASSERT_TRUE(run({0x0F, 0xBC, 0xC3,           // bsf ax, bx
                     0x66, 0x0F, 0xBD, 0xCA}));  // bsr ecx, edx
    EXPECT_EQ(r(EAX) & 0xFFFF, 8u);
    EXPECT_EQ(r(ECX), 31u);
    EXPECT_FALSE(flag(ZF));
}

TEST_F(CpuTest, BsfOfZeroSetsZfAndKeepsTheDestination) {
    r(EAX) = 0x1234;
    r(EBX) = 0;
    ASSERT_TRUE(run({0x0F, 0xBC, 0xC3}));  // bsf ax, bx
    EXPECT_EQ(r(EAX), 0x1234u);
    EXPECT_TRUE(flag(ZF));
}

}  // namespace
}  // namespace pc386
