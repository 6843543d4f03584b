// The run loop, instruction fetch and decode of prefixes and ModRM, segment-checked memory access,
// the stack, and the exception/interrupt entry points.
#include "cpu/execution_context.h"

#include <array>

#include "base/log.h"

namespace pc386 {
namespace {

spdlog::logger& logger() {
    return log::get("cpu");
}

// Prefix bytes and 0F: the bytes decode_and_run's prefix loop must look at before dispatching.
constexpr auto kPrefixOr0F = [] {
    std::array<bool, 256> t{};
    for (uint8_t b : {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3, 0x0F}) t[b] = true;
    return t;
}();

// Exception classes for the double-fault rules (Intel 386 manual, table 9-3).
bool contributory(uint8_t v) {
    return v == vec::DE || v == vec::TS || v == vec::NP || v == vec::SS || v == vec::GP;
}

}  // namespace

ExecutionContext::ExecutionContext(Mmu& bus_mmu, IoBus& ports, InterruptController* interrupt_controller)
    : mmu(bus_mmu), io(ports), pic(interrupt_controller), dcache(bus_mmu.bus().ram()) {
    install_handlers();
    reset();
    mmu.set_code_write_observer(this);
    mmu.watch_translations(&attention);
    if (pic) pic->watch_lines(&attention);
}

ExecutionContext::~ExecutionContext() {
    mmu.set_code_write_observer(nullptr);
    mmu.watch_translations(nullptr);
    if (pic) pic->watch_lines(nullptr);
}

void ExecutionContext::reset() {
    state = CpuState{};
    for (Segment& seg : state.seg) seg = Segment{};
    state.seg[CS].selector = 0xF000;
    state.seg[CS].base = 0xFFFF0000u;
    state.seg[CS].access = 0x9B;  // present, readable, accessed code
    state.eip = 0xFFF0;
    state.regs[EDX] = is486() ? 0x0402 : 0x0303;  // 386 DX stepping 3; 486 DX (the CPUID signature)
    state.ldtr.access = 0x82;
    state.tr.access = 0x8B;
    state.ldtr.limit = state.tr.limit = 0xFFFF;
    flags = flag::kReserved1;
    lazy_op = FlagOp::None;
    halted = shutdown = stop_requested = false;
    inhibit_interrupts = false;
    attention = true;
    breakpoints_armed = false;
    pending_dr6 = 0;
    code_page = nullptr;  // the records stay: they depend only on memory, which is unchanged
    code_tag = kNoCodeTag;
    last_record = nullptr;
    mmu.set_cr0(is486() ? cr0::CD | cr0::NW | cr0::ET
                        : cr0::ET);  // the 486 powers up with its cache disabled
    mmu.set_cr3(0);
    update_access_checks();  // after CR0: real mode now
}

void ExecutionContext::set_model(CpuModel chip) {
    model = chip;
    flush_decode_cache();  // the 486's opcodes decode differently
    eflags_writable = kEflagsWritable386 | (is486() ? flag::AC | flag::ID : 0);
    reset();
}

// One catch point for the whole slice: an instruction that faults ends at its boundary
// (end_faulted_instruction), counts as retired, and the loop goes on from a fresh catch point.
uint64_t ExecutionContext::run(uint64_t max_instructions) {
    retired_in_run = 0;
    run_limit = max_instructions;
    update_access_checks();  // CR0 or EFLAGS may have been set directly since the last run
    stop_requested = false;
    breakpoint_hit = false;
    while (!mmu.faults().attempt([this] { run_instructions(); })) {
        end_faulted_instruction();
        ++retired_in_run;
        if (stop_requested) break;
    }
    const uint64_t ran = retired_in_run;
    instructions += ran;
    retired_in_run = 0;  // from now on instructions() alone is the count (devices, event stamps)
    return ran;
}

// The threaded loop while nothing needs attention, the attended path for the boundaries where
// something does. It starts attended: anything may have changed since the last run or fault.
void ExecutionContext::run_instructions() {
    attention = true;
    while (retired_in_run < run_limit) {
        if (!attention)
            run_threaded();
        else if (!run_attended())
            break;
    }
}

// One instruction boundary and the instruction after it with every check, in the order the chip
// makes them: a stop request, shutdown, NMI/INTR (unless in an interrupt shadow), HLT, a
// debugger's breakpoint, then step() (the trace hook, DR0-DR3, TF/RF). False: end the run.
bool ExecutionContext::run_attended() {
    if (stop_requested || shutdown) return false;
    if (pic && !inhibit_interrupts && (pic->nmi || (pic->intr && (flags & flag::IF)))) {
        service_interrupts();
        if (stop_requested) return false;  // a break on the interrupt: stop before the handler runs
    }
    if (halted) return false;
    if (code_breaks && code_breaks->stops_at(state.seg[CS].base + state.eip)) {
        breakpoint_hit = true;  // before the instruction: nothing of it has run
        return false;
    }
    step();
    ++retired_in_run;
    attention = needs_attention();
    return true;
}

// Whether the next boundary needs run_attended: the conditions whose setters raise attention.
bool ExecutionContext::needs_attention() const {
    return stop_requested || shutdown || halted || inhibit_interrupts || pending_dr6 != 0 ||
           (flags & (flag::TF | flag::RF)) || trace || code_breaks || breakpoints_armed || !decode_cache_on ||
           (pic && (pic->nmi || (pic->intr && (flags & flag::IF))));
}

// The threaded loop: replay records back to back (call the handler, count), testing one flag per
// instruction, until something raises attention or the budget is spent. Each straight run
// starts with every check (code_page_at_eip, find_record); an instruction without a usable
// record runs through step() (decoded and recorded). The hot path of the emulator.
void ExecutionContext::run_threaded() {
    last_record = nullptr;
    while (retired_in_run < run_limit) {
        start_eip = state.eip;
        start_esp = state.regs[ESP];
        DecodedPage* page = code_page_at_eip();
        DecodedInsn* d = page ? find_record(*page) : nullptr;
        if (!d) [[unlikely]] {
            step();
            ++retired_in_run;
            if (attention) return;
            continue;
        }
        if (!run_straight(*page, *d)) return;
    }
}

// Records back to back within one code page, from `d` (checked by find_record). While the run
// lasts, what find_record checked stays true unless attention is raised: a CS load
// (load_code_segment), a translation change and a write to a code page (both start a new
// translation epoch, which the MMU's watch_translations turns into attention) all raise it. So per record
// only EIP's offset in the page and, on a page the CS limit cuts, the limit are tested (a page's
// records are all of one CS size: the decode cache keeps one page per size).
// False: attention was raised. True: the page was left, the next instruction has no record yet, or the budget
// is spent.
bool ExecutionContext::run_straight(DecodedPage& page, DecodedInsn& first) {
    const Segment& cs = state.seg[CS];
    const uint32_t page_lin = (cs.base + start_eip) & ~0xFFFu;
    const uint32_t page_eip = page_lin - cs.base;  // EIP at the page's first byte (modulo 2^32)
    const int64_t first_eip = int64_t{page_lin} - cs.base;
    const bool below_limit = cs.limit == 0xFFFFFFFFu || (first_eip >= 0 && first_eip + 0xFFF <= cs.limit);
    const uint32_t cs_limit = cs.limit;  // copies: a CS load ends the run before they are used again
    const uint64_t limit = run_limit;
    DecodedInsn* d = &first;
    bool leave_attended = false;
    for (;;) {
        replay(*d);
        if (attention) [[unlikely]] {  // raised by the instruction: its traps, then the boundary
            replaying = nullptr;
            finish_instruction(false, false);
            leave_attended = true;
            break;
        }
        if (++retired_in_run >= limit) [[unlikely]]
            break;
        const uint32_t eip = state.eip, offset = eip - page_eip;
        if (offset > 0xFFF) break;  // another page: code_page_at_eip
        DecodedInsn* n = page.next_after(d, offset);
        if (!n) [[unlikely]]
            break;  // not recorded yet: step() decodes it
        if (!below_limit && (eip > cs_limit || n->fields.len - 1u > cs_limit - eip)) [[unlikely]]
            break;
        start_eip = eip;
        start_esp = state.regs[ESP];
        d = n;
    }
    replaying = nullptr;
    if (leave_attended) {
        ++retired_in_run;
        return false;
    }
    last_record = d;
    return true;
}

// The instruction in progress raised a fault: its start state (EIP, ESP) is restored and the
// exception delivered; registers it changed before faulting stay changed, as on the chip (a REP
// string instruction keeps its progress).
void ExecutionContext::end_faulted_instruction() {
    replaying = nullptr;
    state.eip = start_eip;
    state.regs[ESP] = start_esp;
    pending_dr6 = 0;
    deliver_fault(caught_fault());
}

// Where a fault becomes architectural state once caught: a page fault's address goes to CR2.
const GuestFault& ExecutionContext::caught_fault() {
    const GuestFault& f = mmu.faults().fault();
    if (f.vector == vec::PF) state.cr2 = f.linear;
    return f;
}

// Runs one instruction with every check: from its record if it has one, else decoded from memory
// (and recorded). A fault leaves it by the unwinder, to run()'s catch point.
void ExecutionContext::step() {
    start_eip = state.eip;
    start_esp = state.regs[ESP];
    last_record = nullptr;
    inhibit_interrupts = false;
    const bool single_step = flags & flag::TF;  // TF at the start: a trap after this instruction
    const bool resume_flag = flags & flag::RF;  // RF suppresses instruction breakpoints once
    if (trace) trace->before_instruction();
    if (breakpoints_armed && !resume_flag && code_breakpoint_hit()) fault(vec::DB);  // a fault
    DecodedPage* page = decode_cache_on ? code_page_at_eip() : nullptr;
    if (DecodedInsn* d = page ? find_record(*page) : nullptr) {
        replay(*d);
        replaying = nullptr;
    } else {
        decode_and_run(page);
    }
    finish_instruction(resume_flag, single_step);
}

// The decode cache's page for the instruction at CS:EIP (start_eip), current or stale; nullptr
// where nothing may be cached (MMIO) or the first byte is past the CS limit (then the live fetch
// raises the #GP, before any page fault). Looking a new page up is a fetch translation, which may
// page-fault as fetching the first byte would.
DecodedPage* ExecutionContext::code_page_at_eip() {
    const Segment& cs = state.seg[CS];
    if (start_eip > cs.limit) return nullptr;
    const uint32_t lin = cs.base + start_eip;
    const uint32_t tag = (lin >> 12) << 2 | (cs.big ? 2u : 0u) | (user() ? 1u : 0u);
    if (tag != code_tag || mmu.translation_epoch() != code_epoch) refresh_code_page(lin, tag);
    return code_page;
}

// The record of the instruction at CS:EIP in `page` (code_page_at_eip's), or nullptr when it has
// none, the page changed since it was made or it would run past the CS limit. The record run just before
// (last_record) usually knows it; else the index does, and the link is remembered.
DecodedInsn* ExecutionContext::find_record(DecodedPage& page) {
    if (!page.current()) return nullptr;
    const unsigned offset = (state.seg[CS].base + start_eip) & 0xFFF;
    DecodedInsn* d = page.next_after(last_record, offset);
    if (!d) return nullptr;
    const Segment& cs = state.seg[CS];
    if (d->fields.len - 1u > cs.limit - start_eip) return nullptr;
    return d;
}

// Decodes the instruction at CS:EIP from memory (prefixes, opcode; the handler fetches the rest)
// and runs it, recording what it fetched; stores the record into `page` if it completed there.
void ExecutionContext::decode_and_run(DecodedPage* page) {
    const bool big = state.seg[CS].big;
    const uint32_t lin = state.seg[CS].base + start_eip;
    insn = DecodeFields{};
    insn.opsize32 = insn.addrsize32 = big;
    rec.base = rec.index = DecodedInsn::kNoReg;
    rec.scale = 0;
    rec.disp = 0;
    rec.seg = DS;
    rec_nimm = 0;
    for (;;) {
        const uint8_t b = fetch8_raw();
        if (!kPrefixOr0F[b]) {  // most instructions: no prefix
            insn.opcode = b;
            break;
        }
        switch (b) {
            case 0x26: insn.seg_override = ES; continue;
            case 0x2E: insn.seg_override = CS; continue;
            case 0x36: insn.seg_override = SS; continue;
            case 0x3E: insn.seg_override = DS; continue;
            case 0x64: insn.seg_override = FS; continue;
            case 0x65: insn.seg_override = GS; continue;
            case 0x66: insn.opsize32 = !big; continue;
            case 0x67: insn.addrsize32 = !big; continue;
            case 0xF0: insn.lock = true; continue;
            case 0xF2:
            case 0xF3: insn.rep = b; continue;
            case 0x0F: insn.opcode = static_cast<uint16_t>(0x100 | fetch8_raw()); break;
            default: insn.opcode = b; break;
        }
        break;
    }
    const uint32_t gen = page ? page->gen : 0;
    if (insn.lock) {
        // LOCK is IOPL-sensitive in V86 mode (386 manual 15.4), checked before its #UD.
        if (v86() && iopl() < 3) fault(vec::GP, 0);
        check_lock_prefix(*this);
    }
    g_handlers[insn.opcode](*this, rec);  // decoded live: the record is still being made
    if (page && page == code_page) store_record(lin, gen);
}

// After an instruction completed: RF is cleared, then the traps: single step (BS) and data
// breakpoints (B0-B3), one #DB. MOV SS and POP SS hold them until the next instruction has run
// (as they hold interrupts), so that a debugger never sees the new SS with the old ESP.
void ExecutionContext::finish_instruction(bool resume_flag, bool single_step) {
    if (resume_flag) flags &= ~flag::RF;
    if (insn.opcode == 0x17 || (insn.opcode == 0x8E && operand.reg == SS)) return;
    uint32_t debug_status = pending_dr6;
    pending_dr6 = 0;
    if (single_step && !(insn.opcode == 0xCC || insn.opcode == 0xCD || insn.opcode == 0xCE))
        debug_status |= 1u << 14;
    if (debug_status) {
        state.dr[6] |= debug_status;
        debug_trap();
    }
}

// Looks up the records for the page of linear `lin`: a fetch translation (which may page-fault,
// as fetching the first byte would) gives the host page.
void ExecutionContext::refresh_code_page(uint32_t lin, uint32_t tag) {
    code_page = nullptr;
    code_tag = kNoCodeTag;
    last_record = nullptr;
    const uint8_t* host = mmu.fetch_page(lin, user());
    code_page = host ? dcache.page_for(host, state.seg[CS].big) : nullptr;
    code_tag = tag;
    code_epoch = mmu.translation_epoch();
}

// Stores the record of the instruction just decoded live at `lin`, unless it crossed into the
// next page, fetched more immediates than a record holds, or wrote its own page (`gen`, the
// page's generation when decoding began, is no longer the page's: the record is born stale).
void ExecutionContext::store_record(uint32_t lin, uint32_t gen) {
    if ((lin & 0xFFF) + insn.len > 0x1000 || rec_nimm > DecodedInsn::kMaxImm || code_page->gen != gen) return;
    DecodedInsn& d = dcache.record_slot(*code_page, lin & 0xFFF);
    last_record = nullptr;  // the store may have moved the page's records
    d = rec;
    d.fields = insn;
    d.offset = static_cast<uint16_t>(lin & 0xFFF);
    d.next = DecodedInsn::kNoLink;
    d.handler = record_handler(d);
    ++dcache.stats().recorded;
}

// Delivers an exception; a fault while delivering it follows the 386's rules: two contributory
// faults, or a page fault followed by a contributory or page fault, make a double fault (#DF, error
// code 0); a fault while delivering #DF shuts the processor down (the machine then resets).
void ExecutionContext::deliver_fault(const GuestFault& first) {
    ++exceptions;
    halted = false;
    GuestFault f = first;
    for (;;) {
        if (events && events->on())
            events->record(EventKind::Exception, f.vector, f.error, f.vector == vec::PF ? state.cr2 : 0, 0,
                           f.has_error ? Event::kHasError : 0);
        if (mmu.faults().attempt([&] {
                interrupt(f.vector, IntKind::Exception, f.has_error, f.error);
                take_task_trap();
            }))
            return;
        const GuestFault next = caught_fault();
        if (f.vector == vec::DF) {
            logger().warn("triple fault at {:04x}:{:08x} (fault {} while delivering #DF)",
                          state.seg[CS].selector, start_eip, next.vector);
            shutdown = true;
            if (events && events->on()) events->record(EventKind::Shutdown, next.vector);
            return;
        }
        const bool to_double = (contributory(f.vector) && contributory(next.vector)) ||
                               (f.vector == vec::PF && (contributory(next.vector) || next.vector == vec::PF));
        f = to_double ? GuestFault{vec::DF, true, 0, 0} : next;
    }
}

// An exception or interrupt delivered through a task gate to a TSS with the T bit: the #DB (DR6.BT)
// is taken now, before the new task's first instruction, as after a JMP/CALL/INT/IRET switch. A
// #DB whose own delivery enters a T-bit task leaves its trap pending (after the next instruction)
// rather than looping here.
void ExecutionContext::take_task_trap() {
    constexpr uint32_t kBT = 1u << 15;
    if (!(pending_dr6 & kBT) || in_task_trap) return;
    state.dr[6] |= pending_dr6;
    pending_dr6 = 0;
    in_task_trap = true;
    debug_trap();
    in_task_trap = false;
}

// Delivers a #DB trap (DR6 already set); a fault while delivering it follows the usual rules.
void ExecutionContext::debug_trap() {
    if (!mmu.faults().attempt([this] { interrupt(vec::DB, IntKind::Exception); }))
        deliver_fault(caught_fault());
}

void ExecutionContext::service_interrupts() {
    start_eip = state.eip;  // events stamp the instruction the interrupt comes before
    if (mmu.faults().attempt([this] { deliver_external_interrupt(); })) return;
    deliver_fault(caught_fault());
}

// NMI first, then the PIC's vector; a fault while delivering it is the caller's to deliver.
void ExecutionContext::deliver_external_interrupt() {
    if (pic->nmi) {
        pic->nmi = false;
        halted = false;
        ++interrupts;
        if (events && events->on()) events->record(EventKind::Interrupt, vec::NMI, 0xFF);
        interrupt(vec::NMI, IntKind::Hardware);
    } else {
        const uint8_t vector = pic->acknowledge();
        halted = false;
        ++interrupts;
        if (events && events->on()) events->record(EventKind::Interrupt, vector, pic->acknowledged_line);
        interrupt(vector, IntKind::Hardware);
    }
    take_task_trap();
}

uint32_t ExecutionContext::fetch_bytes(unsigned n) {
    uint32_t v = 0;
    for (unsigned i = 0; i < n; ++i) v |= uint32_t{fetch8_raw()} << (8 * i);
    return v;
}

// ModRM (and SIB, displacement) into operand: a register, or a segment:offset with the default
// segment (SS for BP/ESP-based forms) unless overridden.
void ExecutionContext::decode_memory_operand() {
    static constexpr uint8_t kNo = DecodedInsn::kNoReg;
    // 16-bit forms: base and index register by rm (BX+SI, BX+DI, BP+SI, BP+DI, SI, DI, BP, BX).
    static constexpr uint8_t kBase16[8] = {EBX, EBX, EBP, EBP, ESI, EDI, EBP, EBX};
    static constexpr uint8_t kIndex16[8] = {ESI, EDI, ESI, EDI, kNo, kNo, kNo, kNo};
    SegReg def = DS;
    uint8_t base = kNo, index = kNo, scale = 0;
    uint32_t disp = 0;
    if (!insn.addrsize32) {
        if (operand.rm == 6 && operand.mod == 0) {
            disp = fetch16_raw();
        } else {
            base = kBase16[operand.rm];
            index = kIndex16[operand.rm];
            if (base == EBP) def = SS;
        }
        if (operand.mod == 1)
            disp += static_cast<uint32_t>(static_cast<int8_t>(fetch8_raw()));
        else if (operand.mod == 2)
            disp += fetch16_raw();
    } else {
        unsigned b = operand.rm;
        if (b == 4) {  // SIB
            const uint8_t sib = fetch8_raw();
            const unsigned idx = (sib >> 3) & 7;
            b = sib & 7;
            if (idx != 4) index = static_cast<uint8_t>(idx), scale = sib >> 6;
            if (b == 5 && operand.mod == 0) {
                disp = fetch32_raw();
            } else {
                base = static_cast<uint8_t>(b);
                if (b == ESP || b == EBP) def = SS;
            }
            // A 386 quirk (fixed in the 486): with no index (100b) the scale applies to the base,
            // [base << ss]. Recorded as an index so that live decode and replay share the formula.
            if (idx == 4 && (sib >> 6) != 0 && base != kNo && !is486())
                index = base, base = kNo, scale = static_cast<uint8_t>(sib >> 6);
        } else if (b == 5 && operand.mod == 0) {
            disp = fetch32_raw();
        } else {
            base = static_cast<uint8_t>(b);
            if (b == EBP) def = SS;
        }
        if (operand.mod == 1)
            disp += static_cast<uint32_t>(static_cast<int8_t>(fetch8_raw()));
        else if (operand.mod == 2)
            disp += fetch32_raw();
    }
    rec.base = base, rec.index = index, rec.scale = scale, rec.disp = disp;
    rec.seg = static_cast<uint8_t>(data_seg(def));
    set_memory_operand(rec);
}

// 486 alignment check (CR0.AM, EFLAGS.AC, CPL 3): a word not on a 2-byte boundary, a dword not on
// a 4-byte one raises #AC with error code 0 (wider operands are read in parts; an ESC operand,
// checked though nothing reads it, wants 8 for 8 and 10 bytes, 4 for the FPU environment and
// state). Data and stack accesses only: fetches, the CPU's own descriptor-table and TSS accesses
// and the frames it pushes when delivering an interrupt are never checked.
void ExecutionContext::slow_access_checks(uint32_t lin, unsigned bytes, bool write) {
    if (alignment_check && state.cpl == 3) {
        uint32_t mask = 0;  // bytes 1: none
        if (bytes == 2)
            mask = 1;
        else if (bytes == 4 || bytes > 10)
            mask = 3;
        else if (bytes >= 8)
            mask = 7;
        if (lin & mask) fault(vec::AC, 0);
    }
    if (breakpoints_armed) check_data_breakpoints(lin, bytes, write);
}

void ExecutionContext::segment_fault(SegReg seg) {
    fault(seg == SS ? vec::SS : vec::GP, 0);
}

// The new stack pointer is committed only after the write succeeded, so a faulting push leaves
// ESP unchanged.
void ExecutionContext::push(unsigned size, uint32_t value) {
    const uint32_t sp = (state.regs[ESP] - size / 8) & sp_mask();
    write(SS, sp, size, value);
    set_sp(sp);
}

uint32_t ExecutionContext::pop(unsigned size) {
    const uint32_t v = read(SS, state.regs[ESP] & sp_mask(), size);
    set_sp(state.regs[ESP] + size / 8);
    return v;
}

void ExecutionContext::load_real_mode_segment(SegReg seg, uint16_t selector) {
    Segment& sg = state.seg[seg];
    sg.selector = selector;
    sg.base = uint32_t{selector} << 4;
    sg.valid = true;
    if (seg == CS) attention = true;  // as load_code_segment: a straight run ends
    if (!protected_mode()) return;    // real mode keeps limit and attributes (unreal mode works)
    sg.limit = 0xFFFF;                // V86: fixed 64 KiB, DPL 3 writable data
    sg.access = seg == CS ? 0xFB : 0xF3;
    sg.big = false;
    sg.granular = false;
}

void ExecutionContext::set_cr0(uint32_t value) {
    // ET (bit 4) is hard-wired to 1 (a 386 with a 387 socket; always on a 486); reserved bits read as
    // 0. The 386 keeps PG and bits 0-4; the 486 also NE, WP, AM, NW and CD (no cache: CD and NW only
    // read back; NE only reads back, as there is no FPU to report errors).
    constexpr uint32_t k386 = cr0::PG | 0x1F;
    constexpr uint32_t k486 = k386 | cr0::NE | cr0::WP | cr0::AM | cr0::NW | cr0::CD;
    value = (value & (is486() ? k486 : k386)) | cr0::ET;
    if (events && events->on()) {  // before the MMU's TLB flush: the write, then its effects
        events->record(EventKind::Cr0Write, mmu.cr0(), value);
        note_mode(value);
    }
    mmu.set_cr0(value);
    update_access_checks();
}

void ExecutionContext::set_cr3(uint32_t value) {
    value &= 0xFFFFF000u;
    if (events && events->on()) events->record(EventKind::Cr3Write, mmu.cr3(), value);
    mmu.set_cr3(value);
}

unsigned ExecutionContext::mode_for_events(uint32_t cr0_value) const {
    const bool protected_mode = cr0_value & cr0::PE;
    const unsigned base = !protected_mode ? 0 : v86() ? 2 : 1;
    return base + ((cr0_value & cr0::PG) && protected_mode ? 4 : 0);
}

void ExecutionContext::note_mode(uint32_t cr0_value) {
    const unsigned mode = mode_for_events(cr0_value);
    if (mode == reported_mode) return;
    events->record(EventKind::ModeSwitch, reported_mode, mode);
    reported_mode = mode;
}

}  // namespace pc386
