// The Intel 80386 interpreter (no 387). Memory through the Mmu, ports through the IoBus, hardware
// interrupts from an InterruptController. One instruction at a time: prefixes, then a flat table of
// handlers indexed by opcode (0x0F xx at 256 + xx) with one signature; ModRM/SIB decoded once per
// instruction into `Operand`. What decoding produced is kept per page offset in the pre-decoded
// instruction cache (decode_cache.h) as a ready-to-run record (the handler, the decode fields, the
// operand's form) and replayed the next time: the prefix loop, the fetches and the ModRM parse run
// once per instruction location, not once per execution. The threaded loop (run_threaded) runs
// records back to back and tests one flag per instruction (attention); interrupts, traps and the
// debugger's checks happen on the attended path when something raised it. Faults (the CPU's own,
// and the MMU's page faults) are raised through the MMU's FaultUnwinder (mmu/guest_fault.h) and
// caught at the instruction boundary, where EIP/ESP are restored and the exception is delivered.
//
// Power-on state (Intel 386 manual, 10.1): CS = F000 with base FFFF0000, EIP = FFF0, CR0 = 0x10
// (ET: a 387 socket, none fitted: see fpu_absent()), EFLAGS = 2, DX = 0x0303 (386 DX, stepping 3).
//
// No FPU: ESC opcodes (D8-DF) raise #NM when CR0.EM or CR0.TS is set; otherwise they are decoded
// (ModRM and all) and do nothing, which is what a 386 without a 387 does (the bus cycles go nowhere).
// WAIT raises #NM when CR0.MP and CR0.TS are both set. Software detects the missing FPU the usual way
// (FNINIT/FNSTSW leave the status word unchanged).
//
// CpuModel::i486 (set_model) adds the 486's instructions (handlers_486.cpp: CPUID, BSWAP, CMPXCHG,
// XADD, INVD, WBINVD, INVLPG), EFLAGS.AC and ID, CR0.NE/WP/AM/NW/CD and alignment checking (#AC).
// The 386 model pays nothing for it: the new opcodes are #UD there from their own handlers, and the
// alignment check shares linear()'s one "slow checks" bool with the data breakpoints.
#pragma once

#include <cstdint>

#include "base/event_log.h"
#include "base/interrupt_line.h"
#include "base/io_bus.h"
#include "base/state_archive.h"
#include "cpu/code_breakpoints.h"
#include "cpu/cpu_model.h"
#include "cpu/cpu_state.h"
#include "cpu/decode_cache.h"
#include "cpu/trace_hook.h"
#include "mmu/mmu.h"

namespace pc386 {

namespace vec {
inline constexpr uint8_t DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8, TS = 10,
                         NP = 11, SS = 12, GP = 13, PF = 14, AC = 17;
}

// A decoded r/m operand: a register number, or a segment and offset.
struct Operand {
    uint8_t mod = 0;
    uint8_t reg = 0;  // ModRM.reg field
    uint8_t rm = 0;   // ModRM.rm field: the register when is_reg
    bool is_reg = false;
    SegReg seg = DS;
    uint32_t offset = 0;
};

// The interpreter's whole state and machinery. Its members are public, with plain names, because
// the handler files (handlers_*.cpp, far_transfer.cpp, ...) are its hot path and read them on
// every instruction; nothing outside src/cpu sees it: the machine, the tools and the tests use the
// Cpu front (cpu.h), which owns one.
class ExecutionContext : public CodeWriteObserver {
  public:
    ExecutionContext(Mmu& bus_mmu, IoBus& ports, InterruptController* interrupt_controller);
    ~ExecutionContext() override;
    ExecutionContext(const ExecutionContext&) = delete;
    ExecutionContext& operator=(const ExecutionContext&) = delete;

