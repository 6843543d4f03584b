// The setting the 32-bit protected-mode CPU tests start from: ring 0, flat 4 GiB code (08) and
// data (10) segments from a GDT at 0x500, an IDT at 0x800 whose 32 interrupt gates send vector v
// to a HLT at kHandlers + v, and the first 4 MiB identity-mapped by one page table (which tests may
// punch holes in). EIP = kCode, ESP = kStackTop.
#pragma once

#include <cstdint>

#include "cpu/cpu.h"
#include "mmu/physical_bus.h"
#include "support/flat_segments.h"

namespace pc386 {

struct FlatPagedLayout {
    static constexpr uint32_t kGdt = 0x500, kIdt = 0x800, kDir = 0x1000, kTable = 0x2000;
    static constexpr uint32_t kHandlers = 0x3000, kCode = 0x10000, kStackTop = 0x90000;

    // A code or data descriptor with a page-granular limit, 32-bit (G = 1, D/B = 1).
    static uint64_t descriptor(uint32_t base, uint32_t limit_pages, uint8_t access) {
        return (limit_pages & 0xFFFF) | uint64_t{base & 0xFFFFFF} << 16 | uint64_t{access} << 40 |
               uint64_t{(limit_pages >> 16) & 0xF} << 48 | uint64_t{0xC} << 52 | uint64_t{base >> 24} << 56;
    }

    // Resets the CPU and enters the setting above.
    static void enter(PhysicalBus& bus, Cpu& cpu) {
        cpu.reset();
        CpuState& s = cpu.state();
        for (unsigned i = 1; i <= 2; ++i) {
            const uint64_t d = descriptor(0, 0xFFFFF, i == 1 ? 0x9B : 0x93);
            bus.write32(kGdt + 8 * i, static_cast<uint32_t>(d));
            bus.write32(kGdt + 8 * i + 4, static_cast<uint32_t>(d >> 32));
        }
        for (uint32_t v = 0; v < 32; ++v) {
            const uint32_t handler = kHandlers + v;
            bus.write32(kIdt + v * 8, (0x08u << 16) | (handler & 0xFFFF));
            bus.write32(kIdt + v * 8 + 4, (handler & 0xFFFF0000u) | 0x8E00);  // present 32-bit interrupt gate
            bus.write8(handler, 0xF4);
        }
        bus.write32(kDir, kTable | 3);
        for (uint32_t p = 0; p < 1024; ++p) bus.write32(kTable + p * 4, (p << 12) | 3);
        s.gdtr = {kGdt, 0x17};
        s.idtr = {kIdt, 32 * 8 - 1};
        cpu.set_cr3(kDir);
        cpu.set_cr0(cr0::PE | cr0::PG | cr0::ET);
        load_flat_ring0_segments(s);
        s.eip = kCode;
        s.regs[ESP] = kStackTop;
    }
};

}  // namespace pc386
