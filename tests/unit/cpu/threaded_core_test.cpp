// The threaded core (Cpu::run_threaded): records replay back to back with one flag tested per
// instruction, and whatever used to be checked at every boundary still happens at the same one
// when it is raised in the middle of replayed code: an interrupt a device raises, a trap flag a
// POPF sets. The handlers a record gets for its form compute what the table's handlers compute.
#include <gtest/gtest.h>

#include <vector>

#include "base/interrupt_line.h"
#include "cpu_fixture.h"

namespace pc386 {
namespace {

// An INTR line that the 100th write to its port raises (as a device would, through
// lines_changed()).
struct PortRaisedLine : InterruptController, PortHandler {
    static constexpr uint8_t kVector = 0x20;
    unsigned writes = 0;
    uint8_t acknowledge() override {
        intr = false;
        return kVector;
    }
    uint32_t port_read(uint16_t, unsigned) override { return 0xFF; }
    void port_write(uint16_t, unsigned, uint32_t) override {
        if (++writes != 100) return;
        intr = true;
        lines_changed();
    }
};

// The fixture's CPU has no interrupt controller: this one is wired to a PortRaisedLine at port
// 0x80, in real mode with the fixture's layout (IVT entry v -> a HLT at 0050:v).
class ThreadedInterruptTest : public ::testing::Test, protected RealModeLayout {
  protected:
    PhysicalBus bus{1 << 20};
    Mmu mmu{bus};
    IoBus io;
    PortRaisedLine line;
    Cpu cpu{mmu, io, &line};
    CpuState& s = cpu.state();

