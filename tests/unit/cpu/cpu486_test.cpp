// The 486 model (Cpu::set_model(CpuModel::i486)): CPUID, BSWAP, CMPXCHG, XADD (and LOCK on them),
// INVD/WBINVD, INVLPG, EFLAGS.AC/ID, the CR0 bits NE WP AM NW CD, CR4, CR0.WP page protection and
// alignment checking (#AC). Each test that adds something also checks that the default 386 model
// does not have it (opcode_map_test.cpp checks the 386's #UD for every new opcode).
//
// Real-mode tests use the CpuTest fixture (cpu_fixture.h). The paging and CPL 3 ones use
// Pm486Test below: ring 0 flat code/data (08, 10), ring 3 flat code/data (1B, 23), a TSS (28) for
// the ring 3 -> 0 stack switch, an IDT sending vector v to a HLT at kHandlers + v, and 4 MiB
// identity-mapped by one page table with user, writable pages.
#include <gtest/gtest.h>

#include <initializer_list>

#include "base/io_bus.h"
#include "cpu/cpu.h"
#include "cpu_fixture.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"

namespace pc386 {
namespace {

using namespace flag;

class Cpu486Test : public CpuTest {
  protected:
    void SetUp() override {
        cpu.set_model(CpuModel::i486);
        CpuTest::SetUp();
    }
};

// --- reset, CPUID, EFLAGS --------------------------------------------------------------------

TEST_F(Cpu486Test, ResetSignatureAndCr0) {
    cpu.reset();
    EXPECT_EQ(s.regs[EDX], 0x0402u);    // family 4, as CPUID leaf 1 says
    EXPECT_EQ(cpu.cr0(), 0x60000010u);  // CD, NW, ET
    cpu.set_model(CpuModel::i386);
    EXPECT_EQ(s.regs[EDX], 0x0303u);
    EXPECT_EQ(cpu.cr0(), 0x00000010u);
}

TEST_F(Cpu486Test, CpuidVendorAndFamily) {
    r(EAX) = 0;
    ASSERT_TRUE(run({0x0F, 0xA2}));  // cpuid
    ASSERT_TRUE(finished());
    EXPECT_EQ(r(EAX), 1u);  // highest leaf
    EXPECT_EQ(r(EBX), 0x756E6547u);
    EXPECT_EQ(r(EDX), 0x49656E69u);
    EXPECT_EQ(r(ECX), 0x6C65746Eu);

    SetUp();
    r(EAX) = 1;
    ASSERT_TRUE(run({0x0F, 0xA2}));
    EXPECT_EQ(r(EAX), 0x0402u);
    EXPECT_EQ((r(EAX) >> 8) & 0xF, 4u);  // family 4
    EXPECT_EQ(r(EDX) & 1, 0u);           // no FPU
    EXPECT_EQ(r(EBX) | r(ECX) | r(EDX), 0u);

    SetUp();
    r(EAX) = 0x80000000u;  // above the highest leaf: leaf 1's data
    ASSERT_TRUE(run({0x0F, 0xA2}));
    EXPECT_EQ(r(EAX), 0x0402u);
}

// pushfd; pop eax; or eax, AC|ID; push eax; popfd; pushfd; pop ebx
const std::initializer_list<uint8_t> kToggleAcId = {0x66, 0x9C, 0x66, 0x58, 0x66, 0x0D, 0x00, 0x00, 0x24,
                                                    0x00, 0x66, 0x50, 0x66, 0x9D, 0x66, 0x9C, 0x66, 0x5B};

TEST_F(Cpu486Test, AcAndIdToggle) {
    ASSERT_TRUE(run(kToggleAcId));
    ASSERT_TRUE(finished());
    EXPECT_EQ(r(EBX) & (AC | ID), AC | ID);
    EXPECT_EQ(flags() & (AC | ID), AC | ID);
    set_flags(0);
    EXPECT_EQ(flags() & (AC | ID), 0u);
}

TEST_F(CpuTest, AcAndIdStayClearOnThe386) {
    ASSERT_TRUE(run(kToggleAcId));
    ASSERT_TRUE(finished());
    EXPECT_EQ(r(EBX) & (AC | ID), 0u);
    set_flags(AC | ID);
    EXPECT_EQ(flags() & (AC | ID), 0u);
}

// --- CR0 ----------------------------------------------------------------------------------

TEST_F(Cpu486Test, Cr0KeepsTheNewBits) {
    constexpr uint32_t bits = cr0::NE | cr0::WP | cr0::AM | cr0::NW | cr0::CD;
    r(EAX) = bits;
    ASSERT_TRUE(run({0x0F, 0x22, 0xC0,     // mov cr0, eax
                     0x0F, 0x20, 0xC3}));  // mov ebx, cr0
    ASSERT_TRUE(finished());
    EXPECT_EQ(r(EBX), bits | cr0::ET);

    SetUp();
    r(EAX) = cr0::NW;  // NW without CD
    ASSERT_TRUE(run({0x0F, 0x22, 0xC0}));
    EXPECT_EQ(vector(), vec::GP);
}

// CR4 as the later 486s (and QEMU's 486) have it; no bit of it is modelled, so it stays 0.
TEST_F(Cpu486Test, Cr4ReadsZeroAndTakesItBack) {
    r(EAX) = 0xFFFFFFFF;
    ASSERT_TRUE(run({0x0F, 0x20, 0xE0,                    // mov eax, cr4
                     0x66, 0x25, 0xDF, 0xFF, 0xFF, 0xFF,  // and eax, ~PAE (GRUB 2's relocator)
                     0x0F, 0x22, 0xE0,                    // mov cr4, eax
                     0x0F, 0x20, 0xE3}));                 // mov ebx, cr4
    ASSERT_TRUE(finished());
    EXPECT_EQ(r(EAX), 0u);
    EXPECT_EQ(r(EBX), 0u);
}

TEST_F(Cpu486Test, Cr4BitsWeDoNotHonourAreGp) {
    for (uint32_t bit : {cr4::VME, cr4::PVI, cr4::TSD, cr4::DE, cr4::PSE, cr4::PAE, 1u << 31}) {
        SetUp();
        r(EAX) = bit;
        ASSERT_TRUE(run({0x0F, 0x22, 0xE0}));  // mov cr4, eax
        EXPECT_EQ(vector(), vec::GP) << std::hex << bit;
        EXPECT_EQ(s.cr4, 0u);
    }
}

TEST_F(CpuTest, NoCr4OnThe386) {           // CR4 came with the Pentium and the late 486s
    ASSERT_TRUE(run({0x0F, 0x20, 0xE0}));  // mov eax, cr4
    EXPECT_EQ(vector(), vec::UD);
    SetUp();
    ASSERT_TRUE(run({0x0F, 0x22, 0xE0}));  // mov cr4, eax
    EXPECT_EQ(vector(), vec::UD);
}

TEST_F(CpuTest, Cr0DropsThe486BitsOnThe386) {
    r(EAX) = cr0::NE | cr0::WP | cr0::AM | cr0::NW;  // NW without CD: no #GP on a 386 either
    ASSERT_TRUE(run({0x0F, 0x22, 0xC0, 0x0F, 0x20, 0xC3}));
    ASSERT_TRUE(finished());
    EXPECT_EQ(r(EBX), cr0::ET);
}

// --- BSWAP, CMPXCHG, XADD -------------------------------------------------------------------

TEST_F(Cpu486Test, Bswap) {
    r(EAX) = 0x11223344;
    r(EDI) = 0x80000001;
    ASSERT_TRUE(run({0x66, 0x0F, 0xC8,     // bswap eax
                     0x66, 0x0F, 0xCF}));  // bswap edi
    ASSERT_TRUE(finished());
    EXPECT_EQ(r(EAX), 0x44332211u);
    EXPECT_EQ(r(EDI), 0x01000080u);

    SetUp();
    r(ECX) = 0x11223344;
    ASSERT_TRUE(run({0x0F, 0xC9}));  // bswap cx (16-bit operand: undefined; the low word becomes 0)
    EXPECT_EQ(r(ECX), 0x11220000u);
}

TEST_F(Cpu486Test, CmpxchgEqualStoresTheSource) {
    r(EAX) = 0x12345678;
    r(ECX) = 0xCAFEBABE;
    set_data32(0, 0x12345678);
    ASSERT_TRUE(run({0x66, 0x0F, 0xB1, 0x0E, 0x00, 0x00}));  // cmpxchg [0], ecx
    ASSERT_TRUE(finished());
    EXPECT_EQ(data32(0), 0xCAFEBABEu);
    EXPECT_EQ(r(EAX), 0x12345678u);
    EXPECT_TRUE(flag(ZF));
    EXPECT_FALSE(flag(CF));
}

TEST_F(Cpu486Test, CmpxchgUnequalLoadsTheAccumulator) {
    r(EAX) = 0x0005;
    r(ECX) = 0xBEEF;
    set_data16(0, 0x0007);
    ASSERT_TRUE(run({0x0F, 0xB1, 0x0E, 0x00, 0x00}));  // cmpxchg [0], cx
    ASSERT_TRUE(finished());
    EXPECT_EQ(data16(0), 0x0007u);
    EXPECT_EQ(r(EAX), 0x0007u);
    EXPECT_FALSE(flag(ZF));
    EXPECT_TRUE(flag(CF));  // as CMP 5, 7
    EXPECT_TRUE(flag(SF));
}

TEST_F(Cpu486Test, CmpxchgByteRegisters) {
    r(EAX) = 0x1105;                       // AL = 5
    r(EBX) = 0x05;                         // BL = 5
    r(ECX) = 0x99;                         // CL
    ASSERT_TRUE(run({0x0F, 0xB0, 0xCB}));  // cmpxchg bl, cl
    ASSERT_TRUE(finished());
    EXPECT_EQ(r(EBX), 0x99u);
    EXPECT_EQ(r(EAX), 0x1105u);
    EXPECT_TRUE(flag(ZF));

    SetUp();
    r(EAX) = 0x1180;
    r(EBX) = 0x7F;
    r(ECX) = 0x99;
    ASSERT_TRUE(run({0x0F, 0xB0, 0xCB}));
    EXPECT_EQ(r(EAX), 0x117Fu);  // AL = BL; AH kept
    EXPECT_EQ(r(EBX), 0x7Fu);
    EXPECT_FALSE(flag(ZF));
    EXPECT_TRUE(flag(OF));  // 0x80 - 0x7F overflows
}

TEST_F(Cpu486Test, XaddMemoryAndRegisters) {
    r(ECX) = 0x00000001;
    set_data32(0, 0xFFFFFFFF);
    ASSERT_TRUE(run({0x66, 0x0F, 0xC1, 0x0E, 0x00, 0x00}));  // xadd [0], ecx
    ASSERT_TRUE(finished());
    EXPECT_EQ(data32(0), 0u);
    EXPECT_EQ(r(ECX), 0xFFFFFFFFu);
    EXPECT_TRUE(flag(ZF));
    EXPECT_TRUE(flag(CF));

    SetUp();
    r(EBX) = 0x70;
    r(ECX) = 0x10;
    ASSERT_TRUE(run({0x0F, 0xC0, 0xCB}));  // xadd bl, cl
    EXPECT_EQ(r(EBX), 0x80u);
    EXPECT_EQ(r(ECX), 0x70u);
    EXPECT_TRUE(flag(OF));
    EXPECT_TRUE(flag(SF));

    SetUp();
    r(EAX) = 3;
    ASSERT_TRUE(run({0x66, 0x0F, 0xC1, 0xC0}));  // xadd eax, eax: the sum wins
    EXPECT_EQ(r(EAX), 6u);
}

TEST_F(Cpu486Test, LockIsAllowedOnMemoryOnly) {
    r(ECX) = 2;
    set_data32(0, 40);
    ASSERT_TRUE(run({0xF0, 0x66, 0x0F, 0xC1, 0x0E, 0x00, 0x00,     // lock xadd [0], ecx
                     0xF0, 0x66, 0x0F, 0xB1, 0x0E, 0x04, 0x00}));  // lock cmpxchg [4], ecx
    ASSERT_TRUE(finished());
    EXPECT_EQ(data32(0), 42u);

    for (const auto& code :
         {std::vector<uint8_t>{0xF0, 0x0F, 0xC1, 0xC1}, std::vector<uint8_t>{0xF0, 0x0F, 0xB1, 0xC1},
          std::vector<uint8_t>{0xF0, 0x0F, 0xA2}}) {
        SetUp();
        uint32_t a = kCode;
        for (uint8_t b : code) bus.write8(a++, b);
        bus.write8(a, 0xF4);
        cpu.run(100);
        EXPECT_EQ(vector(), vec::UD) << "opcode byte " << int{code[2]};
    }
}

TEST_F(Cpu486Test, InvdAndWbinvdDoNothingInRealMode) {
    r(EAX) = 0x1234;
    ASSERT_TRUE(run({0x0F, 0x08, 0x0F, 0x09}));
    EXPECT_TRUE(finished());
    EXPECT_EQ(r(EAX), 0x1234u);
}

// --- paging and CPL 3 -----------------------------------------------------------------------

class Pm486Test : public ::testing::Test {
  protected:
    static constexpr uint32_t kGdt = 0x500, kIdt = 0x800, kDir = 0x1000, kTable = 0x2000, kTss = 0x4000;
    static constexpr uint32_t kHandlers = 0x3000, kCode = 0x10000, kData = 0x20000;
    static constexpr uint32_t kStackTop = 0x90000, kStack0Top = 0x80000;

