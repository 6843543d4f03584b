// Control transfer: Jcc, JMP, CALL, RET (near and far), LOOP/JCXZ, INT/INTO/INT3/IRET, HLT, group 5
// (FF), port I/O (IN/OUT), and the no-FPU ESC/WAIT behaviour.
#include <array>
#include <utility>

#include "cpu/alu.h"
#include "cpu/flat_stack.h"
#include "cpu/handler_registry.h"

namespace pc386 {
namespace {

// A near branch: the target is truncated to the operand size and must lie within CS's limit.
void branch(ExecutionContext& c, uint32_t target) {
    if (!c.insn.opsize32) target &= 0xFFFF;
    if (target > c.state.seg[CS].limit) c.fault(vec::GP, 0);
    c.state.eip = target;
}

void jcc_short(ExecutionContext& c, const DecodedInsn&) {  // 70-7F
    const uint32_t disp = sign_extend(c.fetch8(), 8);
    if (c.condition(c.insn.opcode & 0xF)) branch(c, c.state.eip + disp);
}

void jcc_near(ExecutionContext& c, const DecodedInsn&) {  // 0F80-0F8F
    const uint32_t disp = c.insn.opsize32 ? c.fetch32() : sign_extend(c.fetch16(), 16);
    if (c.condition(c.insn.opcode & 0xF)) branch(c, c.state.eip + disp);
}

void jmp_short(ExecutionContext& c, const DecodedInsn&) {  // EB
    const uint32_t disp = sign_extend(c.fetch8(), 8);      // fetch first: it advances EIP
    branch(c, c.state.eip + disp);
}

void jmp_near(ExecutionContext& c, const DecodedInsn&) {  // E9
    const uint32_t disp = c.insn.opsize32 ? c.fetch32() : sign_extend(c.fetch16(), 16);
    branch(c, c.state.eip + disp);
}

void call_near(ExecutionContext& c, const DecodedInsn&) {  // E8
    const uint32_t disp = c.insn.opsize32 ? c.fetch32() : sign_extend(c.fetch16(), 16);
    const uint32_t ret = c.state.eip;
    uint32_t target = ret + disp;
    if (!c.insn.opsize32) target &= 0xFFFF;
    if (target > c.state.seg[CS].limit) c.fault(vec::GP, 0);
    c.push(c.opsize(), ret);
    c.state.eip = target;
}

void jmp_far(ExecutionContext& c, const DecodedInsn&) {  // EA
    const uint32_t off = c.insn.opsize32 ? c.fetch32() : c.fetch16();
    c.far_jump(c.fetch16(), off);
}

void call_far(ExecutionContext& c, const DecodedInsn&) {  // 9A
    const uint32_t off = c.insn.opsize32 ? c.fetch32() : c.fetch16();
    c.far_call(c.fetch16(), off);
}

void ret_near(ExecutionContext& c, const DecodedInsn&) {  // C3, C2 iw
    const uint16_t extra = c.insn.opcode == 0xC2 ? c.fetch16() : 0;
    const unsigned size = c.opsize();
    uint32_t target = c.peek_stack(size, 0);
    if (target > c.state.seg[CS].limit) c.fault(vec::GP, 0);
    c.set_sp(c.state.regs[ESP] + size / 8 + extra);
    c.state.eip = target;
}

void ret_far(ExecutionContext& c, const DecodedInsn&) {  // CB, CA iw
    const uint16_t extra = c.insn.opcode == 0xCA ? c.fetch16() : 0;
    c.far_return(extra);
}

void loop(ExecutionContext& c, const DecodedInsn&) {  // E0 LOOPNE, E1 LOOPE, E2 LOOP, E3 JCXZ
    const uint32_t disp = sign_extend(c.fetch8(), 8);
    const unsigned csize = c.insn.addrsize32 ? 32 : 16;
    uint32_t count = c.reg(csize, ECX);
    bool take;
    if (c.insn.opcode == 0xE3) {
        take = count == 0;
    } else {
        count = (count - 1) & size_mask(csize);
        c.set_reg(csize, ECX, count);
        take = count != 0;
        if (c.insn.opcode == 0xE0) take = take && !c.zf();
        if (c.insn.opcode == 0xE1) take = take && c.zf();
    }
    if (take) branch(c, c.state.eip + disp);
}

void int_n(ExecutionContext& c, const DecodedInsn&) {  // CC INT3, CD INT n, CE INTO
    if (c.insn.opcode == 0xCE) {
        if (!c.of()) return;
        c.interrupt(vec::OF, ExecutionContext::IntKind::Into);
        return;
    }
    if (c.insn.opcode == 0xCC) {
        c.interrupt(vec::BP, ExecutionContext::IntKind::Int3);
        return;
    }
    const uint8_t n = c.fetch8();
    if (c.v86() && c.iopl() < 3) c.fault(vec::GP, 0);
    c.interrupt(n, ExecutionContext::IntKind::Software);
}

// F1 ICEBP (undocumented, every 386): a one-byte INT 1 with no IDT-gate DPL check.
void icebp(ExecutionContext& c, const DecodedInsn&) {
    c.interrupt(vec::DB, ExecutionContext::IntKind::Icebp);
}

void iret(ExecutionContext& c, const DecodedInsn&) {
    c.iret();
}  // CF

void hlt(ExecutionContext& c, const DecodedInsn&) {  // F4
    if (c.protected_mode() && (c.v86() || c.state.cpl != 0)) c.fault(vec::GP, 0);
    c.halted = true;
    c.raise_attention();
}

void group5(ExecutionContext& c, const DecodedInsn&) {  // FF
    const unsigned size = c.opsize();
    c.decode_modrm();
    const unsigned op = c.operand.reg;
    switch (op) {
        case 0:
        case 1: c.write_rm(size, inc_dec_value(c, size, c.read_rm(size), op == 1)); break;
        case 2: {  // CALL near r/m
            uint32_t target = c.read_rm(size);
            if (!c.insn.opsize32) target &= 0xFFFF;
            if (target > c.state.seg[CS].limit) c.fault(vec::GP, 0);
            c.push(size, c.state.eip);
            c.state.eip = target;
            break;
        }
        case 4: branch(c, c.read_rm(size)); break;  // JMP near r/m
        case 3:
        case 5: {  // CALL/JMP far m16:16/32
            if (c.operand.is_reg) c.undefined();
            const uint32_t off = c.read(c.operand.seg, c.operand.offset, size);
            const uint16_t sel =
                static_cast<uint16_t>(c.read(c.operand.seg, c.operand.offset + size / 8, 16));
            if (op == 3)
                c.far_call(sel, off);
            else
                c.far_jump(sel, off);
            break;
        }
        case 6: c.push(size, c.read_rm(size)); break;
        default: c.undefined();
    }
}

// IN/OUT: with the port in an immediate byte (E4-E7) or in DX (EC-EF).
void in_out(ExecutionContext& c, const DecodedInsn&) {
    const bool imm = c.insn.opcode < 0xEC;
    const uint16_t port = imm ? c.fetch8() : static_cast<uint16_t>(c.state.regs[EDX]);
    const unsigned size = (c.insn.opcode & 1) ? c.opsize() : 8;
    if (!c.io_allowed_without_bitmap()) c.check_io_permission(port, size / 8);
    if ((c.insn.opcode & 2) == 0)
        c.set_reg(size, EAX, c.io.read(port, size / 8));
    else
        c.io.write(port, size / 8, c.reg(size, EAX));
}

// The memory operand's size in bytes of an ESC instruction (387 formats), and whether it is a store.
unsigned esc_operand_bytes(unsigned opcode, unsigned reg, bool op32, bool& store) {
    const unsigned env = op32 ? 28 : 14, state = op32 ? 108 : 94;
    store = false;
    switch (opcode) {
        case 0xD8: return 4;  // m32real arithmetic
        case 0xDA: return 4;  // m32int arithmetic
        case 0xDC: return 8;  // m64real arithmetic
        case 0xDE: return 2;  // m16int arithmetic
        case 0xD9: {          // FLD FST FSTP m32, FLDENV FLDCW FSTENV FSTCW
            static constexpr unsigned n[8] = {4, 4, 4, 4, 0, 2, 0, 2};
            store = reg == 2 || reg == 3 || reg == 6 || reg == 7;
            return reg == 4 || reg == 6 ? env : n[reg];
        }
        case 0xDB: {  // FILD FIST FISTP m32int, FLD FSTP m80
            static constexpr unsigned n[8] = {4, 4, 4, 4, 10, 10, 10, 10};
            store = reg == 2 || reg == 3 || reg == 7;
            return n[reg];
        }
        case 0xDD: {  // FLD FST FSTP m64, FRSTOR FSAVE FSTSW
            static constexpr unsigned n[8] = {8, 8, 8, 8, 0, 0, 0, 2};
            store = reg == 2 || reg == 3 || reg == 6 || reg == 7;
            return reg == 4 || reg == 6 ? state : n[reg];
        }
        default: {  // DF: m16int, FBLD m80, FILD m64, FBSTP, FISTP m64
            static constexpr unsigned n[8] = {2, 2, 2, 2, 10, 8, 10, 8};
            store = reg == 2 || reg == 3 || reg == 6 || reg == 7;
            return n[reg];
        }
    }
}

// No 387: ESC traps to #NM when CR0.EM or CR0.TS asks for it (386 manual, 11.2 and table 10-2).
// Otherwise the 386 runs it as it would with a 387, but the coprocessor cycles go nowhere: the
// memory operand is still checked against its segment (#GP/#SS, or #PF), nothing changes.
void esc(ExecutionContext& c, const DecodedInsn&) {  // D8-DF
    if (c.cr0() & (cr0::EM | cr0::TS)) c.fault(vec::NM);
    c.decode_modrm();
    if (c.operand.is_reg) return;
    bool store = false;
    const unsigned bytes = esc_operand_bytes(c.insn.opcode, c.operand.reg, c.insn.opsize32, store);
    c.linear(c.operand.seg, c.operand.offset, bytes, store);
}

void wait(ExecutionContext& c, const DecodedInsn&) {  // 9B
    if ((c.cr0() & (cr0::MP | cr0::TS)) == (cr0::MP | cr0::TS)) c.fault(vec::NM);
}

void nop_modrm(ExecutionContext& c, const DecodedInsn&) {
    c.decode_modrm();
}  // 0F1F-style hint NOPs are 686+: unused on a 386

// Forms a record of 32-bit code gets (control_form_handler): the displacement read from the
// record, the condition or the LOOP kind fixed at compile time, the stack through its flat fast
// path. Each leaves what the table's handler leaves.

// 70-7F (Rel8) and 0F80-0F8F with a 32-bit operand size.
template <unsigned CC, bool Rel8>
void jcc32_form(ExecutionContext& c, const DecodedInsn& d) {
    if (!c.condition(CC)) return;
    const uint32_t disp = d.imm[0];
    branch(c, c.state.eip + (Rel8 ? sign_extend(disp, 8) : disp));
}

// E8 with a 32-bit operand size: the target checked against CS's limit before the push.
void call32_form(ExecutionContext& c, const DecodedInsn& d) {
    const uint32_t ret = c.state.eip;
    const uint32_t target = ret + d.imm[0];
    if (target > c.state.seg[CS].limit) c.fault(vec::GP, 0);
    push32(c, ret);
    c.state.eip = target;
}

// C3 and C2 iw with a 32-bit operand size.
template <bool PopsExtra>
void ret32_form(ExecutionContext& c, const DecodedInsn& d) {
    const uint32_t target = top_of_stack32(c);
    if (target > c.state.seg[CS].limit) c.fault(vec::GP, 0);
    const uint32_t extra = PopsExtra ? d.imm[0] : 0;
    c.set_sp(c.state.regs[ESP] + 4 + extra);
    c.state.eip = target;
}

// E0 LOOPNE, E1 LOOPE, E2 LOOP with ECX (32-bit address size) and a 32-bit operand size.
template <unsigned Opcode>
void loop32_form(ExecutionContext& c, const DecodedInsn& d) {
    const uint32_t count = --c.state.regs[ECX];
    bool take = count != 0;
    if constexpr (Opcode == 0xE0) take = take && !c.zf();
    if constexpr (Opcode == 0xE1) take = take && c.zf();
    if (take) branch(c, c.state.eip + sign_extend(d.imm[0], 8));
}

template <bool Rel8, size_t... CC>
constexpr std::array<Handler, 16> jcc32_forms(std::index_sequence<CC...>) {
    return {jcc32_form<CC, Rel8>...};
}
constexpr std::array<Handler, 16> kJcc8Forms = jcc32_forms<true>(std::make_index_sequence<16>());
constexpr std::array<Handler, 16> kJcc32Forms = jcc32_forms<false>(std::make_index_sequence<16>());

}  // namespace

Handler control_form_handler(const DecodedInsn& d) {
    if (!d.fields.opsize32) return nullptr;
    const unsigned opcode = d.fields.opcode;
    if (opcode >= 0x70 && opcode <= 0x7F) return kJcc8Forms[opcode & 0xF];
    if (opcode >= 0x180 && opcode <= 0x18F) return kJcc32Forms[opcode & 0xF];
    if (opcode == 0xE8) return call32_form;
    if (opcode == 0xC3) return ret32_form<false>;
    if (opcode == 0xC2) return ret32_form<true>;
    if (!d.fields.addrsize32) return nullptr;
    if (opcode == 0xE0) return loop32_form<0xE0>;
    if (opcode == 0xE1) return loop32_form<0xE1>;
    if (opcode == 0xE2) return loop32_form<0xE2>;
    return nullptr;
}

void register_control_handlers(Handler* t) {
    for (unsigned cc = 0; cc < 16; ++cc) {
        t[0x70 + cc] = jcc_short;
        t[0x180 + cc] = jcc_near;
    }
    t[0xEB] = jmp_short;
    t[0xE9] = jmp_near;
    t[0xE8] = call_near;
    t[0xEA] = jmp_far;
    t[0x9A] = call_far;
    t[0xC3] = t[0xC2] = ret_near;
    t[0xCB] = t[0xCA] = ret_far;
    t[0xE0] = t[0xE1] = t[0xE2] = t[0xE3] = loop;
    t[0xCC] = t[0xCD] = t[0xCE] = int_n;
    t[0xCF] = iret;
    t[0xF1] = icebp;
    t[0xF4] = hlt;
    t[0xFF] = group5;
    t[0xE4] = t[0xE5] = t[0xE6] = t[0xE7] = t[0xEC] = t[0xED] = t[0xEE] = t[0xEF] = in_out;
    for (unsigned op = 0xD8; op <= 0xDF; ++op) t[op] = esc;
    t[0x9B] = wait;
    (void)nop_modrm;
}

}  // namespace pc386
