// The flat dispatch table: 256 one-byte opcodes, then 256 two-byte (0F xx). Anything not
// registered is #UD, like the 386 does for undefined opcodes (and for 486+ ones: BSWAP, CMPXCHG,
// XADD, INVD, WBINVD, INVLPG, CPUID).
#include <mutex>

#include "cpu/handler_registry.h"

namespace pc386 {

Handler g_handlers[512];

namespace {
void undefined_opcode(Cpu& c) { c.undefined(); }
}  // namespace

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
    });
}

}  // namespace pc386