    PhysicalBus bus{4 << 20};
    Mmu mmu{bus};
    IoBus io;
    Cpu cpu{mmu, io, nullptr};
    CpuState& s = cpu.state();

    static uint64_t descriptor(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags_nibble) {
        return (limit & 0xFFFF) | uint64_t{base & 0xFFFFFF} << 16 | uint64_t{access} << 40 |
               uint64_t{(limit >> 16) & 0xF} << 48 | uint64_t{flags_nibble} << 52 |
               uint64_t{base >> 24} << 56;
    }
    void put_descriptor(unsigned selector, uint64_t d) {
        bus.write32(kGdt + selector, static_cast<uint32_t>(d));
        bus.write32(kGdt + selector + 4, static_cast<uint32_t>(d >> 32));
    }
    void load(SegReg seg, uint16_t selector, uint8_t access) {
        Segment& sg = s.seg[seg];
        sg.selector = selector;
        sg.base = 0;
        sg.limit = 0xFFFFFFFFu;
        sg.access = access;
        sg.big = sg.granular = sg.valid = true;
    }

    void SetUp() override {
        cpu.set_model(model_);
        put_descriptor(0x08, descriptor(0, 0xFFFFF, 0x9B, 0xC));
        put_descriptor(0x10, descriptor(0, 0xFFFFF, 0x93, 0xC));
        put_descriptor(0x18, descriptor(0, 0xFFFFF, 0xFB, 0xC));
        put_descriptor(0x20, descriptor(0, 0xFFFFF, 0xF3, 0xC));
        put_descriptor(0x28, descriptor(kTss, 0x67, 0x8B, 0x0));
        bus.write32(kTss + 4, kStack0Top);  // ESP0
        bus.write32(kTss + 8, 0x10);        // SS0
        for (uint32_t v = 0; v < 32; ++v) {
            const uint32_t handler = kHandlers + v;
            bus.write32(kIdt + v * 8, (0x08u << 16) | (handler & 0xFFFF));
            bus.write32(kIdt + v * 8 + 4, (handler & 0xFFFF0000u) | 0x8E00);
            bus.write8(handler, 0xF4);
        }
        bus.write32(kDir, kTable | 7);
        for (uint32_t p = 0; p < 1024; ++p) bus.write32(kTable + p * 4, (p << 12) | 7);
        s.gdtr = {kGdt, 0x2F};
        s.idtr = {kIdt, 32 * 8 - 1};
        s.tr.selector = 0x28;
        s.tr.base = kTss;
        s.tr.limit = 0x67;
        s.tr.access = 0x8B;
        cpu.set_cr3(kDir);
        cpu.set_cr0(cr0::PE | cr0::PG | cr0::ET);
        for (SegReg seg : {ES, CS, SS, DS, FS, GS})
            load(seg, seg == CS ? 0x08 : 0x10, seg == CS ? 0x9B : 0x93);
        s.cpl = 0;
        s.eip = kCode;
        s.regs[ESP] = kStackTop;
    }

