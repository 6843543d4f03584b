// The arithmetic every ALU-shaped instruction shares: the eight classic operations (ADD OR ADC SBB
// AND SUB XOR CMP) with lazy flags, and helpers for sizes.
#pragma once

#include "cpu/execution_context.h"

namespace pc386 {

inline uint32_t size_mask(unsigned size) {
    return size == 32 ? 0xFFFFFFFFu : (1u << size) - 1;
}
inline uint32_t sign_bit(unsigned size) {
    return 1u << (size - 1);
}
inline uint32_t sign_extend(uint32_t v, unsigned from_size) {
    return from_size == 8    ? static_cast<uint32_t>(static_cast<int8_t>(v))
           : from_size == 16 ? static_cast<uint32_t>(static_cast<int16_t>(v))
                             : v;
}

// op: 0 ADD, 1 OR, 2 ADC, 3 SBB, 4 AND, 5 SUB, 6 XOR, 7 CMP. Returns the result (CMP's is not
// stored by the caller) and records the flags.
inline uint32_t alu(ExecutionContext& c, unsigned op, unsigned size, uint32_t a, uint32_t b) {
    const uint32_t m = size_mask(size);
    a &= m;
    b &= m;
    uint32_t r = 0;
    switch (op) {
        case 0:
            r = (a + b) & m;
            c.set_lazy(ExecutionContext::FlagOp::Add, size, a, b, r);
            break;
        case 1:
            r = a | b;
            c.set_lazy(ExecutionContext::FlagOp::Logic, size, a, b, r);
            break;
        case 2: {
            const uint32_t cin = c.cf();
            r = (a + b + cin) & m;
            c.set_lazy(ExecutionContext::FlagOp::Adc, size, a, b, r, cin);
            break;
        }
        case 3: {
            const uint32_t cin = c.cf();
            r = (a - b - cin) & m;
            c.set_lazy(ExecutionContext::FlagOp::Sbb, size, a, b, r, cin);
            break;
        }
        case 4:
            r = a & b;
            c.set_lazy(ExecutionContext::FlagOp::Logic, size, a, b, r);
            break;
        case 5:
        case 7:
            r = (a - b) & m;
            c.set_lazy(ExecutionContext::FlagOp::Sub, size, a, b, r);
            break;
        case 6:
            r = a ^ b;
            c.set_lazy(ExecutionContext::FlagOp::Logic, size, a, b, r);
            break;
    }
    return r;
}

inline bool parity_even(uint32_t v) {
    uint8_t b = static_cast<uint8_t>(v);
    b ^= b >> 4;
    b ^= b >> 2;
    b ^= b >> 1;
    return !(b & 1);
}

// SF, ZF, PF of a result, as eager flag bits.
inline uint32_t szp_flags(uint32_t r, unsigned size) {
    r &= size_mask(size);
    uint32_t f = 0;
    if (r == 0) f |= flag::ZF;
    if (r & sign_bit(size)) f |= flag::SF;
    if (parity_even(r)) f |= flag::PF;
    return f;
}

}  // namespace pc386
