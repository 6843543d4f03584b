// Control transfer and the stack: LOOP/JCXZ with 0x67, ENTER/LEAVE, BOUND #BR, PUSHA/POPA 32-bit,
// INT, far CALL/RET; far pointer loads (LDS LES LFS LGS LSS), MOV Sreg with FS/GS, CR/DR moves,
// LOCK on what cannot be locked (#UD), the 15-byte limit.
#include "cpu_fixture.h"

namespace pc386 {
namespace {

using namespace flag;

TEST_F(CpuTest, LoopCountsCx) {
    ASSERT_TRUE(run({0xB9, 0x03, 0x00,  // mov cx, 3
                     0x40,              // inc ax
                     0xE2, 0xFD}));     // loop -3
    EXPECT_EQ(r(EAX), 3u);
    EXPECT_EQ(r(ECX), 0u);
}

TEST_F(CpuTest, LoopAddressSizeSelectsCxOrEcx) {
    r(ECX) = 0x00010001;
    ASSERT_TRUE(run({0xE2, 0x01, 0x40}));  // loop +1 (CX: 1 -> 0, not taken); inc ax
    EXPECT_EQ(r(EAX), 1u);
    EXPECT_EQ(r(ECX), 0x00010000u);
    SetUp();
    r(ECX) = 0x00010001;
    ASSERT_TRUE(run({0x67, 0xE2, 0x01, 0x40}));  // a32 loop: ECX 10000h, taken over the inc
    EXPECT_EQ(r(EAX), 0u);
    EXPECT_EQ(r(ECX), 0x00010000u);
}

TEST_F(CpuTest, JcxzAndJecxz) {
    r(ECX) = 0x00010000;
    ASSERT_TRUE(run({0xE3, 0x01, 0x40}));  // jcxz +1: CX = 0, taken
    EXPECT_EQ(r(EAX), 0u);
    SetUp();
    r(ECX) = 0x00010000;
    ASSERT_TRUE(run({0x67, 0xE3, 0x01, 0x40}));  // jecxz: ECX != 0, falls through
    EXPECT_EQ(r(EAX), 1u);
}

TEST_F(CpuTest, EnterLevelZeroAndLeave) {
    r(EBP) = 0x1234;
    ASSERT_TRUE(run({0xC8, 0x10, 0x00, 0x00}));  // enter 16, 0
    EXPECT_EQ(stack16(0xFFEE), 0x1234u);
    EXPECT_EQ(r(EBP), 0xFFEEu);
    EXPECT_EQ(r(ESP), 0xFFDEu);
    SetUp();
    r(EBP) = 0xFFEE;
    bus.write16(kStack + 0xFFEE, 0x4321);
    ASSERT_TRUE(run({0xC9}));  // leave
    EXPECT_EQ(r(ESP), 0xFFF0u);
    EXPECT_EQ(r(EBP), 0x4321u);
}

TEST_F(CpuTest, EnterNestedCopiesTheOuterFramePointers) {
    r(EBP) = 0x1234;
    bus.write16(kStack + 0x1232, 0xAAAA);
    ASSERT_TRUE(run({0xC8, 0x08, 0x00, 0x02}));  // enter 8, 2
    EXPECT_EQ(stack16(0xFFEE), 0x1234u);         // old BP
    EXPECT_EQ(stack16(0xFFEC), 0xAAAAu);         // the outer frame's pointer
    EXPECT_EQ(stack16(0xFFEA), 0xFFEEu);         // this frame
    EXPECT_EQ(r(EBP), 0xFFEEu);
    EXPECT_EQ(r(ESP), 0xFFE2u);
}

TEST_F(CpuTest, BoundInsideAndOutside) {
    set_data16(0x100, 10);
    set_data16(0x102, 20);
    r(EAX) = 15;
    ASSERT_TRUE(run({0x62, 0x06, 0x00, 0x01}));  // bound ax, [100h]
    EXPECT_TRUE(finished());
    SetUp();
    set_data16(0x100, 10);
    set_data16(0x102, 20);
    r(EAX) = 25;
    ASSERT_TRUE(run({0x62, 0x06, 0x00, 0x01}));
    EXPECT_EQ(vector(), vec::BR);
    EXPECT_EQ(frame_ip(), 0u);  // a fault: the frame points at BOUND
}

TEST_F(CpuTest, Bound32IsSigned) {
    set_data32(0x100, static_cast<uint32_t>(-5));
    set_data32(0x104, 5);
    r(EAX) = static_cast<uint32_t>(-6);
    ASSERT_TRUE(run({0x66, 0x62, 0x06, 0x00, 0x01}));  // bound eax, [100h]
    EXPECT_EQ(vector(), vec::BR);
    SetUp();
    ASSERT_TRUE(run({0x62, 0xC0}));  // bound ax, ax: a register operand is #UD
    EXPECT_EQ(vector(), vec::UD);
}

TEST_F(CpuTest, Pushad32AndPopad) {
    r(EAX) = 0xA0A0A0A0, r(ECX) = 0xC1, r(EDX) = 0xD2, r(EBX) = 0xB3, r(EBP) = 0xB5B5B5B5, r(ESI) = 0x56,
    r(EDI) = 0x57;
    ASSERT_TRUE(run({0x66, 0x60,              // pushad
                     0x66, 0x31, 0xC0,        // xor eax, eax
                     0x66, 0x31, 0xED,        // xor ebp, ebp
                     0x66, 0x61}));           // popad
    EXPECT_EQ(stack32(0xFFEC), 0xA0A0A0A0u);  // EAX first
    EXPECT_EQ(stack32(0xFFDC), 0x0000FFF0u);  // ESP as it was before PUSHAD
    EXPECT_EQ(stack32(0xFFD0), 0x57u);        // EDI last
    EXPECT_EQ(r(EAX), 0xA0A0A0A0u);
    EXPECT_EQ(r(EBP), 0xB5B5B5B5u);
    EXPECT_EQ(r(ESP), 0xFFF0u);
}

TEST_F(CpuTest, PushaPopa16KeepUpperHalves) {
    r(EAX) = 0x12345678;
    ASSERT_TRUE(run({0x60, 0x31, 0xC0, 0x61}));  // pusha; xor ax, ax; popa
    EXPECT_EQ(r(EAX), 0x12345678u);
    EXPECT_EQ(r(ESP), 0xFFF0u);
}

TEST_F(CpuTest, IntPushesTheNextIp) {
    ASSERT_TRUE(run({0x90, 0xCD, 0x21}));  // nop; int 21h
    EXPECT_EQ(vector(), 0x21);
    EXPECT_EQ(frame_ip(), 3u);
    EXPECT_EQ(stack16((r(ESP) + 2) & 0xFFFF), kCodeSeg);
}

TEST_F(CpuTest, FarCallAndRetf) {
    bus.write8(0x2000, 0xCB);                          // 0200:0000 retf
    ASSERT_TRUE(run({0x9A, 0x00, 0x00, 0x00, 0x02}));  // call 0200:0000
    EXPECT_TRUE(finished());
    EXPECT_EQ(s.seg[CS].selector, kCodeSeg);
    EXPECT_EQ(r(ESP), 0xFFF0u);
}

TEST_F(CpuTest, FarPointerLoads) {
    set_data16(0x100, 0x1234);
    set_data16(0x102, 0x3000);
    ASSERT_TRUE(run({0xC5, 0x36, 0x00, 0x01}));  // lds si, [100h]
    EXPECT_EQ(r(ESI), 0x1234u);
    EXPECT_EQ(s.seg[DS].selector, 0x3000u);
    EXPECT_EQ(s.seg[DS].base, 0x30000u);
    SetUp();
    set_data32(0x100, 0x12345678);
    set_data16(0x104, 0x4000);
    ASSERT_TRUE(run({0x66, 0x0F, 0xB4, 0x1E, 0x00, 0x01}));  // lfs ebx, [100h]
    EXPECT_EQ(r(EBX), 0x12345678u);
    EXPECT_EQ(s.seg[FS].selector, 0x4000u);
    SetUp();
    set_data16(0x100, 0x0100);
    set_data16(0x102, 0x5000);
    ASSERT_TRUE(run({0x0F, 0xB2, 0x26, 0x00, 0x01,  // lss sp, [100h]
                     0x0F, 0xB5, 0x3E, 0x00, 0x01,  // lgs di, [100h]
                     0xC4, 0x0E, 0x00, 0x01}));     // les cx, [100h]
    EXPECT_EQ(r(ESP), 0x0100u);
    EXPECT_EQ(s.seg[SS].selector, 0x5000u);
    EXPECT_EQ(r(EDI), 0x0100u);
    EXPECT_EQ(s.seg[GS].selector, 0x5000u);
    EXPECT_EQ(r(ECX), 0x0100u);
    EXPECT_EQ(s.seg[ES].selector, 0x5000u);
    SetUp();
    ASSERT_TRUE(run({0xC4, 0xC0}));  // les ax, ax: #UD
    EXPECT_EQ(vector(), vec::UD);
}

TEST_F(CpuTest, FarPointerCrossingFfffFaults) {
    r(EBX) = 0xFFFE;                 // the selector word would lie at 10000h
    ASSERT_TRUE(run({0xC5, 0x37}));  // lds si, [bx]
    EXPECT_EQ(vector(), vec::GP);
    EXPECT_EQ(s.seg[DS].selector, kDataSeg);
}

TEST_F(CpuTest, MovSregFourAndFiveAreFsAndGs) {
    r(EAX) = 0x1234;
    ASSERT_TRUE(run({0x8E, 0xE0,     // mov fs, ax
                     0x8E, 0xE8,     // mov gs, ax
                     0x8C, 0xE3}));  // mov bx, fs
    EXPECT_EQ(s.seg[FS].selector, 0x1234u);
    EXPECT_EQ(s.seg[GS].base, 0x12340u);
    EXPECT_EQ(r(EBX), 0x1234u);
    SetUp();
    ASSERT_TRUE(run({0x8E, 0xF0}));  // mov (sreg 6), ax
    EXPECT_EQ(vector(), vec::UD);
    SetUp();
    ASSERT_TRUE(run({0x8E, 0xC8}));  // mov cs, ax
    EXPECT_EQ(vector(), vec::UD);
}

TEST_F(CpuTest, ControlAndDebugRegisterMoves) {
    ASSERT_TRUE(run({0x0F, 0x20, 0xC0,                    // mov eax, cr0
                     0x66, 0xBB, 0x00, 0x10, 0x00, 0x00,  // mov ebx, 1000h
                     0x0F, 0x22, 0xDB,                    // mov cr3, ebx
                     0x0F, 0x20, 0xD9,                    // mov ecx, cr3
                     0x0F, 0x23, 0xC3,                    // mov dr0, ebx
                     0x0F, 0x21, 0xC2}));                 // mov edx, dr0
    EXPECT_EQ(r(EAX), cr0::ET);
    EXPECT_EQ(r(ECX), 0x1000u);
    EXPECT_EQ(cpu.cr3(), 0x1000u);
    EXPECT_EQ(r(EDX), 0x1000u);
}

TEST_F(CpuTest, PagingWithoutProtectionIsGp) {
    ASSERT_TRUE(run({0x66, 0xB8, 0x00, 0x00, 0x00, 0x80,  // mov eax, 80000000h
                     0x0F, 0x22, 0xC0}));                 // mov cr0, eax
    EXPECT_EQ(vector(), vec::GP);
    EXPECT_EQ(frame_ip(), 6u);
}

TEST_F(CpuTest, LockOnWhatCannotBeLockedIsUd) {
    const std::vector<std::vector<uint8_t>> cases = {
        {0xF0, 0x90},                          // lock nop
        {0xF0, 0x01, 0xD8},                    // lock add ax, bx (register destination)
        {0xF0, 0x03, 0x06, 0x00, 0x01},        // lock add ax, [100h] (memory source)
        {0xF0, 0x39, 0x06, 0x00, 0x01},        // lock cmp [100h], ax
        {0xF0, 0x0F, 0xA3, 0x06, 0x00, 0x01},  // lock bt [100h], ax
        {0xF0, 0x8B, 0x06, 0x00, 0x01},        // lock mov ax, [100h]
        {0xF0, 0xFF, 0x36, 0x00, 0x01},        // lock push word [100h]
    };
    for (const auto& code : cases) {
        SetUp();
        uint32_t a = kCode;
        for (uint8_t b : code) bus.write8(a++, b);
        bus.write8(a, 0xF4);
        cpu.run(100);
        EXPECT_EQ(vector(), vec::UD) << "opcode " << int(code[1]);
        EXPECT_EQ(frame_ip(), 0u);
    }
}

TEST_F(CpuTest, LockedReadModifyWriteRuns) {
    set_data16(0x100, 0);
    r(EAX) = 3;
    ASSERT_TRUE(run({0xF0, 0x0F, 0xAB, 0x06, 0x00, 0x01,  // lock bts [100h], ax
                     0xF0, 0xFF, 0x06, 0x00, 0x01,        // lock inc word [100h]
                     0xF0, 0xF7, 0x1E, 0x00, 0x01}));     // lock neg word [100h]
    EXPECT_TRUE(finished());
    EXPECT_EQ(data16(0x100), static_cast<uint16_t>(-9));
}

TEST_F(CpuTest, FifteenByteLimit) {
    // 14 segment prefixes + NOP = 15 bytes: fine. One more: #GP.
    ASSERT_TRUE(
        run({0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x90}));
    EXPECT_TRUE(finished());
    SetUp();
    ASSERT_TRUE(run(
        {0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x90}));
    EXPECT_EQ(vector(), vec::GP);
}

TEST_F(CpuTest, SalcAndIcebp) {
    set_flags(CF);
    ASSERT_TRUE(run({0xD6}));  // salc: AL = CF ? FF : 00
    EXPECT_EQ(r(EAX) & 0xFF, 0xFFu);
    SetUp();
    ASSERT_TRUE(run({0xF1}));  // icebp: INT 1
    EXPECT_EQ(vector(), vec::DB);
    EXPECT_EQ(frame_ip(), 1u);  // a trap: the frame points past it
}

TEST_F(CpuTest, EscAndWaitWithoutCoprocessorFollowCr0) {
    ASSERT_TRUE(run({0xD8, 0x06, 0x00, 0x01,  // fadd dword [100h]: no 387, nothing happens
                     0x9B}));                 // wait
    EXPECT_TRUE(finished());
    SetUp();
    cpu.set_cr0(cr0::EM);
    ASSERT_TRUE(run({0xD9, 0xC0}));  // fld st0 with EM: #NM
    EXPECT_EQ(vector(), vec::NM);
    SetUp();
    cpu.set_cr0(cr0::MP | cr0::TS);
    ASSERT_TRUE(run({0x9B}));  // wait with MP and TS: #NM
    EXPECT_EQ(vector(), vec::NM);
    SetUp();
    cpu.set_cr0(cr0::TS);
    ASSERT_TRUE(run({0x9B}));  // wait with TS alone runs
    EXPECT_TRUE(finished());
    SetUp();
    r(EBX) = 0xFFFE;
    ASSERT_TRUE(run({0xD8, 0x07}));  // fadd dword [bx]: the operand crosses offset FFFF
    EXPECT_EQ(vector(), vec::GP);
}

TEST_F(CpuTest, SmswAndLmsw) {
    r(EAX) = 0x000E;                             // MP EM TS
    ASSERT_TRUE(run({0x0F, 0x01, 0xF0,           // lmsw ax
                     0x0F, 0x01, 0xE3,           // smsw bx
                     0x66, 0x0F, 0x01, 0xE1}));  // smsw ecx: all of CR0
    EXPECT_EQ(r(EBX) & 0xFFFF, 0x001Eu);         // ET reads as 1
    EXPECT_EQ(r(ECX), cpu.cr0());
    EXPECT_FALSE(cpu.protected_mode());
}

}  // namespace
}  // namespace pc386
