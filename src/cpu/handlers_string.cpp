// String instructions (MOVS CMPS STOS LODS SCAS INS OUTS) with REP/REPE/REPNE. Source DS:(E)SI
// (segment override allowed), destination ES:(E)DI; the address size picks SI/DI/CX or ESI/EDI/ECX.
// A REP instruction runs in bursts: after kBurst elements it rewinds EIP to itself so pending
// interrupts are taken between bursts, as the chip takes them between iterations. Each element
// counts as one retired instruction (virtual time, --max-insns), so a burst also ends where the
// run's instruction budget does.
//
// REP MOVS and REP STOS going up run fast within a page (fast_run): when the segment checks pass
// for the whole run and the TLB already holds fast-path entries for its source and destination,
// the elements are copied host to host, one at a time (overlapping moves behave as on the chip),
// with no per-element segment check or TLB lookup. Anything else (a first touch, a page edge, a
// watchpoint, a code page, alignment checks, DF set) takes the element-by-element path, which
// faults exactly where the chip does.
#include <algorithm>
#include <cstring>

#include "cpu/alu.h"
#include "cpu/handler_registry.h"

namespace pc386 {
namespace {

constexpr uint32_t kBurst = 4096;

struct StringRegs {
    unsigned asize;
    uint32_t amask;
    int32_t step;
};

StringRegs string_regs(ExecutionContext& c, unsigned size) {
    const unsigned asize = c.insn.addrsize32 ? 32 : 16;
    const int32_t step =
        (c.flags & flag::DF) ? -static_cast<int32_t>(size / 8) : static_cast<int32_t>(size / 8);
    return {asize, size_mask(asize), step};
}

void advance(ExecutionContext& c, unsigned r, const StringRegs& sr) {
    c.set_reg(sr.asize, r, (c.state.regs[r] + static_cast<uint32_t>(sr.step)) & sr.amask);
}

// One element of the string operation; returns false when a REPE/REPNE condition ends the loop.
bool element(ExecutionContext& c, unsigned op, unsigned size, const StringRegs& sr) {
    const SegReg src = c.data_seg(DS);
    const uint32_t si = c.state.regs[ESI] & sr.amask, di = c.state.regs[EDI] & sr.amask;
    switch (op) {
        case 0xA4:  // MOVS
            c.write(ES, di, size, c.read(src, si, size));
            advance(c, ESI, sr);
            advance(c, EDI, sr);
            return true;
        case 0xA6: {  // CMPS
            const uint32_t a = c.read(src, si, size), b = c.read(ES, di, size);
            alu(c, 7, size, a, b);
            advance(c, ESI, sr);
            advance(c, EDI, sr);
            return c.insn.rep == 0xF3 ? c.zf() : !c.zf();
        }
        case 0xAA:  // STOS
            c.write(ES, di, size, c.reg(size, EAX));
            advance(c, EDI, sr);
            return true;
        case 0xAC:  // LODS
            c.set_reg(size, EAX, c.read(src, si, size));
            advance(c, ESI, sr);
            return true;
        case 0xAE:  // SCAS
            alu(c, 7, size, c.reg(size, EAX), c.read(ES, di, size));
            advance(c, EDI, sr);
            return c.insn.rep == 0xF3 ? c.zf() : !c.zf();
        case 0x6C: {  // INS: the port is read only once the destination is known to be writable
            const uint16_t port = static_cast<uint16_t>(c.state.regs[EDX]);
            if (!c.io_allowed_without_bitmap()) c.check_io_permission(port, size / 8);
            const uint32_t lin = c.linear(ES, di, size / 8, true);
            c.mmu.probe_write(lin, size / 8, c.user());
            c.write(ES, di, size, c.io.read(port, size / 8));
            advance(c, EDI, sr);
            return true;
        }
        case 0x6E: {  // OUTS
            const uint16_t port = static_cast<uint16_t>(c.state.regs[EDX]);
            if (!c.io_allowed_without_bitmap()) c.check_io_permission(port, size / 8);
            c.io.write(port, size / 8, c.read(src, si, size));
            advance(c, ESI, sr);
            return true;
        }
    }
    return true;
}

// How many whole elements fit from `offset` to the end of the address size (no offset wraps).
uint32_t elements_before_wrap(uint32_t offset, uint32_t amask, uint32_t bytes) {
    return static_cast<uint32_t>(std::min<uint64_t>((uint64_t{amask} - offset + 1) / bytes, UINT32_MAX));
}

// Up to `limit` elements of REP MOVS / REP STOS (DF clear) within one page on each side, done
// directly on host memory; returns how many (0: take the element-by-element path).
uint32_t fast_run(ExecutionContext& c, unsigned op, unsigned size, const StringRegs& sr, uint32_t limit) {
    if ((op != 0xA4 && op != 0xAA) || sr.step < 0 || c.access_checks) return 0;
    const uint32_t bytes = size / 8;
    const uint32_t di = c.state.regs[EDI] & sr.amask;
    const uint32_t dst_lin = c.state.seg[ES].base + di;
    uint32_t n = std::min(limit, (0x1000 - (dst_lin & 0xFFF)) / bytes);
    n = std::min(n, elements_before_wrap(di, sr.amask, bytes));
    SegReg src = DS;
    uint32_t si = 0, src_lin = 0;
    if (op == 0xA4) {
        src = c.data_seg(DS);
        si = c.state.regs[ESI] & sr.amask;
        src_lin = c.state.seg[src].base + si;
        n = std::min(n, (0x1000 - (src_lin & 0xFFF)) / bytes);
        n = std::min(n, elements_before_wrap(si, sr.amask, bytes));
    }
    if (n < 2) return 0;
    const uint32_t span = n * bytes;
    if (!c.segment_allows(ES, di, span, true)) return 0;
    uint8_t* dst = c.mmu.cached_host(dst_lin, span, c.user(), true, n);
    if (!dst) return 0;
    if (op == 0xAA) {
        const uint32_t value = c.reg(size, EAX);
        for (uint32_t i = 0; i < n; ++i) std::memcpy(dst + i * bytes, &value, bytes);
        c.set_reg(sr.asize, EDI, (di + span) & sr.amask);
        return n;
    }
    if (!c.segment_allows(src, si, span, false)) return 0;
    const uint8_t* from = c.mmu.cached_host(src_lin, span, c.user(), false, n);
    if (!from) return 0;
    for (uint32_t i = 0; i < n; ++i) std::memmove(dst + i * bytes, from + i * bytes, bytes);
    c.set_reg(sr.asize, ESI, (si + span) & sr.amask);
    c.set_reg(sr.asize, EDI, (di + span) & sr.amask);
    return n;
}

void string_op(ExecutionContext& c, const DecodedInsn&) {
    const unsigned op = c.insn.opcode & ~1u;
    const unsigned size = (c.insn.opcode & 1) ? c.opsize() : 8;
    const StringRegs sr = string_regs(c, size);
    if (!c.insn.rep) {
        element(c, op, size, sr);
        return;
    }
    const bool conditional = op == 0xA6 || op == 0xAE;
    const uint64_t room = c.run_limit - c.retired_in_run;  // at least 1: run() counts this step
    const uint32_t burst = room < kBurst ? static_cast<uint32_t>(room) : kBurst;
    for (uint32_t n = 0; n < burst; ++n) {
        uint32_t count = c.reg(sr.asize, ECX);
        if (count == 0) return;
        if (const uint32_t run = fast_run(c, op, size, sr, std::min(count, burst - n))) {
            c.retired_in_run += run - (n == 0 ? 1 : 0);  // run() counts the first element itself
            c.set_reg(sr.asize, ECX, count - run);
            if (count == run) return;
            n += run - 1;
            continue;
        }
        if (n) ++c.retired_in_run;  // run() counts the first element (or the fault) itself
        const bool go_on = element(c, op, size, sr);
        c.set_reg(sr.asize, ECX, count - 1);
        if ((conditional && !go_on) || count == 1) return;
    }
    c.state.eip = c.start_eip;  // more to do: run this instruction again after pending interrupts
}

}  // namespace

void register_string_handlers(Handler* t) {
    for (unsigned op :
         {0xA4u, 0xA5u, 0xA6u, 0xA7u, 0xAAu, 0xABu, 0xACu, 0xADu, 0xAEu, 0xAFu, 0x6Cu, 0x6Du, 0x6Eu, 0x6Fu})
        t[op] = string_op;
}

}  // namespace pc386
