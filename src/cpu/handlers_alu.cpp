// Integer arithmetic: the ALU block (00-3F), group 1 (80-83), TEST, INC/DEC, group 3 (NOT NEG MUL
// IMUL DIV IDIV), IMUL with immediates, CBW/CWD and friends.
#include <array>

#include "cpu/alu.h"
#include "cpu/handler_registry.h"

namespace pc386 {
namespace {

// 00-05, 08-0D, ... 38-3D: op Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev / AL,Ib / eAX,Iv.
void alu_block(ExecutionContext& c, const DecodedInsn&) {
    const unsigned op = (c.insn.opcode >> 3) & 7;
    const unsigned form = c.insn.opcode & 7;
    const unsigned size = (form & 1) ? c.opsize() : 8;
    if (form < 4) {
        c.decode_modrm();
        if (form < 2) {  // r/m is the destination
            const uint32_t r = alu(c, op, size, c.read_rm(size), c.read_reg_field(size));
            if (op != 7) c.write_rm(size, r);
        } else {
            const uint32_t r = alu(c, op, size, c.read_reg_field(size), c.read_rm(size));
            if (op != 7) c.write_reg_field(size, r);
        }
    } else {
        const uint32_t imm = c.fetch_imm(size);
        const uint32_t r = alu(c, op, size, c.reg(size, EAX), imm);
        if (op != 7) c.set_reg(size, EAX, r);
    }
}

// 80, 81, 82 (= 80), 83 (sign-extended byte): op Eb/Ev, imm.
void group1(ExecutionContext& c, const DecodedInsn&) {
    const unsigned size = (c.insn.opcode & 1) ? c.opsize() : 8;
    c.decode_modrm();
    const uint32_t imm = c.insn.opcode == 0x83 ? sign_extend(c.fetch8(), 8) : c.fetch_imm(size);
    const uint32_t r = alu(c, c.operand.reg, size, c.read_rm(size), imm);
    if (c.operand.reg != 7) c.write_rm(size, r);
}

void test_rm(ExecutionContext& c, const DecodedInsn&) {  // 84, 85
    const unsigned size = (c.insn.opcode & 1) ? c.opsize() : 8;
    c.decode_modrm();
    alu(c, 4, size, c.read_rm(size), c.read_reg_field(size));
}

void test_acc(ExecutionContext& c, const DecodedInsn&) {  // A8, A9
    const unsigned size = (c.insn.opcode & 1) ? c.opsize() : 8;
    alu(c, 4, size, c.reg(size, EAX), c.fetch_imm(size));
}

uint32_t inc_dec(ExecutionContext& c, unsigned size, uint32_t v, bool dec) {
    const uint32_t m = size_mask(size);
    const bool old_cf = c.cf();
    const uint32_t r = (dec ? v - 1 : v + 1) & m;
    c.set_lazy(dec ? ExecutionContext::FlagOp::Dec : ExecutionContext::FlagOp::Inc, size, v & m, 1, r,
               old_cf);
    return r;
}

void inc_dec_reg(ExecutionContext& c, const DecodedInsn&) {  // 40-4F
    const unsigned r = c.insn.opcode & 7;
    const unsigned size = c.opsize();
    c.set_reg(size, r, inc_dec(c, size, c.reg(size, r), c.insn.opcode >= 0x48));
}

// MUL/IMUL/DIV/IDIV. The 386 leaves SF ZF AF PF undefined after multiply; we compute them from the
// low half of the result (what the 386 does for SF/ZF/PF in practice) and clear AF.
void multiply(ExecutionContext& c, unsigned size, uint32_t src, bool is_signed) {
    const uint32_t m = size_mask(size);
    const uint32_t a = c.reg(size, EAX);
    uint64_t product;
    bool overflow;
    if (is_signed) {
        const int64_t p = int64_t{static_cast<int32_t>(sign_extend(a, size))} *
                          static_cast<int32_t>(sign_extend(src, size));
        product = static_cast<uint64_t>(p);
        overflow = p != static_cast<int32_t>(sign_extend(static_cast<uint32_t>(p) & m, size));
    } else {
        product = uint64_t{a} * src;
        overflow = (product >> size) != 0;
    }
    const uint32_t lo = static_cast<uint32_t>(product) & m;
    const uint32_t hi = static_cast<uint32_t>(product >> size) & m;
    if (size == 8) {
        c.set_reg(16, EAX, (hi << 8) | lo);
    } else {
        c.set_reg(size, EAX, lo);
        c.set_reg(size, EDX, hi);
    }
    c.set_result_flags(size, lo, overflow ? flag::CF | flag::OF : 0);
}

void divide(ExecutionContext& c, unsigned size, uint32_t divisor, bool is_signed) {
    const uint32_t m = size_mask(size);
    if ((divisor & m) == 0) c.fault(vec::DE);
    const uint64_t dividend =
        size == 8 ? c.reg(16, EAX) : (uint64_t{c.reg(size, EDX)} << size) | c.reg(size, EAX);
    uint32_t q, r;
    if (!is_signed) {
        const uint64_t quotient = dividend / divisor;
        if (quotient > m) c.fault(vec::DE);
        q = static_cast<uint32_t>(quotient);
        r = static_cast<uint32_t>(dividend % divisor);
    } else {
        const int64_t sd = size == 32   ? static_cast<int64_t>(dividend)
                           : size == 16 ? int64_t{static_cast<int32_t>(static_cast<uint32_t>(dividend))}
                                        : int64_t{static_cast<int16_t>(static_cast<uint16_t>(dividend))};
        const int64_t sv = static_cast<int32_t>(sign_extend(divisor, size));
        if (sd == INT64_MIN && sv == -1) c.fault(vec::DE);
        const int64_t quotient = sd / sv;
        const int64_t limit = int64_t{1} << (size - 1);
        if (quotient >= limit || quotient < -limit) c.fault(vec::DE);
        q = static_cast<uint32_t>(quotient) & m;
        r = static_cast<uint32_t>(sd % sv) & m;
    }
    if (size == 8) {
        c.set_reg(16, EAX, (r << 8) | q);
    } else {
        c.set_reg(size, EAX, q);
        c.set_reg(size, EDX, r);
    }
}

void group3(ExecutionContext& c, const DecodedInsn&) {  // F6, F7
    const unsigned size = (c.insn.opcode & 1) ? c.opsize() : 8;
    c.decode_modrm();
    switch (c.operand.reg) {
        case 0:
        case 1: alu(c, 4, size, c.read_rm(size), c.fetch_imm(size)); break;
        case 2: c.write_rm(size, ~c.read_rm(size) & size_mask(size)); break;
        case 3: c.write_rm(size, alu(c, 5, size, 0, c.read_rm(size))); break;
        case 4: multiply(c, size, c.read_rm(size), false); break;
        case 5: multiply(c, size, c.read_rm(size), true); break;
        case 6: divide(c, size, c.read_rm(size), false); break;
        case 7: divide(c, size, c.read_rm(size), true); break;
    }
}

void group4(ExecutionContext& c, const DecodedInsn&) {  // FE: INC/DEC Eb
    c.decode_modrm();
    if (c.operand.reg > 1) c.undefined();
    c.write_rm(8, inc_dec(c, 8, c.read_rm(8), c.operand.reg == 1));
}

// IMUL r, r/m (0FAF) and IMUL r, r/m, imm (69, 6B): truncated signed product; CF=OF=overflow.
void imul_into(ExecutionContext& c, uint32_t a, uint32_t b) {
    const unsigned size = c.opsize();
    const int64_t p =
        int64_t{static_cast<int32_t>(sign_extend(a, size))} * static_cast<int32_t>(sign_extend(b, size));
    const uint32_t r = static_cast<uint32_t>(p) & size_mask(size);
    const bool overflow = p != static_cast<int32_t>(sign_extend(r, size));
    c.write_reg_field(size, r);
    c.set_result_flags(size, r, overflow ? flag::CF | flag::OF : 0);
}

void imul_rm(ExecutionContext& c, const DecodedInsn&) {  // 0FAF
    c.decode_modrm();
    imul_into(c, c.read_reg_field(c.opsize()), c.read_rm(c.opsize()));
}

void imul_imm(ExecutionContext& c, const DecodedInsn&) {  // 69, 6B
    c.decode_modrm();
    const uint32_t src = c.read_rm(c.opsize());
    const uint32_t imm = c.insn.opcode == 0x6B ? sign_extend(c.fetch8(), 8) : c.fetch_imm(c.opsize());
    imul_into(c, src, imm);
}

void cbw(ExecutionContext& c, const DecodedInsn&) {  // 98: CBW / CWDE
    if (c.insn.opsize32)
        c.state.regs[EAX] = sign_extend(c.reg(16, EAX), 16);
    else
        c.set_reg(16, EAX, sign_extend(c.reg(8, EAX), 8));
}

void cwd(ExecutionContext& c, const DecodedInsn&) {  // 99: CWD / CDQ
    const unsigned size = c.opsize();
    c.set_reg(size, EDX, (c.reg(size, EAX) & sign_bit(size)) ? 0xFFFFFFFFu : 0);
}

// Forms a record gets instead (alu_form_handler): 32-bit operands with the operation, the
// direction and the register-or-memory form fixed at compile time, so that a replay runs no switch
// on them. They run only from a record, read the record they are given and leave the same
// state as the table's handlers (alu_block, group1, test_rm, test_acc, inc_dec_reg, imul_imm).
// A register form leaves `operand` alone: it is the instruction's decode scratch, which nothing
// after these instructions reads.

// 01 09 .. 39 (Ev,Gv: RmIsDest) and 03 0B .. 3B (Gv,Ev); Op 8 is TEST (85 Ev,Gv).
template <unsigned Op, bool RmIsDest, bool IsReg>
void alu32_form(ExecutionContext& c, const DecodedInsn& d) {
    constexpr unsigned kAluOp = Op == 8 ? 4 : Op;
    constexpr bool kStores = Op != 7 && Op != 8;
    uint32_t& reg = c.state.regs[d.reg];
    if constexpr (IsReg) {
        uint32_t& rm = c.state.regs[d.rm];
        const uint32_t r = RmIsDest ? alu(c, kAluOp, 32, rm, reg) : alu(c, kAluOp, 32, reg, rm);
        if constexpr (kStores) (RmIsDest ? rm : reg) = r;
    } else if constexpr (RmIsDest) {
        c.replay_modrm();
        const uint32_t r = alu(c, kAluOp, 32, c.read32(c.operand.seg, c.operand.offset), reg);
        if constexpr (kStores) c.write(c.operand.seg, c.operand.offset, 32, r);
    } else {
        c.replay_modrm();
        const uint32_t r = alu(c, kAluOp, 32, reg, c.read32(c.operand.seg, c.operand.offset));
        if constexpr (kStores) reg = r;
    }
}

// 81 /Op (imm32) and 83 /Op (imm8 sign-extended).
template <unsigned Op, bool ByteImm, bool IsReg>
void group1_32_form(ExecutionContext& c, const DecodedInsn& d) {
    const uint32_t imm = ByteImm ? sign_extend(d.imm[0], 8) : d.imm[0];
    if constexpr (IsReg) {
        uint32_t& rm = c.state.regs[d.rm];
        const uint32_t r = alu(c, Op, 32, rm, imm);
        if constexpr (Op != 7) rm = r;
    } else {
        c.replay_modrm();
        const uint32_t r = alu(c, Op, 32, c.read32(c.operand.seg, c.operand.offset), imm);
        if constexpr (Op != 7) c.write(c.operand.seg, c.operand.offset, 32, r);
    }
}

// 05 0D .. 3D: op EAX, imm32; Op 8 is TEST (A9).
template <unsigned Op>
void alu32_eax_form(ExecutionContext& c, const DecodedInsn& d) {
    constexpr unsigned kAluOp = Op == 8 ? 4 : Op;
    uint32_t& eax = c.state.regs[EAX];
    const uint32_t r = alu(c, kAluOp, 32, eax, d.imm[0]);
    if constexpr (Op != 7 && Op != 8) eax = r;
}

// 40-47 INC r32, 48-4F DEC r32.
template <bool Dec>
void inc_dec32_form(ExecutionContext& c, const DecodedInsn&) {
    uint32_t& reg = c.state.regs[c.insn.opcode & 7];
    reg = inc_dec(c, 32, reg, Dec);
}

// FF /0 INC r/m32 and FF /1 DEC r/m32 (the rest of FF is group 5's, handlers_control.cpp).
template <bool Dec, bool IsReg>
void inc_dec32_rm_form(ExecutionContext& c, const DecodedInsn& d) {
    if constexpr (IsReg) {
        uint32_t& rm = c.state.regs[d.rm];
        rm = inc_dec(c, 32, rm, Dec);
    } else {
        c.replay_modrm();
        const uint32_t r = inc_dec(c, 32, c.read32(c.operand.seg, c.operand.offset), Dec);
        c.write(c.operand.seg, c.operand.offset, 32, r);
    }
}

// 69 (imm32) and 6B (imm8 sign-extended): IMUL r32, r/m32, imm.
template <bool ByteImm, bool IsReg>
void imul32_imm_form(ExecutionContext& c, const DecodedInsn& d) {
    const uint32_t imm = ByteImm ? sign_extend(d.imm[0], 8) : d.imm[0];
    uint32_t src;
    if constexpr (IsReg) {
        src = c.state.regs[d.rm];
    } else {
        c.replay_modrm();
        src = c.read32(c.operand.seg, c.operand.offset);
    }
    const int64_t p = int64_t{static_cast<int32_t>(src)} * static_cast<int32_t>(imm);
    const uint32_t r = static_cast<uint32_t>(p);
    c.state.regs[d.reg] = r;
    c.set_result_flags(32, r, p != static_cast<int32_t>(r) ? flag::CF | flag::OF : 0);
}

// [operation][direction or immediate size][register form]
template <unsigned Op>
constexpr std::array<std::array<Handler, 2>, 2> alu32_forms = {
    {{alu32_form<Op, false, false>, alu32_form<Op, false, true>},
     {alu32_form<Op, true, false>, alu32_form<Op, true, true>}}};
template <unsigned Op>
constexpr std::array<std::array<Handler, 2>, 2> group1_32_forms = {
    {{group1_32_form<Op, false, false>, group1_32_form<Op, false, true>},
     {group1_32_form<Op, true, false>, group1_32_form<Op, true, true>}}};
constexpr std::array<std::array<std::array<Handler, 2>, 2>, 9> kAlu32Forms = {
    alu32_forms<0>, alu32_forms<1>, alu32_forms<2>, alu32_forms<3>, alu32_forms<4>,
    alu32_forms<5>, alu32_forms<6>, alu32_forms<7>, alu32_forms<8>};
constexpr std::array<std::array<std::array<Handler, 2>, 2>, 8> kGroup1_32Forms = {
    group1_32_forms<0>, group1_32_forms<1>, group1_32_forms<2>, group1_32_forms<3>,
    group1_32_forms<4>, group1_32_forms<5>, group1_32_forms<6>, group1_32_forms<7>};
constexpr std::array<Handler, 9> kAlu32EaxForms = {alu32_eax_form<0>, alu32_eax_form<1>, alu32_eax_form<2>,
                                                   alu32_eax_form<3>, alu32_eax_form<4>, alu32_eax_form<5>,
                                                   alu32_eax_form<6>, alu32_eax_form<7>, alu32_eax_form<8>};
constexpr std::array<std::array<Handler, 2>, 2> kIncDec32RmForms = {
    {{inc_dec32_rm_form<false, false>, inc_dec32_rm_form<false, true>},
     {inc_dec32_rm_form<true, false>, inc_dec32_rm_form<true, true>}}};
constexpr std::array<std::array<Handler, 2>, 2> kImul32ImmForms = {
    {{imul32_imm_form<false, false>, imul32_imm_form<false, true>},
     {imul32_imm_form<true, false>, imul32_imm_form<true, true>}}};

}  // namespace

Handler alu_form_handler(const DecodedInsn& d) {
    const unsigned opcode = d.fields.opcode;
    if (!d.fields.opsize32) return nullptr;
    if (opcode < 0x40 && ((opcode & 7) == 1 || (opcode & 7) == 3))
        return kAlu32Forms[opcode >> 3][(opcode & 7) == 1][d.is_reg];
    if (opcode < 0x40 && (opcode & 7) == 5) return kAlu32EaxForms[opcode >> 3];
    if (opcode == 0x81 || opcode == 0x83) return kGroup1_32Forms[d.reg][opcode == 0x83][d.is_reg];
    if (opcode == 0x85) return kAlu32Forms[8][true][d.is_reg];
    if (opcode == 0xA9) return kAlu32EaxForms[8];
    if (opcode >= 0x40 && opcode <= 0x4F)
        return opcode >= 0x48 ? inc_dec32_form<true> : inc_dec32_form<false>;
    if (opcode == 0x69 || opcode == 0x6B) return kImul32ImmForms[opcode == 0x6B][d.is_reg];
    if (opcode == 0xFF && d.reg <= 1) return kIncDec32RmForms[d.reg][d.is_reg];
    return nullptr;
}

void register_alu_handlers(Handler* t) {
    for (unsigned base = 0; base < 0x40; base += 8)
        for (unsigned form = 0; form < 6; ++form) t[base + form] = alu_block;
    for (unsigned op = 0x80; op <= 0x83; ++op) t[op] = group1;
    t[0x84] = t[0x85] = test_rm;
    t[0xA8] = t[0xA9] = test_acc;
    for (unsigned op = 0x40; op <= 0x4F; ++op) t[op] = inc_dec_reg;
    t[0xF6] = t[0xF7] = group3;
    t[0xFE] = group4;
    t[0x1AF] = imul_rm;
    t[0x69] = t[0x6B] = imul_imm;
    t[0x98] = cbw;
    t[0x99] = cwd;
}

// Used by group 5 (FF) in handlers_control.cpp.
uint32_t inc_dec_value(ExecutionContext& c, unsigned size, uint32_t v, bool dec) {
    return inc_dec(c, size, v, dec);
}

}  // namespace pc386