    void reset();
    void set_model(CpuModel chip);  // and reset: the power-on state differs
    bool is486() const { return model == CpuModel::i486; }
    uint64_t run(uint64_t max_instructions);  // Cpu::run
    void request_stop() {
        stop_requested = true;
        attention = true;
    }
    uint32_t eflags() const;
    void set_eflags(uint32_t value);        // all bits, as POPF at CPL 0 would (no checks)
    void transfer_state(StateArchive& ar);  // cpu_snapshot.cpp
    void set_trace_hook(TraceHook* hook) {
        trace = hook;
        attention = true;
    }
    void set_code_breakpoints(CodeBreakpoints* breakpoints) {
        code_breaks = breakpoints;
        attention = true;
    }
    void load_real_mode_segment(SegReg seg, uint16_t selector);
    void set_cr0(uint32_t value);
    void set_cr3(uint32_t value);
    // CR0 and CR3 live in the MMU, which paging reads them from; these read through.
    uint32_t cr0() const { return mmu.cr0(); }
    uint32_t cr3() const { return mmu.cr3(); }
    bool protected_mode() const { return mmu.cr0() & cr0::PE; }
    bool v86() const { return flags & flag::VM; }
    void set_decode_cache(bool enabled) {
        decode_cache_on = enabled;
        attention = true;
        flush_decode_cache();
    }
    void flush_decode_cache() {
        dcache.invalidate_all();
        last_record = nullptr;
        code_page = nullptr;
        code_tag = kNoCodeTag;
    }
    // A write to a page with records: they are stale. (The MMU has started a new translation epoch
    // too, which raises attention: a straight run does not go on from them.)
    void code_page_written(uint32_t phys_page) override { dcache.page_written(phys_page); }
    // Every CS load goes through here: a straight run keeps CS's page and limit, so it ends.
    void load_code_segment(const Segment& code) {
        state.seg[CS] = code;
        attention = true;
    }

    CpuState state;
    Mmu& mmu;
    IoBus& io;
    InterruptController* pic;

    // Lazy arithmetic flags: the last flag-setting ALU operation, evaluated on demand (lazy_flags.h).
    // Szp: only ZF, SF and PF are lazy (from lazy_res); CF, OF and AF are in flags (shifts,
    // rotates, multiplies: they set those from their own formulas).
    enum class FlagOp : uint8_t { None, Add, Adc, Sub, Sbb, Logic, Inc, Dec, Szp };
    uint32_t flags = flag::kReserved1;  // every flag; the arithmetic ones only when lazy_op == None
    FlagOp lazy_op = FlagOp::None;
    uint8_t lazy_size = 8;  // 8, 16, 32
    uint32_t lazy_a = 0, lazy_b = 0, lazy_res = 0, lazy_cin = 0;
    void set_lazy(FlagOp op, unsigned size, uint32_t a, uint32_t b, uint32_t res, uint32_t cin = 0) {
        lazy_op = op, lazy_size = static_cast<uint8_t>(size), lazy_a = a, lazy_b = b, lazy_res = res,
        lazy_cin = cin;
    }
    bool cf() const;
    bool zf() const;
    bool sf() const;
    bool of() const;
    bool pf() const;
    bool af() const;
    // Sets the arithmetic flags in `mask` to `values` (eager ops: BCD, BT, CLC, ...). A mask
    // without ZF, SF and PF (rotates, BT, CLC/STC/CMC) leaves those three lazy.
    void set_arith_flags(uint32_t mask, uint32_t values);
    // ZF, SF and PF from `result` (lazily), CF, OF and AF from `cf_of_af`: what a shift or a
    // multiply sets.
    void set_result_flags(unsigned size, uint32_t result, uint32_t cf_of_af) {
        lazy_op = FlagOp::Szp, lazy_size = static_cast<uint8_t>(size), lazy_res = result;
        flags = (flags & ~flag::kArith) | (cf_of_af & (flag::CF | flag::OF | flag::AF));
    }
    void materialize_flags();           // folds the lazy flags into flags
    bool condition(unsigned cc) const;  // Jcc/SETcc condition 0-15

