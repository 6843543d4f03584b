// Task switches to and from a 286 (16-bit) TSS: JMP there and back to a 386 TSS, CALL + IRET (NT
// and the back link), the upper words of the general registers set to FFFFh and FS/GS nulled (as a
// real 386 does: test386.asm, verified on hardware; Bochs agrees), the LDT loaded, busy bits
// (type 1 <-> 3), #TS for a limit below 2Bh, and with a 286 TSS as the current one the ring-0 stack
// taken from SP0/SS0 and I/O at CPL > IOPL refused (no bitmap).
//
// No paging. GDT at 0x500: 08/10 flat 32-bit ring-0 code/data, 18 a 386 TSS (task A, current),
// 20 a 286 TSS (task B), 28 an LDT whose selector 0C is a data segment at 0x50000, 30/38 16-bit
// code/data (base 0, 64 KiB), 48 a 286 TSS with limit 2Ah, 53/5B flat ring-3 code/data.
#include <gtest/gtest.h>

#include <initializer_list>

#include "support/task_fixture.h"

namespace pc386 {
namespace {

class Task16Test : public TaskTest {
  protected:
    static constexpr uint32_t kTssB = 0x4100, kLdt = 0x4200, kCodeB = 0x6000, kLdtData = 0x50000;

    void SetUp() override {
        enter_protected_mode(0x5F, 32);
        put(kGdt + 0x20, descriptor(kTssB, 0x2B, 0x81, 0));  // available 286 TSS
        put(kGdt + 0x28, descriptor(kLdt, 0x0F, 0x82, 0));
        put(kGdt + 0x30, descriptor(0, 0xFFFF, 0x9B, 0));
        put(kGdt + 0x38, descriptor(0, 0xFFFF, 0x93, 0));
        put(kGdt + 0x48, descriptor(kTssB, 0x2A, 0x81, 0));
        put(kGdt + 0x50, descriptor(0, 0xFFFFF, 0xFB, 0xC));
        put(kGdt + 0x58, descriptor(0, 0xFFFFF, 0xF3, 0xC));
        put(kLdt + 0x08, descriptor(kLdtData, 0xFFFF, 0x93, 0));

        // Task B: 16-bit code at 0030:6000, stack 0038:7000, DS = 000C (the LDT), ES = 0038.
        bus.write16(kTssB + 0x0E, kCodeB);
        bus.write16(kTssB + 0x10, 0x0002);
        for (unsigned r = 0; r < 8; ++r)
            bus.write16(kTssB + 0x12 + r * 2, static_cast<uint16_t>(0x1111 * (r + 1)));
        bus.write16(kTssB + 0x12 + ESP * 2, 0x7000);
        bus.write16(kTssB + 0x22, 0x38);  // ES
        bus.write16(kTssB + 0x24, 0x30);  // CS
        bus.write16(kTssB + 0x26, 0x38);  // SS
        bus.write16(kTssB + 0x28, 0x0C);  // DS
        bus.write16(kTssB + 0x2A, 0x28);  // LDT
    }

