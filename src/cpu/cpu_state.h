// The 386's programmer-visible state: general registers, segment registers with their descriptor
// caches, EFLAGS (arithmetic flags kept lazily, see flags.h), control, debug and table registers.
// CR0 and CR3 are the MMU's (paging reads them on every walk); the CPU reads them through.
#pragma once

#include <cstdint>

#include "mmu/cr0_bits.h"  // CR0 bits (cr0::PE, ...)

namespace pc386 {

enum Reg32 : unsigned { EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI };
enum SegReg : unsigned { ES, CS, SS, DS, FS, GS, kSegCount };

// EFLAGS bits.
namespace flag {
inline constexpr uint32_t CF = 1u << 0, PF = 1u << 2, AF = 1u << 4, ZF = 1u << 6, SF = 1u << 7, TF = 1u << 8,
                          IF = 1u << 9, DF = 1u << 10, OF = 1u << 11, IOPL = 3u << 12, NT = 1u << 14,
                          RF = 1u << 16, VM = 1u << 17, AC = 1u << 18, ID = 1u << 21;  // AC, ID: 486 only
inline constexpr uint32_t kArith = CF | PF | AF | ZF | SF | OF;
inline constexpr uint32_t kReserved1 = 1u << 1;  // always reads as 1
}  // namespace flag

// CR4 (486 model only; the 386 has none). The later 486s define VME and PVI, the Pentium added the
// rest; QEMU accepts each of these on any model. We accept only the bits we honour: none yet (no
// VME, PVI, DE or PSE is modelled, and CPUID leaf 1 advertises none of them), so CR4 stays 0 and
// any set bit is #GP(0). Reading it and writing back the same value, as GRUB 2 does, works.
namespace cr4 {
inline constexpr uint32_t VME = 1u << 0, PVI = 1u << 1, TSD = 1u << 2, DE = 1u << 3, PSE = 1u << 4,
                          PAE = 1u << 5;
inline constexpr uint32_t kHonoured = 0;
}  // namespace cr4

// A segment register: the visible selector and the hidden descriptor cache loaded with it.
struct Segment {
    uint16_t selector = 0;
    uint32_t base = 0;
    uint32_t limit = 0xFFFF;  // byte granular (already scaled when G=1)
    uint8_t access = 0x93;    // descriptor byte 5: P, DPL, S, type (0x93 = present read/write data)
    bool big = false;         // D/B: 32-bit code / stack
    bool granular = false;
    bool valid = true;  // false: null selector loaded (protected mode); any use faults

    unsigned dpl() const { return (access >> 5) & 3; }
    bool present() const { return access & 0x80; }
    bool system() const { return !(access & 0x10); }
    bool code() const { return (access & 0x18) == 0x18; }
    bool conforming() const { return code() && (access & 0x04); }
    bool expand_down() const { return !code() && (access & 0x04); }
    bool readable() const { return !code() || (access & 0x02); }
    bool writable() const { return !code() && (access & 0x02); }
};

// GDTR/IDTR.
struct TableRegister {
    uint32_t base = 0;
    uint16_t limit = 0x3FF;
};

struct CpuState {
    uint32_t regs[8] = {};
    uint32_t eip = 0;
    Segment seg[kSegCount];
    Segment ldtr, tr;  // LDTR and TR with their caches (access 0x82 LDT, 0x8B busy 386 TSS)
    TableRegister gdtr, idtr;
    uint32_t cr2 = 0, cr4 = 0;  // cr4: 486 only. CR0 and CR3 live in the MMU: ExecutionContext::cr0(),
                                // ExecutionContext::cr3()
    uint32_t dr[8] = {};
    uint32_t tr6 = 0, tr7 = 0;
    unsigned cpl = 0;
};

}  // namespace pc386
