// REP string instructions count every element as one instruction: a burst of up to 4096 elements
// used to count as one, so --max-insns did not bound run time (320 M stores for 100,000
// "instructions"), virtual time stood still during a long copy, and a stop request waited for up
// to a million bursts.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "base/log.h"
#include "cpu/cpu.h"
#include "hostile_guest.h"
#include "machine/machine.h"

namespace pc386 {
namespace {

using namespace hostile;

// ES = 1000h; then forever: CX = FFFFh, DI = 0, REP STOSB.
const std::vector<uint8_t> kStosLoop = {
    0xB8, 0x00, 0x10,  // 0: mov ax, 1000h
    0x8E, 0xC0,        // 3: mov es, ax
    0xB9, 0xFF, 0xFF,  // 5: mov cx, FFFFh
    0x31, 0xFF,        // 8: xor di, di
    0xF3, 0xAA,        // 10: rep stosb
    0xEB, 0xF7,        // 12: jmp 5
};

class RepCount : public ::testing::Test {
  protected:
    void SetUp() override { log::set_level(spdlog::level::off); }
    void TearDown() override { log::set_level(spdlog::level::warn); }
    ScratchDir dir_;
};

TEST_F(RepCount, MaxInstructionsStopsInTheMiddleOfARepAtTheExactElement) {
    const std::string rom = dir_.file("rom.bin");
    write_file(rom, make_rom(kStosLoop));
    MachineConfig config = quiet_config(rom);
    config.max_instructions = 100'000;
    Machine m(config);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(m.run(), StopReason::InstructionLimit);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    EXPECT_EQ(m.instructions(), 100'000u);
    EXPECT_EQ(m.cpu().instructions(), 100'000u);
    EXPECT_EQ(m.now(), 100'000u * config.ns_per_instruction);
    // The reset vector's jump and 4 set-up instructions, a first pass of 65535 elements,
    // jmp/mov/xor, then the second pass.
    const uint32_t second_pass = 100'000 - 5 - 65'535 - 3;
    EXPECT_EQ(m.cpu().state().regs[ECX] & 0xFFFF, 0xFFFFu - second_pass);
    EXPECT_EQ(m.cpu().state().regs[EDI] & 0xFFFF, second_pass);
    EXPECT_EQ(m.cpu().state().eip, 10u);  // still in the REP: it resumes there
}

TEST_F(RepCount, ARunOfNInstructionsRunsNElementsAndResumes) {
    const std::string rom = dir_.file("rom.bin");
    write_file(rom, make_rom(kStosLoop));
    Machine m(quiet_config(rom));
    EXPECT_EQ(m.run_for(5), StopReason::None);  // the reset vector's jump and the set-up
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(m.run_for(10), StopReason::None);
        EXPECT_EQ(m.cpu().state().regs[ECX] & 0xFFFF, 0xFFFFu - 10u * (i + 1));
    }
    EXPECT_EQ(m.instructions(), 35u);
}

// A #GP on the 8th word of REP STOSW (DI wraps past the 64 KiB limit): the exception's stamp counts
// the 7 elements done before it.
TEST_F(RepCount, AnExceptionInARepIsStampedAtItsElement) {
    const std::string rom = dir_.file("rom.bin");
    write_file(rom, make_rom({
                        0xB9, 0x00, 0x01,  // mov cx, 100h
                        0xBF, 0xF1, 0xFF,  // mov di, FFF1h
                        0xF3, 0xAB,        // rep stosw
                    }));
    Machine m(quiet_config(rom));
    m.events().keep_history();
    m.run_for(100);
    ASSERT_EQ(m.events().count(EventKind::Exception), 1u);
    Event gp{};
    for (const Event& e : m.events().since(0))
        if (e.kind == EventKind::Exception) gp = e;
    EXPECT_EQ(gp.a, 13u);
    EXPECT_EQ(gp.icount, 3u + 7u);  // the reset vector's jump, two MOVs, 7 elements
    EXPECT_EQ(m.cpu().state().regs[ECX] & 0xFFFF, 0x100u - 7u);
}

TEST_F(RepCount, AStopRequestEndsAnEndlessRepWithinASlice) {
    const std::string rom = dir_.file("rom.bin");
    write_file(rom, make_rom(kStosLoop));
    Machine m(quiet_config(rom));
    std::thread stopper([&m] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        m.request_stop();
    });
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(m.run(), StopReason::HostRequest);
    stopper.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500));
}

}  // namespace
}  // namespace pc386
