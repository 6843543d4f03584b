// Interrupt and exception delivery: the real-mode IVT, and in protected mode the IDT's interrupt,
// trap and task gates with privilege changes (stack from the TSS), V86 exits, error codes.
#include "base/log.h"
#include "cpu/execution_context.h"
#include "cpu/gate_checks.h"
#include "cpu/stack_frame.h"

namespace pc386 {

// A fault while entering the handler abandons the frame half pushed: ESP is put back before the
// fault goes on to the caller's catch point.
void ExecutionContext::interrupt(uint8_t vector, IntKind kind, bool has_error, uint32_t error) {
    const uint32_t saved_esp = state.regs[ESP];
    if (mmu.faults().attempt([&] { enter_interrupt(vector, kind, has_error, error); })) return;
    state.regs[ESP] = saved_esp;
    mmu.faults().reraise();
}

void ExecutionContext::enter_interrupt(uint8_t vector, IntKind kind, bool has_error, uint32_t error) {
    if (!protected_mode()) {
        // Real mode: FLAGS, CS, IP on the stack, then CS:IP from the IVT.
        const uint32_t entry = state.idtr.base + vector * 4u;
        // A vector past the IDTR limit is a double fault in real mode (386 manual, table 14-1);
        // #DF past it too shuts the processor down (deliver_fault).
        if (vector * 4u + 3 > state.idtr.limit) fault(vec::DF, 0);
        const uint16_t ip = static_cast<uint16_t>(sys_read(entry, 16));
        const uint16_t cs = static_cast<uint16_t>(sys_read(entry + 2, 16));
        push(16, eflags());
        push(16, state.seg[CS].selector);
        push(16, state.eip);
        flags &= ~(flag::IF | flag::TF | flag::RF);
        load_real_mode_segment(CS, cs);
        state.eip = ip;
        return;
    }

    const uint32_t ext = (kind == IntKind::Hardware || kind == IntKind::Exception) ? 1 : 0;
    const uint32_t idt_error = vector * 8u + 2 + ext;
    if (vector * 8u + 7 > state.idtr.limit) fault(vec::GP, idt_error);
    const uint32_t entry = state.idtr.base + vector * 8u;
    const Gate gate = Gate::decode(sys_read(entry, 32) | uint64_t{sys_read(entry + 4, 32)} << 32);
    if (!sysdesc::is_idt_gate(gate.access)) fault(vec::GP, idt_error);
    // Only INT n, INT 3 and INTO are held to the gate's DPL (software interrupts have EXT = 0).
    const bool software = kind == IntKind::Software || kind == IntKind::Int3 || kind == IntKind::Into;
    check_gate_access(*this, gate.access, software ? state.cpl : 0, idt_error);

    if (sysdesc::is_task_gate(gate.access))
        return switch_through_task_gate(*this, gate, TaskSwitchReason::Interrupt, ext, has_error, error);

    const uint16_t selector = gate.selector;
    const uint32_t sel_error = (selector & 0xFFFC) + ext;
    const GateTarget target = gate_code_target(*this, gate, false, ext);
    const uint64_t cd = target.descriptor;
    Segment code = target.code;

    const unsigned size = gate.is_32bit() ? 32 : 16;
    const uint32_t old_flags = eflags();
    const bool from_v86 = v86();
    unsigned new_cpl = state.cpl;

    if (!code.conforming() && code.dpl() < state.cpl) {
        // Inner privilege: a new stack from the TSS.
        if (from_v86 && code.dpl() != 0) fault(vec::GP, sel_error);
        new_cpl = code.dpl();
        uint16_t new_ss_sel = 0;
        const uint32_t new_esp = tss_stack_pointer(new_cpl, new_ss_sel);
        const uint32_t ss_error = (new_ss_sel & 0xFFFC) + ext;
        if ((new_ss_sel & 0xFFFC) == 0) fault(vec::TS, ext);
        if (!descriptor_in_limits(new_ss_sel)) fault(vec::TS, ss_error);
        const uint64_t sd = read_descriptor_raw(new_ss_sel);
        Segment ss;
        set_cached(ss, new_ss_sel, sd);
        if ((new_ss_sel & 3) != new_cpl || ss.dpl() != new_cpl || ss.system() || !ss.writable())
            fault(vec::TS, ss_error);
        if (!ss.present()) fault(vec::SS, ss_error);

        StackWriter w{*this, ss, new_esp, ss_error};
        if (from_v86) {
            w.push_all(size, {state.seg[GS].selector, state.seg[FS].selector, state.seg[DS].selector,
                              state.seg[ES].selector});
        }
        w.push_all(size,
                   {state.seg[SS].selector, state.regs[ESP], old_flags, state.seg[CS].selector, state.eip});
        if (has_error) w.push(size, error);

        set_descriptor_accessed(new_ss_sel, sd);
        ss.access |= 1;
        state.seg[SS] = ss;
        state.regs[ESP] = ss.big ? w.esp : (state.regs[ESP] & 0xFFFF0000u) | (w.esp & 0xFFFF);
        if (from_v86) {
            for (SegReg seg : {ES, DS, FS, GS}) {
                state.seg[seg].selector = 0;
                state.seg[seg].valid = false;
            }
        }
    } else if (code.conforming() || code.dpl() == state.cpl) {
        if (from_v86) fault(vec::GP, sel_error);
        StackWriter w{*this, state.seg[SS], state.regs[ESP], ext};
        w.push_all(size, {old_flags, state.seg[CS].selector, state.eip});
        if (has_error) w.push(size, error);
        set_sp(w.esp);
    } else {
        fault(vec::GP, sel_error);
    }

    set_descriptor_accessed(selector, cd);
    code.access |= 1;
    code.selector = static_cast<uint16_t>((selector & 0xFFFC) | new_cpl);
    load_code_segment(code);
    state.cpl = new_cpl;
    state.eip = gate.offset;
    uint32_t f = old_flags & ~(flag::TF | flag::NT | flag::VM | flag::RF);
    if (sysdesc::is_interrupt_gate(gate.access)) f &= ~flag::IF;  // trap gates leave IF alone
    set_eflags(f);
}

// DR7 for breakpoint i: enabled (L or G), RW (0 execute, 1 write, 3 read/write; 2 is I/O on later
// CPUs, undefined on the 386: ignored), LEN (0: 1 byte, 1: 2, 3: 4; DRi is aligned down to it).
namespace {
bool breakpoint_enabled(uint32_t dr7, unsigned i) {
    return (dr7 >> (2 * i)) & 3;
}
unsigned breakpoint_rw(uint32_t dr7, unsigned i) {
    return (dr7 >> (16 + 4 * i)) & 3;
}
uint32_t breakpoint_len(uint32_t dr7, unsigned i) {
    static constexpr uint32_t kLen[4] = {1, 2, 4, 4};
    return kLen[(dr7 >> (18 + 4 * i)) & 3];
}
}  // namespace

// An instruction breakpoint matches the linear address of the instruction's first byte (its
// first prefix); the #DB it raises is a fault (the instruction has not run).
bool ExecutionContext::code_breakpoint_hit() {
    const uint32_t dr7 = state.dr[7], lin = state.seg[CS].base + state.eip;
    uint32_t hits = 0;
    for (unsigned i = 0; i < 4; ++i) {
        if (breakpoint_enabled(dr7, i) && breakpoint_rw(dr7, i) == 0 && state.dr[i] == lin) hits |= 1u << i;
    }
    state.dr[6] |= hits;
    return hits != 0;
}

// A data breakpoint matches any access overlapping its 1/2/4 bytes; the #DB is a trap taken when
// the instruction completes (ExecutionContext::finish_instruction).
void ExecutionContext::check_data_breakpoints(uint32_t lin, unsigned bytes, bool write) {
    const uint32_t dr7 = state.dr[7];
    for (unsigned i = 0; i < 4; ++i) {
        const unsigned rw = breakpoint_rw(dr7, i);
        if (!breakpoint_enabled(dr7, i) || rw == 0 || rw == 2 || (rw == 1 && !write)) continue;
        const uint32_t len = breakpoint_len(dr7, i), start = state.dr[i] & ~(len - 1);
        if (lin - start < len || start - lin < bytes) {
            pending_dr6 |= 1u << i;
            attention = true;
        }
    }
}

}  // namespace pc386