    // Per-instruction decode state.
    uint32_t start_eip = 0, start_esp = 0;
    DecodeFields insn;  // opcode, length, prefixes
    Operand operand;

    // The one flag the threaded loop tests per instruction: set, the next instruction boundary
    // takes the attended path (run_attended), which checks interrupts, halt, breakpoints, the trace
    // hook, TF/RF and the interrupt shadow as every boundary once did, then clears it if none
    // needs it (needs_attention). Whoever makes one of these true raises it: the interrupt
    // controller when its lines change, HLT, STI, MOV/POP SS, set_eflags (TF, RF, IF set), MOV DR7,
    // a task switch's T bit, request_stop, set_trace_hook, set_code_breakpoints; run() starts with
    // it raised (tests and tools change fields between runs).
    bool attention = true;
    void raise_attention() { attention = true; }
    bool needs_attention() const;
    bool inhibit_interrupts = false;  // one-instruction shadow after STI, MOV SS, POP SS
    void inhibit_interrupts_once() {
        inhibit_interrupts = true;
        attention = true;
    }

    // Debug registers: DR0-DR3 breakpoints enabled by DR7 (interrupts.cpp). `breakpoints_armed`
    // caches "some DR7 L/G bit is set" so that the hot paths test one bool; MOV DR7 updates it.
    bool breakpoints_armed = false;
    uint32_t pending_dr6 = 0;  // B0-B3 of data breakpoints hit by the instruction in progress
    void update_breakpoints() {
        breakpoints_armed = (state.dr[7] & 0xFF) != 0;
        attention = true;
        update_access_checks();
    }
    // 486 alignment checking is armed by CR0.AM and EFLAGS.AC together (neither can be set on the
    // 386); CPL 3 is tested per access. `access_checks` = armed breakpoints or alignment checks:
    // the one bool linear() tests. set_cr0, set_eflags and update_breakpoints keep it current
    // (and run() at its start, for registers a tool changed between runs), with
    // `segment_protection`: PE set and not V86, the modes where segment types and expand-down
    // limits are checked (segment_allows tests it on every data access).
    bool alignment_check = false;
    bool access_checks = false;
    bool segment_protection = false;
    void update_access_checks() {
        alignment_check = (mmu.cr0() & cr0::AM) && (flags & flag::AC);
        access_checks = breakpoints_armed || alignment_check;
        segment_protection = protected_mode() && !v86();
    }
    void slow_access_checks(uint32_t lin, unsigned bytes, bool write);  // #AC, then data breakpoints
    bool code_breakpoint_hit();  // an instruction breakpoint at CS:EIP: sets DR6 B0-B3
    void check_data_breakpoints(uint32_t lin, unsigned bytes, bool write);

