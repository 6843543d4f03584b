// A tiny paged kernel for machine tests: the first 4 MiB identity-mapped except the page at
// kMissing (not present); its #PF handler maps that page and returns. The program reads kMissing
// (one #PF), then exits through port 0xF4 with status 1.
#pragma once

#include <cstdint>
#include <initializer_list>

#include "cpu/cpu.h"
#include "machine/machine.h"
#include "mmu/physical_bus.h"
#include "support/flat_segments.h"

namespace pc386::paged_kernel {

constexpr uint32_t kPageDir = 0x10000, kPageTable = 0x11000, kIdt = 0x12000, kHandler = 0x13000,
                   kGdt = 0x14000;
constexpr uint32_t kCode = 0x15000, kMissing = 0x200000;

inline void put32(Machine& m, uint32_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) m.bus().ram()[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
inline void put_bytes(Machine& m, uint32_t at, std::initializer_list<uint8_t> bytes) {
    for (uint8_t b : bytes) m.bus().ram()[at++] = b;
}

// Builds the kernel in RAM and enters it in 32-bit protected mode with paging, as a loader would.
inline void load_paged_kernel(Machine& m) {
    // First 4 MiB identity-mapped, writable, supervisor; the page at kMissing not present.
    put32(m, kPageDir, kPageTable | 0x3);
    for (uint32_t page = 0; page < 1024; ++page) put32(m, kPageTable + page * 4, (page << 12) | 0x3);
    put32(m, kPageTable + (kMissing >> 12) * 4, kMissing | 0x2);
    // GDT: null, flat code 0x08, flat data 0x10. IDT vector 14: 32-bit interrupt gate to kHandler.
    put32(m, kGdt + 8, 0x0000FFFF), put32(m, kGdt + 12, 0x00CF9A00);
    put32(m, kGdt + 16, 0x0000FFFF), put32(m, kGdt + 20, 0x00CF9200);
    put32(m, kIdt + 14 * 8, (0x08u << 16) | (kHandler & 0xFFFF));
    put32(m, kIdt + 14 * 8 + 4, (kHandler & 0xFFFF0000u) | 0x8E00);
    // The handler: or dword [PTE of kMissing], 1; add esp, 4 (the error code); iret.
    const uint32_t pte = kPageTable + (kMissing >> 12) * 4;
    put_bytes(m, kHandler,
              {0x83, 0x0D, uint8_t(pte), uint8_t(pte >> 8), uint8_t(pte >> 16), uint8_t(pte >> 24), 0x01,
               0x83, 0xC4, 0x04, 0xCF});
    // The program: mov eax, [kMissing]; mov al, 0; out 0xF4, al.
    put_bytes(m, kCode, {0xA1, 0x00, 0x00, 0x20, 0x00, 0xB0, 0x00, 0xE6, 0xF4});
    m.cpu().flush_decode_cache();

    CpuState& s = m.cpu().state();
    load_flat_ring0_segments(s);
    s.gdtr = {kGdt, 23};
    s.idtr = {kIdt, 0x7FF};
    s.regs[ESP] = 0x9000;
    s.eip = kCode;
    m.cpu().set_cr3(kPageDir);
    m.cpu().set_cr0(m.cpu().cr0() | 0x80000001u);
}

}  // namespace pc386::paged_kernel
