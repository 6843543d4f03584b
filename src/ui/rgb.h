// A colour as the window draws it (8 bits per channel, opaque).
#pragma once

#include <cstdint>

namespace pc386 {

struct Rgb {
    uint8_t r = 0, g = 0, b = 0;
    friend bool operator==(const Rgb&, const Rgb&) = default;
};

}  // namespace pc386
