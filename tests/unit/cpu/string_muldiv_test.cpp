// String instructions with REP/REPE/REPNE, DF and 32-bit addressing; MUL/IMUL/DIV/IDIV with #DE;
// the decimal adjusts.
#include "cpu_fixture.h"

namespace pc386 {
namespace {

using namespace flag;

TEST_F(CpuTest, RepMovsbCopiesForward) {
    for (uint8_t i = 0; i < 4; ++i) set_data8(0x10 + i, static_cast<uint8_t>(0xA0 + i));
    r(ESI) = 0x10, r(EDI) = 0x40, r(ECX) = 4;
    ASSERT_TRUE(run({0xF3, 0xA4}));  // rep movsb
    EXPECT_EQ(data32(0x40), 0xA3A2A1A0u);
    EXPECT_EQ(r(ECX), 0u);
    EXPECT_EQ(r(ESI), 0x14u);
    EXPECT_EQ(r(EDI), 0x44u);
}

// REP MOVSD whose destination is its source plus one dword: on the chip each element reads what
// the one before wrote, so the first dword fills the block. The within-a-page fast path copies
// element by element too (a block move would copy the old contents instead).
TEST_F(CpuTest, RepMovsdOntoItselfPlusOneDwordReplicatesTheFirst) {
    set_data32(0x100, 0x11223344);
    for (uint32_t i = 1; i <= 200; ++i) set_data32(0x100 + 4 * i, i);
    r(ESI) = 0x100, r(EDI) = 0x104, r(ECX) = 200;
    ASSERT_TRUE(run({0x66, 0xF3, 0xA5}));  // rep movsd (16-bit addressing)
    for (uint32_t i = 0; i <= 200; ++i) ASSERT_EQ(data32(0x100 + 4 * i), 0x11223344u) << "dword " << i;
    EXPECT_EQ(r(ECX), 0u);
    EXPECT_EQ(r(ESI), 0x100u + 4 * 200);
    EXPECT_EQ(r(EDI), 0x104u + 4 * 200);
}

// Every element of a REP STOSW counts as one instruction, fast path or not: a run of 500
// instructions stops after exactly 500 elements, with CX and DI saying where; the next run
// finishes the rest (and the HLT).
TEST_F(CpuTest, RepStoswCountsEveryElementAndStopsAtTheBudget) {
    bus.write8(kCode, 0xF3);
    bus.write8(kCode + 1, 0xAB);  // rep stosw
    bus.write8(kCode + 2, 0xF4);
    r(EAX) = 0xBEEF, r(EDI) = 0x200, r(ECX) = 1000;
    EXPECT_EQ(cpu.run(500), 500u);
    EXPECT_EQ(r(ECX), 500u);
    EXPECT_EQ(r(EDI), 0x200u + 2 * 500);
    EXPECT_EQ(data16(0x200 + 2 * 499), 0xBEEFu);
    EXPECT_EQ(data16(0x200 + 2 * 500), 0u);
    EXPECT_EQ(cpu.run(100000), 501u);  // the other 500 elements, then the HLT
    EXPECT_TRUE(cpu.halted());
    EXPECT_EQ(r(ECX), 0u);
    EXPECT_EQ(data16(0x200 + 2 * 999), 0xBEEFu);
}

TEST_F(CpuTest, MovswBackwardWithDf) {
    set_data16(0x10, 0x1234);
    r(ESI) = 0x10, r(EDI) = 0x40;
    ASSERT_TRUE(run({0xFD, 0xA5}));  // std; movsw
    EXPECT_EQ(data16(0x40), 0x1234u);
    EXPECT_EQ(r(ESI), 0x0Eu);
    EXPECT_EQ(r(EDI), 0x3Eu);
}

TEST_F(CpuTest, RepStosdWith32BitAddressingUsesEcxAndEdi) {
    r(EAX) = 0xDEADBEEF, r(EDI) = 0x200, r(ECX) = 3;
    ASSERT_TRUE(run({0xF3, 0x66, 0x67, 0xAB}));  // rep stosd (a32)
    EXPECT_EQ(data32(0x200), 0xDEADBEEFu);
    EXPECT_EQ(data32(0x208), 0xDEADBEEFu);
    EXPECT_EQ(data32(0x20C), 0u);
    EXPECT_EQ(r(EDI), 0x20Cu);
    EXPECT_EQ(r(ECX), 0u);
}

TEST_F(CpuTest, RepWith16BitAddressingCountsCxOnly) {
    r(EAX) = 0x55, r(EDI) = 0x200, r(ECX) = 0x00010002;
    ASSERT_TRUE(run({0xF3, 0xAA}));  // rep stosb
    EXPECT_EQ(r(ECX), 0x00010000u);  // the upper half is not a count
    EXPECT_EQ(data16(0x200), 0x5555u);
    EXPECT_EQ(data8(0x202), 0u);
}

TEST_F(CpuTest, RepeCmpsbStopsAtTheFirstDifference) {
    const char a[] = "abcXef", b[] = "abcYef";
    for (int i = 0; i < 6; ++i)
        set_data8(0x10 + i, static_cast<uint8_t>(a[i])), set_data8(0x30 + i, static_cast<uint8_t>(b[i]));
    r(ESI) = 0x10, r(EDI) = 0x30, r(ECX) = 10;
    ASSERT_TRUE(run({0xF3, 0xA6}));  // repe cmpsb
    EXPECT_EQ(r(ECX), 6u);
    EXPECT_EQ(r(ESI), 0x14u);
    EXPECT_FALSE(flag(ZF));
    EXPECT_TRUE(flag(CF));  // 'X' < 'Y'
}

TEST_F(CpuTest, RepneScasbFindsTheByte) {
    const char s[] = "abcd";
    for (int i = 0; i < 4; ++i) set_data8(0x50 + i, static_cast<uint8_t>(s[i]));
    r(EAX) = 'c', r(EDI) = 0x50, r(ECX) = 4;
    ASSERT_TRUE(run({0xF2, 0xAE}));  // repne scasb
    EXPECT_EQ(r(ECX), 1u);
    EXPECT_EQ(r(EDI), 0x53u);
    EXPECT_TRUE(flag(ZF));
}

TEST_F(CpuTest, LodsdWithSegmentOverride) {
    bus.write32(kStack + 0x20, 0xCAFEF00D);
    r(ESI) = 0x20;
    ASSERT_TRUE(run({0x36, 0x66, 0xAD}));  // lodsd ss:[si]
    EXPECT_EQ(r(EAX), 0xCAFEF00Du);
    EXPECT_EQ(r(ESI), 0x24u);
}

TEST_F(CpuTest, MulByteAndDword) {
    r(EAX) = 0x80, r(EBX) = 2;
    ASSERT_TRUE(run({0xF6, 0xE3}));  // mul bl
    EXPECT_EQ(r(EAX), 0x100u);
    EXPECT_TRUE(flag(CF) && flag(OF));
    SetUp();
    r(EAX) = 0x80000000, r(EBX) = 4;
    ASSERT_TRUE(run({0x66, 0xF7, 0xE3}));  // mul ebx
    EXPECT_EQ(r(EDX), 2u);
    EXPECT_EQ(r(EAX), 0u);
    EXPECT_TRUE(flag(CF));
}

TEST_F(CpuTest, ImulForms) {
    r(EAX) = static_cast<uint32_t>(-2), r(EBX) = 3;
    ASSERT_TRUE(run({0x66, 0x0F, 0xAF, 0xC3}));  // imul eax, ebx
    EXPECT_EQ(r(EAX), static_cast<uint32_t>(-6));
    EXPECT_FALSE(flag(CF) || flag(OF));
    SetUp();
    r(EBX) = 0x4000;
    ASSERT_TRUE(run({0x6B, 0xC3, 0xFD}));  // imul ax, bx, -3
    EXPECT_EQ(r(EAX) & 0xFFFF, 0x4000u);   // -0xC000 truncated
    EXPECT_TRUE(flag(CF) && flag(OF));
    SetUp();
    r(EAX) = 0xFFFF;  // -1
    r(EBX) = 0x0002;
    ASSERT_TRUE(run({0xF7, 0xEB}));  // imul bx: DX:AX = -2
    EXPECT_EQ(r(EAX), 0xFFFEu);
    EXPECT_EQ(r(EDX), 0xFFFFu);
    EXPECT_FALSE(flag(CF));
}

TEST_F(CpuTest, DivAndIdiv) {
    r(EDX) = 1, r(EAX) = 0, r(EBX) = 3;
    ASSERT_TRUE(run({0xF7, 0xF3}));  // div bx: 65536 / 3
    EXPECT_EQ(r(EAX), 0x5555u);
    EXPECT_EQ(r(EDX), 1u);
    SetUp();
    r(EDX) = 0xFFFFFFFF, r(EAX) = static_cast<uint32_t>(-7), r(EBX) = 2;
    ASSERT_TRUE(run({0x66, 0xF7, 0xFB}));  // idiv ebx
    EXPECT_EQ(r(EAX), static_cast<uint32_t>(-3));
    EXPECT_EQ(r(EDX), static_cast<uint32_t>(-1));
    SetUp();
    r(EAX) = 0xFF00, r(EBX) = 2;     // -256 / 2 = -128 fits a byte
    ASSERT_TRUE(run({0xF6, 0xFB}));  // idiv bl
    EXPECT_TRUE(finished());
    EXPECT_EQ(r(EAX) & 0xFFFF, 0x0080u);
}

TEST_F(CpuTest, DivideErrorsPointAtTheInstruction) {
    r(EAX) = 0x1234, r(EBX) = 0;
    ASSERT_TRUE(run({0x90, 0xF6, 0xF3}));  // nop; div bl (by zero)
    EXPECT_EQ(vector(), vec::DE);
    EXPECT_EQ(frame_ip(), 1u);
    EXPECT_EQ(r(EAX), 0x1234u);
    SetUp();
    r(EAX) = 0x1000, r(EBX) = 1;
    ASSERT_TRUE(run({0xF6, 0xF3}));  // div bl: quotient 1000h does not fit
    EXPECT_EQ(vector(), vec::DE);
    SetUp();
    r(EAX) = 0x8000, r(EBX) = 0xFF;  // -32768 / -1 = 128 does not fit
    ASSERT_TRUE(run({0xF6, 0xFB}));  // idiv bl
    EXPECT_EQ(vector(), vec::DE);
}

TEST_F(CpuTest, DaaAndDas) {
    r(EAX) = 0x9A;
    ASSERT_TRUE(run({0x27}));  // daa
    EXPECT_EQ(r(EAX) & 0xFF, 0x00u);
    EXPECT_TRUE(flag(CF) && flag(AF) && flag(ZF));
    SetUp();
    r(EAX) = 0x03;
    set_flags(AF);
    ASSERT_TRUE(run({0x2F}));         // das: 03 - 06 borrows
    EXPECT_EQ(r(EAX) & 0xFF, 0xFDu);  // no second step: the old AL was not above 99h
    EXPECT_TRUE(flag(CF) && flag(AF));
}

TEST_F(CpuTest, AaaAamAad) {
    r(EAX) = 0x000B;
    ASSERT_TRUE(run({0x37}));  // aaa
    EXPECT_EQ(r(EAX) & 0xFFFF, 0x0101u);
    EXPECT_TRUE(flag(CF) && flag(AF));
    SetUp();
    r(EAX) = 47;
    ASSERT_TRUE(run({0xD4, 0x0A}));  // aam
    EXPECT_EQ(r(EAX) & 0xFFFF, 0x0407u);
    SetUp();
    r(EAX) = 0x0407;
    ASSERT_TRUE(run({0xD5, 0x0A}));  // aad
    EXPECT_EQ(r(EAX) & 0xFFFF, 47u);
    SetUp();
    ASSERT_TRUE(run({0xD4, 0x00}));  // aam 0
    EXPECT_EQ(vector(), vec::DE);
}

}  // namespace
}  // namespace pc386
