// Lazy arithmetic flags. ADD/ADC/SUB/SBB/CMP/NEG/INC/DEC and the logic ops record their operands
// and result; each flag is computed only when something reads it (Jcc, PUSHF, ...). Everything
// else (shifts, multiply, BCD) sets flags eagerly through set_arith_flags().
#include "cpu/cpu.h"

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

bool Cpu::cf() const {
    const uint32_t m = mask_of(lazy_size_);
    const uint32_t a = lazy_a_ & m, b = lazy_b_ & m, r = lazy_res_ & m;
    switch (lazy_op_) {
        case FlagOp::None: return flags_ & flag::CF;
        case FlagOp::Add: return r < a;
        case FlagOp::Adc: return (uint64_t{a} + b + lazy_cin_) >> lazy_size_;
        case FlagOp::Sub: return a < b;
        case FlagOp::Sbb: return uint64_t{a} < uint64_t{b} + lazy_cin_;
        case FlagOp::Logic: return false;
        case FlagOp::Inc:
        case FlagOp::Dec: return lazy_cin_;  // INC/DEC keep CF: saved when they ran
    }
    return false;
}

bool Cpu::zf() const {
    if (lazy_op_ == FlagOp::None) return flags_ & flag::ZF;
    return (lazy_res_ & mask_of(lazy_size_)) == 0;
}

bool Cpu::sf() const {
    if (lazy_op_ == FlagOp::None) return flags_ & flag::SF;
    return lazy_res_ & sign_of(lazy_size_);
}

bool Cpu::pf() const {
    if (lazy_op_ == FlagOp::None) return flags_ & flag::PF;
    return even_parity(static_cast<uint8_t>(lazy_res_));
}

bool Cpu::af() const {
    switch (lazy_op_) {
        case FlagOp::None: return flags_ & flag::AF;
        case FlagOp::Logic: return false;
        default: return (lazy_a_ ^ lazy_b_ ^ lazy_res_) & 0x10;
    }
}

bool Cpu::of() const {
    const uint32_t s = sign_of(lazy_size_);
    const uint32_t a = lazy_a_, b = lazy_b_, r = lazy_res_;
    switch (lazy_op_) {
        case FlagOp::None: return flags_ & flag::OF;
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

void Cpu::materialize_flags() {
    if (lazy_op_ == FlagOp::None) return;
    uint32_t f = flags_ & ~flag::kArith;
    if (cf()) f |= flag::CF;
    if (pf()) f |= flag::PF;
    if (af()) f |= flag::AF;
    if (zf()) f |= flag::ZF;
    if (sf()) f |= flag::SF;
    if (of()) f |= flag::OF;
    flags_ = f;
    lazy_op_ = FlagOp::None;
}

void Cpu::set_arith_flags(uint32_t mask, uint32_t values) {
    // Setting all six needs none of the lazy ones (flags_ always holds the other bits).
    if (mask == flag::kArith)
        lazy_op_ = FlagOp::None;
    else
        materialize_flags();
    flags_ = (flags_ & ~mask) | (values & mask);
}

uint32_t Cpu::eflags() const {
    Cpu& self = const_cast<Cpu&>(*this);  // folding lazy flags does not change the architectural value
    self.materialize_flags();
    return flags_;
}

void Cpu::set_eflags(uint32_t value) {
    // Bits 3, 5, 15 and 18-31 are reserved (0) on a 386; bit 1 is always 1. The 486 adds AC (18)
    // and ID (21): whether they toggle is how software tells a 486 (with CPUID) from a 386.
    lazy_op_ = FlagOp::None;
    const uint32_t old = flags_;
    flags_ = (value & eflags_writable_) | flag::kReserved1;
    // TF and RF act at the next boundaries, and an IF just set may let a pending INTR in.
    if ((flags_ & (flag::TF | flag::RF)) || (flags_ & ~old & flag::IF)) attention_ = true;
    update_access_checks();
    if (((old ^ flags_) & flag::VM) && events_ && events_->on()) note_mode(cr0());  // V86 entered or left
}

bool Cpu::condition(unsigned cc) const {
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
