// The requests a script's `window` line and --window make of the debug window: each parses to
// what the window applies, and anything else is refused with one line naming what is accepted.
#include "debug/window_command.h"

#include <gtest/gtest.h>

namespace pc386 {
namespace {

WindowCommand parsed(const std::string& text) {
    std::string why;
    auto c = parse_window_command(text, why);
    EXPECT_TRUE(c) << text << ": " << why;
    return c.value_or(WindowCommand{});
}

std::string refused(const std::string& text) {
    std::string why;
    EXPECT_FALSE(parse_window_command(text, why)) << text;
    return why;
}

TEST(WindowCommand, ModesTurnOnAndOff) {
    EXPECT_EQ(parsed("lru on").kind, WindowCommand::Kind::Lru);
    EXPECT_TRUE(parsed("lru on").on);
    EXPECT_FALSE(parsed("heat off").on);
    EXPECT_EQ(parsed("heat off").kind, WindowCommand::Kind::Heat);
    EXPECT_TRUE(parsed("tree on").on);
    EXPECT_TRUE(parsed("timeline all").on);
    EXPECT_FALSE(parsed("timeline follow").on);
}

TEST(WindowCommand, TabsByTheirNamesInTheWindowsOrder) {
    EXPECT_EQ(parsed("tab space").value, 0u);
    EXPECT_EQ(parsed("tab swap").value, 4u);
    EXPECT_EQ(std::string(kWindowTabNames[parsed("tab timeline").value]), "timeline");
}

TEST(WindowCommand, SelectionsTakeDecimalOrHexNumbers) {
    const WindowCommand pid = parsed("select pid 6");
    EXPECT_EQ(pid.kind, WindowCommand::Kind::SelectPid);
    EXPECT_EQ(pid.value, 6u);
    EXPECT_EQ(parsed("select frame 0x17a").value, 0x17au);
    EXPECT_EQ(parsed("select page 0x402000").kind, WindowCommand::Kind::SelectPage);
    EXPECT_EQ(parsed("  select   event ").kind, WindowCommand::Kind::SelectEvent);
}

TEST(WindowCommand, AnythingElseIsOneLineSayingWhatIsAccepted) {
    EXPECT_EQ(refused("lru maybe"), "window lru: on or off");
    EXPECT_EQ(refused("tab memory"), "window tab: space, frame, cpu, timeline or swap");
    EXPECT_EQ(refused("select pid three"), "window select pid needs a number (decimal or 0x hex)");
    EXPECT_EQ(refused("select frame 0x100000000"), "window select frame needs a number (decimal or 0x hex)");
    EXPECT_EQ(refused("select cr3 5"), "window select: pid N, frame N, page ADDR or event");
    EXPECT_NE(refused("zoom 2").find("unknown request 'zoom'"), std::string::npos);
    EXPECT_NE(refused("").find("unknown request"), std::string::npos);
}

}  // namespace
}  // namespace pc386
