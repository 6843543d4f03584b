// Decimal adjust (DAA DAS AAA AAS AAM AAD), bit tests and scans (BT BTS BTR BTC BSF BSR), SETcc.
#include "cpu/alu.h"
#include "cpu/handler_registry.h"

namespace pc386 {
namespace {

// The undefined flags of the BCD adjusts, as a 386 leaves them: those of the 8-bit addition or
// subtraction of the adjustment to AL. From test386.asm's 386SX-verified cases (AAA AAS AAD DAA
// DAS); the hardware-captured 286 data agrees for AAA AAS DAA DAS (all 1,000 tests each).
uint32_t add8_flags(uint8_t a, uint8_t b) {
    const uint8_t r = static_cast<uint8_t>(a + b);
    return szp_flags(r, 8) | (a + b > 0xFF ? flag::CF : 0) | ((a ^ b ^ r) & 0x10 ? flag::AF : 0) |
           ((a ^ r) & (b ^ r) & 0x80 ? flag::OF : 0);
}
uint32_t sub8_flags(uint8_t a, uint8_t b) {
    const uint8_t r = static_cast<uint8_t>(a - b);
    return szp_flags(r, 8) | (a < b ? flag::CF : 0) | ((a ^ b ^ r) & 0x10 ? flag::AF : 0) |
           ((a ^ b) & (a ^ r) & 0x80 ? flag::OF : 0);
}

void daa(ExecutionContext& c, const DecodedInsn&) {
    const uint8_t old_al = static_cast<uint8_t>(c.reg(8, EAX));
    const bool old_cf = c.cf();
    uint8_t al = old_al;
    uint32_t f = 0;
    if ((al & 0x0F) > 9 || c.af()) {
        al = static_cast<uint8_t>(al + 6);
        f |= flag::AF;
    }
    if (old_al > 0x99 || old_cf) {
        al = static_cast<uint8_t>(al + 0x60);
        f |= flag::CF;
    }
    c.set_reg(8, EAX, al);
    const uint32_t of = add8_flags(old_al, static_cast<uint8_t>(al - old_al)) & flag::OF;
    c.set_arith_flags(flag::kArith, f | szp_flags(al, 8) | of);
}

// DAS: the first step's borrow also sets CF (as the chip does; the 386 manual's pseudo-code omits it).
void das(ExecutionContext& c, const DecodedInsn&) {
    const uint8_t old_al = static_cast<uint8_t>(c.reg(8, EAX));
    const bool old_cf = c.cf();
    uint8_t al = old_al;
    uint32_t f = 0;
    if ((al & 0x0F) > 9 || c.af()) {
        if (al < 6) f |= flag::CF;
        al = static_cast<uint8_t>(al - 6);
        f |= flag::AF;
    }
    if (old_al > 0x99 || old_cf) {
        al = static_cast<uint8_t>(al - 0x60);
        f |= flag::CF;
    }
    c.set_reg(8, EAX, al);
    const uint32_t of = sub8_flags(old_al, static_cast<uint8_t>(old_al - al)) & flag::OF;
    c.set_arith_flags(flag::kArith, f | szp_flags(al, 8) | of);
}

// SF ZF PF OF (undefined) are those of AL +/- 6 (or 0), before the high nibble is cleared.
void aaa_aas(ExecutionContext& c, const DecodedInsn&) {  // 37 AAA, 3F AAS
    const bool sub = c.insn.opcode == 0x3F;
    uint16_t ax = static_cast<uint16_t>(c.reg(16, EAX));
    const uint8_t al = static_cast<uint8_t>(ax);
    const bool adjust = (ax & 0x0F) > 9 || c.af();
    const uint8_t step = adjust ? 6 : 0;
    constexpr uint32_t kUndefined = flag::SF | flag::ZF | flag::PF | flag::OF;
    const uint32_t f = (adjust ? flag::AF | flag::CF : 0) |
                       ((sub ? sub8_flags(al, step) : add8_flags(al, step)) & kUndefined);
    if (adjust) ax = sub ? static_cast<uint16_t>(ax - 0x106) : static_cast<uint16_t>(ax + 0x106);
    ax &= 0xFF0F;
    c.set_reg(16, EAX, ax);
    c.set_arith_flags(flag::kArith, f);
}

void aam(ExecutionContext& c, const DecodedInsn&) {  // D4 ib
    const uint8_t base = c.fetch8();
    if (base == 0) c.fault(vec::DE);
    const uint8_t al = static_cast<uint8_t>(c.reg(8, EAX));
    const uint8_t q = al / base, r = al % base;
    c.set_reg(16, EAX, (q << 8) | r);
    c.set_arith_flags(flag::kArith, szp_flags(r, 8));
}

void aad(ExecutionContext& c, const DecodedInsn&) {  // D5 ib
    const uint8_t base = c.fetch8();
    const uint32_t ax = c.reg(16, EAX);
    const uint8_t al = static_cast<uint8_t>((ax & 0xFF) + ((ax >> 8) & 0xFF) * base);
    c.set_reg(16, EAX, al);
    // CF AF OF (undefined): those of the 8-bit ADD AL, AH*base (test386.asm, 386SX). The 286
    // differs here, for OF mostly.
    c.set_arith_flags(flag::kArith,
                      add8_flags(static_cast<uint8_t>(ax), static_cast<uint8_t>((ax >> 8) * base)));
}

// BT family. With a register bit offset and a memory operand, the offset reaches outside the
// addressed word/dword (signed, in units of the operand size); with an immediate it is masked.
void bit_op(ExecutionContext& c, unsigned which, bool immediate) {
    const unsigned size = c.opsize();
    uint32_t bit = immediate ? c.fetch8() : c.read_reg_field(size);
    uint32_t value;
    if (c.operand.is_reg || immediate) {
        bit &= size - 1;
        value = c.read_rm(size);
    } else {
        const int32_t sbit = static_cast<int32_t>(sign_extend(bit, size));
        const int32_t displacement = (sbit >> (size == 32 ? 5 : 4)) * static_cast<int32_t>(size / 8);
        c.operand.offset = (c.operand.offset + static_cast<uint32_t>(displacement)) & c.addr_mask();
        bit &= size - 1;
        value = c.read_rm(size);
    }
    const bool old = (value >> bit) & 1;
    // OF (undefined) as a 386 leaves it: that of RCR value, bit+1 with CF=0, i.e. the XOR of the
    // top two bits of that rotation (test386.asm, verified on a 386SX); the other flags stay.
    const unsigned k = bit + 1, wide_bits = size + 1;
    const uint64_t wide = value & size_mask(size);  // CF (bit `size`) = 0
    const uint64_t rot = ((wide >> k) | (wide << (wide_bits - k))) & ((uint64_t{1} << wide_bits) - 1);
    const bool of = ((rot >> (size - 1)) ^ (rot >> (size - 2))) & 1;
    c.set_arith_flags(flag::CF | flag::OF, (old ? flag::CF : 0) | (of ? flag::OF : 0));
    switch (which) {
        case 0: return;  // BT
        case 1: value |= 1u << bit; break;
        case 2: value &= ~(1u << bit); break;
        case 3: value ^= 1u << bit; break;
    }
    c.write_rm(size, value);
}

void bt_reg(ExecutionContext& c, const DecodedInsn&) {  // 0FA3 BT, 0FAB BTS, 0FB3 BTR, 0FBB BTC
    c.decode_modrm();
    const unsigned which = c.insn.opcode == 0x1A3   ? 0
                           : c.insn.opcode == 0x1AB ? 1
                           : c.insn.opcode == 0x1B3 ? 2
                                                    : 3;
    bit_op(c, which, false);
}

void group8(ExecutionContext& c, const DecodedInsn&) {  // 0FBA /4-7 ib
    c.decode_modrm();
    if (c.operand.reg < 4) c.undefined();
    bit_op(c, c.operand.reg - 4, true);
}

// BSF/BSR: ZF=1 and the destination unchanged when the source is 0.
void bit_scan(ExecutionContext& c, const DecodedInsn&) {
    const unsigned size = c.opsize();
    c.decode_modrm();
    const uint32_t v = c.read_rm(size);
    if (v == 0) {
        c.set_arith_flags(flag::ZF, flag::ZF);
        return;
    }
    const unsigned index = c.insn.opcode == 0x1BC ? static_cast<unsigned>(__builtin_ctz(v))
                                                  : 31u - static_cast<unsigned>(__builtin_clz(v));
    c.write_reg_field(size, index);
    c.set_arith_flags(flag::ZF, 0);
}

// D6 SALC (undocumented, present on every Intel chip since the 8086): AL = CF ? FF : 00, flags kept.
void salc(ExecutionContext& c, const DecodedInsn&) {
    c.set_reg(8, EAX, c.cf() ? 0xFF : 0x00);
}

void setcc(ExecutionContext& c, const DecodedInsn&) {
    c.decode_modrm();
    c.write_rm(8, c.condition(c.insn.opcode & 0xF) ? 1 : 0);
}

}  // namespace

void register_bcd_bit_handlers(Handler* t) {
    t[0x27] = daa;
    t[0x2F] = das;
    t[0x37] = t[0x3F] = aaa_aas;
    t[0xD4] = aam;
    t[0xD5] = aad;
    t[0xD6] = salc;
    t[0x1A3] = t[0x1AB] = t[0x1B3] = t[0x1BB] = bt_reg;
    t[0x1BA] = group8;
    t[0x1BC] = t[0x1BD] = bit_scan;
    for (unsigned cc = 0; cc < 16; ++cc) t[0x190 + cc] = setcc;
}

}  // namespace pc386
