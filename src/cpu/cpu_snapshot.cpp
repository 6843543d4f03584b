// The CPU's part of a machine snapshot. A snapshot is taken between run() calls, at an instruction
// boundary, so nothing of an instruction in progress (prefixes, the decoded operand, a pending
// data-breakpoint trap) needs to travel: only what the next instruction can observe.
#include "cpu/execution_context.h"

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

void ExecutionContext::transfer_state(StateArchive& ar) {
    ar.section("cpu");
    ar.expect(static_cast<uint64_t>(model), "the CPU model (0 = 386, 1 = 486)");
    ar.field(state.regs);
    ar.field(state.eip);
    for (Segment& seg : state.seg) transfer_segment(ar, seg);
    transfer_segment(ar, state.ldtr);
    transfer_segment(ar, state.tr);
    transfer_table(ar, state.gdtr);
    transfer_table(ar, state.idtr);
    for (uint32_t* r : {&state.cr2, &state.cr4, &state.tr6, &state.tr7})
        ar.field(*r);  // CR0, CR3: the MMU's part
    ar.field(state.dr);
    ar.field(state.cpl);
    if (state.cpl > 3) ar.fail("a privilege level above 3");
    uint32_t eflags_value = eflags();
    ar.field(eflags_value);
    ar.field(halted);
    ar.field(shutdown);
    ar.field(inhibit_interrupts);
    ar.field(instructions);
    ar.field(exceptions);
    ar.field(interrupts);
    ar.field(reported_mode);
    if (!ar.loading()) return;

    set_eflags(eflags_value);
    lazy_op = FlagOp::None;
    pending_dr6 = 0;
    update_breakpoints();
    update_access_checks();
    flush_decode_cache();  // RAM was replaced wholesale; also forgets the current code page
    // CR0 and CR3 came back with the MMU's part, which the machine loads before this one.
}

}  // namespace pc386
