// Why Machine::run() returned.
#pragma once

namespace pc386 {

enum class StopReason {
    None,              // still running (a slice ended)
    GuestExit,         // the guest wrote to the debug-exit port (0xF4); see Machine::exit_status()
    InstructionLimit,  // --max-insns reached
    HostRequest,       // request_stop(): window closed, script finished, signal
    Breakpoint,        // the debugger's breakpoint was hit
    EventBreak,        // an event matched a break (Machine::add_break, run_until_event); see break_event()
    Hung,              // HLT with interrupts off, or with no device left to raise one: a dead guest
};

const char* to_string(StopReason reason);

}  // namespace pc386
