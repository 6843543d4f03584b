// Lazy arithmetic flags. ADD/ADC/SUB/SBB/CMP/NEG/INC/DEC and the logic ops record their operands
// and result; shifts and multiplies their result (ZF, SF, PF) with CF, OF and AF set; each flag is
// computed only when something reads it (Jcc, PUSHF, ...; lazy_flags.h). BCD and the few others
// set flags eagerly through set_arith_flags().
#include "cpu/execution_context.h"

namespace pc386 {

void ExecutionContext::materialize_flags() {
    if (lazy_op == FlagOp::None) return;
    uint32_t f = flags & ~flag::kArith;
    if (cf()) f |= flag::CF;
    if (pf()) f |= flag::PF;
    if (af()) f |= flag::AF;
    if (zf()) f |= flag::ZF;
    if (sf()) f |= flag::SF;
    if (of()) f |= flag::OF;
    flags = f;
    lazy_op = FlagOp::None;
}

uint32_t ExecutionContext::eflags() const {
    ExecutionContext& self =
        const_cast<ExecutionContext&>(*this);  // folding lazy flags does not change the architectural value
    self.materialize_flags();
    return flags;
}

void ExecutionContext::set_eflags(uint32_t value) {
    // Bits 3, 5, 15 and 18-31 are reserved (0) on a 386; bit 1 is always 1. The 486 adds AC (18)
    // and ID (21): whether they toggle is how software tells a 486 (with CPUID) from a 386.
    lazy_op = FlagOp::None;
    const uint32_t old = flags;
    flags = (value & eflags_writable) | flag::kReserved1;
    // TF and RF act at the next boundaries, and an IF just set may let a pending INTR in.
    if ((flags & (flag::TF | flag::RF)) || (flags & ~old & flag::IF)) attention = true;
    update_access_checks();
    if (((old ^ flags) & flag::VM) && events && events->on()) note_mode(cr0());  // V86 entered or left
}

}  // namespace pc386
