// The CPU panel's words for flags, CR0 and the execution mode.
#include "ui/cpu_panel.h"

#include <gtest/gtest.h>

namespace pc386 {
namespace {

TEST(CpuPanel, GivenEflags_ThenTheSetFlagsAreNamedWithIopl) {
    EXPECT_EQ(describe_eflags(flag::kReserved1), "IOPL=0");
    EXPECT_EQ(describe_eflags(flag::IF | flag::ZF | flag::CF | (3u << 12) | flag::kReserved1),
              "IF ZF CF IOPL=3");
}

TEST(CpuPanel, GivenCr0_ThenTheSetBitsAreNamed) {
    EXPECT_EQ(describe_cr0(cr0::PE | cr0::PG | cr0::ET), "PG ET PE");
    EXPECT_EQ(describe_cr0(0), "-");
}

TEST(CpuPanel, GivenEachMode_ThenItIsNamed) {
    EXPECT_EQ(describe_mode(cr0::ET, 0, 0), "real mode");
    EXPECT_EQ(describe_mode(cr0::PE | cr0::PG, 0, 3), "protected mode, ring 3 (user), paging on");
    EXPECT_EQ(describe_mode(cr0::PE, 0, 0), "protected mode, ring 0 (kernel)");
    EXPECT_EQ(describe_mode(cr0::PE, flag::VM, 3), "virtual-8086 mode");
}

TEST(CpuPanel, GivenRegisters_ThenTheLinesShowThemInHex) {
    CpuState s;
    s.regs[EAX] = 0x12345678;
    s.eip = 0xC0001000;
    auto lines = register_lines(s, flag::IF | flag::kReserved1, cr0::PE | cr0::PG, 0x5000);
    ASSERT_GE(lines.size(), 5u);
    EXPECT_NE(lines[1].text.find("EAX 12345678"), std::string::npos);
    EXPECT_NE(lines[3].text.find("EIP c0001000  EFLAGS 00000202  IF IOPL=0"), std::string::npos);
    EXPECT_NE(lines[4].text.find("CR3 00005000"), std::string::npos);
}

}  // namespace
}  // namespace pc386
