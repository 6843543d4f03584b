// The flat dispatch table: 256 one-byte opcodes, then 256 two-byte (0F xx). Anything not
// registered is #UD, like the 386 does for undefined opcodes. The 486's (BSWAP, CMPXCHG, XADD,
// INVD, WBINVD, INVLPG, CPUID) have handlers that are #UD unless the CPU model is the 486: one
// table for both models, and no test on any 386 instruction's path.
#include <mutex>

#include "cpu/handler_registry.h"

namespace pc386 {

Handler g_handlers[512];

namespace {
void undefined_opcode(ExecutionContext& c, const DecodedInsn&) {
    c.undefined();
}

// Which instructions take a LOCK prefix (Intel 386 manual, 15.7 and LOCK): only these, only with a
// memory destination, else #UD. One byte per opcode: bit r set = ModRM.reg r is lockable.
//   ADD OR ADC SBB AND SUB XOR mem,reg (00 01 08 09 ... 30 31) and mem,imm (80-83 /0-/6, not CMP)
//   NOT NEG (F6 F7 /2 /3), INC DEC (FE FF /0 /1), XCHG (86 87)
//   BTS BTR BTC mem,reg (0F AB B3 BB) and mem,imm (0F BA /5-/7). BT only reads: the manual's LOCK
//   page lists it, but 15.7 ("when they modify memory"), Bochs and every later chip make it #UD.
//   486: CMPXCHG and XADD mem,reg (0F B0 B1 C0 C1); on the 386 their handlers are #UD anyway.
constexpr uint8_t kAnyReg = 0xFF;
struct LockTable {
    uint8_t allowed[512] = {};
    constexpr LockTable() {
        for (unsigned op = 0x00; op <= 0x30; op += 8)
            allowed[op] = allowed[op + 1] = kAnyReg;  // not 38/39 (CMP)
        for (unsigned op = 0x80; op <= 0x83; ++op) allowed[op] = 0x7F;
        allowed[0xF6] = allowed[0xF7] = 0x0C;
        allowed[0xFE] = allowed[0xFF] = 0x03;
        allowed[0x86] = allowed[0x87] = kAnyReg;
        allowed[0x1AB] = allowed[0x1B3] = allowed[0x1BB] = kAnyReg;
        allowed[0x1BA] = 0xE0;
        allowed[0x1B0] = allowed[0x1B1] = allowed[0x1C0] = allowed[0x1C1] = kAnyReg;
    }
};
constexpr LockTable kLock;
}  // namespace

// Peeks at the ModRM byte (EIP is left on it; the handler decodes it again).
void check_lock_prefix(ExecutionContext& c) {
    const uint8_t allowed = kLock.allowed[c.insn.opcode];
    if (!allowed) c.undefined();
    const uint32_t eip = c.state.eip;
    const unsigned len = c.insn.len;
    const uint8_t modrm = c.fetch8_raw();  // not an immediate: the decode cache must not record it
    c.state.eip = eip;
    c.insn.len = len;
    if ((modrm >> 6) == 3 || !((allowed >> ((modrm >> 3) & 7)) & 1)) c.undefined();
}

namespace {
// A record with a LOCK prefix checks what a live decode checked before running the handler: the
// V86 IOPL test (the #UD test depends only on the bytes, which the record stands for).
void run_locked(ExecutionContext& c, const DecodedInsn& d) {
    if (c.v86() && c.iopl() < 3) c.fault(vec::GP, 0);
    g_handlers[c.insn.opcode](c, d);
}
}  // namespace

Handler record_handler(const DecodedInsn& d) {
    if (d.fields.lock) return run_locked;
    if (Handler h = alu_form_handler(d)) return h;
    if (Handler h = move_form_handler(d)) return h;
    if (Handler h = shift_form_handler(d)) return h;
    if (Handler h = control_form_handler(d)) return h;
    return g_handlers[d.fields.opcode];
}

void install_handlers() {
    static std::once_flag once;
    std::call_once(once, [] {
        for (Handler& h : g_handlers) h = undefined_opcode;
        register_alu_handlers(g_handlers);
        register_shift_handlers(g_handlers);
        register_bcd_bit_handlers(g_handlers);
        register_move_handlers(g_handlers);
        register_control_handlers(g_handlers);
        register_string_handlers(g_handlers);
        register_system_handlers(g_handlers);
        register_486_handlers(g_handlers);
    });
}

}  // namespace pc386
