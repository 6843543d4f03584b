// Virtual time: nanoseconds since power-on, derived from the instruction count so runs are
// deterministic. The machine owns the clock; devices only read it.
#pragma once

#include <cstdint>
#include <limits>

namespace pc386 {

using VirtualNs = uint64_t;
inline constexpr VirtualNs kNever = std::numeric_limits<VirtualNs>::max();

class Clock {
public:
    virtual ~Clock() = default;
    virtual VirtualNs now() const = 0;
};

}  // namespace pc386
