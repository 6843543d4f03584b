#include "ui/text_mode_palette.h"

#include <gtest/gtest.h>

namespace pc386 {
namespace {

TEST(Cp437, GivenAsciiBytes_ThenTheyMapToThemselves) {
    for (uint8_t c = 0x20; c < 0x7F; ++c) EXPECT_EQ(cp437_to_unicode(c), char32_t(c));
}

TEST(Cp437, GivenTheGraphicRanges_ThenTheyMapToTheirUnicodeShapes) {
    EXPECT_EQ(cp437_to_unicode(0x01), U'\u263A');  // smiley
    EXPECT_EQ(cp437_to_unicode(0x1F), U'\u25BC');
    EXPECT_EQ(cp437_to_unicode(0x7F), U'\u2302');
    EXPECT_EQ(cp437_to_unicode(0x80), U'\u00C7');
    EXPECT_EQ(cp437_to_unicode(0xB0), U'\u2591');  // light shade
    EXPECT_EQ(cp437_to_unicode(0xC4), U'\u2500');  // horizontal line
    EXPECT_EQ(cp437_to_unicode(0xC9), U'\u2554');  // double top-left corner
    EXPECT_EQ(cp437_to_unicode(0xDB), U'\u2588');  // full block
    EXPECT_EQ(cp437_to_unicode(0xE0), U'\u03B1');
    EXPECT_EQ(cp437_to_unicode(0xFE), U'\u25A0');
    EXPECT_EQ(cp437_to_unicode(0x00), U' ');
    EXPECT_EQ(cp437_to_unicode(0xFF), U' ');
}

TEST(TextModePalette, GivenAnAttribute_ThenForegroundIsLowNibbleAndBackgroundIgnoresTheBlinkBit) {
    EXPECT_EQ(attribute_foreground(0x07), (Rgb{0xAA, 0xAA, 0xAA}));
    EXPECT_EQ(attribute_background(0x07), (Rgb{0, 0, 0}));
    EXPECT_EQ(attribute_foreground(0x1F), (Rgb{0xFF, 0xFF, 0xFF}));
    EXPECT_EQ(attribute_background(0x1F), (Rgb{0, 0, 0xAA}));
    EXPECT_EQ(attribute_background(0xCE), attribute_background(0x4E));
    EXPECT_EQ(text_mode_colour(14), (Rgb{0xFF, 0xFF, 0x55}));
}

}  // namespace
}  // namespace pc386