    // Fetch from CS:EIP (checks the limit, counts the 15-byte limit).
    // Inline: every instruction byte comes through here. A 16/32-bit fetch that stays within the
    // CS limit and the 15 bytes is one MMU access (which splits a page-crossing one itself).
    // No wrap at 64 KiB in 16-bit code: the byte after offset FFFF is past the limit (#GP, "CS
    // segment overrun" in the 386 manual's table 14-1), as on the 286.
    //
    // While an instruction replays from the decode cache (replaying set), the fetches return the
    // recorded immediates instead (EIP was already set past the instruction); while it is decoded
    // live, they record them (rec).
    uint8_t fetch8() {
        if (replaying) return static_cast<uint8_t>(replaying->imm[replay_imm++]);
        const uint8_t b = fetch8_raw();
        record_imm(b);
        return b;
    }
    uint16_t fetch16() {
        if (replaying) return static_cast<uint16_t>(replaying->imm[replay_imm++]);
        const uint16_t v = fetch16_raw();
        record_imm(v);
        return v;
    }
    uint32_t fetch32() {
        if (replaying) return replaying->imm[replay_imm++];
        const uint32_t v = fetch32_raw();
        record_imm(v);
        return v;
    }
    uint8_t fetch8_raw() {
        const uint32_t ip = state.eip;
        if (++insn.len > 15 || ip > state.seg[CS].limit) fault(vec::GP, 0);
        const uint8_t b = mmu.fetch8(state.seg[CS].base + ip, user());
        state.eip = ip + 1;
        return b;
    }
    uint16_t fetch16_raw() {
        const uint32_t ip = state.eip;
        if (insn.len + 2 > 15 || ip >= state.seg[CS].limit) return static_cast<uint16_t>(fetch_bytes(2));
        insn.len += 2;
        const uint16_t v = mmu.fetch16(state.seg[CS].base + ip, user());
        state.eip = ip + 2;
        return v;
    }
    uint32_t fetch32_raw() {
        const uint32_t ip = state.eip;
        if (insn.len + 4 > 15 || ip >= state.seg[CS].limit - 2 || state.seg[CS].limit < 3)
            return fetch_bytes(4);
        insn.len += 4;
        const uint32_t v = mmu.fetch32(state.seg[CS].base + ip, user());
        state.eip = ip + 4;
        return v;
    }
    void record_imm(uint32_t v) {
        if (rec_nimm < DecodedInsn::kMaxImm) rec.imm[rec_nimm] = v;
        ++rec_nimm;
    }
    uint32_t fetch_bytes(unsigned n);  // byte by byte, faulting where the chip would
    uint32_t fetch_imm(unsigned size) { return size == 8 ? fetch8() : size == 16 ? fetch16() : fetch32(); }
    // Inline up to the register case (the common one); memory operands in decode_memory_operand().
    void decode_modrm() {
        if (replaying) return replay_modrm();
        const uint8_t m = fetch8_raw();
        operand.mod = rec.mod = static_cast<uint8_t>(m >> 6);
        operand.reg = rec.reg = (m >> 3) & 7;
        operand.rm = rec.rm = m & 7;
        operand.is_reg = rec.is_reg = operand.mod == 3;
        if (operand.is_reg) {
            if (insn.lock) undefined();
            return;
        }
        decode_memory_operand();
    }
    // The recorded form: only the effective address is computed again.
    void replay_modrm() {
        const DecodedInsn& d = *replaying;
        operand.mod = d.mod;
        operand.reg = d.reg;
        operand.rm = d.rm;
        operand.is_reg = d.is_reg;
        if (d.is_reg) return;
        set_memory_operand(d);
    }
    // The memory operand's segment and offset from a record's form (replayed or just made).
    void set_memory_operand(const DecodedInsn& d) {
        uint32_t off = d.disp;
        if (d.base != DecodedInsn::kNoReg) off += state.regs[d.base];
        if (d.index != DecodedInsn::kNoReg) off += state.regs[d.index] << d.scale;
        operand.offset = insn.addrsize32 ? off : off & 0xFFFF;
        operand.seg = static_cast<SegReg>(d.seg);
    }
    void decode_memory_operand();

    // Registers by size.
    uint32_t reg(unsigned size, unsigned r) const {
        if (size == 32) return state.regs[r];
        if (size == 16) return state.regs[r] & 0xFFFF;
        return r < 4 ? state.regs[r] & 0xFF : (state.regs[r - 4] >> 8) & 0xFF;
    }
    void set_reg(unsigned size, unsigned r, uint32_t v) {
        if (size == 32)
            state.regs[r] = v;
        else if (size == 16)
            state.regs[r] = (state.regs[r] & 0xFFFF0000u) | (v & 0xFFFF);
        else if (r < 4)
            state.regs[r] = (state.regs[r] & 0xFFFFFF00u) | (v & 0xFF);
        else
            state.regs[r - 4] = (state.regs[r - 4] & 0xFFFF00FFu) | ((v & 0xFF) << 8);
    }
    unsigned opsize() const { return insn.opsize32 ? 32 : 16; }

