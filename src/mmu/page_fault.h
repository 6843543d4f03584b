// The one way the MMU reports a failed translation: it throws PageFault; the CPU's step loop catches
// it at the instruction boundary, sets CR2 = linear and delivers #PF (vector 14) with error_code.
#pragma once

#include <cstdint>

namespace pc386 {

struct PageFault {
    static constexpr uint32_t kPresent = 1;  // 1: protection violation, 0: page not present
    static constexpr uint32_t kWrite = 2;    // the access was a write
    static constexpr uint32_t kUser = 4;     // the access was made at CPL 3

    uint32_t linear;
    uint32_t error_code;
};

}  // namespace pc386
