// Straight runs (ExecutionContext::run_straight): the threaded loop follows records within one
// code page checking only EIP's offset in the page, because whatever else a record depends on
// raises attention when it changes. Each test replays, in the middle of a straight run, an
// instruction that changes one of them, and checks that the instruction after it is the right
// one: a far JMP that reloads CS with another base in the same page (real and protected mode), a
// MOV CR3 that maps the page to another frame, and a store into the code that is about to run.
// Each fails when that change no longer raises attention.
#include <gtest/gtest.h>

#include <vector>

#include "cpu_fixture.h"
#include "support/task_fixture.h"

namespace pc386 {
namespace {

class StraightRunTest : public CpuTest {
  protected:
    void put_code(uint32_t linear, const std::vector<uint8_t>& code) {
        ASSERT_TRUE(bus.poke(linear, code.data(), code.size()));
        cpu.flush_decode_cache();
    }
    // Runs from CS:0 at most `budget` instructions (or to a HLT).
    void run_from_start(uint64_t budget) {
        cpu.leave_halt();
        s.eip = 0;
        cpu.run(budget);
    }
};

// 0100:0000 NOP, then JMP FAR 0101:0000, the same page 16 bytes on: MOV AX,1234h; HLT. Read with
// the old CS base, the new EIP (0) is the NOP's offset: a run that kept going would replay NOP and
// the JMP forever.
TEST_F(StraightRunTest, ARealModeFarJumpWithinThePageRunsItsTarget) {
    std::vector<uint8_t> code(0x14, 0xF4);
    const uint8_t jump[] = {0x90, 0xEA, 0x00, 0x00, 0x01, 0x01};
    std::copy(std::begin(jump), std::end(jump), code.begin());
    code[0x10] = 0xB8, code[0x11] = 0x34, code[0x12] = 0x12;  // mov ax, 1234h (then the HLT)
    put_code(kCode, code);
    for (int pass = 0; pass < 2; ++pass) {  // the second pass replays the NOP and the JMP
        cpu.load_real_mode_segment(CS, kCodeSeg);
        r(EAX) = 0;
        run_from_start(1000);
        EXPECT_TRUE(cpu.halted()) << "pass " << pass;
        EXPECT_EQ(r(EAX), 0x1234u) << "pass " << pass;
        EXPECT_EQ(s.seg[CS].selector, kCodeSeg + 1);
    }
    EXPECT_GE(cpu.decode_cache_stats().replays, 2u);
}

// The ES of MOV [ES:BX],SI first points at data (the record is made then), then at the code: in
// the second pass the replayed store rewrites the immediate of the MOV AX that the LOOP goes back to.
//   0000 B9 03 00   mov cx, 3
//   0003 B8 01 00   l: mov ax, 1        (immediate at 0004)
//   0006 01 C2      add dx, ax
//   0008 26 89 37   mov [es:bx], si     (BX = 0004, SI = 100h)
//   000B 8C CF      mov di, cs
//   000D 8E C7      mov es, di
//   000F E2 F2      loop l
// DX = 1 (pass 1) + 1 (pass 2: its store comes after the ADD) + 100h (pass 3).
TEST_F(StraightRunTest, AReplayedStoreIntoTheCodeRunsTheNewBytes) {
    put_code(kCode, {0xB9, 0x03, 0x00, 0xB8, 0x01, 0x00, 0x01, 0xC2, 0x26, 0x89, 0x37, 0x8C, 0xCF, 0x8E, 0xC7,
                     0xE2, 0xF2, 0xF4});
    r(EDX) = 0, r(EBX) = 0x4, r(ESI) = 0x100;
    cpu.load_real_mode_segment(ES, kDataSeg);
    run_from_start(1000);
    ASSERT_TRUE(cpu.halted());
    EXPECT_EQ(bus.read16(kCode + 4), 0x100u);
    EXPECT_GT(cpu.decode_cache_stats().replays, 0u);
    EXPECT_EQ(r(EDX) & 0xFFFF, 0x102u);
}

// Protected mode: GDT 20 is 32-bit code with base 20h. At kCode: NOP, JMP FAR 20:kCode, which is
// linear kCode + 20h: MOV EAX,1234h; HLT. With the old base, the new EIP is the NOP's.
class StraightRunPmTest : public TaskTest {};

TEST_F(StraightRunPmTest, AFarJumpToAnotherBaseWithinThePageRunsItsTarget) {
    enter_protected_mode(0x27, 32);
    put(kGdt + 0x20, descriptor(0x20, 0xFFFFF, 0x9B, 0xC));
    std::vector<uint8_t> code(0x26, 0xF4);
    const uint8_t jump[] = {0x90, 0xEA, kCode & 0xFF, (kCode >> 8) & 0xFF, (kCode >> 16) & 0xFF,
                            0,    0x20, 0x00};
    std::copy(std::begin(jump), std::end(jump), code.begin());
    const uint8_t target[] = {0xB8, 0x34, 0x12, 0x00, 0x00};  // mov eax, 1234h (then the HLT)
    std::copy(std::begin(target), std::end(target), code.begin() + 0x20);
    ASSERT_TRUE(bus.poke(kCode, code.data(), code.size()));
    for (int pass = 0; pass < 2; ++pass) {
        ASSERT_TRUE(cpu.load_segment(CS, 0x08));
        cpu.leave_halt();
        s.eip = kCode;
        s.regs[EAX] = 0;
        cpu.run(1000);
        EXPECT_TRUE(cpu.halted()) << "pass " << pass;
        EXPECT_EQ(s.regs[EAX], 0x1234u) << "pass " << pass;
        EXPECT_EQ(s.seg[CS].selector, 0x20);
    }
    EXPECT_GE(cpu.decode_cache_stats().replays, 2u);
}

// A 32-bit code segment's records live in their own page of the decode cache (one per CS size): a
// write through the bus must make those stale too. MOV EAX,1 runs twice (recorded, replayed), its
// immediate is rewritten through the bus, and the third run must see 2.
TEST_F(StraightRunPmTest, AWriteMakesA32BitPagesRecordsStale) {
    enter_protected_mode(0x1F, 32);
    const uint8_t code[] = {0x90, 0xB8, 0x01, 0x00, 0x00, 0x00, 0xF4};  // nop; mov eax, 1; hlt
    ASSERT_TRUE(bus.poke(kCode, code, sizeof code));
    for (uint32_t expected : {1u, 1u, 2u}) {
        if (expected == 2) bus.write8(kCode + 2, 2);
        cpu.leave_halt();
        s.eip = kCode;
        s.regs[EAX] = 0;
        cpu.run(100);
        ASSERT_TRUE(cpu.halted());
        EXPECT_EQ(s.regs[EAX], expected);
    }
    EXPECT_GE(cpu.decode_cache_stats().replays, 2u);
}

// Paging: linear 400000h maps frame A under one directory, frame B under another. Both hold NOP;
// MOV CR3,EBX; MOV EAX,imm; HLT, with AAh in A and BBh in B. Run once in A (records made), then
// again with EBX = B's directory: the MOV EAX after the replayed MOV CR3 must be B's.
TEST_F(StraightRunPmTest, AMovCr3ThatRemapsTheCodePageRunsTheOtherFramesInstruction) {
    enter_protected_mode(0x1F, 32);
    constexpr uint32_t kDirA = 0x50000, kDirB = 0x51000, kLowTable = 0x52000, kTableA = 0x53000,
                       kTableB = 0x54000;
    constexpr uint32_t kFrameA = 0x60000, kFrameB = 0x61000, kLinear = 0x400000;
    for (uint32_t p = 0; p < 256; ++p) bus.write32(kLowTable + p * 4, (p << 12) | 3);  // the first MiB
    for (auto [dir, table, frame] :
         {std::tuple{kDirA, kTableA, kFrameA}, std::tuple{kDirB, kTableB, kFrameB}}) {
        bus.write32(dir, kLowTable | 3);
        bus.write32(dir + 4, table | 3);  // 4-8 MiB: one page
        bus.write32(table, frame | 3);
    }
    for (auto [frame, value] : {std::pair{kFrameA, uint8_t{0xAA}}, std::pair{kFrameB, uint8_t{0xBB}}}) {
        const uint8_t code[] = {0x90, 0x0F, 0x22, 0xDB, 0xB8, value, 0x00, 0x00, 0x00, 0xF4};
        ASSERT_TRUE(bus.poke(frame, code, sizeof code));
    }
    cpu.set_cr3(kDirA);
    cpu.set_cr0(cr0::PE | cr0::PG | cr0::ET);
    for (uint32_t ebx : {kDirA, kDirB}) {
        cpu.set_cr3(kDirA);
        cpu.leave_halt();
        s.eip = kLinear;
        s.regs[EBX] = ebx;
        cpu.run(1000);
        ASSERT_TRUE(cpu.halted());
        EXPECT_EQ(s.regs[EAX], ebx == kDirA ? 0xAAu : 0xBBu);
    }
    EXPECT_GE(cpu.decode_cache_stats().replays, 2u);
}

}  // namespace
}  // namespace pc386
