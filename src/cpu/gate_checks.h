// The checks the 386 makes when control passes through a gate, written once for far CALL/JMP
// (far_transfer.cpp) and interrupt delivery (interrupts.cpp). The manual's pseudo-code for CALL,
// JMP and INT n applies the same rules to the gate descriptor (DPL, then present) and to the code
// segment a call, interrupt or trap gate names; what differs is who is held to the gate's DPL
// (CALL/JMP: CPL and RPL; INT n, INT 3, INTO: CPL; hardware interrupts and exceptions: nobody)
// and that JMP may not change privilege.
#pragma once

#include "cpu/execution_context.h"
#include "cpu/system_descriptor.h"

namespace pc386 {

// The gate (or a TSS named directly by CALL/JMP): DPL below `min_dpl` is #GP(err), not present
// is #NP(err). Pass min_dpl 0 when the privilege check does not apply.
void check_gate_access(ExecutionContext& c, uint8_t access, unsigned min_dpl, uint32_t err);

// The code segment a call, interrupt or trap gate leads to, checked: a null selector is #GP(ext);
// outside its table, not code, or more privileged rules broken is #GP(selector + ext); not
// present is #NP(selector + ext); the gate's offset past the limit is #GP(0). `ext` is 1 for
// hardware interrupts and exceptions. A JMP (`jump`) may not change privilege: a non-conforming
// target must be at CPL; otherwise any code segment at DPL <= CPL.
struct GateTarget {
    uint64_t descriptor;
    Segment code;  // cached from `descriptor`, selector as in the gate
};
GateTarget gate_code_target(ExecutionContext& c, const Gate& gate, bool jump, uint32_t ext);

// A task gate: the task switch to the TSS it names, which must be in the GDT (TI set is
// #GP(selector + ext)); the TSS's own checks are ExecutionContext::task_switch's.
void switch_through_task_gate(ExecutionContext& c, const Gate& gate,
                              ExecutionContext::TaskSwitchReason reason, uint32_t ext, bool has_error = false,
                              uint32_t error = 0);

}  // namespace pc386
