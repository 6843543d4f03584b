// Hardware task switches (JMP/CALL/INT/IRET to a 386 or 286 TSS): save the outgoing task's registers
// in its TSS, update busy bits and the back link, load the incoming task's registers, LDT and CR3, and
// set CR0.TS. Faults after the switch point (bad segments in the new TSS) are #TS in the new task.
//
// A 286 TSS (types 1/3, limit at least 2Bh) holds 16-bit IP, FLAGS and registers, ES CS SS DS and the
// LDT; no CR3 (paging stays as it is), no FS/GS, no I/O bitmap, no T bit. Loading one sets the upper
// words of the eight general registers to FFFFh and loads FS and GS with the null selector (a real
// 386, as test386.asm verified on hardware; Bochs does the same); the upper words of EIP and EFLAGS
// become 0.
#include "cpu/execution_context.h"
#include "cpu/stack_frame.h"
#include "cpu/system_descriptor.h"

namespace pc386 {
namespace {

// 386 TSS layout.
constexpr uint32_t kBackLink = 0x00, kCr3 = 0x1C, kEip = 0x20, kEflags = 0x24, kRegs = 0x28, kSegs = 0x48,
                   kLdt = 0x60;
// 286 TSS layout: IP, FLAGS, AX..DI (words), ES CS SS DS, LDT.
constexpr uint32_t kIp16 = 0x0E, kFlags16 = 0x10, kRegs16 = 0x12, kSegs16 = 0x22, kLdt16 = 0x2A;

}  // namespace

void ExecutionContext::task_switch(uint16_t selector, uint64_t descriptor, TaskSwitchReason reason,
                                   bool has_error, uint32_t error) {
    Segment incoming;
    set_cached(incoming, selector, descriptor);
    const uint32_t err = selector & 0xFFFC;
    // Not a TSS (a task gate may name anything): #GP(selector).
    if (!sysdesc::is_tss(incoming.access)) fault(vec::GP, err);
    const bool busy = sysdesc::is_busy_tss(incoming.access);
    const bool new386 = sysdesc::is_386_tss(incoming.access);
    if (reason == TaskSwitchReason::Iret ? !busy : busy) fault(vec::GP, err);
    if (!incoming.present()) fault(vec::NP, err);
    if (incoming.limit < (new386 ? 0x67u : 0x2Bu)) fault(vec::TS, err);

    // Save the outgoing task.
    const uint32_t old_base = state.tr.base;
    uint32_t old_flags = eflags();
    if (reason == TaskSwitchReason::Iret) old_flags &= ~flag::NT;
    if (sysdesc::is_386_tss(state.tr.access)) {
        sys_write(old_base + kEip, 32, state.eip);
        sys_write(old_base + kEflags, 32, old_flags);
        for (unsigned r = 0; r < 8; ++r) sys_write(old_base + kRegs + r * 4, 32, state.regs[r]);
        for (unsigned sreg = 0; sreg < 6; ++sreg)
            sys_write(old_base + kSegs + sreg * 4, 16, state.seg[sreg].selector);
    } else {  // a 286 TSS: the low words, ES CS SS DS
        sys_write(old_base + kIp16, 16, state.eip & 0xFFFF);
        sys_write(old_base + kFlags16, 16, old_flags & 0xFFFF);
        for (unsigned r = 0; r < 8; ++r) sys_write(old_base + kRegs16 + r * 2, 16, state.regs[r] & 0xFFFF);
        for (unsigned sreg = 0; sreg < 4; ++sreg)
            sys_write(old_base + kSegs16 + sreg * 2, 16, state.seg[sreg].selector);
    }

    auto set_busy = [this](uint16_t sel, bool on) {
        const uint32_t at = state.gdtr.base + (sel & 0xFFF8u) + 5;
        const uint8_t access = static_cast<uint8_t>(sys_read(at, 8));
        sys_write(at, 8, on ? (access | sysdesc::kBusyBit) : (access & ~sysdesc::kBusyBit));
    };
    if (reason == TaskSwitchReason::Jump || reason == TaskSwitchReason::Iret)
        set_busy(state.tr.selector, false);
    if (reason != TaskSwitchReason::Iret) set_busy(selector, true);
    if (reason == TaskSwitchReason::Call || reason == TaskSwitchReason::Interrupt)
        sys_write(incoming.base + kBackLink, 16, state.tr.selector);

    if (events && events->on())
        events->record(EventKind::TaskSwitch, state.tr.selector, selector, static_cast<uint32_t>(reason));

    // Load the incoming task's state.
    const uint32_t nb = incoming.base;
    uint32_t new_cr3 = 0, new_eip, new_flags;
    uint32_t regs[8];
    uint16_t sels[6] = {}, ldt;
    if (new386) {
        new_cr3 = sys_read(nb + kCr3, 32);
        new_eip = sys_read(nb + kEip, 32);
        new_flags = sys_read(nb + kEflags, 32);
        for (unsigned r = 0; r < 8; ++r) regs[r] = sys_read(nb + kRegs + r * 4, 32);
        for (unsigned sreg = 0; sreg < 6; ++sreg)
            sels[sreg] = static_cast<uint16_t>(sys_read(nb + kSegs + sreg * 4, 16));
        ldt = static_cast<uint16_t>(sys_read(nb + kLdt, 16));
    } else {
        new_eip = sys_read(nb + kIp16, 16);
        new_flags = sys_read(nb + kFlags16, 16);
        for (unsigned r = 0; r < 8; ++r) regs[r] = 0xFFFF0000u | sys_read(nb + kRegs16 + r * 2, 16);
        for (unsigned sreg = 0; sreg < 4; ++sreg)
            sels[sreg] = static_cast<uint16_t>(sys_read(nb + kSegs16 + sreg * 2, 16));
        ldt = static_cast<uint16_t>(sys_read(nb + kLdt16, 16));
    }

    incoming.access |= sysdesc::kBusyBit;
    state.tr = incoming;
    state.tr.selector = selector;
    if (reason == TaskSwitchReason::Call || reason == TaskSwitchReason::Interrupt) new_flags |= flag::NT;
    if (new386 && (cr0() & cr0::PG)) set_cr3(new_cr3);
    for (unsigned r = 0; r < 8; ++r) state.regs[r] = regs[r];
    state.eip = new_eip;
    set_eflags(new_flags);
    mmu.set_cr0(cr0() | cr0::TS);
    state.dr[7] &= ~0x55u;  // the local breakpoint enables (L0-L3) belong to the task left
    update_breakpoints();

    // Segment state of the new task; any problem is #TS (or #NP/#SS) in the new task's context.
    if ((ldt & 0xFFFC) == 0) {
        state.ldtr = Segment{};
        state.ldtr.selector = ldt;
        state.ldtr.valid = false;
    } else {
        if ((ldt & 4) || !descriptor_in_limits(ldt)) fault(vec::TS, ldt & 0xFFFC);
        const uint64_t d = read_descriptor_raw(ldt);
        const auto access = static_cast<uint8_t>(d >> 40);
        if (!sysdesc::is_ldt(access) || !sysdesc::present(access)) fault(vec::TS, ldt & 0xFFFC);
        set_cached(state.ldtr, ldt, d);
    }
    if (new_flags & flag::VM) {
        state.cpl = 3;
        for (unsigned sreg = 0; sreg < 6; ++sreg)
            load_real_mode_segment(static_cast<SegReg>(sreg), sels[sreg]);
    } else {
        const uint16_t cs = sels[CS];
        state.cpl = cs & 3;
        if ((cs & 0xFFFC) == 0 || !descriptor_in_limits(cs)) fault(vec::TS, cs & 0xFFFC);
        const uint64_t cd = read_descriptor_raw(cs);
        Segment code;
        set_cached(code, cs, cd);
        if (code.system() || !code.code() ||
            (code.conforming() ? code.dpl() > state.cpl : code.dpl() != state.cpl))
            fault(vec::TS, cs & 0xFFFC);
        if (!code.present()) fault(vec::NP, cs & 0xFFFC);
        load_code_segment(code);
        const bool loaded = mmu.faults().attempt([&] {
            load_segment(SS, sels[SS]);
            load_segment(ES, sels[ES]);
            load_segment(DS, sels[DS]);
            load_segment(FS, sels[FS]);  // null from a 286 TSS (sels[] starts zeroed)
            load_segment(GS, sels[GS]);
        });
        if (!loaded) {
            const GuestFault& f = mmu.faults().fault();
            if (f.vector == vec::GP) fault(vec::TS, f.error);  // segment errors surface as #TS here
            mmu.faults().reraise();
        }
    }
    if (has_error) {
        StackWriter w{*this, state.seg[SS], state.regs[ESP], 0};
        w.push(state.seg[CS].big ? 32 : 16, error);
        set_sp(w.esp);
    }
    if (state.eip > state.seg[CS].limit) fault(vec::GP, 0);
    // The T bit (TSS offset 64h): a debug trap (DR6.BT) before the new task's first instruction.
    // It is taken at the end of the instruction that switched (JMP, CALL, INT n, IRET), or right
    // after the delivery of an exception or hardware interrupt through a task gate
    // (ExecutionContext::take_task_trap).
    if (new386 && (sys_read(nb + 0x64, 16) & 1)) {
        pending_dr6 |= 1u << 15;
        attention = true;
    }
}

}  // namespace pc386
