// What a 386 does where the manual says "undefined" and real software can see it: the flags of the
// BCD adjusts, of SHL/SHR and of BT/BTS/BTR/BTC (the expected values are test386.asm's cases,
// verified on a 386SX), PUSH Sreg with a 32-bit operand, POPAD on a 16-bit stack, and a SIB byte
// with no index but a scale (the 386 scales the base; the 486 does not).
#include "cpu_fixture.h"

namespace pc386 {
namespace {

using namespace flag;

constexpr uint32_t CAO = CF | AF | OF, PZSO = PF | ZF | SF | OF;

struct BcdCase {
    uint8_t opcode;
    uint16_t ax;
    uint32_t flags_in, flags_out;
};

TEST_F(CpuTest, BcdAdjustsLeaveTheUndefinedFlagsAsA386) {
    const BcdCase cases[] = {
        {0x37, 0x0000, 0, PF | ZF},  // AAA
        {0x37, 0x0001, PZSO, 0},
        {0x37, 0x007A, 0, CF | AF | SF | OF},
        {0x37, 0x007B, AF, CF | PF | AF | SF | OF},
        {0xD5, 0x0001, CAO, 0},  // AAD (D5 0A)
        {0xD5, 0x0D8E, 0, CAO},
        {0xD5, 0x0106, 0, AF},
        {0xD5, 0x01F7, 0, CF | AF},
        {0x3F, 0x0000, SF | OF, PF | ZF},  // AAS
        {0x3F, 0x0000, AF, CF | PF | AF | SF},
        {0x3F, 0x0001, PZSO, 0},
        {0x3F, 0x0680, AF, CF | AF | OF},
        {0x27, 0x001A, AF | OF, AF},  // DAA
        {0x27, 0x001A, CF, CF | AF | SF | OF},
        {0x2F, 0x0080, OF, SF},  // DAS
        {0x2F, 0x0080, AF, AF | OF},
    };
    for (const BcdCase& k : cases) {
        SetUp();
        r(EAX) = k.ax;
        set_flags(k.flags_in);
        if (k.opcode == 0xD5)
            ASSERT_TRUE(run({0xD5, 0x0A}));
        else
            ASSERT_TRUE(run({k.opcode}));
        EXPECT_EQ(flags() & kArith, k.flags_out)
            << std::hex << "opcode " << unsigned{k.opcode} << " ax " << k.ax;
    }
}

struct ShiftCase {
    bool left, word;
    uint16_t value;
    uint8_t count;
    uint32_t flags_in, flags_out;
};

TEST_F(CpuTest, ShlShrLeaveTheUndefinedFlagsAsA386) {
    const ShiftCase cases[] = {
        {false, false, 0x81, 1, 0, CF | AF | OF},  // shr al, cl
        {false, false, 0x82, 2, 0, CF | AF},
        {false, false, 0x80, 8, 0, CF | PF | AF | ZF},
        {false, false, 0x00, 8, CF, PF | AF | ZF},
        {false, false, 0x80, 16, 0, CF | PF | AF | ZF},
        {false, false, 0x00, 16, CF, PF | AF | ZF},
        {false, false, 0x80, 24, 0, CF | PF | AF | ZF},
        {false, false, 0x00, 24, CF, PF | AF | ZF},
        {false, false, 0x80, 32, 0, 0},
        {false, true, 0x8000, 16, 0, CF | PF | AF | ZF},  // shr ax, cl
        {false, true, 0x0000, 16, CF, PF | AF | ZF},
        {false, true, 0x8000, 32, 0, 0},
        {true, false, 0x81, 1, 0, CF | AF | OF},  // shl al, cl
        {true, false, 0x41, 2, 0, CF | AF | OF},
        {true, false, 0x01, 8, 0, CF | PF | AF | ZF | OF},
        {true, false, 0x00, 8, CF, PF | AF | ZF},
        {true, false, 0x01, 16, 0, CF | PF | AF | ZF | OF},
        {true, false, 0x00, 16, CF, PF | AF | ZF},
        {true, false, 0x01, 24, 0, CF | PF | AF | ZF | OF},
        {true, false, 0x00, 24, CF, PF | AF | ZF},
        {true, false, 0x01, 32, 0, 0},
        {true, true, 0x01, 16, 0, CF | PF | AF | ZF | OF},  // shl ax, cl
        {true, true, 0x00, 16, CF, PF | AF | ZF},
        {true, true, 0x01, 32, 0, 0},
    };
    for (const ShiftCase& k : cases) {
        SetUp();
        r(EAX) = k.word ? k.value : 0xFF00u | k.value;  // AH = FFh for the byte cases, as test386 has it
        r(ECX) = k.count;
        set_flags(k.flags_in);
        ASSERT_TRUE(
            run({static_cast<uint8_t>(k.word ? 0xD3 : 0xD2), static_cast<uint8_t>(k.left ? 0xE0 : 0xE8)}));
        EXPECT_EQ(flags() & kArith, k.flags_out)
            << std::hex << (k.left ? "shl " : "shr ") << k.value << ", " << unsigned{k.count};
    }
}

TEST_F(CpuTest, BitTestsLeaveOverflowAsA386) {
    // OF is that of RCR value, bit+1 with CF = 0: for the value 1, set for bits 1 and 2.
    const uint32_t expected[4] = {CF, OF, OF, 0};
    for (unsigned bit = 0; bit < 4; ++bit) {
        for (uint32_t cf_in : {0u, CF}) {
            for (uint8_t op : {0xA3, 0xAB, 0xB3, 0xBB}) {  // bt bts btr btc ax, cx
                for (bool op32 : {false, true}) {
                    SetUp();
                    r(EAX) = 1;
                    r(ECX) = bit;
                    set_flags(cf_in);
                    if (op32)
                        ASSERT_TRUE(run({0x66, 0x0F, op, 0xC8}));
                    else
                        ASSERT_TRUE(run({0x0F, op, 0xC8}));
                    EXPECT_EQ(flags() & kArith, expected[bit]) << "op " << unsigned{op} << " bit " << bit;
                }
            }
        }
    }
}

TEST_F(CpuTest, Push32SegmentRegisterWritesOnlyTheLowWord) {
    bus.write32(kStack + 0xFFEC, 0xAAAAAAAA);
    ASSERT_TRUE(run({0x66, 0x1E}));  // o32 push ds
    EXPECT_EQ(r(ESP), 0xFFECu);
    EXPECT_EQ(stack32(0xFFEC), 0xAAAA0000u | kDataSeg);
}

TEST_F(CpuTest, Popad16BitStackTakesEspsUpperWordFromTheImage) {
    r(ESP) = 0xFF00;
    for (unsigned i = 0; i < 8; ++i) bus.write32(kStack + 0xFF00 + i * 4, 0x11110000u * (8 - i) + i);
    bus.write32(kStack + 0xFF00 + 3 * 4, 0x12345678);  // the saved ESP
    ASSERT_TRUE(run({0x66, 0x61}));                    // popad
    EXPECT_EQ(r(ESP), 0x1234FF20u);
    EXPECT_EQ(r(EAX), 0x11110007u);
    EXPECT_EQ(r(EDI), 0x88880000u);
}

TEST_F(CpuTest, Popad16BitStackOn486KeepsEsp) {
    cpu.set_model(CpuModel::i486);
    SetUp();
    r(ESP) = 0xFF00;
    bus.write32(kStack + 0xFF00 + 3 * 4, 0x12345678);
    ASSERT_TRUE(run({0x66, 0x61}));
    EXPECT_EQ(r(ESP), 0x0000FF20u);
}

// lea eax, [eax*2] written with SIB 60h (scale 1, no index, base EAX), twice at one address: decoded
// live, then replayed from the decode cache.
TEST_F(CpuTest, SibWithoutIndexScalesTheBaseOn386) {
    r(EAX) = 1;
    r(ECX) = 2;
    ASSERT_TRUE(run({0x66, 0x67, 0x8D, 0x04, 0x60,  // lea eax, [eax] with SIB scale 2, no index
                     0xE2, 0xF9}));                 // loop
    EXPECT_EQ(r(EAX), 4u);
    EXPECT_GE(cpu.decode_cache_stats().replays, 1u);
}

TEST_F(CpuTest, SibWithoutIndexKeepsSsForAnEspBase) {
    r(ESP) = 0x7000;
    bus.write32(kStack + 0xE000, 0xCAFEBABE);
    ASSERT_TRUE(run({0x66, 0x67, 0x8B, 0x04, 0x64}));  // mov eax, [esp] with SIB scale 2: SS:E000
    EXPECT_EQ(r(EAX), 0xCAFEBABEu);
}

TEST_F(CpuTest, SibWithoutIndexIgnoresTheScaleOn486) {
    cpu.set_model(CpuModel::i486);
    SetUp();
    r(EAX) = 1;
    ASSERT_TRUE(run({0x66, 0x67, 0x8D, 0x04, 0x60}));
    EXPECT_EQ(r(EAX), 1u);
}

// Every SIB no-index encoding with a scale: mod 0-2, base 0-7, scale 1-3, reg 0-7 (576). All but
// the 24 without a base (mod 0, base 101b) differ from scale 1 on a 386.
TEST_F(CpuTest, EverySibWithoutIndexEncoding) {
    unsigned differ = 0;
    for (unsigned mod = 0; mod < 3; ++mod)
        for (unsigned base = 0; base < 8; ++base)
            for (unsigned scale = 1; scale < 4; ++scale)
                for (unsigned reg = 0; reg < 8; ++reg) {
                    SetUp();
                    for (unsigned g = 0; g < 8; ++g) s.regs[g] = 0x100 * (g + 1);
                    const uint8_t modrm = static_cast<uint8_t>(mod << 6 | reg << 3 | 4);
                    const uint8_t sib = static_cast<uint8_t>(scale << 6 | 4 << 3 | base);
                    const uint32_t base_value = 0x100 * (base + 1);
                    uint32_t want;
                    if (mod == 0 && base == 5) {
                        ASSERT_TRUE(run({0x66, 0x67, 0x8D, modrm, sib, 0x10, 0x00, 0x00, 0x00}));
                        want = 0x10;
                    } else if (mod == 0) {
                        ASSERT_TRUE(run({0x66, 0x67, 0x8D, modrm, sib}));
                        want = base_value << scale;
                    } else if (mod == 1) {
                        ASSERT_TRUE(run({0x66, 0x67, 0x8D, modrm, sib, 0x08}));
                        want = (base_value << scale) + 8;
                    } else {
                        ASSERT_TRUE(run({0x66, 0x67, 0x8D, modrm, sib, 0x08, 0x00, 0x00, 0x00}));
                        want = (base_value << scale) + 8;
                    }
                    EXPECT_EQ(s.regs[reg], want) << "modrm " << unsigned{modrm} << " sib " << unsigned{sib};
                    if (!(mod == 0 && base == 5)) ++differ;
                }
    EXPECT_EQ(differ, 552u);
}

}  // namespace
}  // namespace pc386
