// Screenshots as PNG: what is written reads back pixel for pixel; an unwritable path is an error.
#include "ui/png_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

namespace pc386 {
namespace {

TEST(PngFile, GivenPixelsWithPaddedRows_WhenWrittenAndReadBack_ThenEveryPixelIsTheSame) {
    const int w = 7, h = 5, pitch = 40;  // 12 bytes of padding per row, as SDL surfaces may have
    std::vector<uint32_t> rows(size_t(pitch / 4) * h, 0xDEADBEEF);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            rows[size_t(y) * (pitch / 4) + x] =
                0xFF000000u | uint32_t(x * 30) << 16 | uint32_t(y * 50) << 8 | 7;
    auto path = std::filesystem::temp_directory_path() / "pc386_png_roundtrip.png";
    std::string error;
    ASSERT_TRUE(write_png(path.string(), rows.data(), w, h, pitch, error)) << error;
    PngImage image = read_png(path.string(), error);
    ASSERT_EQ(image.width, w) << error;
    ASSERT_EQ(image.height, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) EXPECT_EQ(image.at(x, y), rows[size_t(y) * (pitch / 4) + x] & 0xFFFFFF);
}

TEST(PngFile, GivenADirectoryThatDoesNotExist_WhenWriting_ThenItFailsWithAReason) {
    uint32_t pixel = 0xFF112233;
    std::string error;
    EXPECT_FALSE(write_png("/nonexistent-dir/x.png", &pixel, 1, 1, 4, error));
    EXPECT_FALSE(error.empty());
}

TEST(PngFile, GivenAFileThatIsNotAPng_WhenReading_ThenTheImageIsEmpty) {
    std::string error;
    EXPECT_EQ(read_png("/dev/null", error).width, 0);
    EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace pc386
