// Event lines wrap in the window's panes instead of being cut: every word stays readable.
#include "ui/text_wrap.h"

#include <gtest/gtest.h>

namespace pc386 {
namespace {

TEST(TextWrap, AShortLineStaysOneLine) {
    EXPECT_EQ(wrap_text("#120 pid 2 (sh) fork", 40), std::vector<std::string>{"#120 pid 2 (sh) fork"});
    EXPECT_EQ(wrap_text("", 40), std::vector<std::string>{""});
}

TEST(TextWrap, ALongEventBreaksAtSpacesWithIndentedContinuations) {
    const std::string event =
        "#1234567 pid 7 (cowtest) cow-copy addr=0x40001000 old_frame=0x3a2 new_frame=0x3f1";
    const std::vector<std::string> lines = wrap_text(event, 40);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "#1234567 pid 7 (cowtest) cow-copy");
    EXPECT_EQ(lines[1], "  addr=0x40001000 old_frame=0x3a2");
    EXPECT_EQ(lines[2], "  new_frame=0x3f1");
    std::string joined;
    for (const std::string& line : lines) {
        EXPECT_LE(line.size(), 40u);
        if (!joined.empty()) joined += ' ';
        joined.append(line, line.find_first_not_of(' '));
    }
    EXPECT_EQ(joined, event);  // nothing lost, nothing cut
}

TEST(TextWrap, AWordLongerThanTheLineIsSplitNotLost) {
    const std::vector<std::string> lines = wrap_text("abcdefghij", 4, 0);
    EXPECT_EQ(lines, (std::vector<std::string>{"abcd", "efgh", "ij"}));
}

TEST(TextWrap, ANarrowPaneDropsTheIndent) {
    const std::vector<std::string> lines = wrap_text("ab cd ef", 3);
    EXPECT_EQ(lines, (std::vector<std::string>{"ab", "cd", "ef"}));
}

}  // namespace
}  // namespace pc386
