// Hardware task switches (JMP/CALL/INT/IRET to a 386 or 286 TSS): save the outgoing task's registers
// in its TSS, update busy bits and the back link, load the incoming task's registers, LDT and CR3, and
// set CR0.TS. Faults after the switch point (bad segments in the new TSS) are #TS in the new task.
//
// A 286 TSS (types 1/3, limit at least 2Bh) holds 16-bit IP, FLAGS and registers, ES CS SS DS and the
// LDT; no CR3 (paging stays as it is), no FS/GS, no I/O bitmap, no T bit. Loading one sets the upper
// words of the eight general registers to FFFFh and loads FS and GS with the null selector (a real
// 386, as test386.asm verified on hardware; Bochs does the same); the upper words of EIP and EFLAGS
// become 0.
#include "cpu/cpu.h"
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

void Cpu::task_switch(uint16_t selector, uint64_t descriptor, TaskSwitchReason reason, bool has_error,
                      uint32_t error) {
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
    const uint32_t old_base = s_.tr.base;
    uint32_t old_flags = eflags();
    if (reason == TaskSwitchReason::Iret) old_flags &= ~flag::NT;
    if (sysdesc::is_386_tss(s_.tr.access)) {
        sys_write(old_base + kEip, 32, s_.eip);
        sys_write(old_base + kEflags, 32, old_flags);
        for (unsigned r = 0; r < 8; ++r) sys_write(old_base + kRegs + r * 4, 32, s_.regs[r]);
        for (unsigned sreg = 0; sreg < 6; ++sreg)
            sys_write(old_base + kSegs + sreg * 4, 16, s_.seg[sreg].selector);
    } else {  // a 286 TSS: the low words, ES CS SS DS
        sys_write(old_base + kIp16, 16, s_.eip & 0xFFFF);
        sys_write(old_base + kFlags16, 16, old_flags & 0xFFFF);
        for (unsigned r = 0; r < 8; ++r) sys_write(old_base + kRegs16 + r * 2, 16, s_.regs[r] & 0xFFFF);
        for (unsigned sreg = 0; sreg < 4; ++sreg)
            sys_write(old_base + kSegs16 + sreg * 2, 16, s_.seg[sreg].selector);
    }

    auto set_busy = [this](uint16_t sel, bool on) {
        const uint32_t at = s_.gdtr.base + (sel & 0xFFF8u) + 5;
        const uint8_t access = static_cast<uint8_t>(sys_read(at, 8));
        sys_write(at, 8, on ? (access | sysdesc::kBusyBit) : (access & ~sysdesc::kBusyBit));
    };
    if (reason == TaskSwitchReason::Jump || reason == TaskSwitchReason::Iret) set_busy(s_.tr.selector, false);
    if (reason != TaskSwitchReason::Iret) set_busy(selector, true);
    if (reason == TaskSwitchReason::Call || reason == TaskSwitchReason::Interrupt)
        sys_write(incoming.base + kBackLink, 16, s_.tr.selector);

    if (events_ && events_->on())
        events_->record(EventKind::TaskSwitch, s_.tr.selector, selector, static_cast<uint32_t>(reason));

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
    s_.tr = incoming;
    s_.tr.selector = selector;
    if (reason == TaskSwitchReason::Call || reason == TaskSwitchReason::Interrupt) new_flags |= flag::NT;
    if (new386 && (cr0() & cr0::PG)) set_cr3(new_cr3);
    for (unsigned r = 0; r < 8; ++r) s_.regs[r] = regs[r];
    s_.eip = new_eip;
    set_eflags(new_flags);
    mmu_.set_cr0(cr0() | cr0::TS);
    s_.dr[7] &= ~0x55u;  // the local breakpoint enables (L0-L3) belong to the task left
    update_breakpoints();

    // Segment state of the new task; any problem is #TS (or #NP/#SS) in the new task's context.
    if ((ldt & 0xFFFC) == 0) {
        s_.ldtr = Segment{};
        s_.ldtr.selector = ldt;
        s_.ldtr.valid = false;
    } else {
        if ((ldt & 4) || !descriptor_in_limits(ldt)) fault(vec::TS, ldt & 0xFFFC);
        const uint64_t d = read_descriptor_raw(ldt);
        const auto access = static_cast<uint8_t>(d >> 40);
        if (!sysdesc::is_ldt(access) || !sysdesc::present(access)) fault(vec::TS, ldt & 0xFFFC);
        set_cached(s_.ldtr, ldt, d);
    }
    if (new_flags & flag::VM) {
        s_.cpl = 3;
        for (unsigned sreg = 0; sreg < 6; ++sreg)
            load_real_mode_segment(static_cast<SegReg>(sreg), sels[sreg]);
    } else {
        const uint16_t cs = sels[CS];
        s_.cpl = cs & 3;
        if ((cs & 0xFFFC) == 0 || !descriptor_in_limits(cs)) fault(vec::TS, cs & 0xFFFC);
        const uint64_t cd = read_descriptor_raw(cs);
        Segment code;
        set_cached(code, cs, cd);
        if (code.system() || !code.code() || (code.conforming() ? code.dpl() > s_.cpl : code.dpl() != s_.cpl))
            fault(vec::TS, cs & 0xFFFC);
        if (!code.present()) fault(vec::NP, cs & 0xFFFC);
        s_.seg[CS] = code;
        const bool loaded = mmu_.faults().attempt([&] {
            load_segment(SS, sels[SS]);
            load_segment(ES, sels[ES]);
            load_segment(DS, sels[DS]);
            load_segment(FS, sels[FS]);  // null from a 286 TSS (sels[] starts zeroed)
            load_segment(GS, sels[GS]);
        });
        if (!loaded) {
            const GuestFault& f = mmu_.faults().fault();
            if (f.vector == vec::GP) fault(vec::TS, f.error);  // segment errors surface as #TS here
            mmu_.faults().reraise();
        }
    }
    if (has_error) {
        StackWriter w{*this, s_.seg[SS], s_.regs[ESP], 0};
        w.push(s_.seg[CS].big ? 32 : 16, error);
        set_sp(w.esp);
    }
    if (s_.eip > s_.seg[CS].limit) fault(vec::GP, 0);
    // The T bit (TSS offset 64h): a debug trap (DR6.BT) before the new task's first instruction.
    // It is taken at the end of the instruction that switched (JMP, CALL, INT n, IRET), or right
    // after the delivery of an exception or hardware interrupt through a task gate
    // (Cpu::take_task_trap).
    if (new386 && (sys_read(nb + 0x64, 16) & 1)) {
        pending_dr6_ |= 1u << 15;
        attention_ = true;
    }
}

}  // namespace pc386
