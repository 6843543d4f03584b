// What a VGA text cell looks like: the code page 437 character as Unicode (for the TrueType font)
// and the 16 standard text-mode colours of the attribute byte.
#pragma once

#include <cstdint>

#include "ui/rgb.h"

namespace pc386 {

// The Unicode code point that code page 437 shows for `byte` (0 and 0xFF show as a space).
char32_t cp437_to_unicode(uint8_t byte);

// The 16-colour text palette (index 0..15; higher bits are ignored).
Rgb text_mode_colour(unsigned index);

// Foreground and background of an attribute byte. Bit 7 is the blink bit on a VGA after reset: the
// window shows blinking text steadily, on the dark background bits 4..6 give.
inline Rgb attribute_foreground(uint8_t attribute) {
    return text_mode_colour(attribute & 0x0F);
}
inline Rgb attribute_background(uint8_t attribute) {
    return text_mode_colour((attribute >> 4) & 0x07);
}

}  // namespace pc386
