// The CPU as the rest of the emulator sees it: run, reset, the architectural state, counters and
// inspection. The interpreter itself (execution_context.h: the registers the handlers work on,
// the decode cache, the run loop) is private to it; the machine, the debugger, the window and the
// tests go through this front only.
#pragma once

#include <cstdint>

#include "cpu/execution_context.h"

namespace pc386 {

class Cpu {
  public:
    Cpu(Mmu& mmu, IoBus& io, InterruptController* pic) : x_(mmu, io, pic) {}

    void reset() { x_.reset(); }
    // Chooses the chip (and resets it: the power-on state differs). The default is the 386.
    void set_model(CpuModel model) { x_.set_model(model); }
    CpuModel model() const { return x_.model; }
    bool is486() const { return x_.is486(); }

    // Runs until `max_instructions` retire, HLT, shutdown, or request_stop(); returns instructions
    // retired. Each element of a REP string instruction counts as one (so the count bounds run time).
    uint64_t run(uint64_t max_instructions) { return x_.run(max_instructions); }
    // Ends the current run() after the instruction in progress (the guest asked to exit, ...).
    void request_stop() { x_.request_stop(); }
    bool halted() const { return x_.halted; }
    // A halted CPU goes on at the next run() without an interrupt (tests and debuggers that move
    // EIP somewhere else after a HLT).
    void leave_halt() { x_.halted = false; }
    bool shutdown() const { return x_.shutdown; }
    bool interrupts_enabled() const { return x_.flags & flag::IF; }
    // Instructions retired by the run() in progress (devices read virtual time mid-slice from it).
    uint64_t retired_in_run() const { return x_.retired_in_run; }
    uint64_t instructions() const { return x_.instructions; }
    uint64_t exceptions_delivered() const { return x_.exceptions; }
    uint64_t interrupts_delivered() const { return x_.interrupts; }
    // The instruction an event happened in (or, for an interrupt, the one it came before).
    uint32_t event_eip() const { return x_.start_eip; }

    // The registers. Writing them directly is for tests and debuggers, between runs; the setters
    // below keep the hidden state (segment caches, paging, flags) consistent.
    CpuState& state() { return x_.state; }
    const CpuState& state() const { return x_.state; }
    uint32_t eflags() const { return x_.eflags(); }
    void set_eflags(uint32_t value) { x_.set_eflags(value); }  // all bits, as POPF at CPL 0 would
    void load_real_mode_segment(SegReg seg, uint16_t selector) { x_.load_real_mode_segment(seg, selector); }
    // Loads a segment register as MOV Sreg would in the current mode, with every check. False if
    // that faults; the fault is not delivered.
    bool load_segment(SegReg seg, uint16_t selector) {
        return x_.mmu.faults().attempt([&] { x_.load_segment(seg, selector); });
    }
    void set_cr0(uint32_t value) { x_.set_cr0(value); }
    void set_cr3(uint32_t value) { x_.set_cr3(value); }
    uint32_t cr0() const { return x_.cr0(); }
    uint32_t cr3() const { return x_.cr3(); }
    bool protected_mode() const { return x_.protected_mode(); }
    bool v86() const { return x_.v86(); }

    // Saves or loads the architectural state and the counters, at an instruction boundary (a
    // machine snapshot; cpu_snapshot.cpp). Loading drops pre-decoded instructions: RAM changed.
    void transfer_state(StateArchive& ar) { x_.transfer_state(ar); }

    // Tools: a hook before each instruction, the event stream (exceptions, interrupts, CR0/CR3
    // writes, mode and task switches) and debugger breakpoints (code_breakpoints.h: run() stops
    // before an instruction in the set, and breakpoint_hit() says so until the next run()).
    // nullptr: none, the fast path.
    void set_trace_hook(TraceHook* hook) { x_.set_trace_hook(hook); }
    void set_event_log(EventLog* log) { x_.events = log; }
    void set_code_breakpoints(CodeBreakpoints* breakpoints) { x_.set_code_breakpoints(breakpoints); }
    bool breakpoint_hit() const { return x_.breakpoint_hit; }

    // The pre-decoded instruction cache (decode_cache.h), on by default. Writes to RAM through the
    // bus are seen; code written straight into bus().ram() needs flush_decode_cache().
    void set_decode_cache(bool enabled) { x_.set_decode_cache(enabled); }
    bool decode_cache_enabled() const { return x_.decode_cache_on; }
    void flush_decode_cache() { x_.flush_decode_cache(); }
    const DecodeCacheStats& decode_cache_stats() const { return x_.dcache.stats(); }
    size_t decode_cache_bytes() const { return x_.dcache.bytes(); }

  private:
    ExecutionContext x_;
};

}  // namespace pc386