    // Memory through segments: limit and type checks, then the MMU. `user` = CPL 3.
    bool user() const { return state.cpl == 3; }
    // Inline, as far as a TLB hit (every data access of every handler comes through here); what
    // fails or needs more (faults, #AC, data breakpoints, TLB misses) is out of line.
    //
    // Segment checks for a data access of `bytes` at `offset`: present (not null), type (readable /
    // writable), limit (expand-up or expand-down). Stack-segment violations are #SS, others #GP.
    uint32_t linear(SegReg seg, uint32_t offset, unsigned bytes, bool write) {
        if (!segment_allows(seg, offset, bytes, write)) [[unlikely]]
            segment_fault(seg);
        const uint32_t lin = state.seg[seg].base + offset;
        if (access_checks) [[unlikely]]
            slow_access_checks(lin, bytes, write);
        return lin;
    }
    [[noreturn]] void segment_fault(SegReg seg);
    // linear()'s segment checks without the fault: may `bytes` at `offset` be accessed?
    bool segment_allows(SegReg seg, uint32_t offset, uint32_t bytes, bool write) const {
        const Segment& sg = state.seg[seg];
        // The common case first, right in every mode: a loaded, writable, expand-up data segment
        // (S, data, expand-up, writable: access bits 4-1 = 1001) needs only the limit.
        constexpr uint8_t kTypeMask = 0x1E, kWritableExpandUpData = 0x12;
        if (sg.valid && (sg.access & kTypeMask) == kWritableExpandUpData) [[likely]]
            return offset <= sg.limit && bytes - 1 <= sg.limit - offset;
        if (segment_protection) {
            if (!sg.valid || (write ? !sg.writable() : !sg.readable())) return false;
            if (sg.expand_down()) [[unlikely]] {
                const uint32_t upper = sg.big ? 0xFFFFFFFFu : 0xFFFFu;
                return offset > sg.limit && offset <= upper - (bytes - 1);
            }
        }
        return offset <= sg.limit && bytes - 1 <= sg.limit - offset;
    }
    uint32_t read(SegReg seg, uint32_t offset, unsigned size) {  // size in bits
        const uint32_t lin = linear(seg, offset, size / 8, false);
        switch (size) {
            case 8: return mmu.read8(lin, user());
            case 16: return mmu.read16(lin, user());
            default: return mmu.read32(lin, user());
        }
    }
    void write(SegReg seg, uint32_t offset, unsigned size, uint32_t value) {
        const uint32_t lin = linear(seg, offset, size / 8, true);
        switch (size) {
            case 8: return mmu.write8(lin, static_cast<uint8_t>(value), user());
            case 16: return mmu.write16(lin, static_cast<uint16_t>(value), user());
            default: return mmu.write32(lin, value, user());
        }
    }
    uint8_t read8(SegReg seg, uint32_t off) { return static_cast<uint8_t>(read(seg, off, 8)); }
    uint16_t read16(SegReg seg, uint32_t off) { return static_cast<uint16_t>(read(seg, off, 16)); }
    uint32_t read32(SegReg seg, uint32_t off) { return read(seg, off, 32); }
    // System accesses (descriptor tables, TSS, IDT): supervisor, linear, no segment checks.
    uint32_t sys_read(uint32_t lin, unsigned size) {
        switch (size) {
            case 8: return mmu.read8(lin, false);
            case 16: return mmu.read16(lin, false);
            default: return mmu.read32(lin, false);
        }
    }
    void sys_write(uint32_t lin, unsigned size, uint32_t value) {
        switch (size) {
            case 8: return mmu.write8(lin, static_cast<uint8_t>(value), false);
            case 16: return mmu.write16(lin, static_cast<uint16_t>(value), false);
            default: return mmu.write32(lin, value, false);
        }
    }

