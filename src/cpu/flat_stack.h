// The fast path of the record forms' dword accesses to memory and the 32-bit stack: when the
// segment is a writable expand-up data segment (SS also 32-bit, B=1), the dword lies within its
// limit and no alignment check or data breakpoint is armed, linear()'s segment checks cannot fail,
// so the access goes straight to the MMU (its TLB fast path, or the walk and the same page faults
// as ever). Anything else takes the general path (read(), write(), push(), pop()), which makes
// every check and raises the #GP or #SS.
#pragma once

#include "cpu/execution_context.h"

namespace pc386 {

// Whether a dword at seg:offset passes linear()'s checks with nothing to check: true only when
// they would all pass, in any mode (real and V86 mode check the limit only).
inline bool flat_dword_allowed(const ExecutionContext& c, SegReg seg, uint32_t offset) {
    const Segment& sg = c.state.seg[seg];
    constexpr uint8_t kTypeMask = 0x1E, kWritableExpandUpData = 0x12;  // S, code, expand-down, writable
    return sg.valid && (sg.access & kTypeMask) == kWritableExpandUpData && !c.access_checks &&
           sg.limit >= 3 && offset <= sg.limit - 3;
}

inline uint32_t read_dword(ExecutionContext& c, SegReg seg, uint32_t offset) {
    if (!flat_dword_allowed(c, seg, offset)) return c.read(seg, offset, 32);
    return c.mmu.read32(c.state.seg[seg].base + offset, c.user());
}

inline void write_dword(ExecutionContext& c, SegReg seg, uint32_t offset, uint32_t value) {
    if (!flat_dword_allowed(c, seg, offset)) return c.write(seg, offset, 32, value);
    c.mmu.write32(c.state.seg[seg].base + offset, value, c.user());
}

// The 32-bit stack (SS.B = 1; a 16-bit one wraps SP at 64 KiB: the general path).
inline bool flat_stack_allowed(const ExecutionContext& c, uint32_t sp) {
    return c.state.seg[SS].big && flat_dword_allowed(c, SS, sp);
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
