// The interpreter in 32-bit protected mode with paging: default 32-bit operands and stack, and
// faults in the middle of an instruction (a page fault leaves a REP string instruction's progress
// in ECX/ESI/EDI and EIP on the instruction, CR2 on the faulting byte's page, nothing else changed).
//
// Ring 0, flat 4 GiB code (08) and data (10) segments from a GDT at 0x500, an IDT at 0x800 whose
// 32-bit interrupt gates send vector v to a HLT at kHandlers + v, 4 MiB identity-mapped by one page
// table (with holes the tests punch).
#include <gtest/gtest.h>

#include <initializer_list>

#include "base/io_bus.h"
#include "cpu/cpu.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"
#include "support/flat_paged_protected_mode.h"

namespace pc386 {
namespace {

class ProtectedModeTest : public ::testing::Test, protected FlatPagedLayout {
  protected:
    static constexpr uint32_t kData = 0x20000;

    PhysicalBus bus{4 << 20};
    Mmu mmu{bus};
    IoBus io;
    Cpu cpu{mmu, io, nullptr};
    CpuState& s = cpu.state();

    void SetUp() override { FlatPagedLayout::enter(bus, cpu); }

    void unmap(uint32_t lin) {
        bus.write32(kTable + (lin >> 12) * 4, 0);
        mmu.flush_tlb();
    }
    bool run(std::initializer_list<uint8_t> code) {
        uint32_t a = kCode;
        for (uint8_t b : code) bus.write8(a++, b);
        bus.write8(a, 0xF4);
        end_ = a + 1;
        for (int i = 0; i < 100 && !cpu.halted() && !cpu.shutdown(); ++i) cpu.run(100000);
        return cpu.halted();
    }
    int vector() const { return s.eip - kHandlers - 1 < 32 ? static_cast<int>(s.eip - kHandlers - 1) : -1; }
    bool finished() const { return s.eip == end_; }
    uint32_t frame(unsigned i) {
        return bus.read32(s.regs[ESP] + 4 * i);
    }  // after an error code: EIP, CS, EFLAGS

  private:
    uint32_t end_ = 0;
};

TEST_F(ProtectedModeTest, DefaultOperandAndStackAre32Bit) {
    s.regs[EAX] = 0x11223344;
    ASSERT_TRUE(run({0x50,              // push eax
                     0x66, 0x6A, 0xFF,  // push word -1 (o16)
                     0x66, 0x58,        // pop ax
                     0x5B}));           // pop ebx
    EXPECT_TRUE(finished());
    EXPECT_EQ(s.regs[EBX], 0x11223344u);
    EXPECT_EQ(s.regs[EAX], 0x1122FFFFu);
    EXPECT_EQ(s.regs[ESP], kStackTop);
}

TEST_F(ProtectedModeTest, SibAndDisp32Addressing) {
    bus.write32(kData + 0x40, 0xFEEDFACE);
    s.regs[EBX] = kData;
    s.regs[ESI] = 0x10;
    ASSERT_TRUE(run({0x8B, 0x04, 0xB3}));  // mov eax, [ebx+esi*4]
    EXPECT_EQ(s.regs[EAX], 0xFEEDFACEu);
}

TEST_F(ProtectedModeTest, PageFaultInRepStosdKeepsTheProgress) {
    unmap(kData + 0x1000);
    s.regs[EDI] = kData + 0x1000 - 8;  // two dwords fit, the third faults
    s.regs[ECX] = 5;
    s.regs[EAX] = 0xA5A5A5A5;
    ASSERT_TRUE(run({0xF3, 0xAB}));  // rep stosd
    EXPECT_EQ(vector(), vec::PF);
    EXPECT_EQ(s.cr2, kData + 0x1000);
    EXPECT_EQ(frame(0), 2u);     // error code: write, not present, supervisor
    EXPECT_EQ(frame(1), kCode);  // EIP: the REP prefix
    EXPECT_EQ(s.regs[ECX], 3u);
    EXPECT_EQ(s.regs[EDI], kData + 0x1000);
    EXPECT_EQ(bus.read32(kData + 0xFFC), 0xA5A5A5A5u);
}

TEST_F(ProtectedModeTest, PageFaultOnAWordStraddlingPagesWritesNothing) {
    unmap(kData + 0x1000);
    bus.write16(kData + 0xFFE, 0x1111);
    s.regs[EBX] = kData + 0xFFF;
    s.regs[EAX] = 0x2222;
    ASSERT_TRUE(run({0x66, 0x89, 0x03}));  // mov [ebx], ax
    EXPECT_EQ(vector(), vec::PF);
    EXPECT_EQ(s.cr2, kData + 0x1000);
    EXPECT_EQ(bus.read16(kData + 0xFFE), 0x1111u);
}

TEST_F(ProtectedModeTest, PageFaultOnAnInstructionFetch) {
    unmap(kCode + 0x1000);
    // A 5-byte MOV whose immediate crosses into the missing page.
    s.eip = kCode + 0xFFE;
    bus.write8(kCode + 0xFFE, 0xB8);  // mov eax, imm32
    bus.write8(kCode + 0xFFF, 0x01);
    for (int i = 0; i < 100 && !cpu.halted(); ++i) cpu.run(1000);
    EXPECT_EQ(vector(), vec::PF);
    EXPECT_EQ(s.cr2, kCode + 0x1000);
    EXPECT_EQ(frame(0), 0u);             // read, not present, supervisor
    EXPECT_EQ(frame(1), kCode + 0xFFE);  // the instruction's start
}

TEST_F(ProtectedModeTest, MovsFromAMissingPageFaultsOnTheRead) {
    unmap(kData + 0x3000);
    s.regs[ESI] = kData + 0x3000;
    s.regs[EDI] = kData;
    s.regs[ECX] = 1;
    ASSERT_TRUE(run({0xF3, 0xA4}));  // rep movsb
    EXPECT_EQ(vector(), vec::PF);
    EXPECT_EQ(frame(0), 0u);  // a read
    EXPECT_EQ(s.regs[ECX], 1u);
}

TEST_F(ProtectedModeTest, NullSelectorLoadThenUseIsGp) {
    ASSERT_TRUE(run({0x31, 0xC0,     // xor eax, eax
                     0x8E, 0xD8,     // mov ds, ax (null: allowed)
                     0x8B, 0x03}));  // mov eax, [ebx]: #GP(0)
    EXPECT_EQ(vector(), vec::GP);
    EXPECT_EQ(frame(0), 0u);
    EXPECT_EQ(frame(1), kCode + 4);
}

TEST_F(ProtectedModeTest, LockedBtsOnMemoryAndUdForRegisters) {
    bus.write32(kData, 0);
    s.regs[EBX] = kData;
    s.regs[ECX] = 33;
    ASSERT_TRUE(run({0xF0, 0x0F, 0xAB, 0x0B}));  // lock bts [ebx], ecx
    EXPECT_TRUE(finished());
    EXPECT_EQ(bus.read32(kData + 4), 2u);
    SetUp();
    ASSERT_TRUE(run({0xF0, 0x0F, 0xAB, 0xCB}));  // lock bts ebx, ecx
    EXPECT_EQ(vector(), vec::UD);
}

}  // namespace
}  // namespace pc386
