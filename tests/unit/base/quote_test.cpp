#include "base/quote.h"

#include <gtest/gtest.h>

#include <string>

namespace pc386 {
namespace {

TEST(Quote, PlainTextInSingleQuotes) {
    EXPECT_EQ(quote("disk.img"), "'disk.img'");
}

TEST(Quote, ControlBytesQuotesAndBackslashesAreEscaped) {
    EXPECT_EQ(quote(std::string("a\nb\tc\x1b[2J\x7f", 10)), "'a\\nb\\tc\\x1b[2J\\x7f'");
    EXPECT_EQ(quote("it's a\\b"), "'it\\'s a\\\\b'");
    EXPECT_EQ(quote(std::string("\0x", 2)), "'\\x00x'");
}

TEST(Quote, ValidUtf8IsKeptInvalidIsEscaped) {
    EXPECT_EQ(quote("caf\xc3\xa9"), "'caf\xc3\xa9'");
    EXPECT_EQ(quote("\xff\xfe"), "'\\xff\\xfe'");
    EXPECT_EQ(quote("\xc0\xaf"), "'\\xc0\\xaf'");           // overlong '/'
    EXPECT_EQ(quote("\xed\xa0\x80"), "'\\xed\\xa0\\x80'");  // a UTF-16 surrogate
    EXPECT_EQ(quote("\xc3"), "'\\xc3'");                    // cut short
}

TEST(Quote, LongTextIsCutWithItsSize) {
    const std::string word(10 << 20, 'w');
    const std::string q = quote(word, 20);
    EXPECT_EQ(q, "'" + std::string(20, 'w') + "'... (10485760 bytes)");
}

TEST(Quote, CutNeverSplitsACharacter) {
    EXPECT_EQ(quote("ab\xc3\xa9z", 3), "'ab'... (5 bytes)");
    EXPECT_EQ(quote("abc", 3), "'abc'");
}

TEST(Printable, SameEscapesWithoutQuotes) {
    EXPECT_EQ(printable("a\nb 'c' \\"), "a\\nb 'c' \\");
    EXPECT_EQ(printable("abcdef", 2), "ab... (6 bytes)");
}

}  // namespace
}  // namespace pc386