    void enter_ring3() {
        for (SegReg seg : {ES, CS, SS, DS, FS, GS})
            load(seg, seg == CS ? 0x1B : 0x23, seg == CS ? 0xFB : 0xF3);
        s.cpl = 3;
    }
    void set_pte(uint32_t lin, uint32_t pte) { bus.write32(kTable + (lin >> 12) * 4, pte); }

    bool run(std::initializer_list<uint8_t> code) {
        uint32_t a = kCode;
        for (uint8_t b : code) bus.write8(a++, b);
        bus.write8(a, 0xF4);
        end_ = a;
        for (int i = 0; i < 100 && !cpu.halted() && !cpu.shutdown(); ++i) cpu.run(100000);
        return cpu.halted();
    }
    int vector() const { return s.eip - kHandlers - 1 < 32 ? static_cast<int>(s.eip - kHandlers - 1) : -1; }
    // Ring 0 code ends on its HLT; ring 3 code on the #GP its HLT raises.
    bool finished() const { return s.cpl == 0 && s.eip == end_ + 1 && vector() < 0; }
    bool finished_ring3() { return vector() == vec::GP && frame(1) == end_; }
    uint32_t frame(unsigned i) { return bus.read32(s.regs[ESP] + 4 * i); }  // [0] = error code, then EIP

