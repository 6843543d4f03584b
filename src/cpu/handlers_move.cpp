// Data movement: MOV in all forms, XCHG, LEA, MOVZX/MOVSX, the stack (PUSH POP PUSHA POPA PUSHF
// POPF ENTER LEAVE), segment register loads and far pointers, XLAT, LAHF/SAHF, flag-bit
// instructions (CLC STC CMC CLD STD CLI STI), BOUND, ARPL.
#include "cpu/alu.h"
#include "cpu/flat_stack.h"
#include "cpu/handler_registry.h"

namespace pc386 {
namespace {

void mov_rm_reg(ExecutionContext& c, const DecodedInsn&) {  // 88, 89: MOV Eb/Ev, Gb/Gv
    const unsigned size = (c.insn.opcode & 1) ? c.opsize() : 8;
    c.decode_modrm();
    c.write_rm(size, c.read_reg_field(size));
}

void mov_reg_rm(ExecutionContext& c, const DecodedInsn&) {  // 8A, 8B
    const unsigned size = (c.insn.opcode & 1) ? c.opsize() : 8;
    c.decode_modrm();
    c.write_reg_field(size, c.read_rm(size));
}

void mov_rm_sreg(ExecutionContext& c, const DecodedInsn&) {  // 8C
    c.decode_modrm();
    if (c.operand.reg > 5) c.undefined();
    const uint16_t sel = c.state.seg[c.operand.reg].selector;
    if (c.operand.is_reg)
        c.set_reg(c.opsize(), c.operand.rm, sel);  // zero-extended into a 32-bit register
    else
        c.write_rm(16, sel);
}

void mov_sreg_rm(ExecutionContext& c, const DecodedInsn&) {  // 8E
    c.decode_modrm();
    if (c.operand.reg > 5 || c.operand.reg == CS) c.undefined();
    c.load_segment(static_cast<SegReg>(c.operand.reg), static_cast<uint16_t>(c.read_rm(16)));
    if (c.operand.reg == SS) c.inhibit_interrupts_once();
}

void lea(ExecutionContext& c, const DecodedInsn&) {  // 8D
    c.decode_modrm();
    if (c.operand.is_reg) c.undefined();
    c.write_reg_field(c.opsize(), c.operand.offset);
}

void mov_moffs(ExecutionContext& c, const DecodedInsn&) {  // A0-A3
    const unsigned size = (c.insn.opcode & 1) ? c.opsize() : 8;
    const uint32_t off = c.insn.addrsize32 ? c.fetch32() : c.fetch16();
    const SegReg seg = c.data_seg(DS);
    if (c.insn.opcode < 0xA2)
        c.set_reg(size, EAX, c.read(seg, off, size));
    else
        c.write(seg, off, size, c.reg(size, EAX));
}

void mov_reg_imm(ExecutionContext& c, const DecodedInsn&) {  // B0-BF
    const unsigned size = c.insn.opcode < 0xB8 ? 8 : c.opsize();
    c.set_reg(size, c.insn.opcode & 7, c.fetch_imm(size));
}

void mov_rm_imm(ExecutionContext& c,
                const DecodedInsn&) {  // C6, C7 (/0 only; the other ModRM.reg values are #UD)
    const unsigned size = (c.insn.opcode & 1) ? c.opsize() : 8;
    c.decode_modrm();
    if (c.operand.reg != 0) c.undefined();
    c.write_rm(size, c.fetch_imm(size));
}

void xchg_rm(ExecutionContext& c, const DecodedInsn&) {  // 86, 87
    const unsigned size = (c.insn.opcode & 1) ? c.opsize() : 8;
    c.decode_modrm();
    const uint32_t a = c.read_rm(size), b = c.read_reg_field(size);
    c.write_rm(size, b);
    c.write_reg_field(size, a);
}

void xchg_acc(ExecutionContext& c, const DecodedInsn&) {  // 90-97 (90 = NOP)
    const unsigned size = c.opsize(), r = c.insn.opcode & 7;
    const uint32_t a = c.reg(size, EAX);
    c.set_reg(size, EAX, c.reg(size, r));
    c.set_reg(size, r, a);
}

void movx(ExecutionContext& c, const DecodedInsn&) {  // 0FB6 B7 MOVZX, 0FBE BF MOVSX
    const unsigned from = (c.insn.opcode & 1) ? 16 : 8;
    c.decode_modrm();
    uint32_t v = c.read_rm(from);
    if (c.insn.opcode >= 0x1BE) v = sign_extend(v, from);
    c.write_reg_field(c.opsize(), v);
}

void push_reg(ExecutionContext& c, const DecodedInsn&) {
    c.push(c.opsize(), c.reg(c.opsize(), c.insn.opcode & 7));
}  // 50-57 (PUSH ESP: old value)

void pop_reg(ExecutionContext& c, const DecodedInsn&) {  // 58-5F
    const unsigned size = c.opsize();
    const uint32_t v = c.pop(size);
    c.set_reg(size, c.insn.opcode & 7, v);
}

void push_imm(ExecutionContext& c, const DecodedInsn&) {  // 68, 6A
    const uint32_t v = c.insn.opcode == 0x6A ? sign_extend(c.fetch8(), 8) : c.fetch_imm(c.opsize());
    c.push(c.opsize(), v);
}

SegReg seg_of_push_pop(unsigned opcode) {
    switch (opcode) {
        case 0x06:
        case 0x07: return ES;
        case 0x0E: return CS;
        case 0x16:
        case 0x17: return SS;
        case 0x1E:
        case 0x1F: return DS;
        case 0x1A0:
        case 0x1A1: return FS;
        default: return GS;
    }
}

// With a 32-bit operand size the 386 (and the 486: undef386.asm's results for a 386SX and a 486DX)
// moves only the selector's 16 bits into the dword slot; its upper word keeps what was there.
void push_seg(ExecutionContext& c, const DecodedInsn&) {
    const uint16_t sel = c.state.seg[seg_of_push_pop(c.insn.opcode)].selector;
    if (!c.insn.opsize32) return c.push(16, sel);
    const uint32_t sp = (c.state.regs[ESP] - 4) & c.sp_mask();
    const uint32_t lin = c.linear(SS, sp, 4, true);
    c.mmu.write16(lin, sel, c.user());
    c.set_sp(sp);
}

// The read and the increment use the stack as it was: POP SS that changes SS.B steps SP (or
// ESP) by the old size, so a 16-bit SP wraps to 0 and the upper word of ESP stays.
void pop_seg(ExecutionContext& c, const DecodedInsn&) {
    const SegReg seg = seg_of_push_pop(c.insn.opcode);
    const uint16_t sel = static_cast<uint16_t>(c.peek_stack(c.opsize(), 0));
    const uint32_t mask = c.sp_mask(), esp = c.state.regs[ESP];
    const uint32_t next = (esp & ~mask) | ((esp + c.opsize() / 8) & mask);
    c.load_segment(seg, sel);
    c.state.regs[ESP] = next;
    if (seg == SS) c.inhibit_interrupts_once();
}

// POP r/m: with an ESP-based address, the 386 computes the address after incrementing ESP.
// ModRM.reg other than 0 is #UD (checked before the stack is read).
void pop_rm(ExecutionContext& c, const DecodedInsn&) {  // 8F /0
    const unsigned size = c.opsize();
    const uint32_t eip = c.state.eip;
    const unsigned len = c.insn.len;
    if ((c.fetch8() >> 3) & 7) c.undefined();
    c.state.eip = eip, c.insn.len = len;
    const uint32_t v = c.peek_stack(size, 0);
    c.set_sp(c.state.regs[ESP] + size / 8);
    c.decode_modrm();
    c.write_rm(size, v);
}

void pusha(ExecutionContext& c, const DecodedInsn&) {  // 60
    const unsigned size = c.opsize();
    const uint32_t sp = c.reg(size, ESP);
    for (unsigned r = EAX; r <= EDI; ++r) c.push(size, r == ESP ? sp : c.reg(size, r));
}

// 61: the saved ESP is skipped, except by the 386's POPAD on a 16-bit stack: it loads the saved
// ESP and then puts SP back into the low word, so the upper word comes from the stack image.
void popa(ExecutionContext& c, const DecodedInsn&) {
    const unsigned size = c.opsize();
    uint32_t saved_esp = 0;
    for (int r = EDI; r >= static_cast<int>(EAX); --r) {
        const uint32_t v = c.pop(size);
        if (r != ESP)
            c.set_reg(size, static_cast<unsigned>(r), v);
        else
            saved_esp = v;
    }
    if (size == 32 && !c.state.seg[SS].big && !c.is486())
        c.state.regs[ESP] = (saved_esp & 0xFFFF0000u) | (c.state.regs[ESP] & 0xFFFF);
}

void pushf(ExecutionContext& c, const DecodedInsn&) {  // 9C
    if (c.v86() && c.iopl() < 3) c.fault(vec::GP, 0);
    const uint32_t f = c.eflags() & ~(flag::VM | flag::RF);
    c.push(c.opsize(), f);
}

// POPF: IOPL changes only at CPL 0, IF only when CPL <= IOPL; VM and RF never change here; in V86
// mode it needs IOPL 3 (and then cannot change IOPL).
void popf(ExecutionContext& c, const DecodedInsn&) {  // 9D
    if (c.v86() && c.iopl() < 3) c.fault(vec::GP, 0);
    const unsigned size = c.opsize();
    uint32_t v = c.pop(size);
    const uint32_t old = c.eflags();
    uint32_t keep = flag::VM | flag::RF;
    if (c.protected_mode()) {
        if (c.v86() || c.state.cpl > 0) keep |= flag::IOPL;
        if (!c.v86() && c.state.cpl > c.iopl()) keep |= flag::IF;
    }
    if (size == 16) v = (old & 0xFFFF0000u) | (v & 0xFFFF);
    c.set_eflags((v & ~keep) | (old & keep));
}

void sahf(ExecutionContext& c, const DecodedInsn&) {  // 9E
    constexpr uint32_t mask = flag::SF | flag::ZF | flag::AF | flag::PF | flag::CF;
    c.set_arith_flags(mask, (c.state.regs[EAX] >> 8) & mask);
}

void lahf(ExecutionContext& c, const DecodedInsn&) {
    c.set_reg(8, 4, (c.eflags() & 0xD5) | 0x02);
}  // 9F: into AH

void flag_ops(ExecutionContext& c, const DecodedInsn&) {
    switch (c.insn.opcode) {
        case 0xF5: c.set_arith_flags(flag::CF, c.cf() ? 0 : flag::CF); break;
        case 0xF8: c.set_arith_flags(flag::CF, 0); break;
        case 0xF9: c.set_arith_flags(flag::CF, flag::CF); break;
        case 0xFC: c.flags &= ~flag::DF; break;
        case 0xFD: c.flags |= flag::DF; break;
        case 0xFA:
        case 0xFB: {
            if (c.protected_mode() && c.iopl() < (c.v86() ? 3u : c.state.cpl)) c.fault(vec::GP, 0);
            if (c.insn.opcode == 0xFA) {
                c.flags &= ~flag::IF;
            } else {
                if (!(c.flags & flag::IF)) c.inhibit_interrupts_once();
                c.flags |= flag::IF;
            }
            break;
        }
    }
}

// LDS LES LSS LFS LGS: offset then selector from memory.
void load_far_pointer(ExecutionContext& c, const DecodedInsn&) {
    SegReg seg;
    switch (c.insn.opcode) {
        case 0xC4: seg = ES; break;
        case 0xC5: seg = DS; break;
        case 0x1B2: seg = SS; break;
        case 0x1B4: seg = FS; break;
        default: seg = GS; break;
    }
    c.decode_modrm();
    if (c.operand.is_reg) c.undefined();
    const unsigned size = c.opsize();
    const uint32_t off = c.read(c.operand.seg, c.operand.offset, size);
    const uint16_t sel = static_cast<uint16_t>(c.read(c.operand.seg, c.operand.offset + size / 8, 16));
    c.load_segment(seg, sel);
    c.write_reg_field(size, off);
    if (seg == SS) c.inhibit_interrupts_once();
}

void xlat(ExecutionContext& c, const DecodedInsn&) {  // D7
    const uint32_t off = (c.state.regs[EBX] + (c.state.regs[EAX] & 0xFF)) & c.addr_mask();
    c.set_reg(8, EAX, c.read(c.data_seg(DS), off, 8));
}

// ENTER checks first that a write at the final stack pointer would succeed (segment limit, then
// page): if not, it faults with nothing changed (the 386, as test386.asm verified on hardware;
// Bochs touches SS:final ESP too). The frame pointer is the whole ESP after pushing EBP, also
// with a 32-bit operand on a 16-bit stack (SP wrapped inside ESP's upper word).
void enter(ExecutionContext& c, const DecodedInsn&) {  // C8 iw ib
    const unsigned size = c.opsize(), bytes = size / 8;
    const uint16_t alloc = c.fetch16();
    const unsigned level = c.fetch8() & 31;
    const uint32_t pushed = bytes * (level == 0 ? 1 : level + 1);
    const uint32_t final_sp = (c.state.regs[ESP] - pushed - alloc) & c.sp_mask();
    c.mmu.probe_write(c.linear(SS, final_sp, bytes, true), bytes, c.user());
    c.push(size, c.reg(size, EBP));
    const uint32_t frame = c.state.regs[ESP];
    if (level > 0) {
        uint32_t bp = c.state.regs[EBP];
        for (unsigned i = 1; i < level; ++i) {
            bp = (bp - bytes) & c.sp_mask();
            c.push(size, c.read(SS, bp, size));
        }
        c.push(size, frame);
    }
    c.set_reg(size, EBP, frame);
    c.set_sp((c.state.regs[ESP] - alloc) & c.sp_mask());
}

void leave(ExecutionContext& c, const DecodedInsn&) {  // C9
    const unsigned size = c.opsize();
    const uint32_t bp = c.state.regs[EBP] & c.sp_mask();
    const uint32_t v = c.read(SS, bp, size);
    c.set_sp(bp + size / 8);
    c.set_reg(size, EBP, v);
}

void bound(ExecutionContext& c, const DecodedInsn&) {  // 62
    const unsigned size = c.opsize();
    c.decode_modrm();
    if (c.operand.is_reg) c.undefined();
    const int32_t index = static_cast<int32_t>(sign_extend(c.read_reg_field(size), size));
    const int32_t lower =
        static_cast<int32_t>(sign_extend(c.read(c.operand.seg, c.operand.offset, size), size));
    const int32_t upper =
        static_cast<int32_t>(sign_extend(c.read(c.operand.seg, c.operand.offset + size / 8, size), size));
    if (index < lower || index > upper) c.fault(vec::BR);
}

// ARPL: raise the RPL of a selector to at least that of another. Protected mode only.
void arpl(ExecutionContext& c, const DecodedInsn&) {  // 63
    if (!c.protected_mode() || c.v86()) c.undefined();
    c.decode_modrm();
    const uint16_t dst = static_cast<uint16_t>(c.read_rm(16));
    const uint16_t src = static_cast<uint16_t>(c.read_reg_field(16));
    if ((dst & 3) < (src & 3)) {
        c.write_rm(16, (dst & ~3u) | (src & 3));
        c.set_arith_flags(flag::ZF, flag::ZF);
    } else {
        c.set_arith_flags(flag::ZF, 0);
    }
}

// 89 and 8B with 32-bit operands, the form fixed (the record's handler: move_form_handler). The
// register forms read the record's fields and leave `operand` (decode scratch) alone.
template <bool RmIsDest, bool IsReg>
void mov32_form(ExecutionContext& c, const DecodedInsn& d) {
    uint32_t& reg = c.state.regs[d.reg];
    if constexpr (IsReg && RmIsDest) {
        c.state.regs[d.rm] = reg;
    } else if constexpr (IsReg) {
        reg = c.state.regs[d.rm];
    } else {
        c.replay_modrm();
        if constexpr (RmIsDest)
            c.write(c.operand.seg, c.operand.offset, 32, reg);
        else
            reg = c.read32(c.operand.seg, c.operand.offset);
    }
}

// 8D LEA r32, m with a 32-bit operand size (the register form is the table's: #UD).
void lea32_form(ExecutionContext& c, const DecodedInsn& d) {
    c.replay_modrm();
    c.state.regs[d.reg] = c.operand.offset;
}

// 0FB6 0FB7 MOVZX and 0FBE 0FBF MOVSX r32, r/m8 or r/m16.
template <bool Signed, unsigned From, bool IsReg>
void movx32_form(ExecutionContext& c, const DecodedInsn& d) {
    uint32_t v;
    if constexpr (IsReg) {
        v = c.reg(From, d.rm);
    } else {
        c.replay_modrm();
        v = c.read(c.operand.seg, c.operand.offset, From);
    }
    c.state.regs[d.reg] = Signed ? sign_extend(v, From) : v;
}

// [signed][word source][register form]
constexpr Handler kMovx32Forms[2][2][2] = {{{movx32_form<false, 8, false>, movx32_form<false, 8, true>},
                                            {movx32_form<false, 16, false>, movx32_form<false, 16, true>}},
                                           {{movx32_form<true, 8, false>, movx32_form<true, 8, true>},
                                            {movx32_form<true, 16, false>, movx32_form<true, 16, true>}}};

// 50-57 PUSH r32 (PUSH ESP pushes the old value) and 58-5F POP r32 (POP ESP loads the popped
// value over the incremented one), through the flat stack's fast path when it applies.
void push32_form(ExecutionContext& c, const DecodedInsn&) {
    push32(c, c.state.regs[c.insn.opcode & 7]);
}
void pop32_form(ExecutionContext& c, const DecodedInsn&) {
    const uint32_t v = pop32(c);
    c.state.regs[c.insn.opcode & 7] = v;
}

}  // namespace

Handler move_form_handler(const DecodedInsn& d) {
    if (!d.fields.opsize32) return nullptr;
    const unsigned opcode = d.fields.opcode;
    if (opcode == 0x89) return d.is_reg ? mov32_form<true, true> : mov32_form<true, false>;
    if (opcode == 0x8B) return d.is_reg ? mov32_form<false, true> : mov32_form<false, false>;
    if (opcode == 0x8D && !d.is_reg) return lea32_form;
    if (opcode == 0x1B6 || opcode == 0x1B7 || opcode == 0x1BE || opcode == 0x1BF)
        return kMovx32Forms[opcode >= 0x1BE][opcode & 1][d.is_reg];
    if (opcode >= 0x50 && opcode <= 0x57) return push32_form;
    if (opcode >= 0x58 && opcode <= 0x5F) return pop32_form;
    return nullptr;
}

void register_move_handlers(Handler* t) {
    t[0x88] = t[0x89] = mov_rm_reg;
    t[0x8A] = t[0x8B] = mov_reg_rm;
    t[0x8C] = mov_rm_sreg;
    t[0x8E] = mov_sreg_rm;
    t[0x8D] = lea;
    for (unsigned op = 0xA0; op <= 0xA3; ++op) t[op] = mov_moffs;
    for (unsigned op = 0xB0; op <= 0xBF; ++op) t[op] = mov_reg_imm;
    t[0xC6] = t[0xC7] = mov_rm_imm;
    t[0x86] = t[0x87] = xchg_rm;
    for (unsigned op = 0x90; op <= 0x97; ++op) t[op] = xchg_acc;
    t[0x1B6] = t[0x1B7] = t[0x1BE] = t[0x1BF] = movx;
    for (unsigned op = 0x50; op <= 0x57; ++op) t[op] = push_reg;
    for (unsigned op = 0x58; op <= 0x5F; ++op) t[op] = pop_reg;
    t[0x68] = t[0x6A] = push_imm;
    t[0x06] = t[0x0E] = t[0x16] = t[0x1E] = t[0x1A0] = t[0x1A8] = push_seg;
    t[0x07] = t[0x17] = t[0x1F] = t[0x1A1] = t[0x1A9] = pop_seg;
    t[0x8F] = pop_rm;
    t[0x60] = pusha;
    t[0x61] = popa;
    t[0x9C] = pushf;
    t[0x9D] = popf;
    t[0x9E] = sahf;
    t[0x9F] = lahf;
    t[0xF5] = t[0xF8] = t[0xF9] = t[0xFA] = t[0xFB] = t[0xFC] = t[0xFD] = flag_ops;
    t[0xC4] = t[0xC5] = t[0x1B2] = t[0x1B4] = t[0x1B5] = load_far_pointer;
    t[0xD7] = xlat;
    t[0xC8] = enter;
    t[0xC9] = leave;
    t[0x62] = bound;
    t[0x63] = arpl;
}

}  // namespace pc386
