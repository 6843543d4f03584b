// PNG files of the window's pictures (screenshots), through libpng's simplified API. Pixels are
// 32-bit ARGB8888 as SDL reads them back (B, G, R, A in memory on a little-endian host).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pc386 {

// Writes `width` x `height` pixels, rows `pitch_bytes` apart, as an opaque RGB PNG. False (with
// libpng's message in `error`) when the file cannot be written.
bool write_png(const std::string& path, const uint32_t* argb, int width, int height, int pitch_bytes,
               std::string& error);

// A PNG read back into ARGB8888 pixels (for tests and tools); empty (width 0) when unreadable.
struct PngImage {
    int width = 0, height = 0;
    std::vector<uint32_t> argb;  // width * height, row after row
    uint32_t at(int x, int y) const { return argb[size_t(y) * size_t(width) + size_t(x)] & 0xFFFFFFu; }
};
PngImage read_png(const std::string& path, std::string& error);

}  // namespace pc386
