// The pre-decoded instruction cache: loops replay their records, and every way code can change
// under a record (the code writing itself, a tool or device writing through the bus, paging
// pointing the same linear page at other code) runs the new code, as the chip would.
#include <gtest/gtest.h>

#include "cpu_fixture.h"

namespace pc386 {
namespace {

class DecodeCacheTest : public CpuTest {
  protected:
    void resume_at(uint32_t eip) {
        cpu.leave_halt();
        s.eip = eip;
    }
};

// MOV CX,1000 / l: ADD AX,[BX+SI+2] / LOOP l: the ADD (ModRM with base, index and displacement)
// and the LOOP replay 999 times, with the effective address computed again from the registers.
TEST_F(DecodeCacheTest, LoopsReplayTheirRecords) {
    set_data16(0x12, 3);
    r(EBX) = 0x10;
    r(ESI) = 0;
    const uint64_t before = cpu.decode_cache_stats().replays;
    ASSERT_TRUE(run({0xB9, 0xE8, 0x03, 0x03, 0x40, 0x02, 0xE2, 0xFB}));
    EXPECT_TRUE(finished());
    EXPECT_EQ(r(EAX) & 0xFFFF, 3000u);
    EXPECT_GE(cpu.decode_cache_stats().replays - before, 2 * 999u);
}

// The same loop with the cache off gives the same result and replays nothing.
TEST_F(DecodeCacheTest, OffDecodesEveryTime) {
    cpu.set_decode_cache(false);
    set_data16(0x12, 3);
    r(EBX) = 0x10;
    const uint64_t before = cpu.decode_cache_stats().replays;
    ASSERT_TRUE(run({0xB9, 0xE8, 0x03, 0x03, 0x40, 0x02, 0xE2, 0xFB}));
    EXPECT_EQ(r(EAX) & 0xFFFF, 3000u);
    EXPECT_EQ(cpu.decode_cache_stats().replays, before);
}

// A page of code costs the instructions decoded in it (an 8 KiB index and 48 bytes a record), not
// a record for every byte offset (128 KiB a page before).
TEST_F(DecodeCacheTest, APageCostsItsInstructionsNotAnEntryPerByte) {
    set_data16(0x12, 3);
    r(EBX) = 0x10;
    ASSERT_TRUE(run({0xB9, 0xE8, 0x03, 0x03, 0x40, 0x02, 0xE2, 0xFB}));
    EXPECT_EQ(cpu.decode_cache_stats().pages, 1u);
    EXPECT_LE(cpu.decode_cache_stats().records, 4u);  // MOV, ADD, LOOP (the HLT, maybe)
    EXPECT_LT(cpu.decode_cache_bytes(), 12u * 1024);
}

// Self-modifying code in the same page: the loop body's ADD AX,imm16 runs, then the loop writes
// a new immediate into it (CS: override), three times. A stale record would add 1 each time.
TEST_F(DecodeCacheTest, CodeThatRewritesItsOwnImmediateRunsTheNewOne) {
    // 0000 B9 03 00      mov cx, 3
    // 0003 05 01 00      l: add ax, 1        (immediate at 0004)
    // 0006 2E 83 06 04 00 10  add word [cs:0004], 16
    // 000C E2 F5         loop l
    ASSERT_TRUE(run({0xB9, 0x03, 0x00, 0x05, 0x01, 0x00, 0x2E, 0x83, 0x06, 0x04, 0x00, 0x10, 0xE2, 0xF5}));
    EXPECT_TRUE(finished());
    EXPECT_EQ(r(EAX) & 0xFFFF, 1u + 17u + 33u);
    EXPECT_GT(mmu.stats().code_page_writes, 0u);
    EXPECT_GT(cpu.decode_cache_stats().invalidations, 0u);
}

// Code that rewrites its page on every pass does not pile up stale records: the first record
// stored after a write drops the page's old ones.
TEST_F(DecodeCacheTest, RewrittenPagesDoNotPileUpRecords) {
    // 0000 B9 E8 03      mov cx, 1000
    // 0003 05 01 00      l: add ax, 1        (immediate at 0004)
    // 0006 2E 83 06 04 00 10  add word [cs:0004], 16
    // 000C E2 F5         loop l
    ASSERT_TRUE(run({0xB9, 0xE8, 0x03, 0x05, 0x01, 0x00, 0x2E, 0x83, 0x06, 0x04, 0x00, 0x10, 0xE2, 0xF5}));
    EXPECT_TRUE(finished());
    EXPECT_GE(cpu.decode_cache_stats().invalidations, 1000u);
    EXPECT_LE(cpu.decode_cache_stats().records, 4u);
}

// Code replaced through the bus between runs (a debugger's poke, a loader): the new bytes run.
TEST_F(DecodeCacheTest, CodeReplacedThroughTheBusRunsTheNewBytes) {
    ASSERT_TRUE(run({0xB8, 0x11, 0x11}));  // mov ax, 1111h
    EXPECT_EQ(r(EAX) & 0xFFFF, 0x1111u);
    for (int pass = 0; pass < 2; ++pass) {  // twice: the second run would replay a stale record
        resume_at(0);
        const uint8_t code[] = {0xB8, static_cast<uint8_t>(0x22 + pass), 0x22};  // mov ax, 22xxh
        ASSERT_TRUE(bus.poke(kCode, code, sizeof code));
        for (int i = 0; i < 10 && !cpu.halted(); ++i) cpu.run(1000);
        EXPECT_EQ(r(EAX) & 0xFFFF, 0x2222u + pass);
    }
}

// The same bytes under a different CS default size decode differently (B8 takes an imm16 or an
// imm32): the record says which size it was made for.
TEST_F(DecodeCacheTest, RecordsBelongToOneCodeSize) {
    ASSERT_TRUE(run({0xB8, 0x34, 0x12, 0x90, 0x90}));  // 16-bit: mov ax, 1234h; nop; nop
    EXPECT_EQ(r(EAX), 0x1234u);
    r(EAX) = 0;
    resume_at(0);
    s.seg[CS].big = true;  // as a 32-bit code segment would leave it (no protection needed here)
    cpu.run(1);
    EXPECT_EQ(r(EAX), 0x90901234u);
    EXPECT_EQ(s.eip, 5u);
}

// Protected mode with paging: linear page 0x400000 first maps code A, then (after a CR3 reload)
// code B at another frame. The record of A must not run for B.
TEST_F(DecodeCacheTest, RemappingTheLinearPageRunsTheOtherFramesCode) {
    constexpr uint32_t kDir1 = 0x50000, kDir2 = 0x51000, kTable1 = 0x52000, kTable2 = 0x53000;
    constexpr uint32_t kFrameA = 0x60000, kFrameB = 0x61000, kLinear = 0x400000;
    auto map = [&](uint32_t dir, uint32_t table, uint32_t frame) {
        bus.write32(dir + 4, table | 3);  // 4-8 MiB
        bus.write32(table, frame | 3);
    };
    map(kDir1, kTable1, kFrameA);
    map(kDir2, kTable2, kFrameB);
    const uint8_t a[] = {0xB8, 0xAA, 0x00, 0x00, 0x00, 0xF4};  // mov eax, 0AAh; hlt
    const uint8_t b[] = {0xB8, 0xBB, 0x00, 0x00, 0x00, 0xF4};  // mov eax, 0BBh; hlt
    ASSERT_TRUE(bus.poke(kFrameA, a, sizeof a));
    ASSERT_TRUE(bus.poke(kFrameB, b, sizeof b));
    for (SegReg seg : {CS, DS, ES, SS}) {
        Segment& sg = s.seg[seg];
        sg.base = 0, sg.limit = 0xFFFFFFFFu, sg.big = true, sg.granular = true, sg.valid = true;
        sg.access = seg == CS ? 0x9B : 0x93;
    }
    cpu.set_cr3(kDir1);
    cpu.set_cr0(cr0::PE | cr0::PG | cr0::ET);
    for (int i = 0; i < 2; ++i) {  // twice: the second run replays A's record
        resume_at(kLinear);
        cpu.run(1);
        EXPECT_EQ(r(EAX), 0xAAu);
    }
    cpu.set_cr3(kDir2);
    resume_at(kLinear);
    cpu.run(1);
    EXPECT_EQ(r(EAX), 0xBBu);
}

// A record is made within the CS limit; with the limit lowered under the instruction's last byte,
// the replay must not run it: the fetch is #GP(0).
TEST_F(DecodeCacheTest, ALoweredCsLimitStillFaults) {
    ASSERT_TRUE(run({0xB8, 0x34, 0x12}));
    r(EAX) = 0;
    resume_at(0);
    s.seg[CS].limit = 1;  // the imm16's second byte is now past the limit
    cpu.run(1);           // one step: the fetch faults and the #GP is delivered through the IVT
    EXPECT_EQ(s.seg[CS].selector, kHandlerSeg);
    EXPECT_EQ(s.eip, uint32_t{vec::GP});
    EXPECT_EQ(r(EAX), 0u);
}

}  // namespace
}  // namespace pc386
