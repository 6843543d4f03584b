// The fast path of the record forms' 32-bit stack (PUSH, POP, CALL, RET): when SS is a 32-bit
// stack (B = 1), segment_allows() passes the dword at the new top and no alignment check or data
// breakpoint is armed, the access goes straight to the MMU (its TLB fast path, or the walk and the
// same page faults as ever) and ESP moves by 4. Anything else takes push()/pop()/peek_stack(),
// which make every check, raise the #SS and wrap a 16-bit SP at 64 KiB.
#pragma once

#include "cpu/execution_context.h"

namespace pc386 {

inline bool flat_stack_allowed(const ExecutionContext& c, uint32_t sp) {
    return c.state.seg[SS].big && !c.access_checks && c.segment_allows(SS, sp, 4, true);
}

// PUSH of a dword: ESP changes only once the write succeeded.
inline void push32(ExecutionContext& c, uint32_t value) {
    const uint32_t sp = c.state.regs[ESP] - 4;
    if (!flat_stack_allowed(c, sp)) return c.push(32, value);
    c.mmu.write32(c.state.seg[SS].base + sp, value, c.user());
    c.state.regs[ESP] = sp;
}

// The dword on top of the stack, left there.
inline uint32_t top_of_stack32(ExecutionContext& c) {
    const uint32_t sp = c.state.regs[ESP];
    if (!flat_stack_allowed(c, sp)) return c.peek_stack(32, 0);
    return c.mmu.read32(c.state.seg[SS].base + sp, c.user());
}

inline uint32_t pop32(ExecutionContext& c) {
    const uint32_t sp = c.state.regs[ESP];
    if (!flat_stack_allowed(c, sp)) return c.pop(32);
    const uint32_t v = c.mmu.read32(c.state.seg[SS].base + sp, c.user());
    c.state.regs[ESP] = sp + 4;
    return v;
}

}  // namespace pc386