    void SetUp() override {
        io.map(0x80, 0x80, &line);
        RealModeLayout::enter(bus, cpu);
    }
};

// A loop replays from records; its 100th OUT raises INTR. The interrupt comes in right after
// that OUT (the pushed IP is the LOOP's), not at the end of the loop or of the run.
TEST_F(ThreadedInterruptTest, AnInterruptRaisedByAReplayedInstructionComesInRightAfterIt) {
    // 0000 B9 E8 03   mov cx, 1000
    // 0003 40         l: inc ax
    // 0004 E6 80      out 0x80, al
    // 0006 E2 FB      loop l
    // 0008 F4         hlt
    const uint8_t code[] = {0xB9, 0xE8, 0x03, 0x40, 0xE6, 0x80, 0xE2, 0xFB, 0xF4};
    for (uint32_t i = 0; i < sizeof code; ++i) bus.write8((kCodeSeg << 4) + i, code[i]);
    cpu.set_eflags(flag::IF | flag::kReserved1);
    cpu.run(100000);
    ASSERT_TRUE(cpu.halted());
    EXPECT_EQ(s.seg[CS].selector, kHandlerSeg);  // in the handler's HLT
    EXPECT_EQ(s.eip, PortRaisedLine::kVector + 1u);
    EXPECT_EQ(bus.read16((kStackSeg << 4) + (s.regs[ESP] & 0xFFFF)), 0x0006u);  // the IP after the OUT
    EXPECT_EQ(s.regs[EAX] & 0xFFFF, 100u);
    EXPECT_EQ(s.regs[ECX] & 0xFFFF, 901u);
    EXPECT_GT(cpu.decode_cache_stats().replays, 200u);
}

class ThreadedCoreTest : public CpuTest {};

// The same loop body three times; on the third pass (a replay) POPF sets TF. The single-step trap
// comes after the instruction that follows the POPF, as on the chip.
TEST_F(ThreadedCoreTest, APopfThatSetsTfInReplayedCodeTrapsAfterTheNextInstruction) {
    // 0000 B9 03 00   mov cx, 3
    // 0003 9C         l: pushf
    // 0004 58         pop ax
    // 0005 83 F9 01   cmp cx, 1
    // 0008 75 03      jne keep
    // 000A 0D 00 01   or ax, 0x100        (TF, on the last pass)
    // 000D 50         keep: push ax
    // 000E 9D         popf
    // 000F 43         inc bx
    // 0010 E2 F1      loop l
    ASSERT_TRUE(run({0xB9, 0x03, 0x00, 0x9C, 0x58, 0x83, 0xF9, 0x01, 0x75, 0x03, 0x0D, 0x00, 0x01, 0x50, 0x9D,
                     0x43, 0xE2, 0xF1}));
    EXPECT_EQ(vector(), vec::DB);
    EXPECT_EQ(frame_ip(), 0x0010u);  // after INC BX, before LOOP
    EXPECT_EQ(r(EBX) & 0xFFFF, 3u);
    EXPECT_GT(cpu.decode_cache_stats().replays, 10u);
}

// 32-bit ALU and MOV instructions in every form a record specialises (01-3B Ev,Gv and Gv,Ev, 81
// and 83, 89 and 8B; register and memory operands) loop five times; the registers, flags and
// memory agree with a run that decodes every instruction and runs the table's handlers.
TEST_F(ThreadedCoreTest, SpecialisedFormsComputeWhatTheTableHandlersCompute) {
    std::vector<uint8_t> code = {0xB9, 0x05, 0x00};  // mov cx, 5
    const uint32_t loop_start = static_cast<uint32_t>(code.size());
    auto emit = [&](std::initializer_list<uint8_t> bytes) { code.insert(code.end(), bytes); };
    const uint8_t regs[] = {EAX, EBX, EDX, ESI, EDI};  // not CX (the count), SP or BP
    for (uint8_t op = 0; op < 8; ++op) {
        const uint8_t a = regs[op % 5], b = regs[(op + 2) % 5];
        const uint8_t mem = static_cast<uint8_t>(0x10 + op * 4);
        emit({0x66, static_cast<uint8_t>(op * 8 + 1), static_cast<uint8_t>(0xC0 | b << 3 | a)});  // op a, b
        emit({0x66, static_cast<uint8_t>(op * 8 + 3),
              static_cast<uint8_t>(0xC0 | a << 3 | b)});  // op a, b (Gv,Ev)
        emit({0x66, static_cast<uint8_t>(op * 8 + 1), static_cast<uint8_t>(a << 3 | 6), mem,
              0x00});  // [mem], a
        emit({0x66, static_cast<uint8_t>(op * 8 + 3), static_cast<uint8_t>(b << 3 | 6), mem,
              0x00});                                                                          // b, [mem]
        emit({0x66, 0x81, static_cast<uint8_t>(0xC0 | op << 3 | a), 0x78, 0x56, 0x34, 0x92});  // op a, imm32
        emit({0x66, 0x83, static_cast<uint8_t>(0xC0 | op << 3 | b), 0xF3});                    // op b, imm8
        emit({0x66, 0x81, static_cast<uint8_t>(op << 3 | 6), mem, 0x00, 0x11, 0x22, 0x33,
              0x84});                                                            // [mem], imm32
        emit({0x66, 0x83, static_cast<uint8_t>(op << 3 | 6), mem, 0x00, 0x7F});  // [mem], imm8
        emit({0x66, 0x89, static_cast<uint8_t>(0xC0 | a << 3 | b)});             // mov b, a
        emit({0x66, 0x89, static_cast<uint8_t>(a << 3 | 6), static_cast<uint8_t>(mem + 2),
              0x00});                                                 // mov [mem+2], a
        emit({0x66, 0x8B, static_cast<uint8_t>(0xC0 | b << 3 | a)});  // mov b, a (Gv,Ev)
        emit({0x66, 0x8B, static_cast<uint8_t>(a << 3 | 6), static_cast<uint8_t>(mem + 1),
              0x00});                                // mov a, [mem+1]
        emit({0x66, 0x05, 0x01, 0x00, 0x01, 0x80});  // add eax, 0x80010001: carries and signs vary
    }
    emit({0x49});  // dec cx
    const int32_t back = static_cast<int32_t>(loop_start) - static_cast<int32_t>(code.size() + 4);
    emit({0x0F, 0x85, static_cast<uint8_t>(back), static_cast<uint8_t>(back >> 8)});  // jnz loop_start

    struct Result {
        uint32_t regs[8], eflags, memory[32];
    };
    auto run_code = [&](bool decode_cache) {
        SetUp();  // the fixture's power-on state again
        cpu.set_decode_cache(decode_cache);
        const uint32_t seeds[8] = {0x9E3779B9, 0, 0x7F4A7C15, 0xF39CC060, 0, 0, 0x1B873593, 0xCC9E2D51};
        for (unsigned i = 0; i < 8; ++i)
            if (i != ECX && i != ESP && i != EBP) s.regs[i] = seeds[i];
        for (uint32_t off = 0; off < 128; off += 4) set_data32(off, off * 0x01010101u + 0x80402010u);
        for (size_t i = 0; i < code.size(); ++i) bus.write8(kCode + static_cast<uint32_t>(i), code[i]);
        bus.write8(kCode + static_cast<uint32_t>(code.size()), 0xF4);
        cpu.run(100000);
        EXPECT_TRUE(cpu.halted());
        EXPECT_EQ(s.eip, code.size() + 1);
        Result res{};
        for (unsigned i = 0; i < 8; ++i) res.regs[i] = s.regs[i];
        res.eflags = cpu.eflags();
        for (uint32_t i = 0; i < 32; ++i) res.memory[i] = data32(i * 4);
        return res;
    };
    const Result decoded = run_code(false);
    const uint64_t replays_before = cpu.decode_cache_stats().replays;
    const Result replayed = run_code(true);
    EXPECT_GT(cpu.decode_cache_stats().replays - replays_before, 4 * 8 * 13u);  // passes 2-5 replay
    for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(replayed.regs[i], decoded.regs[i]) << "register " << i;
    EXPECT_EQ(replayed.eflags, decoded.eflags);
    for (unsigned i = 0; i < 32; ++i) EXPECT_EQ(replayed.memory[i], decoded.memory[i]) << "dword " << i;
}

}  // namespace
}  // namespace pc386
