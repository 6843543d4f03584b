// System instructions: descriptor-table registers (LGDT LIDT SGDT SIDT), LDTR/TR (LLDT SLDT LTR STR),
// VERR/VERW/LAR/LSL, LMSW/SMSW/CLTS, MOV to and from control, debug and test registers.
#include "cpu/alu.h"
#include "cpu/handler_registry.h"
#include "cpu/system_descriptor.h"

namespace pc386 {
namespace {

void require_cpl0(ExecutionContext& c) {
    if (c.protected_mode() && (c.v86() || c.state.cpl != 0)) c.fault(vec::GP, 0);
}

void require_protected(ExecutionContext& c) {
    if (!c.protected_mode() || c.v86()) c.undefined();
}

// LAR/LSL/VERR/VERW: is the selector's descriptor visible from here? (ZF=1 if so.)
bool descriptor_visible(ExecutionContext& c, uint16_t selector, uint64_t& desc, bool for_lsl) {
    if ((selector & 0xFFFC) == 0 || !c.descriptor_in_limits(selector)) return false;
    desc = c.read_descriptor_raw(selector);
    const uint8_t access = static_cast<uint8_t>(desc >> 40);
    if (!(for_lsl ? sysdesc::valid_for_lsl(access) : sysdesc::valid_for_lar(access))) return false;
    if ((access & 0x1C) == 0x1C) return true;  // conforming code: no privilege check
    const unsigned dpl = sysdesc::dpl(access);
    return dpl >= c.state.cpl && dpl >= (selector & 3u);
}

void group6(ExecutionContext& c, const DecodedInsn&) {  // 0F00
    require_protected(c);
    c.decode_modrm();
    switch (c.operand.reg) {
        case 0:  // SLDT
            if (c.operand.is_reg)
                c.set_reg(c.opsize(), c.operand.rm, c.state.ldtr.selector);
            else
                c.write_rm(16, c.state.ldtr.selector);
            break;
        case 1:  // STR
            if (c.operand.is_reg)
                c.set_reg(c.opsize(), c.operand.rm, c.state.tr.selector);
            else
                c.write_rm(16, c.state.tr.selector);
            break;
        case 2:    // LLDT
        case 3: {  // LTR
            require_cpl0(c);
            const uint16_t sel = static_cast<uint16_t>(c.read_rm(16));
            if (c.operand.reg == 2) {
                if ((sel & 0xFFFC) == 0) {
                    c.state.ldtr = Segment{};
                    c.state.ldtr.selector = sel;
                    c.state.ldtr.valid = false;
                    return;
                }
                if (sel & 4) c.fault(vec::GP, sel & 0xFFFC);
                const uint64_t d = c.read_descriptor(sel, vec::GP);
                const auto access = static_cast<uint8_t>(d >> 40);
                if (!sysdesc::is_ldt(access)) c.fault(vec::GP, sel & 0xFFFC);
                if (!sysdesc::present(access)) c.fault(vec::NP, sel & 0xFFFC);
                c.set_cached(c.state.ldtr, sel, d);
            } else {
                if ((sel & 0xFFFC) == 0 || (sel & 4)) c.fault(vec::GP, sel & 0xFFFC);
                uint64_t d = c.read_descriptor(sel, vec::GP);
                const auto access = static_cast<uint8_t>(d >> 40);
                if (!sysdesc::is_available_tss(access)) c.fault(vec::GP, sel & 0xFFFC);
                if (!sysdesc::present(access)) c.fault(vec::NP, sel & 0xFFFC);
                d |= uint64_t{sysdesc::kBusyBit} << 40;  // mark busy in the GDT
                c.sys_write(c.state.gdtr.base + (sel & 0xFFF8) + 5, 8, static_cast<uint8_t>(d >> 40));
                c.set_cached(c.state.tr, sel, d);
            }
            break;
        }
        case 4:
        case 5: {  // VERR, VERW
            const uint16_t sel = static_cast<uint16_t>(c.read_rm(16));
            uint64_t d = 0;
            bool ok = descriptor_visible(c, sel, d, false);
            const uint8_t access = static_cast<uint8_t>(d >> 40);
            if (ok) {
                if (!(access & 0x10))
                    ok = false;
                else if (c.operand.reg == 4)
                    ok = !((access & 0x08) && !(access & 0x02));  // code must be readable
                else
                    ok = !(access & 0x08) && (access & 0x02);  // writable data only
                if (ok && (access & 0x1C) == 0x1C && c.operand.reg == 4)
                    ok = true;
                else if (ok && (access & 0x08) && !((access & 0x1C) == 0x1C)) {
                    const unsigned dpl = (access >> 5) & 3;
                    ok = dpl >= c.state.cpl && dpl >= (sel & 3u);
                }
            }
            c.set_arith_flags(flag::ZF, ok ? flag::ZF : 0);
            break;
        }
        default: c.undefined();
    }
}

void group7(ExecutionContext& c, const DecodedInsn&) {  // 0F01
    c.decode_modrm();
    const unsigned op = c.operand.reg;
    if ((op < 4 || op == 7) && c.operand.is_reg) c.undefined();
    switch (op) {
        case 0:
        case 1: {  // SGDT, SIDT
            const TableRegister& t = op == 0 ? c.state.gdtr : c.state.idtr;
            c.write(c.operand.seg, c.operand.offset, 16, t.limit);
            const uint32_t base = c.insn.opsize32 ? t.base : t.base & 0x00FFFFFF;
            c.write(c.operand.seg, c.operand.offset + 2, 32, base);
            break;
        }
        case 2:
        case 3: {  // LGDT, LIDT
            require_cpl0(c);
            const uint16_t limit = static_cast<uint16_t>(c.read(c.operand.seg, c.operand.offset, 16));
            uint32_t base = c.read(c.operand.seg, c.operand.offset + 2, 32);
            if (!c.insn.opsize32) base &= 0x00FFFFFF;
            TableRegister& t = op == 2 ? c.state.gdtr : c.state.idtr;
            t.base = base;
            t.limit = limit;
            break;
        }
        case 4:  // SMSW
            if (c.operand.is_reg)
                c.set_reg(c.opsize(), c.operand.rm, c.cr0());
            else
                c.write_rm(16, c.cr0() & 0xFFFF);
            break;
        case 6: {  // LMSW: PE MP EM TS; cannot clear PE
            require_cpl0(c);
            const uint32_t v = c.read_rm(16) & 0xF;
            c.set_cr0((c.cr0() & ~0xEu) | v | (c.cr0() & cr0::PE));
            break;
        }
        case 7: {  // INVLPG m (486): drops the TLB's entries for the page at the linear address
            if (!c.is486()) c.undefined();
            require_cpl0(c);
            c.mmu.invalidate_page(c.state.seg[c.operand.seg].base + c.operand.offset);  // no segment checks
            break;
        }
        default: c.undefined();
    }
}

void lar_lsl(ExecutionContext& c, const DecodedInsn&) {  // 0F02 LAR, 0F03 LSL
    require_protected(c);
    c.decode_modrm();
    const uint16_t sel = static_cast<uint16_t>(c.read_rm(16));
    uint64_t d = 0;
    const bool lsl = c.insn.opcode == 0x103;
    if (!descriptor_visible(c, sel, d, lsl)) {
        c.set_arith_flags(flag::ZF, 0);
        return;
    }
    uint32_t v;
    if (lsl) {
        uint32_t limit = static_cast<uint32_t>((d & 0xFFFF) | ((d >> 32) & 0xF0000));
        if ((d >> 55) & 1) limit = (limit << 12) | 0xFFF;
        v = limit;
    } else {
        v = static_cast<uint32_t>(d >> 32) & 0x00FFFF00u;
    }
    c.write_reg_field(c.opsize(), v);
    c.set_arith_flags(flag::ZF, flag::ZF);
}

void clts(ExecutionContext& c, const DecodedInsn&) {  // 0F06
    require_cpl0(c);
    c.mmu.set_cr0(c.cr0() & ~cr0::TS);  // no event, no flush: TS is not the MMU's concern
}

// MOV r32, CRn / DRn / TRn and back (0F20-0F26). The ModRM always names a register.
void mov_special(ExecutionContext& c, const DecodedInsn&) {
    require_cpl0(c);
    const uint8_t m = c.fetch8();
    const unsigned n = (m >> 3) & 7, r = m & 7;
    switch (c.insn.opcode) {
        case 0x120:  // MOV r32, CRn
            if (n == 0)
                c.state.regs[r] = c.cr0();
            else if (n == 2)
                c.state.regs[r] = c.state.cr2;
            else if (n == 3)
                c.state.regs[r] = c.cr3();
            else if (n == 4 && c.is486())
                c.state.regs[r] = c.state.cr4;
            else
                c.undefined();
            break;
        case 0x122: {  // MOV CRn, r32
            const uint32_t v = c.state.regs[r];
            if (n == 0) {
                if ((v & cr0::PG) && !(v & cr0::PE)) c.fault(vec::GP, 0);
                if (c.is486() && (v & cr0::NW) && !(v & cr0::CD)) c.fault(vec::GP, 0);  // 486: NW needs CD
                c.set_cr0(v);
            } else if (n == 2) {
                c.state.cr2 = v;
            } else if (n == 3) {
                c.set_cr3(v);
            } else if (n == 4 && c.is486()) {
                if (v & ~cr4::kHonoured) c.fault(vec::GP, 0);  // reserved, or a feature we don't model
                c.state.cr4 = v;
            } else {
                c.undefined();
            }
            break;
        }
        case 0x121:  // MOV r32, DRn (DR4/DR5 alias DR6/DR7)
            c.state.regs[r] = c.state.dr[n == 4 ? 6 : n == 5 ? 7 : n];
            break;
        case 0x123:
            c.state.dr[n == 4 ? 6 : n == 5 ? 7 : n] = c.state.regs[r];
            c.update_breakpoints();
            break;
        case 0x124:  // MOV r32, TRn (TR6, TR7 only)
            if (n == 6)
                c.state.regs[r] = c.state.tr6;
            else if (n == 7)
                c.state.regs[r] = c.state.tr7;
            else
                c.undefined();
            break;
        case 0x126:
            if (n == 6)
                c.state.tr6 = c.state.regs[r];
            else if (n == 7)
                c.state.tr7 = c.state.regs[r];
            else
                c.undefined();
            break;
    }
}

}  // namespace

void register_system_handlers(Handler* t) {
    t[0x100] = group6;
    t[0x101] = group7;
    t[0x102] = t[0x103] = lar_lsl;
    t[0x106] = clts;
    t[0x120] = t[0x121] = t[0x122] = t[0x123] = t[0x124] = t[0x126] = mov_special;
}

}  // namespace pc386