    // The r/m operand decoded by decode_modrm().
    uint32_t read_rm(unsigned size) {
        return operand.is_reg ? reg(size, operand.rm) : read(operand.seg, operand.offset, size);
    }
    void write_rm(unsigned size, uint32_t value) {
        if (operand.is_reg)
            set_reg(size, operand.rm, value);
        else
            write(operand.seg, operand.offset, size, value);
    }
    uint32_t read_reg_field(unsigned size) const { return reg(size, operand.reg); }
    void write_reg_field(unsigned size, uint32_t v) { set_reg(size, operand.reg, v); }
    SegReg data_seg(SegReg default_seg) const {
        return insn.seg_override >= 0 ? static_cast<SegReg>(insn.seg_override) : default_seg;
    }
    uint32_t addr_mask() const { return insn.addrsize32 ? 0xFFFFFFFFu : 0xFFFFu; }

    // The stack (SS.B selects ESP or SP).
    uint32_t sp_mask() const { return state.seg[SS].big ? 0xFFFFFFFFu : 0xFFFFu; }
    void push(unsigned size, uint32_t value);
    uint32_t pop(unsigned size);
    uint32_t peek_stack(unsigned size, uint32_t depth_bytes) {  // read without popping
        return read(SS, (state.regs[ESP] + depth_bytes) & sp_mask(), size);
    }
    void set_sp(uint32_t v) { state.regs[ESP] = (state.regs[ESP] & ~sp_mask()) | (v & sp_mask()); }

    // Control flow.
    void jump_near(uint32_t target) { state.eip = insn.opsize32 ? target : target & 0xFFFF; }

    // Exceptions.
    [[noreturn]] void fault(uint8_t vector) { mmu.faults().raise(GuestFault{vector, false, 0, 0}); }
    [[noreturn]] void fault(uint8_t vector, uint32_t error) {
        mmu.faults().raise(GuestFault{vector, true, error, 0});
    }
    [[noreturn]] void undefined() { fault(vec::UD); }

    // Segmentation and protection (segmentation.cpp).
    void load_segment(SegReg seg, uint16_t selector);  // MOV/POP Sreg, LDS.. (all modes, all checks)
    void load_cs_real(uint16_t selector, uint32_t eip);
    uint64_t read_descriptor(uint16_t selector, uint8_t vector_on_fault);  // GDT/LDT by selector; faults
    void set_cached(Segment& seg, uint16_t selector, uint64_t descriptor);
    void set_descriptor_accessed(uint16_t selector, uint64_t descriptor);
    bool descriptor_in_limits(uint16_t selector) const;
    uint64_t read_descriptor_raw(uint16_t selector);  // no checks beyond limits (callers check)
    void check_null_segments_on_return();

    // Far transfers and interrupts (far_transfer.cpp, interrupts.cpp, task_switch.cpp).
    void far_jump(uint16_t selector, uint32_t offset);
    void far_call(uint16_t selector, uint32_t offset);
    void far_return(uint32_t pop_bytes);
    void iret();
    enum class IntKind { Hardware, Software, Exception, Int3, Into, Icebp };
    void interrupt(uint8_t vector, IntKind kind, bool has_error = false, uint32_t error = 0);
    void enter_interrupt(uint8_t vector, IntKind kind, bool has_error, uint32_t error);
    enum class TaskSwitchReason { Jump, Call, Iret, Interrupt };
    void task_switch(uint16_t selector, uint64_t descriptor, TaskSwitchReason reason, bool has_error = false,
                     uint32_t error = 0);
    uint32_t tss_stack_pointer(unsigned dpl, uint16_t& ss_out);
    void check_io_permission(uint16_t port, unsigned bytes);
    bool io_allowed_without_bitmap() const { return !protected_mode() || (!v86() && state.cpl <= iopl()); }
    unsigned iopl() const { return (flags >> 12) & 3; }

