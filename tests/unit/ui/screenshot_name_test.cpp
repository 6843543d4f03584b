// F12's file names: numbered past every earlier screenshot, so none is ever overwritten.
#include "ui/screenshot_name.h"

#include <gtest/gtest.h>

#include <fstream>

namespace pc386 {
namespace {

TEST(ScreenshotName, GivenAnEmptyDirectory_ThenTheFirstIsNumberOne) {
    EXPECT_EQ(next_screenshot_name({}), "pc386-screenshot-1.png");
}

TEST(ScreenshotName, GivenEarlierScreenshotsWithGaps_ThenTheNextIsPastTheHighest) {
    EXPECT_EQ(
        next_screenshot_name({"pc386-screenshot-1.png", "pc386-screenshot-7.bmp", "pc386-screenshot-3.png",
                              "other.png", "pc386-screenshot-x.png", "pc386-screenshot-.png"}),
        "pc386-screenshot-8.png");
}

TEST(ScreenshotName, GivenARealDirectory_WhenAFileIsWrittenUnderTheName_ThenTheNextNameDiffers) {
    auto dir = std::filesystem::temp_directory_path() / "pc386_screenshot_names";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto first = next_screenshot_path(dir);
    EXPECT_EQ(first.filename(), "pc386-screenshot-1.png");
    std::ofstream(first) << "x";
    EXPECT_EQ(next_screenshot_path(dir).filename(), "pc386-screenshot-2.png");
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pc386
