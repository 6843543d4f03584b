#include "ui/png_file.h"

#include <png.h>

#include <vector>

namespace pc386 {

bool write_png(const std::string& path, const uint32_t* argb, int width, int height, int pitch_bytes,
               std::string& error) {
    if (width <= 0 || height <= 0 || pitch_bytes < width * 4) {
        error = "empty picture";
        return false;
    }
    // Packed BGR rows: PNG has no use for SDL's always-opaque alpha byte (a third smaller file).
    std::vector<uint8_t> rgb(size_t(width) * size_t(height) * 3);
    for (int y = 0; y < height; ++y) {
        const auto* row = reinterpret_cast<const uint32_t*>(reinterpret_cast<const uint8_t*>(argb) +
                                                            size_t(y) * size_t(pitch_bytes));
        uint8_t* out = &rgb[size_t(y) * size_t(width) * 3];
        for (int x = 0; x < width; ++x) {
            out[3 * x] = uint8_t(row[x] >> 16);
            out[3 * x + 1] = uint8_t(row[x] >> 8);
            out[3 * x + 2] = uint8_t(row[x]);
        }
    }
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = png_uint_32(width);
    image.height = png_uint_32(height);
    image.format = PNG_FORMAT_RGB;
    if (!png_image_write_to_file(&image, path.c_str(), 0, rgb.data(), width * 3, nullptr)) {
        error = image.message;
        png_image_free(&image);
        return false;
    }
    return true;
}

PngImage read_png(const std::string& path, std::string& error) {
    PngImage result;
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, path.c_str())) {
        error = image.message;
        return result;
    }
    image.format = PNG_FORMAT_BGRA;  // = ARGB8888 words on a little-endian host
    std::vector<uint32_t> pixels(size_t(image.width) * image.height);
    if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) {
        error = image.message;
        png_image_free(&image);
        return result;
    }
    result.width = int(image.width);
    result.height = int(image.height);
    result.argb = std::move(pixels);
    return result;
}

}  // namespace pc386
