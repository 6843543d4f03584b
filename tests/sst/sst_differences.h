// The explicit list of 286-versus-386 differences the conformance runner applies to the 286
// single-step data (hardware captured on a Harris 80C286). Every entry says why; nothing else
// loosens the comparison.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "sst_data.h"

namespace pc386::sst {

struct Difference {
    Difference() { final_regs.fill(-1); }
    uint16_t ignore_flags = 0;  // FLAGS bits not compared (in FLAGS and in the pushed image)
    int64_t flag_image = -1;    // physical address of a pushed FLAGS image to mask, or -1
    // The 386 faults where the 286 did not (vector, or -1): the runner checks that fault's entry
    // instead of "final" (registers unchanged, FLAGS/CS/IP of the instruction pushed, the handler of
    // that vector entered).
    int expect_fault = -1;
    // The 386 executes what the 286 refused (instruction length): the runner checks that one step
    // retires it with no exception, and (when it is no control transfer) ends past its last byte.
    bool expect_execute = false;
    bool control_transfer = false;
    // Replacements for the data's final registers (-1: keep the data's value).
    std::array<int32_t, kRegCount> final_regs;
    // The data's exception frame (6 bytes from frame_at) lies `frame_shift` bytes away on a 386.
    int64_t frame_at = -1;
    int frame_shift = 0;
    // A final state the list derives for the 386 in place of the data's "final" (use_expected),
    // with FS/GS loaded before the run (preload_*) and checked after it (want_*), -1 for none.
    bool use_expected = false;
    MachineState expected;
    int32_t preload_fs = -1, preload_gs = -1, want_fs = -1, want_gs = -1;
    // The vector the 386 raises for the data's exception (differs from the data's only by entry 3).
    unsigned vector = 0;
    uint16_t entries = 0;  // bit n: entry n of the list (sst_differences.cpp) applied, for the report
    std::string skip;      // non-empty: the data cannot say what a 386 does here, and why
};

// `file_opcode` is the file name without ".json.gz" (e.g. "D3.4").
Difference difference_for(const std::string& file_opcode, const Test& test);

}  // namespace pc386::sst
