// The CPU's part of a machine snapshot. A snapshot is taken between run() calls, at an instruction
// boundary, so nothing of an instruction in progress (prefixes, the decoded operand, a pending
// data-breakpoint trap) needs to travel: only what the next instruction can observe.
#include "cpu/cpu.h"

namespace pc386 {
namespace {

void transfer_segment(StateArchive& ar, Segment& seg) {
    ar.field(seg.selector);
    ar.field(seg.base);
    ar.field(seg.limit);
    ar.field(seg.access);
    ar.field(seg.big);
    ar.field(seg.granular);
    ar.field(seg.valid);
}

void transfer_table(StateArchive& ar, TableRegister& table) {
    ar.field(table.base);
    ar.field(table.limit);
}

}  // namespace

void Cpu::transfer_state(StateArchive& ar) {
    ar.section("cpu");
    ar.expect(static_cast<uint64_t>(model_), "the CPU model (0 = 386, 1 = 486)");
    ar.field(s_.regs);
    ar.field(s_.eip);
    for (Segment& seg : s_.seg) transfer_segment(ar, seg);
    transfer_segment(ar, s_.ldtr);
    transfer_segment(ar, s_.tr);
    transfer_table(ar, s_.gdtr);
    transfer_table(ar, s_.idtr);
    for (uint32_t* r : {&s_.cr2, &s_.cr4, &s_.tr6, &s_.tr7}) ar.field(*r);  // CR0, CR3: the MMU's part
    ar.field(s_.dr);
    ar.field(s_.cpl);
    if (s_.cpl > 3) ar.fail("a privilege level above 3");
    uint32_t eflags_value = eflags();
    ar.field(eflags_value);
    ar.field(halted_);
    ar.field(shutdown_);
    ar.field(inhibit_interrupts_);
    ar.field(instructions_);
    ar.field(exceptions_);
    ar.field(interrupts_);
    ar.field(reported_mode_);
    if (!ar.loading()) return;

    set_eflags(eflags_value);
    lazy_op_ = FlagOp::None;
    pending_dr6_ = 0;
    update_breakpoints();
    update_access_checks();
    flush_decode_cache();  // RAM was replaced wholesale; also forgets the current code page
    // CR0 and CR3 came back with the MMU's part, which the machine loads before this one.
}

}  // namespace pc386
