// Process exit statuses. The guest's own status through the debug-exit port is always odd
// ((value << 1) | 1, QEMU's isa-debug-exit convention), so the emulator's own codes are even.
#pragma once

namespace pc386::exit_code {

inline constexpr int kOk = 0;                // stopped normally (window closed, script done)
inline constexpr int kUsage = 2;             // a bad option or value on the command line
inline constexpr int kInput = 4;             // a missing, unreadable or malformed file
inline constexpr int kInstructionLimit = 6;  // --max-insns reached before the guest exited
inline constexpr int kScriptFailed = 8;      // a --script expectation was not met
inline constexpr int kGuestHung = 12;        // the guest halted with no way to wake up (CLI; HLT)
inline constexpr int kInternal = 10;         // a bug in the emulator (please report)
inline constexpr int kOutput = 14;           // an output file could not be written (disk full, I/O error)
inline constexpr int kEventBreak = 16;       // stopped at a --break-on (or script break-on) event

}  // namespace pc386::exit_code