    void code_b(std::initializer_list<uint8_t> code) {
        uint32_t a = kCodeB;
        for (uint8_t b : code) bus.write8(a++, b);
    }
};

TEST_F(Task16Test, JumpToA286TssAndBackToA386One) {
    s.regs[EAX] = 0xAABBCCDD;
    s.regs[EBX] = 0x12345678;
    bus.write16(kLdtData + 0x20, 0xBEEF);
    code_b({0x66, 0xA3, 0x10, 0x00,          // mov [0x10], eax   (DS from the LDT: 0x50010)
            0x66, 0x89, 0x1E, 0x14, 0x00,    // mov [0x14], ebx
            0x8B, 0x0E, 0x20, 0x00,          // mov cx, [0x20]
            0x8C, 0xE0,                      // mov ax, fs
            0xA3, 0x18, 0x00,                // mov [0x18], ax
            0xEA, 0x00, 0x00, 0x18, 0x00});  // jmp 0018:0000 (back to task A)
    ASSERT_TRUE(run({0xEA, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00}));  // jmp 0020:00000000
    EXPECT_TRUE(finished());
    // In task B: the low words from the TSS, the upper words FFFFh, FS null.
    EXPECT_EQ(bus.read32(kLdtData + 0x10), 0xFFFF1111u);
    EXPECT_EQ(bus.read32(kLdtData + 0x14), 0xFFFF4444u);
    EXPECT_EQ(bus.read16(kLdtData + 0x18), 0u);
    // Task B's state saved in its 286 TSS: IP after its JMP, CX read through the LDT segment, AX = FS.
    EXPECT_EQ(bus.read16(kTssB + 0x0E), kCodeB + 23);
    EXPECT_EQ(bus.read16(kTssB + 0x12 + ECX * 2), 0xBEEFu);
    EXPECT_EQ(bus.read16(kTssB + 0x12 + EAX * 2), 0u);
    EXPECT_EQ(bus.read16(kTssB + 0x24), 0x30u);
    EXPECT_EQ(bus.read16(kTssB + 0x28), 0x0Cu);
    // Back in task A with its 32-bit registers; busy bits.
    EXPECT_EQ(s.tr.selector, 0x18);
    EXPECT_EQ(s.regs[EAX], 0xAABBCCDDu);
    EXPECT_EQ(s.regs[EBX], 0x12345678u);
    EXPECT_EQ(gdt_type(0x18), 0x0B);
    EXPECT_EQ(gdt_type(0x20), 0x01);
    EXPECT_EQ(bus.read32(kTssA + 0x20), kCode + 7);  // EIP saved by the first JMP
}

TEST_F(Task16Test, LdtAndSegmentsLoadedFromThe286Tss) {
    code_b({0xF4});  // hlt in task B
    ASSERT_TRUE(run({0xEA, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00}));
    EXPECT_EQ(s.tr.selector, 0x20);
    EXPECT_EQ(s.tr.access & 0x0F, 0x03);
    EXPECT_EQ(gdt_type(0x20), 0x03);
    EXPECT_EQ(gdt_type(0x18), 0x09);
    EXPECT_EQ(s.ldtr.selector, 0x28);
    EXPECT_EQ(s.ldtr.base, kLdt);
    EXPECT_EQ(s.seg[DS].base, kLdtData);
    EXPECT_EQ(s.seg[CS].selector, 0x30);
    EXPECT_FALSE(s.seg[CS].big);
    EXPECT_EQ(s.eip, kCodeB + 1u);
    for (unsigned r = 0; r < 8; ++r) EXPECT_EQ(s.regs[r] >> 16, 0xFFFFu) << "register " << r;
    EXPECT_EQ(s.regs[ESP], 0xFFFF7000u);
    EXPECT_EQ(s.regs[EAX], 0xFFFF1111u);
    EXPECT_EQ(s.seg[FS].selector, 0);  // a 286 TSS has no FS/GS: null
    EXPECT_FALSE(s.seg[FS].valid);
    EXPECT_EQ(s.seg[GS].selector, 0);
    EXPECT_FALSE(s.seg[GS].valid);
    EXPECT_TRUE(cpu.cr0() & cr0::TS);
}

TEST_F(Task16Test, CallAndIretThroughA286Tss) {
    code_b({0x9C,              // pushf
            0x58,              // pop ax
            0xA3, 0x00, 0x00,  // mov [0], ax
            0xCF});            // iret (NT: back to task A)
    s.regs[EDX] = 0xCAFEF00D;
    ASSERT_TRUE(run({0x9A, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00}));  // call 0020:00000000
    EXPECT_TRUE(finished());
    EXPECT_TRUE(bus.read16(kLdtData) & flag::NT);       // NT set in the called task
    EXPECT_EQ(bus.read16(kTssB + 0x00), 0x18u);         // back link
    EXPECT_FALSE(bus.read16(kTssB + 0x10) & flag::NT);  // IRET saves task B's FLAGS without NT
    EXPECT_EQ(bus.read16(kTssB + 0x0E), kCodeB + 6);
    EXPECT_FALSE(flag::NT & cpu.eflags());
    EXPECT_EQ(s.regs[EDX], 0xCAFEF00Du);
    EXPECT_EQ(gdt_type(0x18), 0x0B);
    EXPECT_EQ(gdt_type(0x20), 0x01);
}

TEST_F(Task16Test, LimitBelow2BhIsTs) {
    ASSERT_TRUE(run({0xEA, 0x00, 0x00, 0x00, 0x00, 0x48, 0x00}));  // jmp 0048:0 (limit 2Ah)
    EXPECT_EQ(vector(), vec::TS);
    EXPECT_EQ(frame(0), 0x48u);
    EXPECT_EQ(s.tr.selector, 0x18);
    EXPECT_EQ(gdt_type(0x48), 0x01);
}

TEST_F(Task16Test, Ring0StackFromSp0Ss0AndNoIoBitmap) {
    // Current task: the 286 TSS, SS0:SP0 = 0010:8000; ring 3 with IOPL 0 does IN: #GP(0) on the
    // ring-0 stack from the 16-bit fields.
    bus.write16(kTssB + 0x02, 0x8000);
    bus.write16(kTssB + 0x04, 0x10);
    put(kGdt + 0x20, descriptor(kTssB, 0x2B, 0x83, 0));
    s.tr.selector = 0x20;
    s.tr.base = kTssB;
    s.tr.limit = 0x2B;
    s.tr.access = 0x83;
    cpu.load_segment(DS, 0x5B);
    s.seg[CS] = {};
    s.seg[CS].selector = 0x53;
    s.seg[CS].limit = 0xFFFFFFFFu;
    s.seg[CS].access = 0xFB;
    s.seg[CS].big = s.seg[CS].granular = s.seg[CS].valid = true;
    s.seg[SS] = s.seg[DS];
    s.cpl = 3;
    s.regs[ESP] = 0x12345670;  // the high word must not leak into the ring-0 ESP
    ASSERT_TRUE(run({0xEC}));  // in al, dx
    EXPECT_EQ(vector(), vec::GP);
    EXPECT_EQ(s.seg[SS].selector, 0x10);
    EXPECT_EQ(s.regs[ESP], 0x8000u - 24);
    EXPECT_EQ(frame(0), 0u);     // error code
    EXPECT_EQ(frame(1), kCode);  // EIP of the IN
    EXPECT_EQ(frame(2), 0x53u);
    EXPECT_EQ(frame(4), 0x12345670u);
    EXPECT_EQ(frame(5), 0x5Bu);
}

}  // namespace
}  // namespace pc386
