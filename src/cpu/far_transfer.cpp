// Far JMP, CALL and RET, and IRET: direct to code segments, through call gates (with a stack switch
// and parameter copy for inner privilege), to TSSs and task gates (a task switch), to V86 mode.
#include <algorithm>
#include <optional>

#include "cpu/execution_context.h"
#include "cpu/gate_checks.h"
#include "cpu/stack_frame.h"

namespace pc386 {
namespace {

// A direct far JMP or CALL to a code segment: a conforming one may be more privileged (DPL <= CPL),
// a non-conforming one must be at CPL with RPL <= CPL; then present, then the offset in its limit.
void check_direct_code_target(ExecutionContext& c, const Segment& target, unsigned rpl, uint32_t err,
                              uint32_t offset) {
    const unsigned cpl = c.state.cpl;
    if (!target.code()) c.fault(vec::GP, err);
    if (target.conforming() ? target.dpl() > cpl : (rpl > cpl || target.dpl() != cpl)) c.fault(vec::GP, err);
    if (!target.present()) c.fault(vec::NP, err);
    if (offset > target.limit) c.fault(vec::GP, 0);
}

// Loads CS with a checked code segment (at the CPL in force now) and continues at `eip`.
void enter_code_segment(ExecutionContext& c, Segment code, uint16_t selector, uint64_t descriptor,
                        uint32_t eip) {
    c.set_descriptor_accessed(selector, descriptor);
    code.access |= 1;
    code.selector = static_cast<uint16_t>((selector & 0xFFFC) | c.state.cpl);
    c.load_code_segment(code);
    c.state.eip = eip;
}

// A far JMP or CALL to a system descriptor: a TSS or a task gate switches tasks (nothing returned),
// a call gate is returned for the caller to follow; any other type is #GP(selector). The
// descriptor's DPL and presence are checked first, as the gate's are.
std::optional<Gate> system_target(ExecutionContext& c, uint16_t selector, uint64_t d,
                                  ExecutionContext::TaskSwitchReason reason) {
    const uint32_t err = selector & 0xFFFC;
    const Gate gate = Gate::decode(d);
    check_gate_access(c, gate.access, std::max(c.state.cpl, selector & 3u), err);
    if (sysdesc::is_available_tss(gate.access)) {
        c.task_switch(selector, d, reason);
        return std::nullopt;
    }
    if (sysdesc::is_task_gate(gate.access)) {
        switch_through_task_gate(c, gate, reason, 0);
        return std::nullopt;
    }
    if (!sysdesc::is_call_gate(gate.access)) c.fault(vec::GP, err);
    return gate;
}

}  // namespace

void ExecutionContext::load_cs_real(uint16_t selector, uint32_t eip) {
    load_real_mode_segment(CS, selector);
    state.eip = insn.opsize32 ? eip : eip & 0xFFFF;
}

void ExecutionContext::far_jump(uint16_t selector, uint32_t offset) {
    if (!protected_mode() || v86()) return load_cs_real(selector, offset);
    const uint32_t err = selector & 0xFFFC;
    if (err == 0) fault(vec::GP, 0);
    const uint64_t d = read_descriptor(selector, vec::GP);
    Segment target;
    set_cached(target, selector, d);
    const unsigned rpl = selector & 3;
    if (!target.system()) {
        if (!insn.opsize32) offset &= 0xFFFF;
        check_direct_code_target(*this, target, rpl, err, offset);
        return enter_code_segment(*this, target, selector, d, offset);
    }
    const std::optional<Gate> gate = system_target(*this, selector, d, TaskSwitchReason::Jump);
    if (!gate) return;
    // JMP through a call gate: no privilege change allowed.
    const GateTarget t = gate_code_target(*this, *gate, true, 0);
    enter_code_segment(*this, t.code, gate->selector, t.descriptor, gate->offset);
}

void ExecutionContext::far_call(uint16_t selector, uint32_t offset) {
    const unsigned size = opsize();
    if (!protected_mode() || v86()) {
        const uint32_t ret = state.eip;
        push(size, state.seg[CS].selector);
        push(size, ret);
        return load_cs_real(selector, offset);
    }
    const uint32_t err = selector & 0xFFFC;
    if (err == 0) fault(vec::GP, 0);
    const uint64_t d = read_descriptor(selector, vec::GP);
    Segment target;
    set_cached(target, selector, d);
    const unsigned rpl = selector & 3;
    if (!target.system()) {
        if (!insn.opsize32) offset &= 0xFFFF;
        check_direct_code_target(*this, target, rpl, err, offset);
        StackWriter w{*this, state.seg[SS], state.regs[ESP], 0};
        w.push_all(size, {state.seg[CS].selector, state.eip});
        set_sp(w.esp);
        return enter_code_segment(*this, target, selector, d, offset);
    }
    const std::optional<Gate> gate = system_target(*this, selector, d, TaskSwitchReason::Call);
    if (!gate) return;
    const GateTarget t = gate_code_target(*this, *gate, false, 0);
    const Segment& code = t.code;
    const unsigned gsize = gate->is_32bit() ? 32 : 16;
    if (!code.conforming() && code.dpl() < state.cpl) {
        // Inner privilege: new stack from the TSS, copy `count` parameters from the caller's stack.
        const unsigned new_cpl = code.dpl();
        uint16_t ss_sel = 0;
        const uint32_t new_esp = tss_stack_pointer(new_cpl, ss_sel);
        const uint32_t ss_err = ss_sel & 0xFFFC;
        if (ss_err == 0) fault(vec::TS, 0);
        if (!descriptor_in_limits(ss_sel)) fault(vec::TS, ss_err);
        const uint64_t sd = read_descriptor_raw(ss_sel);
        Segment ss;
        set_cached(ss, ss_sel, sd);
        if ((ss_sel & 3) != new_cpl || ss.dpl() != new_cpl || ss.system() || !ss.writable())
            fault(vec::TS, ss_err);
        if (!ss.present()) fault(vec::SS, ss_err);
        const unsigned count = gate->param_count;
        uint32_t params[32];
        for (unsigned i = 0; i < count; ++i) params[i] = peek_stack(gsize, (count - 1 - i) * (gsize / 8));
        StackWriter w{*this, ss, new_esp, ss_err};
        w.push_all(gsize, {state.seg[SS].selector, state.regs[ESP]});
        for (unsigned i = 0; i < count; ++i) w.push(gsize, params[i]);
        w.push_all(gsize, {state.seg[CS].selector, state.eip});
        set_descriptor_accessed(ss_sel, sd);
        ss.access |= 1;
        state.seg[SS] = ss;
        state.regs[ESP] = ss.big ? w.esp : (state.regs[ESP] & 0xFFFF0000u) | (w.esp & 0xFFFF);
        state.cpl = new_cpl;
    } else {
        StackWriter w{*this, state.seg[SS], state.regs[ESP], 0};
        w.push_all(gsize, {state.seg[CS].selector, state.eip});
        set_sp(w.esp);
    }
    enter_code_segment(*this, code, gate->selector, t.descriptor, gate->offset);
}

void ExecutionContext::far_return(uint32_t pop_bytes) {
    const unsigned size = opsize(), bytes = size / 8;
    const uint32_t new_eip = peek_stack(size, 0);
    const uint16_t new_cs = static_cast<uint16_t>(peek_stack(size, bytes));
    if (!protected_mode() || v86()) {
        set_sp(state.regs[ESP] + 2 * bytes + pop_bytes);
        return load_cs_real(new_cs, new_eip);
    }
    const uint32_t err = new_cs & 0xFFFC;
    const unsigned rpl = new_cs & 3;
    if (err == 0) fault(vec::GP, 0);
    if (rpl < state.cpl) fault(vec::GP, err);
    const uint64_t d = read_descriptor(new_cs, vec::GP);
    Segment code;
    set_cached(code, new_cs, d);
    if (code.system() || !code.code()) fault(vec::GP, err);
    if (code.conforming() ? code.dpl() > rpl : code.dpl() != rpl) fault(vec::GP, err);
    if (!code.present()) fault(vec::NP, err);
    const uint32_t eip = size == 16 ? new_eip & 0xFFFF : new_eip;
    if (eip > code.limit) fault(vec::GP, 0);

    if (rpl == state.cpl) {
        set_sp(state.regs[ESP] + 2 * bytes + pop_bytes);
    } else {
        // Return to an outer level: the caller's SS:ESP follow the parameters.
        const uint32_t new_esp = peek_stack(size, 2 * bytes + pop_bytes);
        const uint16_t ss_sel = static_cast<uint16_t>(peek_stack(size, 3 * bytes + pop_bytes));
        const uint32_t ss_err = ss_sel & 0xFFFC;
        if (ss_err == 0) fault(vec::GP, 0);
        const uint64_t sd = read_descriptor(ss_sel, vec::GP);
        Segment ss;
        set_cached(ss, ss_sel, sd);
        if ((ss_sel & 3) != rpl || ss.dpl() != rpl || ss.system() || !ss.writable()) fault(vec::GP, ss_err);
        if (!ss.present()) fault(vec::SS, ss_err);
        set_descriptor_accessed(ss_sel, sd);
        ss.access |= 1;
        state.seg[SS] = ss;
        state.regs[ESP] =
            ss.big ? new_esp + pop_bytes : (state.regs[ESP] & 0xFFFF0000u) | ((new_esp + pop_bytes) & 0xFFFF);
        state.cpl = rpl;
    }
    set_descriptor_accessed(new_cs, d);
    code.access |= 1;
    load_code_segment(code);
    state.eip = eip;
    if (rpl != 0) check_null_segments_on_return();
}

void ExecutionContext::iret() {
    const unsigned size = opsize(), bytes = size / 8;
    if (!protected_mode() || v86()) {
        if (v86() && iopl() < 3) fault(vec::GP, 0);
        const uint32_t new_eip = peek_stack(size, 0);
        const uint16_t new_cs = static_cast<uint16_t>(peek_stack(size, bytes));
        uint32_t new_flags = peek_stack(size, 2 * bytes);
        if (size == 32 && new_eip > 0xFFFF && v86()) fault(vec::GP, 0);
        set_sp(state.regs[ESP] + 3 * bytes);
        const uint32_t old = flags;  // only bits that are never lazy are kept from it: no folding
        uint32_t keep = flag::VM | flag::RF;
        if (v86()) keep |= flag::IOPL;
        if (size == 16) new_flags = (old & 0xFFFF0000u) | (new_flags & 0xFFFF);
        set_eflags((new_flags & ~keep) | (old & keep));
        load_real_mode_segment(CS, new_cs);
        state.eip = new_eip & (size == 16 ? 0xFFFF : 0xFFFFFFFFu);
        return;
    }
    if (flags & flag::NT) {  // return to the task that called this one
        const uint16_t back = static_cast<uint16_t>(sys_read(state.tr.base, 16));
        if ((back & 0xFFFC) == 0 || (back & 4)) fault(vec::TS, back & 0xFFFC);
        const uint64_t d = read_descriptor(back, vec::TS);
        return task_switch(back, d, TaskSwitchReason::Iret);
    }
    const uint32_t new_eip = peek_stack(size, 0);
    const uint16_t new_cs = static_cast<uint16_t>(peek_stack(size, bytes));
    const uint32_t new_flags = peek_stack(size, 2 * bytes);

    if (size == 32 && (new_flags & flag::VM) && state.cpl == 0) {
        // Back to V86 mode: the frame holds ESP SS ES DS FS GS as well.
        const uint32_t new_esp = peek_stack(32, 12);
        const uint16_t ss = static_cast<uint16_t>(peek_stack(32, 16));
        const uint16_t es = static_cast<uint16_t>(peek_stack(32, 20));
        const uint16_t ds = static_cast<uint16_t>(peek_stack(32, 24));
        const uint16_t fs = static_cast<uint16_t>(peek_stack(32, 28));
        const uint16_t gs = static_cast<uint16_t>(peek_stack(32, 32));
        set_eflags(new_flags);
        state.cpl = 3;
        load_real_mode_segment(CS, new_cs);
        load_real_mode_segment(SS, ss);
        load_real_mode_segment(ES, es);
        load_real_mode_segment(DS, ds);
        load_real_mode_segment(FS, fs);
        load_real_mode_segment(GS, gs);
        state.regs[ESP] = new_esp;
        state.eip = new_eip & 0xFFFF;
        return;
    }

    const uint32_t err = new_cs & 0xFFFC;
    const unsigned rpl = new_cs & 3;
    if (err == 0) fault(vec::GP, 0);
    if (rpl < state.cpl) fault(vec::GP, err);
    const uint64_t d = read_descriptor(new_cs, vec::GP);
    Segment code;
    set_cached(code, new_cs, d);
    if (code.system() || !code.code()) fault(vec::GP, err);
    if (code.conforming() ? code.dpl() > rpl : code.dpl() != rpl) fault(vec::GP, err);
    if (!code.present()) fault(vec::NP, err);
    const uint32_t eip = size == 16 ? new_eip & 0xFFFF : new_eip;
    if (eip > code.limit) fault(vec::GP, 0);

    // Which flags this IRET may change: IOPL only at CPL 0, IF only when CPL <= IOPL; VM only via
    // the V86 path above. Only bits that are never lazy are kept from the old value: no folding.
    const uint32_t old = flags;
    uint32_t keep = flag::VM;
    if (state.cpl > 0) keep |= flag::IOPL;
    if (state.cpl > iopl()) keep |= flag::IF;
    uint32_t merged = size == 16 ? (old & 0xFFFF0000u) | (new_flags & 0xFFFF) : new_flags;
    merged = (merged & ~keep) | (old & keep);

    if (rpl == state.cpl) {
        set_sp(state.regs[ESP] + 3 * bytes);
    } else {
        const uint32_t new_esp = peek_stack(size, 3 * bytes);
        const uint16_t ss_sel = static_cast<uint16_t>(peek_stack(size, 4 * bytes));
        const uint32_t ss_err = ss_sel & 0xFFFC;
        if (ss_err == 0) fault(vec::GP, 0);
        const uint64_t sd = read_descriptor(ss_sel, vec::GP);
        Segment ss;
        set_cached(ss, ss_sel, sd);
        if ((ss_sel & 3) != rpl || ss.dpl() != rpl || ss.system() || !ss.writable()) fault(vec::GP, ss_err);
        if (!ss.present()) fault(vec::SS, ss_err);
        set_descriptor_accessed(ss_sel, sd);
        ss.access |= 1;
        state.seg[SS] = ss;
        state.regs[ESP] = ss.big ? new_esp : (state.regs[ESP] & 0xFFFF0000u) | (new_esp & 0xFFFF);
    }
    set_descriptor_accessed(new_cs, d);
    code.access |= 1;
    load_code_segment(code);
    state.eip = eip;
    const bool outer = rpl != state.cpl;
    state.cpl = rpl;
    set_eflags(merged);
    if (outer) check_null_segments_on_return();
}

}  // namespace pc386