    CpuModel model_ = CpuModel::i486;

  private:
    uint32_t end_ = 0;
};

class Pm386Test : public Pm486Test {
  protected:
    Pm386Test() { model_ = CpuModel::i386; }
};

TEST_F(Pm486Test, InvlpgDropsAStaleTranslation) {
    constexpr uint32_t page = 0x200000, frame_a = 0x300000, frame_b = 0x301000;
    bus.write32(frame_a, 0xAAAAAAAA);
    bus.write32(frame_b, 0xBBBBBBBB);
    set_pte(page, frame_a | 7);
    ASSERT_TRUE(run({0xA1, 0x00, 0x00, 0x20, 0x00}));  // mov eax, [page]: the TLB now maps it to A
    EXPECT_EQ(s.regs[EAX], 0xAAAAAAAAu);
    set_pte(page, frame_b | 7);  // no flush
    s.eip = kCode;
    cpu.leave_halt();
    ASSERT_TRUE(run({0x8B, 0x1D, 0x00, 0x00, 0x20, 0x00,        // mov ebx, [page]
                     0x0F, 0x01, 0x3D, 0x00, 0x00, 0x20, 0x00,  // invlpg [page]
                     0x8B, 0x0D, 0x00, 0x00, 0x20, 0x00}));     // mov ecx, [page]
    ASSERT_TRUE(finished());
    EXPECT_EQ(s.regs[EBX], 0xAAAAAAAAu);
    EXPECT_EQ(s.regs[ECX], 0xBBBBBBBBu);
    EXPECT_EQ(mmu.stats().tlb_invlpg, 1u);
}

TEST_F(Pm486Test, InvlpgWithARegisterIsUndefinedAndAtCpl3IsGp) {
    ASSERT_TRUE(run({0x0F, 0x01, 0xF8}));  // "invlpg eax" (mod 3)
    EXPECT_EQ(vector(), vec::UD);

    SetUp();
    enter_ring3();
    ASSERT_TRUE(run({0x0F, 0x01, 0x3D, 0x00, 0x00, 0x20, 0x00}));
    EXPECT_EQ(vector(), vec::GP);
    EXPECT_EQ(frame(0), 0u);
    EXPECT_EQ(frame(1), kCode);
}

TEST_F(Pm486Test, InvdAndWbinvdArePrivileged) {
    enter_ring3();
    ASSERT_TRUE(run({0x0F, 0x09}));
    EXPECT_EQ(vector(), vec::GP);
    EXPECT_EQ(frame(1), kCode);
}

// mov dword [0x200000], 0x12345678
const std::initializer_list<uint8_t> kStoreToPage = {0xC7, 0x05, 0x00, 0x00, 0x20,
                                                     0x00, 0x78, 0x56, 0x34, 0x12};

TEST_F(Pm486Test, WpMakesSupervisorWritesToReadOnlyPagesFault) {
    set_pte(0x200000, 0x200000 | 5);  // present, user, read-only
    ASSERT_TRUE(run(kStoreToPage));   // WP clear: the supervisor writes anyway
    ASSERT_TRUE(finished());
    EXPECT_EQ(bus.read32(0x200000), 0x12345678u);

    SetUp();
    set_pte(0x200000, 0x200000 | 5);
    bus.write32(0x200000, 0);
    cpu.set_cr0(cpu.cr0() | cr0::WP);
    ASSERT_TRUE(run(kStoreToPage));
    EXPECT_EQ(vector(), vec::PF);
    EXPECT_EQ(frame(0), 3u);  // P | W, supervisor
    EXPECT_EQ(frame(1), kCode);
    EXPECT_EQ(s.cr2, 0x200000u);
    EXPECT_EQ(bus.read32(0x200000), 0u);
}

TEST_F(Pm486Test, WpAlsoAppliesToSupervisorPagesAndTheDirectoryLevel) {
    cpu.set_cr0(cpu.cr0() | cr0::WP);
    set_pte(0x200000, 0x200000 | 1);  // present, supervisor, read-only
    ASSERT_TRUE(run(kStoreToPage));
    EXPECT_EQ(vector(), vec::PF);
    EXPECT_EQ(frame(0), 3u);

    SetUp();
    cpu.set_cr0(cpu.cr0() | cr0::WP);
    bus.write32(kDir + 4, kTable | 5);  // 4-8 MiB: the same table under a read-only directory entry
    ASSERT_TRUE(run({0xC7, 0x05, 0x00, 0x00, 0x60, 0x00, 0x78, 0x56, 0x34, 0x12}));  // mov [0x600000], ..
    EXPECT_EQ(vector(), vec::PF);
    EXPECT_EQ(frame(0), 3u);
    EXPECT_EQ(s.cr2, 0x600000u);

    SetUp();
    cpu.set_cr0(cpu.cr0() | cr0::WP);  // writable pages are still writable
    ASSERT_TRUE(run(kStoreToPage));
    EXPECT_TRUE(finished());
}

TEST_F(Pm486Test, SettingWpDropsWriteEntriesCachedWithoutIt) {
    set_pte(0x200000, 0x200000 | 0x45);  // read-only, already dirty: a write fills the TLB
    // mov [page], 1234..; mov eax, cr0; or eax, WP; mov cr0, eax; mov [page], ...
    ASSERT_TRUE(run({0xC7, 0x05, 0x00, 0x00, 0x20, 0x00, 0x78, 0x56, 0x34, 0x12,  //
                     0x0F, 0x20, 0xC0, 0x0D, 0x00, 0x00, 0x01, 0x00, 0x0F, 0x22, 0xC0,
                     0xC7, 0x05, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00}));
    EXPECT_EQ(vector(), vec::PF);
    EXPECT_EQ(frame(0), 3u);
    EXPECT_EQ(bus.read32(0x200000), 0x12345678u);
}

TEST_F(Pm486Test, CmpxchgThatFailsStillWritesItsDestination) {
    cpu.set_cr0(cpu.cr0() | cr0::WP);
    set_pte(0x200000, 0x200000 | 5);
    s.regs[EAX] = 1;
    bus.write32(0x200000, 2);
    ASSERT_TRUE(run({0x0F, 0xB1, 0x0D, 0x00, 0x00, 0x20, 0x00}));  // cmpxchg [page], ecx
    EXPECT_EQ(vector(), vec::PF);
    EXPECT_EQ(frame(0), 3u);
    EXPECT_EQ(s.regs[EAX], 1u);  // the accumulator is loaded only once the write succeeded
}

TEST_F(Pm386Test, The386IgnoresWp) {
    cpu.set_cr0(cpu.cr0() | cr0::WP);
    EXPECT_EQ(cpu.cr0() & cr0::WP, 0u);
    set_pte(0x200000, 0x200000 | 5);
    ASSERT_TRUE(run(kStoreToPage));
    EXPECT_TRUE(finished());
    EXPECT_EQ(bus.read32(0x200000), 0x12345678u);
}

// ebx = 0x20001: mov eax, [ebx]; mov ax, [ebx+1]; mov al, [ebx]
TEST_F(Pm486Test, AlignmentCheckAtCpl3) {
    auto arm = [&] {
        cpu.set_cr0(cpu.cr0() | cr0::AM);
        cpu.set_eflags(AC | kReserved1);
        enter_ring3();
        s.regs[EBX] = kData + 1;
    };
    arm();
    ASSERT_TRUE(run({0x8B, 0x03}));  // mov eax, [ebx]: misaligned dword
    EXPECT_EQ(vector(), vec::AC);
    EXPECT_EQ(frame(0), 0u);  // error code 0
    EXPECT_EQ(frame(1), kCode);

    SetUp();
    arm();
    ASSERT_TRUE(run({0x66, 0x8B, 0x03}));  // mov ax, [ebx]: misaligned word
    EXPECT_EQ(vector(), vec::AC);

    SetUp();
    arm();
    ASSERT_TRUE(run({0x8A, 0x03,              // mov al, [ebx]: bytes are always aligned
                     0x66, 0x8B, 0x43, 0x01,  // mov ax, [ebx+1]
                     0x8B, 0x43, 0x03}));     // mov eax, [ebx+3]
    EXPECT_TRUE(finished_ring3());

    SetUp();
    arm();
    s.regs[ESP] = kStackTop - 2;  // a misaligned stack: push faults
    ASSERT_TRUE(run({0x50}));
    EXPECT_EQ(vector(), vec::AC);
}

TEST_F(Pm486Test, AlignmentCheckNeedsAmAcAndCpl3) {
    cpu.set_eflags(AC | kReserved1);  // AC without AM
    enter_ring3();
    s.regs[EBX] = kData + 1;
    ASSERT_TRUE(run({0x8B, 0x03}));
    EXPECT_TRUE(finished_ring3());

    SetUp();
    cpu.set_cr0(cpu.cr0() | cr0::AM);  // AM without AC
    enter_ring3();
    s.regs[EBX] = kData + 1;
    ASSERT_TRUE(run({0x8B, 0x03}));
    EXPECT_TRUE(finished_ring3());

    SetUp();
    cpu.set_cr0(cpu.cr0() | cr0::AM);  // both, at CPL 0
    cpu.set_eflags(AC | kReserved1);
    s.regs[EBX] = kData + 1;
    ASSERT_TRUE(run({0x8B, 0x03}));
    EXPECT_TRUE(finished());
}

TEST_F(Pm386Test, The386HasNoAlignmentCheck) {
    cpu.set_cr0(cpu.cr0() | cr0::AM);
    cpu.set_eflags(AC | kReserved1);
    enter_ring3();
    s.regs[EBX] = kData + 1;
    ASSERT_TRUE(run({0x8B, 0x03}));
    EXPECT_TRUE(finished_ring3());
}

}  // namespace
}  // namespace pc386
