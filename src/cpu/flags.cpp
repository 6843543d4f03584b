// Lazy arithmetic flags. ADD/ADC/SUB/SBB/CMP/NEG/INC/DEC and the logic ops record their operands
// and result; each flag is computed only when something reads it (Jcc, PUSHF, ...). Everything
// else (shifts, multiply, BCD) sets flags eagerly through set_arith_flags().
#include "cpu/execution_context.h"

namespace pc386 {
namespace {

constexpr uint32_t mask_of(unsigned size) {
    return size == 32 ? 0xFFFFFFFFu : (1u << size) - 1;
}
constexpr uint32_t sign_of(unsigned size) {
    return 1u << (size - 1);
}

constexpr bool even_parity(uint8_t v) {
    v ^= v >> 4;
    v ^= v >> 2;
    v ^= v >> 1;
    return !(v & 1);
}

}  // namespace

bool ExecutionContext::cf() const {
    const uint32_t m = mask_of(lazy_size);
    const uint32_t a = lazy_a & m, b = lazy_b & m, r = lazy_res & m;
    switch (lazy_op) {
        case FlagOp::None: return flags & flag::CF;
        case FlagOp::Add: return r < a;
        case FlagOp::Adc: return (uint64_t{a} + b + lazy_cin) >> lazy_size;
        case FlagOp::Sub: return a < b;
        case FlagOp::Sbb: return uint64_t{a} < uint64_t{b} + lazy_cin;
        case FlagOp::Logic: return false;
        case FlagOp::Inc:
        case FlagOp::Dec: return lazy_cin;  // INC/DEC keep CF: saved when they ran
    }
    return false;
}

bool ExecutionContext::zf() const {
    if (lazy_op == FlagOp::None) return flags & flag::ZF;
    return (lazy_res & mask_of(lazy_size)) == 0;
}

bool ExecutionContext::sf() const {
    if (lazy_op == FlagOp::None) return flags & flag::SF;
    return lazy_res & sign_of(lazy_size);
}

bool ExecutionContext::pf() const {
    if (lazy_op == FlagOp::None) return flags & flag::PF;
    return even_parity(static_cast<uint8_t>(lazy_res));
}

bool ExecutionContext::af() const {
    switch (lazy_op) {
        case FlagOp::None: return flags & flag::AF;
        case FlagOp::Logic: return false;
        default: return (lazy_a ^ lazy_b ^ lazy_res) & 0x10;
    }
}

bool ExecutionContext::of() const {
    const uint32_t s = sign_of(lazy_size);
    const uint32_t a = lazy_a, b = lazy_b, r = lazy_res;
    switch (lazy_op) {
        case FlagOp::None: return flags & flag::OF;
        case FlagOp::Add:
        case FlagOp::Adc:
        case FlagOp::Inc: return (a ^ r) & (b ^ r) & s;
        case FlagOp::Sub:
        case FlagOp::Sbb:
        case FlagOp::Dec: return (a ^ b) & (a ^ r) & s;
        case FlagOp::Logic: return false;
    }
    return false;
}

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

void ExecutionContext::set_arith_flags(uint32_t mask, uint32_t values) {
    // Setting all six needs none of the lazy ones (flags always holds the other bits).
    if (mask == flag::kArith)
        lazy_op = FlagOp::None;
    else
        materialize_flags();
    flags = (flags & ~mask) | (values & mask);
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

bool ExecutionContext::condition(unsigned cc) const {
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
