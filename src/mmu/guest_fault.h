// How a fault found in the middle of an instruction reaches the instruction boundary: one
// mechanism for the MMU's page faults and the CPU's own exceptions (#GP, #SS, #UD, ...).
//
// Whoever finds the fault calls FaultUnwinder::raise(), which records it and long-jumps to the
// innermost catch point, opened by attempt(). The CPU opens one per run() slice, not one per
// instruction (a sigsetjmp costs about as much as a simple instruction), and one around each
// delivery that may itself fault (the double-fault rules). The catch point restores the
// instruction's start state and delivers the exception (Cpu::run, Cpu::deliver_fault).
//
// Why not C++ exceptions: a throw costs microseconds (the unwinder looks up its tables and walks
// every frame), and this emulator exists to show page faults: a guest that takes a million of
// them must not spend seconds unwinding. A longjmp restores a few registers.
//
// The rule that keeps longjmp sound in C++: no object with a destructor may live on the stack
// between attempt() and raise() (the CPU's handlers and helpers, the MMU's translation path).
// Whatever the catch point needs lives in the Cpu's members, never in locals that raise() skips.
#pragma once

#include <csetjmp>
#include <cstdint>

namespace pc386 {

// The page-fault error code's bits (Intel 386 manual, 9.8.14).
namespace pf_error {
inline constexpr uint32_t kPresent = 1;  // 1: protection violation, 0: page not present
inline constexpr uint32_t kWrite = 2;    // the access was a write
inline constexpr uint32_t kUser = 4;     // the access was made at CPL 3
}  // namespace pf_error

inline constexpr uint8_t kPageFaultVector = 14;

// An exception raised by an instruction: vector, error code (for #DF #TS #NP #SS #GP #PF #AC) and,
// for a page fault, the linear address that goes to CR2.
struct GuestFault {
    uint8_t vector = 0;
    bool has_error = false;
    uint32_t error = 0;
    uint32_t linear = 0;
};

class FaultUnwinder {
  public:
    [[noreturn]] void raise(const GuestFault& fault) {
        fault_ = fault;
        if (!target_) no_catch_point();
        siglongjmp(*target_, 1);
    }
    // Sends the fault last raised on to the next catch point out (after a catch point's repair).
    [[noreturn]] void reraise() { raise(fault_); }

    // Runs body(): true if it completed, false if a fault was raised in it (fault() says which).
    // Never inlined (it calls sigsetjmp), so the caller's variables are safe across the jump.
    template <typename Body>
    bool attempt(Body&& body) {
        sigjmp_buf here;
        sigjmp_buf* const outer = target_;
        target_ = &here;
        if (sigsetjmp(here, 0) != 0) {
            target_ = outer;
            return false;
        }
        body();
        target_ = outer;
        return true;
    }
    const GuestFault& fault() const { return fault_; }

  private:
    // A fault with nobody to catch it is a bug in the caller (a test or tool that calls a
    // faulting CPU or MMU function outside attempt()): said on stderr, then abort().
    [[noreturn]] void no_catch_point() const;

    sigjmp_buf* target_ = nullptr;
    GuestFault fault_;
};

}  // namespace pc386
