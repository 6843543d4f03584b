// Guest memory accesses at every edge of the PC's address space, on a whole machine: the 640 KiB
// to 1 MiB hole (VGA text memory, ROM), writes to ROM, the top of RAM and just past it, the 4 GiB
// wrap, A20 off, paging with page tables pointing outside RAM and a CR3 outside RAM. Each access
// runs as a few guest instructions in 32-bit flat protected mode; faults go through an IDT of
// garbage, so they end in a shutdown and a reset. Nothing may crash the host.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "base/log.h"
#include "cpu/cpu.h"
#include "hostile_guest.h"
#include "machine/machine.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"
#include "support/flat_segments.h"

namespace pc386 {
namespace {

using namespace hostile;

constexpr uint32_t kCodeAt = 0x1000;

class HostileMemory : public ::testing::Test {
  protected:
    void SetUp() override { log::set_level(spdlog::level::off); }
    void TearDown() override { log::set_level(spdlog::level::warn); }

    std::unique_ptr<Machine> make(uint32_t mem_mb) {
        std::vector<uint8_t> rom = make_rom({0xFA, 0xF4});
        for (size_t i = 2; i < 0xFFF0; ++i) rom[i] = static_cast<uint8_t>(i);  // recognisable ROM bytes
        rom_ = rom;
        const std::string path = dir_.file("rom.bin");
        write_file(path, rom);
        return std::make_unique<Machine>(quiet_config(path, mem_mb));
    }

    // Puts the CPU in flat 32-bit protected mode (paging as asked) with `code` at kCodeAt and runs
    // it to its HLT (or wherever a fault takes it).
    void run_pm(Machine& m, const std::vector<uint8_t>& code, bool paging = false, uint32_t cr3 = 0,
                bool a20 = true) {
        m.reset();
        if (!a20) m.io().write(0x92, 1, 0x00);  // A20 off (a reset turns it back on)
        ASSERT_TRUE(m.bus().poke(kCodeAt, code.data(), code.size()));
        Cpu& cpu = m.cpu();
        CpuState& s = cpu.state();
        load_flat_ring0_segments(s);
        s.idtr = {0x0FFFFFF0u, 0x7FF};  // the IDT is outside RAM: any fault shuts down
        s.regs[ESP] = 0x8000;
        cpu.set_cr3(cr3);
        cpu.set_cr0(cr0::PE | cr0::ET | (paging ? cr0::PG : 0));
        s.eip = kCodeAt;
        cpu.set_eflags(0x2);
        run_hostile(m, 2000, false);
    }

