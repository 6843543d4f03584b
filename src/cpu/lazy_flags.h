// How each arithmetic flag is read from the lazy state (ExecutionContext::lazy_op and its operands),
// inline because Jcc, SETcc, LOOPcc, ADC, SBB, INC and DEC read them on every execution. The
// operands a FlagOp records are already masked to its size (alu(), inc_dec()), so the carry and
// borrow tests compare them directly: ADC's carry is r <= a when a carry came in (r < a when
// none), SBB's borrow a <= b (a < b). With a constant condition (the Jcc forms), condition()
// folds to the one or two flags it reads.
#pragma once

#include "cpu/execution_context.h"

namespace pc386 {

inline bool ExecutionContext::cf() const {
    switch (lazy_op) {
        case FlagOp::Add: return lazy_res < lazy_a;
        case FlagOp::Sub: return lazy_a < lazy_b;
        case FlagOp::Logic: return false;
        case FlagOp::Adc: return lazy_cin ? lazy_res <= lazy_a : lazy_res < lazy_a;
        case FlagOp::Sbb: return lazy_cin ? lazy_a <= lazy_b : lazy_a < lazy_b;
        case FlagOp::Inc:
        case FlagOp::Dec: return lazy_cin;  // INC/DEC keep CF: saved when they ran
        case FlagOp::None:
        case FlagOp::Szp: break;
    }
    return flags & flag::CF;
}

inline bool ExecutionContext::zf() const {
    if (lazy_op == FlagOp::None) return flags & flag::ZF;
    return (lazy_res << (32 - lazy_size)) == 0;  // the result's low lazy_size bits
}

inline bool ExecutionContext::sf() const {
    if (lazy_op == FlagOp::None) return flags & flag::SF;
    return (lazy_res >> (lazy_size - 1)) & 1;
}

inline bool ExecutionContext::pf() const {
    if (lazy_op == FlagOp::None) return flags & flag::PF;
    uint8_t v = static_cast<uint8_t>(lazy_res);
    v ^= v >> 4;
    v ^= v >> 2;
    v ^= v >> 1;
    return !(v & 1);
}

inline bool ExecutionContext::af() const {
    switch (lazy_op) {
        case FlagOp::None:
        case FlagOp::Szp: return flags & flag::AF;
        case FlagOp::Logic: return false;
        default: return (lazy_a ^ lazy_b ^ lazy_res) & 0x10;
    }
}

inline bool ExecutionContext::of() const {
    const uint32_t s = 1u << (lazy_size - 1);
    const uint32_t a = lazy_a, b = lazy_b, r = lazy_res;
    switch (lazy_op) {
        case FlagOp::Add:
        case FlagOp::Adc:
        case FlagOp::Inc: return (a ^ r) & (b ^ r) & s;
        case FlagOp::Sub:
        case FlagOp::Sbb:
        case FlagOp::Dec: return (a ^ b) & (a ^ r) & s;
        case FlagOp::Logic: return false;
        case FlagOp::None:
        case FlagOp::Szp: break;
    }
    return flags & flag::OF;
}

// Setting all six needs none of the lazy ones; a mask without ZF, SF and PF (rotates, BT,
// CLC/STC/CMC) folds only what it keeps of CF, OF and AF into flags and leaves the result's flags
// lazy (Szp); anything else folds them all. Inline: with a constant mask only the folds it needs
// remain.
inline void ExecutionContext::set_arith_flags(uint32_t mask, uint32_t values) {
    constexpr uint32_t kResultFlags = flag::ZF | flag::SF | flag::PF;
    if (mask == flag::kArith) {
        lazy_op = FlagOp::None;
    } else if (!(mask & kResultFlags)) {
        if (lazy_op != FlagOp::None && lazy_op != FlagOp::Szp) {
            uint32_t kept = 0;
            if (!(mask & flag::CF) && cf()) kept |= flag::CF;
            if (!(mask & flag::OF) && of()) kept |= flag::OF;
            if (!(mask & flag::AF) && af()) kept |= flag::AF;
            flags = (flags & ~(flag::CF | flag::OF | flag::AF)) | kept;
            lazy_op = FlagOp::Szp;
        }
    } else {
        materialize_flags();
    }
    flags = (flags & ~mask) | (values & mask);
}

inline bool ExecutionContext::condition(unsigned cc) const {
    bool r = false;
    switch (cc >> 1) {
        case 0: r = of(); break;
        case 1: r = cf(); break;
        case 2: r = zf(); break;
        case 3: r = cf() || zf(); break;
        case 4: r = sf(); break;
        case 5: r = pf(); break;
        case 6: r = sf() != of(); break;
        case 7: r = zf() || (sf() != of()); break;
    }
    return (cc & 1) ? !r : r;
}

}  // namespace pc386
