// Loading and parsing --script files: bounded in size and line length, and every error line that
// repeats the script's text quoted and cut short.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "debug/script.h"
#include "machine/machine_error.h"

namespace pc386 {
namespace {

std::string error_of(const std::string& text) {
    try {
        Script::parse(text, "t.script");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "no error";
}

class ScriptFile : public ::testing::Test {
  protected:
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("pc386_script_test_" + std::to_string(::getpid()) + ".script");
    void TearDown() override { std::filesystem::remove(path); }
};

TEST(ScriptParse, AcceptsAUtf8ByteOrderMark) {
    auto lines = Script::parse("\xEF\xBB\xBFsend \"x\"\nexpect \"y\"\n");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].op, ScriptLine::Op::Send);
    EXPECT_EQ(lines[0].text, "x");
}

TEST(ScriptParse, AHugeWordIsQuotedAndCut) {
    const std::string word(Script::kMaxLineBytes, 'w');
    const std::string error = error_of(word + "\n");
    EXPECT_LT(error.size(), 400u) << error.substr(0, 400);
    EXPECT_NE(error.find("t.script:1: unknown command 'www"), std::string::npos) << error.substr(0, 400);
    EXPECT_NE(error.find("... (65536 bytes)"), std::string::npos) << error.substr(0, 400);
}

TEST(ScriptParse, ControlBytesInAnErrorAreEscaped) {
    const std::string error = error_of(std::string("\x7f"
                                                   "ELF\x01\x02\x1b[2J\0",
                                                   11) +
                                       "\n");
    EXPECT_EQ(error,
              "t.script:1: unknown command '\\x7fELF\\x01\\x02\\x1b[2J\\x00' "
              "(expect, send, type, run, timeout, wait-exit, wait-event, break-on, assert-*, dump-*, "
              "screenshot, window, snapshot, "
              "case, "
              "include)");
    EXPECT_EQ(error_of("timeout \x1b[31m\n"), "t.script:1: timeout needs a time (5s, 250ms) or an instruction count (100M, 20k, 5000), got "
              "'\\x1b[31m'");
}

TEST(ScriptParse, SnapshotLinesNameWhatTheyDo) {
    auto lines = Script::parse("snapshot save booted\nsnapshot restore booted\nsnapshot write \"a b.snap\"\n");
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].snapshot, ScriptLine::SnapshotAction::Save);
    EXPECT_EQ(lines[1].snapshot, ScriptLine::SnapshotAction::Restore);
    EXPECT_EQ(lines[1].text, "booted");
    EXPECT_EQ(lines[2].snapshot, ScriptLine::SnapshotAction::Write);
    EXPECT_EQ(lines[2].text, "a b.snap");
}

TEST(ScriptParse, ARestoreNeedsASaveBeforeItAndNamesAreFew) {
    EXPECT_EQ(error_of("snapshot restore booted\nsnapshot save booted\n"),
              "t.script:1: snapshot restore 'booted': no line before it saves that name");
    std::string many;
    for (int i = 0; i <= 16; ++i) many += "snapshot save s" + std::to_string(i) + "\n";
    EXPECT_EQ(error_of(many), "t.script:17: snapshot save: more than 16 names (each holds a copy of RAM)");
    EXPECT_EQ(error_of("snapshot save a\nsnapshot save a\nsnapshot restore a\n"), "no error");  // saving again replaces
    EXPECT_EQ(error_of("snapshot take x\n"), "t.script:1: snapshot: save NAME, restore NAME or write \"FILE\"");
    EXPECT_EQ(error_of("snapshot write booted.snap\n"), "t.script:1: snapshot write needs a double-quoted file name");
}

TEST(ScriptParse, ALineLongerThanTheLimitIsRefused) {
    const std::string error = error_of("send \"" + std::string(Script::kMaxLineBytes, 'a') + "\"\n");
    EXPECT_NE(error.find("t.script:1: the line has 65543 bytes; a line may have at most 65536"),
              std::string::npos)
        << error.substr(0, 400);
}

TEST_F(ScriptFile, AFileOverTheLimitIsRefusedBeforeReading) {
    {
        std::ofstream out(path);
        out << "send \"x\"\n";
    }
    std::filesystem::resize_file(path, 3ull << 30);  // sparse: 3 GiB that cost nothing to make
    try {
        Script::load(path.string());
        FAIL() << "a 3 GiB script was accepted";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("at most 4 MiB"), std::string::npos) << e.what();
    }
}

TEST_F(ScriptFile, AFileWithABomLoads) {
    {
        std::ofstream out(path, std::ios::binary);
        out << "\xEF\xBB\xBFwait-exit 1\r\n";
    }
    auto lines = Script::load(path.string());
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].op, ScriptLine::Op::WaitExit);
    EXPECT_EQ(lines[0].number, 1u);
}

}  // namespace
}  // namespace pc386