    ScratchDir dir_;
    std::vector<uint8_t> rom_;
};

// Loads and stores of 1, 2 and 4 bytes at `address`, and a 4-byte REP MOVSB across it.
std::vector<uint8_t> access_code(uint32_t address, uint32_t value) {
    Code c;
    c.raw({0xB8}).imm32(value);          // mov eax, value
    c.raw({0xA2}).imm32(address);        // mov [address], al
    c.raw({0x66, 0xA3}).imm32(address);  // mov [address], ax
    c.raw({0xA3}).imm32(address);        // mov [address], eax
    c.raw({0xA0}).imm32(address);        // mov al, [address]
    c.raw({0x66, 0xA1}).imm32(address);  // mov ax, [address]
    c.raw({0xA1}).imm32(address);        // mov eax, [address]
    c.raw({0xBE}).imm32(address - 2);    // mov esi, address-2
    c.raw({0xBF}).imm32(0x2000);         // mov edi, 0x2000
    c.raw({0xB9}).imm32(8);              // mov ecx, 8
    c.raw({0xF3, 0xA4});                 // rep movsb
    c.raw({0xBF}).imm32(address - 3);    // mov edi, address-3
    c.raw({0xBE}).imm32(0x2000);         // mov esi, 0x2000
    c.raw({0xB9}).imm32(8);
    c.raw({0xF3, 0xA4});  // rep movsb (writes across the edge)
    c.hlt();
    return c.b;
}

std::vector<uint32_t> edges(uint32_t ram) {
    return {0x0009FFFC, 0x0009FFFE, 0x0009FFFF, 0x000A0000, 0x000B7FFE, 0x000B8000, 0x000BFFFE, 0x000BFFFF,
            0x000C0000, 0x000EFFFE, 0x000F0000, 0x000FFFFE, 0x000FFFFF, 0x00100000, ram - 4,    ram - 2,
            ram - 1,    ram,        ram + 1,    0x7FFFFFFE, 0x80000000, 0xFFEFFFFE, 0xFFF00000, 0xFFFEFFFE,
            0xFFFF0000, 0xFFFFFFFC, 0xFFFFFFFE, 0xFFFFFFFF, 0x00000000};
}

TEST_F(HostileMemory, AccessesAtEveryRegionEdge) {
    for (uint32_t mem_mb : {1u, 2u}) {
        SCOPED_TRACE("mem " + std::to_string(mem_mb));
        auto m = make(mem_mb);
        const uint32_t ram = mem_mb << 20;
        for (bool a20 : {true, false}) {
            for (uint32_t address : edges(ram)) {
                SCOPED_TRACE(testing::Message() << "address " << std::hex << address << " a20 " << a20);
                if (address >= kCodeAt - 16 && address < kCodeAt + 256) continue;
                const std::vector<uint8_t> code = access_code(address, 0xC0DE5EED);
                run_pm(*m, code, false, 0, a20);
                // Without paging nothing below the last few bytes of 4 GiB faults: the snippet
                // ran to its HLT (a crossing into the top bytes may fault on the segment limit).
                if (address < 0xFFFFFFF0u) {
                    EXPECT_TRUE(m->cpu().halted());
                    EXPECT_EQ(m->cpu().state().eip, kCodeAt + code.size());
                }
                uint32_t back = 0;
                const uint32_t where = address & (a20 ? 0xFFFFFFFFu : 0xFFEFFFFFu);
                if (where >= 0x100000 && where + 4 <= ram && m->bus().peek(where, &back, 4)) {
                    EXPECT_NE(back, 0u);  // the stores landed in RAM (where A20 sent them)
                }
            }
        }
        // ROM writes never land: the BIOS and its mirror below 4 GiB are what the file says.
        std::vector<uint8_t> low(65536), high(65536);
        m->bus().peek(0xF0000, low.data(), low.size());
        m->bus().peek(0xFFFF0000u, high.data(), high.size());
        EXPECT_EQ(low, rom_);
        EXPECT_EQ(high, rom_);
        // The last bytes of RAM were written and read back as RAM.
        uint8_t top = 0;
        EXPECT_TRUE(m->bus().peek(ram - 1, &top, 1));
        EXPECT_FALSE(m->bus().peek(ram, &top, 1));
        EXPECT_FALSE(m->stats_report().empty());
    }
}

// Page tables full of pointers outside RAM: directory entries naming tables in unmapped space (read
// as all ones: present, every bit set) and in ROM, table entries naming frames past RAM, in the
// hole, in ROM and at the top of 4 GiB. Then CR3 itself outside RAM, and a CR3 at the very top.
TEST_F(HostileMemory, PagingWithTablesOutsideRam) {
    auto m = make(2);
    const uint32_t ram = 2u << 20;
    constexpr uint32_t kDir = 0x10000, kTable = 0x11000;
    std::vector<uint32_t> dir(1024), table(1024);
    for (uint32_t i = 0; i < 1024; ++i) {
        const uint32_t wild[] = {0xFFFFF000u, ram,         0x000A0000, 0x000F0000,
                                 0x7FFFF000u, 0xFFFF0000u, 0x000B8000};
        table[i] = i < 16 ? (i << 12) | 0x07 : wild[i % std::size(wild)] | 0x07;
        dir[i] = i == 0 ? kTable | 0x07 : (wild[i % std::size(wild)] | 0x07);
    }
    m->bus().poke(kDir, dir.data(), 4096);
    m->bus().poke(kTable, table.data(), 4096);
    Rng rng{0xC3};
    std::vector<uint32_t> linear = {0x00010000, 0x00010FFE, 0x000FFFFE, 0x00100000, 0x003FFFFE, 0x00400000,
                                    0x7FFFFFFE, 0xFFFFF000, 0xFFFFFFFE, 0xFFC00000, 0xBFFFFFFE};
    for (int i = 0; i < 40; ++i) linear.push_back(rng.next());
    for (uint32_t lin : linear) {
        SCOPED_TRACE(testing::Message() << "linear " << std::hex << lin);
        run_pm(*m, access_code(lin, 0xFEEDFACE), true, kDir);
        m->bus().poke(kTable, table.data(), 4096);  // the guest may have scribbled on it
        m->bus().poke(kDir, dir.data(), 4096);
    }
    for (uint32_t cr3 :
         {ram, ram + 0x1000, 0x000A0000u, 0x000F0000u, 0x80000000u, 0xFFFFF000u, 0xFFFF0000u}) {
        SCOPED_TRACE(testing::Message() << "cr3 " << std::hex << cr3);
        run_pm(*m, access_code(0x00200000, 1), true, cr3);
        // The tools' walks over the same tables are safe too.
        (void)m->mmu().translate(0x12345678, cr3, true);
        (void)m->mmu().walk(cr3);
        uint8_t buf[64];
        (void)m->mmu().read_linear(0xFFFFFFF0u, buf, sizeof buf);
    }
    EXPECT_GT(m->resets(), 0u);
    EXPECT_FALSE(m->stats_report().empty());
}

}  // namespace
}  // namespace pc386
