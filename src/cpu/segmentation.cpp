// Segment register loads with the 386's checks, descriptor table access, and the I/O permission
// bitmap. Error codes carry the selector (index, TI) as the manual requires.
#include "cpu/execution_context.h"
#include "cpu/system_descriptor.h"

namespace pc386 {

bool ExecutionContext::descriptor_in_limits(uint16_t selector) const {
    const uint32_t last = (selector & 0xFFF8u) + 7;
    if (selector & 4)
        return state.ldtr.valid && (state.ldtr.selector & 0xFFFC) != 0 && last <= state.ldtr.limit;
    return last <= state.gdtr.limit;
}

uint64_t ExecutionContext::read_descriptor_raw(uint16_t selector) {
    const uint32_t lin = ((selector & 4) ? state.ldtr.base : state.gdtr.base) + (selector & 0xFFF8u);
    return uint64_t{sys_read(lin, 32)} | uint64_t{sys_read(lin + 4, 32)} << 32;
}

uint64_t ExecutionContext::read_descriptor(uint16_t selector, uint8_t vector_on_fault) {
    if (!descriptor_in_limits(selector)) fault(vector_on_fault, selector & 0xFFFC);
    return read_descriptor_raw(selector);
}

void ExecutionContext::set_cached(Segment& seg, uint16_t selector, uint64_t d) {
    seg.selector = selector;
    seg.base = static_cast<uint32_t>(((d >> 16) & 0xFFFFFF) | (((d >> 56) & 0xFF) << 24));
    uint32_t limit = static_cast<uint32_t>((d & 0xFFFF) | ((d >> 32) & 0xF0000));
    seg.granular = (d >> 55) & 1;
    if (seg.granular) limit = (limit << 12) | 0xFFF;
    seg.limit = limit;
    seg.access = static_cast<uint8_t>(d >> 40);
    seg.big = (d >> 54) & 1;
    seg.valid = true;
}

// Code and data descriptors get their accessed bit set in memory when loaded.
void ExecutionContext::set_descriptor_accessed(uint16_t selector, uint64_t d) {
    const uint8_t access = static_cast<uint8_t>(d >> 40);
    if (!(access & 0x10) || (access & 1)) return;
    const uint32_t lin = ((selector & 4) ? state.ldtr.base : state.gdtr.base) + (selector & 0xFFF8u) + 5;
    sys_write(lin, 8, access | 1);
}

void ExecutionContext::load_segment(SegReg seg, uint16_t selector) {
    if (!protected_mode() || v86()) {
        load_real_mode_segment(seg, selector);
        return;
    }
    const uint32_t err = selector & 0xFFFC;
    const unsigned rpl = selector & 3;
    if (seg == SS) {
        if (err == 0) fault(vec::GP, 0);
        const uint64_t d = read_descriptor(selector, vec::GP);
        Segment probe;
        set_cached(probe, selector, d);
        if (rpl != state.cpl || probe.dpl() != state.cpl || probe.system() || !probe.writable())
            fault(vec::GP, err);
        if (!probe.present()) fault(vec::SS, err);
        set_descriptor_accessed(selector, d);
        probe.access |= 1;
        state.seg[SS] = probe;
        return;
    }
    if (err == 0) {  // a null selector may be loaded into DS ES FS GS; using it faults later
        Segment& sg = state.seg[seg];
        sg.selector = selector;
        sg.valid = false;
        return;
    }
    const uint64_t d = read_descriptor(selector, vec::GP);
    Segment probe;
    set_cached(probe, selector, d);
    if (probe.system() || (probe.code() && !probe.readable())) fault(vec::GP, err);
    if (!probe.conforming() && (rpl > probe.dpl() || state.cpl > probe.dpl())) fault(vec::GP, err);
    if (!probe.present()) fault(vec::NP, err);
    set_descriptor_accessed(selector, d);
    probe.access |= 1;
    state.seg[seg] = probe;
}

// After a return to an outer level: data segments the new CPL may not use become null.
void ExecutionContext::check_null_segments_on_return() {
    for (SegReg seg : {ES, DS, FS, GS}) {
        Segment& sg = state.seg[seg];
        if (!sg.valid) continue;
        if ((!sg.code() || !sg.conforming()) && sg.dpl() < state.cpl) {
            sg.selector = 0;
            sg.valid = false;
        }
    }
}

// The TSS's I/O permission bitmap: every bit for the accessed ports must be clear.
void ExecutionContext::check_io_permission(uint16_t port, unsigned bytes) {
    if (!sysdesc::is_386_tss(state.tr.access) || state.tr.limit < 0x67) fault(vec::GP, 0);
    const uint32_t map_base = sys_read(state.tr.base + 0x66, 16);
    const uint32_t offset = map_base + port / 8;
    if (offset + 1 > state.tr.limit) fault(vec::GP, 0);
    const uint32_t bits = sys_read(state.tr.base + offset, 16);
    const uint32_t mask = ((1u << bytes) - 1) << (port & 7);
    if (bits & mask) fault(vec::GP, 0);
}

// The stack for privilege level `dpl` from the current TSS (386 or 286 format).
uint32_t ExecutionContext::tss_stack_pointer(unsigned dpl, uint16_t& ss_out) {
    const bool tss386 = sysdesc::is_386_tss(state.tr.access);
    const uint32_t at = tss386 ? 4 + dpl * 8 : 2 + dpl * 4;
    const uint32_t width = tss386 ? 4 : 2;
    if (at + width + 1 > state.tr.limit) fault(vec::TS, state.tr.selector & 0xFFFC);
    if (tss386) {
        ss_out = static_cast<uint16_t>(sys_read(state.tr.base + at + 4, 16));
        return sys_read(state.tr.base + at, 32);
    }
    ss_out = static_cast<uint16_t>(sys_read(state.tr.base + at + 2, 16));
    return sys_read(state.tr.base + at, 16);
}

}  // namespace pc386
