// The run loop, instruction fetch and decode of prefixes and ModRM, segment-checked memory access,
// the stack, and the exception/interrupt entry points.
#include "cpu/cpu.h"

#include <array>

#include "base/log.h"

namespace pc386 {
namespace {

spdlog::logger& logger() { return log::get("cpu"); }

// Prefix bytes and 0F: the bytes step()'s decode loop must look at before dispatching.
constexpr auto kPrefixOr0F = [] {
    std::array<bool, 256> t{};
    for (uint8_t b : {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3, 0x0F}) t[b] = true;
    return t;
}();

// Exception classes for the double-fault rules (Intel 386 manual, table 9-3).
bool contributory(uint8_t v) { return v == vec::DE || v == vec::TS || v == vec::NP || v == vec::SS || v == vec::GP; }

}  // namespace

Cpu::Cpu(Mmu& mmu, IoBus& io, InterruptController* pic) : mmu_(mmu), io_(io), pic_(pic) {
    install_handlers();
    reset();
}

void Cpu::reset() {
    s_ = CpuState{};
    for (Segment& seg : s_.seg) seg = Segment{};
    s_.seg[CS].selector = 0xF000;
    s_.seg[CS].base = 0xFFFF0000u;
    s_.seg[CS].access = 0x9B;  // present, readable, accessed code
    s_.eip = 0xFFF0;
    s_.regs[EDX] = is486() ? 0x0402 : 0x0303;  // 386 DX stepping 3; 486 DX (the CPUID signature)
    if (is486()) s_.cr0 = cr0::CD | cr0::NW | cr0::ET;  // the 486 powers up with its cache disabled
    s_.ldtr.access = 0x82;
    s_.tr.access = 0x8B;
    s_.ldtr.limit = s_.tr.limit = 0xFFFF;
    flags_ = flag::kReserved1;
    lazy_op_ = FlagOp::None;
    halted_ = shutdown_ = stop_requested_ = false;
    inhibit_interrupts_ = false;
    breakpoints_armed_ = false;
    update_access_checks();
    pending_dr6_ = 0;
    mmu_.set_paging(false);
    mmu_.set_write_protect(false);
    mmu_.set_cr3(0);
}

void Cpu::set_model(CpuModel model) {
    model_ = model;
    eflags_writable_ = kEflagsWritable386 | (is486() ? flag::AC | flag::ID : 0);
    reset();
}

uint64_t Cpu::run(uint64_t max_instructions) {
    retired_in_run_ = 0;
    stop_requested_ = false;
    while (retired_in_run_ < max_instructions && !shutdown_) {
        if (pic_ && !inhibit_interrupts_ && (pic_->nmi || (pic_->intr && (flags_ & flag::IF)))) service_interrupts();
        if (halted_) break;
        step();
        ++retired_in_run_;
        if (stop_requested_) break;
    }
    instructions_ += retired_in_run_;
    return retired_in_run_;
}

// Runs one instruction. On a fault, the instruction's start state (EIP, ESP) is restored and the
// exception delivered; registers the instruction changed before faulting stay changed, as on the
// chip (a REP string instruction keeps its progress).
void Cpu::step() {
    start_eip_ = s_.eip;
    start_esp_ = s_.regs[ESP];
    inhibit_interrupts_ = false;
    trap_after_ = flags_ & flag::TF;
    const bool resume_flag = flags_ & flag::RF;  // RF suppresses instruction breakpoints once
    if (trace_) trace_->before_instruction();
    try {
        if (breakpoints_armed_ && !resume_flag && code_breakpoint_hit()) fault(vec::DB);  // a fault
        seg_override_ = -1;
        rep_ = 0;
        lock_ = false;
        insn_len_ = 0;
        const bool big = s_.seg[CS].big;
        opsize32_ = addrsize32_ = big;
        for (;;) {
            const uint8_t b = fetch8();
            if (!kPrefixOr0F[b]) {  // most instructions: no prefix
                opcode_ = b;
                break;
            }
            switch (b) {
                case 0x26: seg_override_ = ES; continue;
                case 0x2E: seg_override_ = CS; continue;
                case 0x36: seg_override_ = SS; continue;
                case 0x3E: seg_override_ = DS; continue;
                case 0x64: seg_override_ = FS; continue;
                case 0x65: seg_override_ = GS; continue;
                case 0x66: opsize32_ = !big; continue;
                case 0x67: addrsize32_ = !big; continue;
                case 0xF0: lock_ = true; continue;
                case 0xF2:
                case 0xF3: rep_ = b; continue;
                case 0x0F: opcode_ = 0x100 | fetch8(); break;
                default: opcode_ = b; break;
            }
            break;
        }
        if (lock_) check_lock_prefix(*this);
        g_handlers[opcode_](*this);
    } catch (const CpuFault& f) {
        s_.eip = start_eip_;
        s_.regs[ESP] = start_esp_;
        pending_dr6_ = 0;
        deliver_fault(f);
        return;
    } catch (const PageFault& pf) {
        s_.eip = start_eip_;
        s_.regs[ESP] = start_esp_;
        pending_dr6_ = 0;
        s_.cr2 = pf.linear;
        deliver_fault(CpuFault{vec::PF, true, pf.error_code});
        return;
    }
    if (resume_flag) flags_ &= ~flag::RF;  // cleared once an instruction completes
    // Traps after the instruction: single step (BS) and data breakpoints (B0-B3), one #DB. MOV SS
    // and POP SS hold them until the next instruction has run (as they hold interrupts), so that
    // a debugger never sees the new SS with the old ESP.
    if (opcode_ == 0x17 || (opcode_ == 0x8E && op_.reg == SS)) return;
    uint32_t debug_status = pending_dr6_;
    pending_dr6_ = 0;
    if (trap_after_ && !(opcode_ == 0xCC || opcode_ == 0xCD || opcode_ == 0xCE)) debug_status |= 1u << 14;
    if (debug_status) {
        s_.dr[6] |= debug_status;
        try {
            interrupt(vec::DB, IntKind::Exception);
        } catch (const CpuFault& f) {
            deliver_fault(f);
        } catch (const PageFault& pf) {
            s_.cr2 = pf.linear;
            deliver_fault(CpuFault{vec::PF, true, pf.error_code});
        }
    }
}

// Delivers an exception; a fault while delivering it follows the 386's rules: two contributory
// faults, or a page fault followed by a contributory or page fault, make a double fault (#DF, error
// code 0); a fault while delivering #DF shuts the processor down (the machine then resets).
void Cpu::deliver_fault(const CpuFault& first) {
    ++exceptions_;
    halted_ = false;
    CpuFault f = first;
    for (;;) {
        CpuFault next{};
        try {
            interrupt(f.vector, IntKind::Exception, f.has_error, f.error);
            return;
        } catch (const CpuFault& again) {
            next = again;
        } catch (const PageFault& pf) {
            s_.cr2 = pf.linear;
            next = CpuFault{vec::PF, true, pf.error_code};
        }
        if (f.vector == vec::DF) {
            logger().warn("triple fault at {:04x}:{:08x} (fault {} while delivering #DF)", s_.seg[CS].selector,
                          start_eip_, next.vector);
            shutdown_ = true;
            return;
        }
        const bool to_double = (contributory(f.vector) && contributory(next.vector)) ||
                               (f.vector == vec::PF && (contributory(next.vector) || next.vector == vec::PF));
        f = to_double ? CpuFault{vec::DF, true, 0} : next;
    }
}

void Cpu::service_interrupts() {
    try {
        if (pic_->nmi) {
            pic_->nmi = false;
            halted_ = false;
            ++interrupts_;
            interrupt(vec::NMI, IntKind::Hardware);
        } else {
            const uint8_t vector = pic_->acknowledge();
            halted_ = false;
            ++interrupts_;
            interrupt(vector, IntKind::Hardware);
        }
    } catch (const CpuFault& f) {
        deliver_fault(f);
    } catch (const PageFault& pf) {
        s_.cr2 = pf.linear;
        deliver_fault(CpuFault{vec::PF, true, pf.error_code});
    }
}

uint32_t Cpu::fetch_bytes(unsigned n) {
    uint32_t v = 0;
    for (unsigned i = 0; i < n; ++i) v |= uint32_t{fetch8()} << (8 * i);
    return v;
}

// ModRM (and SIB, displacement) into op_: a register, or a segment:offset with the default
// segment (SS for BP/ESP-based forms) unless overridden.
void Cpu::decode_memory_operand() {
    SegReg def = DS;
    uint32_t off = 0;
    if (!addrsize32_) {
        switch (op_.rm) {
            case 0: off = s_.regs[EBX] + s_.regs[ESI]; break;
            case 1: off = s_.regs[EBX] + s_.regs[EDI]; break;
            case 2: off = s_.regs[EBP] + s_.regs[ESI], def = SS; break;
            case 3: off = s_.regs[EBP] + s_.regs[EDI], def = SS; break;
            case 4: off = s_.regs[ESI]; break;
            case 5: off = s_.regs[EDI]; break;
            case 6:
                if (op_.mod == 0) off = fetch16();
                else off = s_.regs[EBP], def = SS;
                break;
            case 7: off = s_.regs[EBX]; break;
        }
        if (op_.mod == 1) off += static_cast<uint32_t>(static_cast<int8_t>(fetch8()));
        else if (op_.mod == 2) off += fetch16();
        off &= 0xFFFF;
    } else {
        unsigned base = op_.rm;
        if (base == 4) {  // SIB
            const uint8_t sib = fetch8();
            const unsigned scale = sib >> 6, index = (sib >> 3) & 7;
            base = sib & 7;
            if (index != 4) off = s_.regs[index] << scale;
            if (base == 5 && op_.mod == 0) {
                off += fetch32();
            } else {
                off += s_.regs[base];
                if (base == ESP || base == EBP) def = SS;
            }
        } else if (base == 5 && op_.mod == 0) {
            off = fetch32();
        } else {
            off = s_.regs[base];
            if (base == EBP) def = SS;
        }
        if (op_.mod == 1) off += static_cast<uint32_t>(static_cast<int8_t>(fetch8()));
        else if (op_.mod == 2) off += fetch32();
    }
    op_.seg = data_seg(def);
    op_.offset = off;
}

// Segment checks for a data access of `bytes` at `offset`: present (not null), type (readable /
// writable), limit (expand-up or expand-down). Stack-segment violations are #SS, others #GP.
uint32_t Cpu::linear(SegReg seg, uint32_t offset, unsigned bytes, bool write) {
    const Segment& sg = s_.seg[seg];
    const uint8_t vector = seg == SS ? vec::SS : vec::GP;
    if (protected_mode() && !v86()) {
        if (!sg.valid) fault(vector, 0);
        if (write ? !sg.writable() : !sg.readable()) fault(vector, 0);
        if (sg.expand_down()) {
            const uint32_t upper = sg.big ? 0xFFFFFFFFu : 0xFFFFu;
            if (offset <= sg.limit || offset > upper - (bytes - 1)) fault(vector, 0);
        } else if (offset > sg.limit || bytes - 1 > sg.limit - offset) {
            fault(vector, 0);
        }
    } else if (offset > sg.limit || bytes - 1 > sg.limit - offset) {
        fault(vector, 0);
    }
    const uint32_t lin = sg.base + offset;
    if (access_checks_) slow_access_checks(lin, bytes, write);
    return lin;
}

// 486 alignment check (CR0.AM, EFLAGS.AC, CPL 3): a word not on a 2-byte boundary, a dword not on
// a 4-byte one raises #AC with error code 0 (wider operands are read in parts; an ESC operand,
// checked though nothing reads it, wants 8 for 8 and 10 bytes, 4 for the FPU environment and
// state). Data and stack accesses only: fetches, the CPU's own descriptor-table and TSS accesses
// and the frames it pushes when delivering an interrupt are never checked.
void Cpu::slow_access_checks(uint32_t lin, unsigned bytes, bool write) {
    if (alignment_check_ && s_.cpl == 3) {
        uint32_t mask = 0;  // bytes 1: none
        if (bytes == 2) mask = 1;
        else if (bytes == 4 || bytes > 10) mask = 3;
        else if (bytes >= 8) mask = 7;
        if (lin & mask) fault(vec::AC, 0);
    }
    if (breakpoints_armed_) check_data_breakpoints(lin, bytes, write);
}

uint32_t Cpu::read(SegReg seg, uint32_t offset, unsigned size) {
    const uint32_t lin = linear(seg, offset, size / 8, false);
    switch (size) {
        case 8: return mmu_.read8(lin, user());
        case 16: return mmu_.read16(lin, user());
        default: return mmu_.read32(lin, user());
    }
}

void Cpu::write(SegReg seg, uint32_t offset, unsigned size, uint32_t value) {
    const uint32_t lin = linear(seg, offset, size / 8, true);
    switch (size) {
        case 8: return mmu_.write8(lin, static_cast<uint8_t>(value), user());
        case 16: return mmu_.write16(lin, static_cast<uint16_t>(value), user());
        default: return mmu_.write32(lin, value, user());
    }
}

uint32_t Cpu::sys_read(uint32_t lin, unsigned size) {
    switch (size) {
        case 8: return mmu_.read8(lin, false);
        case 16: return mmu_.read16(lin, false);
        default: return mmu_.read32(lin, false);
    }
}

void Cpu::sys_write(uint32_t lin, unsigned size, uint32_t value) {
    switch (size) {
        case 8: return mmu_.write8(lin, static_cast<uint8_t>(value), false);
        case 16: return mmu_.write16(lin, static_cast<uint16_t>(value), false);
        default: return mmu_.write32(lin, value, false);
    }
}

// The new stack pointer is committed only after the write succeeded, so a faulting push leaves
// ESP unchanged.
void Cpu::push(unsigned size, uint32_t value) {
    const uint32_t sp = (s_.regs[ESP] - size / 8) & sp_mask();
    write(SS, sp, size, value);
    set_sp(sp);
}

uint32_t Cpu::pop(unsigned size) {
    const uint32_t v = read(SS, s_.regs[ESP] & sp_mask(), size);
    set_sp(s_.regs[ESP] + size / 8);
    return v;
}

uint32_t Cpu::peek_stack(unsigned size, uint32_t depth) {
    return read(SS, (s_.regs[ESP] + depth) & sp_mask(), size);
}

void Cpu::load_real_mode_segment(SegReg seg, uint16_t selector) {
    Segment& sg = s_.seg[seg];
    sg.selector = selector;
    sg.base = uint32_t{selector} << 4;
    sg.valid = true;
    if (!protected_mode()) return;  // real mode keeps limit and attributes (unreal mode works)
    sg.limit = 0xFFFF;               // V86: fixed 64 KiB, DPL 3 writable data
    sg.access = seg == CS ? 0xFB : 0xF3;
    sg.big = false;
    sg.granular = false;
}

void Cpu::set_cr0(uint32_t value) {
    // ET (bit 4) is hard-wired to 1 (a 386 with a 387 socket; always on a 486); reserved bits read as
    // 0. The 386 keeps PG and bits 0-4; the 486 also NE, WP, AM, NW and CD (no cache: CD and NW only
    // read back; NE only reads back, as there is no FPU to report errors).
    constexpr uint32_t k386 = cr0::PG | 0x1F;
    constexpr uint32_t k486 = k386 | cr0::NE | cr0::WP | cr0::AM | cr0::NW | cr0::CD;
    value = (value & (is486() ? k486 : k386)) | cr0::ET;
    s_.cr0 = value;
    mmu_.set_paging((value & cr0::PG) && (value & cr0::PE));
    mmu_.set_write_protect(value & cr0::WP);
    update_access_checks();
}

void Cpu::set_cr3(uint32_t value) {
    s_.cr3 = value & 0xFFFFF000u;
    mmu_.set_cr3(s_.cr3);
}

}  // namespace pc386
