// The instructions the 486 added: CPUID (0F A2), BSWAP (0F C8+r), CMPXCHG (0F B0/B1), XADD
// (0F C0/C1), INVD (0F 08), WBINVD (0F 09). INVLPG (0F 01 /7) is in group 7 (handlers_system.cpp).
// On the 386 model each one is #UD, as on the chip: software tells the two apart that way.
//
// CPUID reports family 4 (a 486 DX): leaf 0 = max leaf 1, "GenuineIntel"; leaf 1 EAX = 0x402
// (family 4, model 0, stepping 2, the DX value at reset too), EBX = ECX = 0 and EDX = 0: no FPU
// bit (the emulator has no x87), no VME, PSE or TSC. Leaves above 1 return leaf 1, as Intel's do.
// There is no CR4 (it came with the Pentium and the late SL-enhanced 486s): MOV CR4 stays #UD.
#include "cpu/alu.h"
#include "cpu/handler_registry.h"

namespace pc386 {
namespace {

inline constexpr uint32_t kCpuidSignature = 0x00000402;

void require486(ExecutionContext& c) {
    if (!c.is486()) c.undefined();
}

void cpuid(ExecutionContext& c, const DecodedInsn&) {  // 0F A2
    require486(c);
    uint32_t* r = c.state.regs;
    if (r[EAX] == 0) {
        r[EAX] = 1;
        r[EBX] = 0x756E6547;  // "Genu"
        r[EDX] = 0x49656E69;  // "ineI"
        r[ECX] = 0x6C65746E;  // "ntel"
    } else {
        r[EAX] = kCpuidSignature;
        r[EBX] = r[ECX] = r[EDX] = 0;
    }
}

// BSWAP r32. With a 16-bit operand size the result is undefined (Intel); like Bochs, the low word
// becomes 0.
void bswap(ExecutionContext& c, const DecodedInsn&) {  // 0F C8-CF
    require486(c);
    const unsigned r = c.insn.opcode & 7;
    const uint32_t v = c.state.regs[r];
    if (c.insn.opsize32)
        c.state.regs[r] = (v >> 24) | ((v >> 8) & 0xFF00u) | ((v << 8) & 0xFF0000u) | (v << 24);
    else
        c.set_reg(16, r, 0);
}

// CMPXCHG r/m, reg: compares the accumulator with r/m (flags as CMP acc, r/m); equal: r/m = reg;
// else acc = r/m. A memory destination is always written (with its own value when unequal), as
// the chip's locked read-modify-write does, so a read-only page faults either way. Memory is
// written before flags and the accumulator change, so a fault leaves them alone.
void cmpxchg(ExecutionContext& c, const DecodedInsn&) {  // 0F B0, 0F B1
    require486(c);
    const unsigned size = (c.insn.opcode & 1) ? c.opsize() : 8;
    c.decode_modrm();
    const uint32_t dest = c.read_rm(size);
    const uint32_t acc = c.reg(size, EAX);
    const bool equal = acc == dest;
    c.write_rm(size, equal ? c.read_reg_field(size) : dest);
    alu(c, 7, size, acc, dest);
    if (!equal) c.set_reg(size, EAX, dest);
}

// XADD r/m, reg: reg = old r/m, r/m = sum (flags as ADD). With both the same register, the sum
// wins. The memory write comes first, so a fault changes nothing.
void xadd(ExecutionContext& c, const DecodedInsn&) {  // 0F C0, 0F C1
    require486(c);
    const unsigned size = (c.insn.opcode & 1) ? c.opsize() : 8;
    c.decode_modrm();
    const uint32_t dest = c.read_rm(size);
    const uint32_t src = c.read_reg_field(size);
    const uint32_t sum = (dest + src) & size_mask(size);
    if (c.operand.is_reg) {
        c.write_reg_field(size, dest);
        c.write_rm(size, sum);
    } else {
        c.write_rm(size, sum);
        c.write_reg_field(size, dest);
    }
    alu(c, 0, size, dest, src);
}

// INVD, WBINVD: privileged; there is no cache to invalidate or write back.
void invd_wbinvd(ExecutionContext& c, const DecodedInsn&) {  // 0F 08, 0F 09
    require486(c);
    if (c.protected_mode() && (c.v86() || c.state.cpl != 0)) c.fault(vec::GP, 0);
}

}  // namespace

void register_486_handlers(Handler* t) {
    t[0x1A2] = cpuid;
    for (unsigned r = 0; r < 8; ++r) t[0x1C8 + r] = bswap;
    t[0x1B0] = t[0x1B1] = cmpxchg;
    t[0x1C0] = t[0x1C1] = xadd;
    t[0x108] = t[0x109] = invd_wbinvd;
}

}  // namespace pc386
