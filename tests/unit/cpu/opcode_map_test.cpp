// The 386's opcode map at its edges: what later chips added is #UD here (software tells a 386 from
// a 486 that way), and a few 386 forms that are easy to get wrong (PUSH/POP ESP, POP m with an
// ESP-based address, 32-bit branches and calls in real mode, CWDE/CDQ, INT3/INTO).
#include "cpu_fixture.h"

namespace pc386 {
namespace {

using namespace flag;

TEST_F(CpuTest, FourEightySixInstructionsAreUndefined) {
    const std::vector<std::vector<uint8_t>> cases = {
        {0x0F, 0xC8},                    // bswap eax
        {0x0F, 0xB0, 0xC1},              // cmpxchg cl, al
        {0x0F, 0xB1, 0xC1},              // cmpxchg cx, ax
        {0x0F, 0xC0, 0xC1},              // xadd cl, al
        {0x0F, 0xC1, 0xC1},              // xadd cx, ax
        {0x0F, 0xA2},                    // cpuid
        {0x0F, 0x08},                    // invd
        {0x0F, 0x09},                    // wbinvd
        {0x0F, 0x01, 0x3E, 0x00, 0x01},  // invlpg [100h]
        {0x0F, 0x0B},                    // ud2 (undefined everywhere)
        {0x0F, 0x20, 0xE0},              // mov eax, cr4 (no CR4 on a 386)
    };
    for (const auto& code : cases) {
        SetUp();
        uint32_t a = kCode;
        for (uint8_t b : code) bus.write8(a++, b);
        bus.write8(a, 0xF4);
        cpu.run(100);
        EXPECT_EQ(vector(), vec::UD) << "0F " << std::hex << int(code[1]);
        EXPECT_EQ(frame_ip(), 0u);
    }
}

TEST_F(CpuTest, PushEspPushesTheValueBeforeThePush) {
    ASSERT_TRUE(run({0x66, 0x54,     // push esp
                     0x66, 0x5B}));  // pop ebx
    EXPECT_EQ(r(EBX), 0xFFF0u);
    EXPECT_EQ(r(ESP), 0xFFF0u);
}

TEST_F(CpuTest, PopEspLoadsThePoppedValue) {
    bus.write16(kStack + 0xFFF0, 0x1234);
    ASSERT_TRUE(run({0x5C}));  // pop sp
    EXPECT_EQ(r(ESP), 0x1234u);
}

TEST_F(CpuTest, PopMemoryWithEspBaseUsesTheIncrementedEsp) {
    bus.write32(kStack + 0xFFF0, 0xCAFEBABE);
    // pop dword [esp+4] (a32, o32): the address is computed after ESP += 4 -> SS:FFF8.
    ASSERT_TRUE(run({0x66, 0x67, 0x8F, 0x44, 0x24, 0x04}));
    EXPECT_EQ(r(ESP), 0xFFF4u);
    EXPECT_EQ(stack32(0xFFF8), 0xCAFEBABEu);
}

TEST_F(CpuTest, CwdeAndCdq) {
    r(EAX) = 0x12348000;
    ASSERT_TRUE(run({0x66, 0x98,     // cwde
                     0x66, 0x99}));  // cdq
    EXPECT_EQ(r(EAX), 0xFFFF8000u);
    EXPECT_EQ(r(EDX), 0xFFFFFFFFu);
}

TEST_F(CpuTest, Call32AndRet32InRealMode) {
    // call rel32 (o32) pushes a dword return address; ret (o32) pops it.
    bus.write8(kCode + 0x20, 0x66);
    bus.write8(kCode + 0x21, 0xC3);                          // 0020: o32 ret
    ASSERT_TRUE(run({0x66, 0xE8, 0x1A, 0x00, 0x00, 0x00}));  // 0000: o32 call 0020h
    EXPECT_TRUE(finished());
    EXPECT_EQ(r(ESP), 0xFFF0u);
    EXPECT_EQ(stack32(0xFFEC), 6u);  // the pushed return EIP
}

TEST_F(CpuTest, JccRel32BeyondTheLimitFaults) {
    // jz with a 32-bit displacement (o32) to 10006h, past the 64 KiB limit of real mode CS.
    set_flags(ZF);
    ASSERT_TRUE(run({0x66, 0x0F, 0x84, 0x00, 0x00, 0x01, 0x00}));
    EXPECT_EQ(vector(), vec::GP);
}

TEST_F(CpuTest, Int3AndIntoAreTraps) {
    ASSERT_TRUE(run({0x90, 0xCC}));  // nop; int3
    EXPECT_EQ(vector(), vec::BP);
    EXPECT_EQ(frame_ip(), 2u);
    SetUp();
    r(EAX) = 0x7F;
    ASSERT_TRUE(run({0x04, 0x01, 0xCE}));  // add al, 1 (overflows); into
    EXPECT_EQ(vector(), vec::OF);
    EXPECT_EQ(frame_ip(), 3u);
    SetUp();
    ASSERT_TRUE(run({0xCE}));  // into without OF: nothing
    EXPECT_TRUE(finished());
}

TEST_F(CpuTest, IretReturnsAndRestoresFlags) {
    // A handler for INT 40h at 0050:0040 that sets CF in the saved FLAGS and returns.
    bus.write16(0x40 * 4, 0x0100);  // IVT 40h -> 0050:0100
    const uint32_t h = (kHandlerSeg << 4) + 0x100;
    // push bp; mov bp, sp; or byte [bp+6], 1; pop bp; iret
    const uint8_t handler[] = {0x55, 0x89, 0xE5, 0x80, 0x4E, 0x06, 0x01, 0x5D, 0xCF};
    for (unsigned i = 0; i < sizeof handler; ++i) bus.write8(h + i, handler[i]);
    set_flags(IF);
    ASSERT_TRUE(run({0xCD, 0x40}));  // int 40h
    EXPECT_TRUE(finished());
    EXPECT_TRUE(flag(CF));
    EXPECT_TRUE(flag(IF));  // restored from the frame
    EXPECT_EQ(r(ESP), 0xFFF0u);
}

TEST_F(CpuTest, Div32OverflowIsDe) {
    r(EDX) = 2, r(EAX) = 0, r(EBX) = 2;    // 2^33 / 2 = 2^32 does not fit
    ASSERT_TRUE(run({0x66, 0xF7, 0xF3}));  // div ebx
    EXPECT_EQ(vector(), vec::DE);
    EXPECT_EQ(r(EDX), 2u);
}

TEST_F(CpuTest, Imul32ImmediateOverflow) {
    r(EBX) = 0x10000;
    ASSERT_TRUE(run({0x66, 0x69, 0xC3, 0x00, 0x00, 0x01, 0x00}));  // imul eax, ebx, 10000h
    EXPECT_EQ(r(EAX), 0u);
    EXPECT_TRUE(flag(CF) && flag(OF));
}

TEST_F(CpuTest, RealModeVectorPastTheIdtLimitIsADoubleFault) {
    s.idtr.limit = 0x3F;             // vectors 0-15 only
    ASSERT_TRUE(run({0xCD, 0x20}));  // int 20h
    EXPECT_EQ(vector(), vec::DF);
    SetUp();
    s.idtr.limit = 0;  // not even #DF: shutdown (a PC resets)
    run({0xCC});
    EXPECT_TRUE(cpu.shutdown());
}

TEST_F(CpuTest, GroupOpcodesWithUndefinedRegFieldsAreUd) {
    for (const auto& code : std::vector<std::vector<uint8_t>>{
             {0xC6, 0xC8, 0x00},        // mov (/1) al, 0
             {0xC7, 0xF8, 0x00, 0x00},  // (/7) ax, 0
             {0xFE, 0xD0},              // FE /2
             {0xFF, 0xF8},              // FF /7
             {0x8F, 0xC8},              // pop (/1)
         }) {
        SetUp();
        r(ESP) = 0xFFFF;  // 8F /1 must not touch the stack before #UD (it would be #SS here)
        uint32_t a = kCode;
        for (uint8_t b : code) bus.write8(a++, b);
        bus.write8(a, 0xF4);
        cpu.run(100);
        EXPECT_EQ(vector(), vec::UD) << std::hex << int(code[0]) << " " << int(code[1]);
    }
}

TEST_F(CpuTest, ExecutionDoesNotWrapPastOffsetFfff) {
    // A NOP at CS:FFFF, then the next fetch is at offset 10000h: past the limit, #GP.
    bus.write8(kCode + 0xFFFF, 0x90);
    s.eip = 0xFFFF;
    cpu.run(10);
    EXPECT_EQ(vector(), vec::GP);
    EXPECT_EQ(frame_ip(), 0x0000u);  // the 16-bit IP pushed (EIP 10000h)
}

}  // namespace
}  // namespace pc386
