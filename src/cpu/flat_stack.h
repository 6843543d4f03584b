// The 32-bit stack's fast path for the record forms of PUSH, POP, CALL and RET: when SS is a 32-bit
// (B=1) writable expand-up data segment, the access lies within its limit and no alignment check
// or data breakpoint is armed, linear()'s segment checks cannot fail, so the access goes straight
// to the MMU (its TLB fast path, or the walk and the same page faults as ever). Anything else
// takes the general path (push(), pop(), read()), which makes every check and raises the #SS.
#pragma once

#include "cpu/execution_context.h"

namespace pc386 {

// Whether a dword at SS:sp passes linear()'s checks with nothing to check: true only when they
// would all pass, in any mode (real and V86 mode check the limit only).
inline bool flat_stack_allows(const ExecutionContext& c, uint32_t sp) {
    const Segment& ss = c.state.seg[SS];
    constexpr uint8_t kTypeMask = 0x1E, kWritableExpandUpData = 0x12;  // S, code, expand-down, writable
    return ss.big && ss.valid && (ss.access & kTypeMask) == kWritableExpandUpData && !c.access_checks &&
           ss.limit >= 3 && sp <= ss.limit - 3;
}

// PUSH of a dword: ESP changes only once the write succeeded.
inline void push32(ExecutionContext& c, uint32_t value) {
    const uint32_t sp = c.state.regs[ESP] - 4;
    if (!flat_stack_allows(c, sp)) return c.push(32, value);
    c.mmu.write32(c.state.seg[SS].base + sp, value, c.user());
    c.state.regs[ESP] = sp;
}

// The dword on top of the stack, left there.
inline uint32_t top_of_stack32(ExecutionContext& c) {
    const uint32_t sp = c.state.regs[ESP];
    if (!flat_stack_allows(c, sp)) return c.peek_stack(32, 0);
    return c.mmu.read32(c.state.seg[SS].base + sp, c.user());
}

inline uint32_t pop32(ExecutionContext& c) {
    const uint32_t sp = c.state.regs[ESP];
    if (!flat_stack_allows(c, sp)) return c.pop(32);
    const uint32_t v = c.mmu.read32(c.state.seg[SS].base + sp, c.user());
    c.state.regs[ESP] = sp + 4;
    return v;
}

}  // namespace pc386