    // Called by the run loop (cpu.cpp).
    void run_instructions();  // run()'s loop, inside its catch point
    bool run_attended();      // one boundary and instruction with every check; false: stop the run
    void run_threaded();      // records back to back while nothing needs attention
    bool run_straight(DecodedPage& page, DecodedInsn& first);  // ... within one code page
    void step();                      // one instruction with every check, replayed or decoded
    DecodedPage* code_page_at_eip();  // the decode cache's page for CS:EIP, or nullptr
    DecodedInsn* find_record(DecodedPage& page);
    // Runs a record's handler. `replaying` stays set after it (the threaded loop sets it again for
    // the next record); whoever goes back to decoding live clears it (step, run_straight's exits,
    // end_faulted_instruction).
    void replay(DecodedInsn& d) {
        insn = d.fields;
        state.eip = start_eip + d.fields.len;
        replaying = &d;
        replay_imm = 0;
        ++dcache.stats().replays;
        d.handler(*this, d);
    }
    void decode_and_run(DecodedPage* page);
    void finish_instruction(bool resume_flag, bool single_step);  // RF, then the traps after it
    void end_faulted_instruction();    // the instruction in progress raised a fault: rewind, deliver
    const GuestFault& caught_fault();  // the fault a catch point got, CR2 set for a page fault
    void deliver_fault(const GuestFault& f);
    void service_interrupts();
    void deliver_external_interrupt();
    void take_task_trap();
    void debug_trap();
    bool in_task_trap = false;

    // Decode cache state: the records of the page CS:EIP is in (nullptr: not cacheable, e.g.
    // MMIO), valid for the linear page, CS size and privilege in code_tag while the MMU's translation
    // epoch is code_epoch; the record replaying; the one being made.
    static constexpr uint32_t kNoCodeTag = 0xFFFFFFFFu;
    DecodeCache dcache;
    bool decode_cache_on = true;
    DecodedPage* code_page = nullptr;
    uint32_t code_tag = kNoCodeTag;
    uint64_t code_epoch = 0;
    // The record the threaded loop ran last, in code_page (its `next` finds the one after), or
    // nullptr; cleared whenever records may move (a store) or the page changes.
    DecodedInsn* last_record = nullptr;
    const DecodedInsn* replaying = nullptr;
    unsigned replay_imm = 0;
    DecodedInsn rec;
    unsigned rec_nimm = 0;
    void refresh_code_page(uint32_t lin, uint32_t tag);
    void store_record(uint32_t lin, uint32_t gen);

    bool halted = false;
    bool shutdown = false;
    bool stop_requested = false;
    unsigned fault_depth = 0;  // 1 while delivering an exception: a second one becomes #DF
    uint8_t first_fault_vector = 0;
    uint64_t instructions = 0;
    uint64_t retired_in_run = 0;
    uint64_t run_limit = UINT64_MAX;  // run()'s max_instructions: a REP burst stops at it
    uint64_t exceptions = 0, interrupts = 0;
    TraceHook* trace = nullptr;
    EventLog* events = nullptr;
    CodeBreakpoints* code_breaks = nullptr;
    bool breakpoint_hit = false;
    unsigned reported_mode = 0;  // the mode the event stream last reported (ModeSwitch)
    unsigned mode_for_events(uint32_t cr0_value) const;
    void note_mode(uint32_t cr0_value);  // a ModeSwitch event if the mode changed (events on)
    CpuModel model = CpuModel::i386;
    uint32_t eflags_writable = kEflagsWritable386;  // EFLAGS bits POPF/IRET/set_eflags can change

    static constexpr uint32_t kEflagsWritable386 =
        flag::kArith | flag::TF | flag::IF | flag::DF | flag::IOPL | flag::NT | flag::RF | flag::VM;
};

// One handler per opcode (handlers_*.cpp register into the table); Handler is in decode_cache.h.
extern Handler g_handlers[512];
void install_handlers();  // fills g_handlers once (thread-safe)
// After a LOCK prefix: #UD unless the instruction is one the 386 can lock (handler_table.cpp).
void check_lock_prefix(ExecutionContext& c);
// The handler a record runs: the table's, or one specialised for its form (handler_table.cpp).
Handler record_handler(const DecodedInsn& d);

}  // namespace pc386

#include "cpu/lazy_flags.h"  // the lazy flags' inline definitions (cf(), zf(), ..., condition())
