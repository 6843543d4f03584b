// --guest-symbols: a System.map is read for the three symbols the Linux frame reader needs, and
// anything else (not a System.map, a kernel without FLATMEM) is refused with one line that says why.
#include "ui/linux_symbols.h"

#include <gtest/gtest.h>

#include "machine/machine_error.h"

namespace pc386 {
namespace {

const char* kMap =
    "c1000000 T _text\n"
    "c12a3b40 D linux_banner\n"
    "c13cd0a0 B max_mapnr\n"
    "c13cd0a4 B mem_map\n"
    "c13cd0a8 b unrelated\n";

std::string error_of(const std::string& text) {
    try {
        LinuxSymbols::parse(text, "System.map");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

TEST(LinuxSymbols, GivenASystemMap_ThenItsFramesSymbolsAreFound) {
    LinuxSymbols s = LinuxSymbols::parse(kMap, "System.map");
    EXPECT_EQ(s.mem_map, 0xc13cd0a4u);
    EXPECT_EQ(s.max_mapnr, 0xc13cd0a0u);
    EXPECT_EQ(s.linux_banner, 0xc12a3b40u);
}

TEST(LinuxSymbols, GivenTheCommittedTestKernelsMap_ThenItLoads) {
    LinuxSymbols s = LinuxSymbols::load(PC386_SOURCE_DIR "/tests/guests/linux/System.map");
    EXPECT_GE(s.mem_map, 0xC0000000u);
    EXPECT_GE(s.max_mapnr, 0xC0000000u);
    EXPECT_GE(s.linux_banner, 0xC0000000u);
}

TEST(LinuxSymbols, GivenSomethingElse_ThenOneLineSaysWhy) {
    EXPECT_NE(error_of("").find("empty, not a System.map"), std::string::npos);
    EXPECT_NE(error_of("\x7f"
                       "ELF\x01\x01\n")
                  .find("line 1 is not 'ADDRESS TYPE NAME'"),
              std::string::npos);
    EXPECT_NE(error_of("c1000000 T _text\nzz T x\n").find("line 2"), std::string::npos);
    // A SPARSEMEM kernel has no mem_map.
    EXPECT_NE(error_of("c12a3b40 D linux_banner\nc13cd0a0 B max_mapnr\n").find("FLATMEM"), std::string::npos);
    // A 64-bit kernel's addresses do not fit.
    EXPECT_NE(error_of("ffffffff82000000 D linux_banner\nffffffff83000000 B mem_map\n").find("32-bit"),
              std::string::npos);
    EXPECT_EQ(error_of(kMap), "");
    for (const char* text : {"", "c1000000 T _text\n"})
        EXPECT_EQ(error_of(text).find('\n'), std::string::npos);
}

TEST(LinuxSymbols, GivenAMissingFile_ThenTheErrorNamesTheOption) {
    try {
        LinuxSymbols::load("/nonexistent/System.map");
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("--guest-symbols"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace pc386
