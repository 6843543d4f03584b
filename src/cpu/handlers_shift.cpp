// Shifts and rotates (group 2: C0 C1 D0-D3) and the double shifts SHLD/SHRD. Counts are masked to
// 5 bits as on the 386; a zero count changes nothing, flags included. For counts other than 1 the
// 386 leaves OF undefined; we compute it with the count-1 formula, as the chip does.
//
// SHL/SHR/SAR's undefined flags as a 386 leaves them (test386.asm's cases, verified on a 386SX):
// AF is always 1; a byte or word shift by its size or more takes CF from the operand as if it were
// repeated to fill 32 bits (SHR by 8, 16, 24: the MSB; SHL: the LSB), with OF following CF as for
// shorter counts. The 286 data agrees on AF=1 for SHR and SAR (not SHL) and on OF for counts below
// the operand size; for larger counts the 286 shifts zeros out (CF=0) where the 386 does not.
#include "cpu/alu.h"
#include "cpu/handler_registry.h"

namespace pc386 {
namespace {

// One operation of group 2 (Op = ModRM.reg: ROL ROR RCL RCR SHL SHR SAL SAR), a template so that the
// record forms (shift32_form) run only their own; the table's group2 picks one through kShiftRotate.
// Rotates set CF and OF only (ZF, SF, PF stay lazy); shifts set CF, OF and AF with ZF, SF and PF
// lazy from the result.
template <unsigned Op>
uint32_t shift_rotate(ExecutionContext& c, unsigned size, uint32_t v, unsigned count) {
    count &= 0x1F;
    if (count == 0) return v;
    const uint32_t m = size_mask(size), sb = sign_bit(size);
    v &= m;
    uint32_t r = 0;
    bool cf = false, of = false;
    if constexpr (Op == 0) {  // ROL
        const unsigned n = count % size;
        r = n ? ((v << n) | (v >> (size - n))) & m : v;
        cf = r & 1;
        of = ((r & sb) != 0) != cf;
    } else if constexpr (Op == 1) {  // ROR
        const unsigned n = count % size;
        r = n ? ((v >> n) | (v << (size - n))) & m : v;
        cf = r & sb;
        of = ((r ^ (r << 1)) & sb) != 0;
    } else if constexpr (Op == 2) {  // RCL: a (size+1)-bit rotation through CF
        const unsigned n = count % (size + 1);
        uint64_t wide = (uint64_t{c.cf()} << size) | v;
        for (unsigned i = 0; i < n; ++i)
            wide = ((wide << 1) | (wide >> size)) & ((uint64_t{1} << (size + 1)) - 1);
        r = static_cast<uint32_t>(wide) & m;
        cf = (wide >> size) & 1;
        of = ((r & sb) != 0) != cf;
    } else if constexpr (Op == 3) {  // RCR
        const unsigned n = count % (size + 1);
        uint64_t wide = (uint64_t{c.cf()} << size) | v;
        for (unsigned i = 0; i < n; ++i) wide = ((wide >> 1) | ((wide & 1) << size));
        r = static_cast<uint32_t>(wide) & m;
        cf = (wide >> size) & 1;
        of = ((r ^ (r << 1)) & sb) != 0;
    }
    if constexpr (Op <= 3) {
        c.set_arith_flags(flag::CF | flag::OF, (cf ? flag::CF : 0) | (of ? flag::OF : 0));
        return r;
    }
    if constexpr (Op == 4 || Op == 6) {  // SHL/SAL: CF is bit (size - count) mod size
        r = static_cast<uint32_t>((uint64_t{v} << count)) & m;
        cf = (v >> ((size - count % size) % size)) & 1;
        of = ((r & sb) != 0) != cf;
    } else if constexpr (Op ==
                         5) {  // SHR: CF is bit (count - 1) mod size; OF the top bit before the last step
        r = static_cast<uint32_t>(uint64_t{v} >> count);
        cf = (v >> ((count - 1) % size)) & 1;
        of = (r >> (size - 2)) & 1;
    } else {  // SAR
        const int64_t sv = static_cast<int32_t>(sign_extend(v, size));
        r = static_cast<uint32_t>(sv >> count) & m;
        cf = (sv >> (count - 1)) & 1;
        of = false;
    }
    c.set_result_flags(size, r, (cf ? flag::CF : 0) | (of ? flag::OF : 0) | flag::AF);
    return r;
}

using ShiftRotate = uint32_t (*)(ExecutionContext&, unsigned, uint32_t, unsigned);
constexpr ShiftRotate kShiftRotate[8] = {shift_rotate<0>, shift_rotate<1>, shift_rotate<2>, shift_rotate<3>,
                                         shift_rotate<4>, shift_rotate<5>, shift_rotate<6>, shift_rotate<7>};

void group2(ExecutionContext& c, const DecodedInsn&) {
    const unsigned size = (c.insn.opcode & 1) ? c.opsize() : 8;
    c.decode_modrm();
    unsigned count;
    if (c.insn.opcode <= 0xC1)
        count = c.fetch8();
    else if (c.insn.opcode <= 0xD1)
        count = 1;
    else
        count = c.reg(8, ECX);
    c.write_rm(size, kShiftRotate[c.operand.reg](c, size, c.read_rm(size), count));
}

// The form a record of C1 /Op ib or D1 /Op gets with a 32-bit register operand (shift_form_handler):
// the count and the register read from the record. Leaves what group2 leaves.
template <unsigned Op, bool ByOne>
void shift32_form(ExecutionContext& c, const DecodedInsn& d) {
    uint32_t& reg = c.state.regs[d.rm];
    reg = shift_rotate<Op>(c, 32, reg, ByOne ? 1 : d.imm[0]);
}

template <bool ByOne>
constexpr Handler kShift32Forms[8] = {shift32_form<0, ByOne>, shift32_form<1, ByOne>, shift32_form<2, ByOne>,
                                      shift32_form<3, ByOne>, shift32_form<4, ByOne>, shift32_form<5, ByOne>,
                                      shift32_form<6, ByOne>, shift32_form<7, ByOne>};

// SHLD/SHRD: shift the destination, filling from the source register.
void double_shift(ExecutionContext& c, const DecodedInsn&) {
    const unsigned size = c.opsize();
    const bool left = c.insn.opcode < 0x1A8;
    c.decode_modrm();
    const unsigned count = ((c.insn.opcode & 1) ? c.reg(8, ECX) : c.fetch8()) & 0x1F;
    const uint32_t dst = c.read_rm(size);
    if (count == 0) return;
    const uint32_t src = c.read_reg_field(size);
    const uint32_t m = size_mask(size), sb = sign_bit(size);
    uint32_t r;
    bool cf;
    if (left) {
        // (dst:src) shifted left; for 16-bit counts above 16 the 386 shifts in the destination again.
        const uint64_t wide = size == 32
                                  ? (uint64_t{dst} << 32) | src
                                  : (uint64_t{dst} << 48) | (uint64_t{src} << 32) | (uint64_t{dst} << 16);
        r = static_cast<uint32_t>((wide << count) >> (64 - size)) & m;
        cf = ((wide << (count - 1)) >> 63) & 1;
    } else {
        const uint64_t wide =
            size == 32 ? (uint64_t{src} << 32) | dst : (uint64_t{dst} << 32) | (uint64_t{src} << 16) | dst;
        r = static_cast<uint32_t>(wide >> count) & m;
        cf = (wide >> (count - 1)) & 1;
    }
    const bool of = ((r ^ dst) & sb) != 0;
    c.write_rm(size, r);
    c.set_result_flags(size, r, (cf ? flag::CF : 0) | (of ? flag::OF : 0));
}

}  // namespace

Handler shift_form_handler(const DecodedInsn& d) {
    if (!d.fields.opsize32 || !d.is_reg) return nullptr;
    if (d.fields.opcode == 0xC1) return kShift32Forms<false>[d.reg];
    if (d.fields.opcode == 0xD1) return kShift32Forms<true>[d.reg];
    return nullptr;
}

void register_shift_handlers(Handler* t) {
    t[0xC0] = t[0xC1] = t[0xD0] = t[0xD1] = t[0xD2] = t[0xD3] = group2;
    t[0x1A4] = t[0x1A5] = t[0x1AC] = t[0x1AD] = double_shift;
}

}  // namespace pc386
