// Test and benchmark set-up shared by the CPU and machine tests and bench/: the segment caches as
// a loader leaves them after its far jump into flat 32-bit protected mode.
#pragma once

#include "cpu/cpu_state.h"

namespace pc386 {

// Ring-0 code (selector 0x08) and data (0x10) for every segment register: base 0, limit 4 GiB,
// 32-bit. Only the caches: no GDT is needed until something reloads a segment register.
inline void load_flat_ring0_segments(CpuState& s) {
    for (SegReg seg : {ES, CS, SS, DS, FS, GS}) {
        Segment& sg = s.seg[seg];
        sg.selector = seg == CS ? 0x08 : 0x10;
        sg.base = 0;
        sg.limit = 0xFFFFFFFFu;
        sg.access = seg == CS ? 0x9B : 0x93;
        sg.big = sg.granular = sg.valid = true;
    }
}

}  // namespace pc386
