// Gate checks shared by far CALL/JMP and interrupt delivery (see gate_checks.h).
#include "cpu/gate_checks.h"

namespace pc386 {

void check_gate_access(ExecutionContext& c, uint8_t access, unsigned min_dpl, uint32_t err) {
    if (sysdesc::dpl(access) < min_dpl) c.fault(vec::GP, err);
    if (!sysdesc::present(access)) c.fault(vec::NP, err);
}

GateTarget gate_code_target(ExecutionContext& c, const Gate& gate, bool jump, uint32_t ext) {
    const uint16_t selector = gate.selector;
    const uint32_t err = (selector & 0xFFFC) + ext;
    if ((selector & 0xFFFC) == 0) c.fault(vec::GP, ext);
    if (!c.descriptor_in_limits(selector)) c.fault(vec::GP, err);
    GateTarget t{c.read_descriptor_raw(selector), {}};
    c.set_cached(t.code, selector, t.descriptor);
    const unsigned cpl = c.state.cpl, dpl = t.code.dpl();
    const bool privilege_ok = (jump && !t.code.conforming()) ? dpl == cpl : dpl <= cpl;
    if (t.code.system() || !t.code.code() || !privilege_ok) c.fault(vec::GP, err);
    if (!t.code.present()) c.fault(vec::NP, err);
    if (gate.offset > t.code.limit) c.fault(vec::GP, 0);
    return t;
}

void switch_through_task_gate(ExecutionContext& c, const Gate& gate,
                              ExecutionContext::TaskSwitchReason reason, uint32_t ext, bool has_error,
                              uint32_t error) {
    const uint16_t tss = gate.selector;
    if (tss & 4) c.fault(vec::GP, (tss & 0xFFFC) + ext);
    c.task_switch(tss, c.read_descriptor(tss, vec::GP), reason, has_error, error);
}

}  // namespace pc386
