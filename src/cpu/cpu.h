// The Intel 80386 interpreter (no 387). Memory through the Mmu, ports through the IoBus, hardware
// interrupts from an InterruptController. One instruction at a time: prefixes, then a flat table of
// handlers indexed by opcode (0x0F xx at 256 + xx) with one signature; ModRM/SIB decoded once per
// instruction into `Operand`. What decoding produced is kept per page offset in the pre-decoded
// instruction cache (decode_cache.h) as a ready-to-run record (the handler, the decode fields, the
// operand's form) and replayed the next time: the prefix loop, the fetches and the ModRM parse run
// once per instruction location, not once per execution. The threaded loop (run_threaded) runs
// records back to back and tests one flag per instruction (attention_); interrupts, traps and the
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

class Cpu : public CodeWriteObserver {
  public:
    Cpu(Mmu& mmu, IoBus& io, InterruptController* pic);
    ~Cpu() override;
    Cpu(const Cpu&) = delete;
    Cpu& operator=(const Cpu&) = delete;

    void reset();
    // Chooses the chip (and resets it: the power-on state differs). The default is the 386.
    void set_model(CpuModel model);
    CpuModel model() const { return model_; }
    bool is486() const { return model_ == CpuModel::i486; }
    // Runs until `max_instructions` retire, HLT, shutdown, or request_stop(); returns instructions
    // retired. Each element of a REP string instruction counts as one (so the count bounds run time).
    uint64_t run(uint64_t max_instructions);
    bool halted() const { return halted_; }
    bool shutdown() const { return shutdown_; }
    bool interrupts_enabled() const { return flags_ & flag::IF; }
    // Ends the current run() after the instruction in progress (the guest asked to exit, ...).
    void request_stop() {
        stop_requested_ = true;
        attention_ = true;
    }
    // Instructions retired by the run() in progress (devices read virtual time mid-slice from it).
    uint64_t retired_in_run() const { return retired_in_run_; }
    uint64_t instructions() const { return instructions_; }

    CpuState& state() { return s_; }
    const CpuState& state() const { return s_; }
    uint32_t eflags() const;
    void set_eflags(uint32_t value);  // all bits, as POPF at CPL 0 would (no checks)
    // Saves or loads the architectural state and the counters, at an instruction boundary (a
    // machine snapshot; cpu_snapshot.cpp). Loading drops pre-decoded instructions: RAM changed.
    void transfer_state(StateArchive& ar);
    void set_trace_hook(TraceHook* hook) {
        trace_ = hook;
        attention_ = true;
    }
    // The event stream (exceptions, interrupts, CR0/CR3 writes, mode and task switches); nullptr: none.
    void set_event_log(EventLog* log) { events_ = log; }
    // Debugger breakpoints (code_breakpoints.h): run() stops before an instruction in the set and
    // breakpoint_hit() says so until the next run(). nullptr: none (the fast path).
    void set_code_breakpoints(CodeBreakpoints* breakpoints) {
        code_breaks_ = breakpoints;
        attention_ = true;
    }
    bool breakpoint_hit() const { return breakpoint_hit_; }
    // The instruction an event happened in (or, for an interrupt, the one it came before).
    uint32_t event_eip() const { return start_eip_; }

    // Register setters that keep the hidden state consistent (tests, the debugger, the SST runner).
    void load_real_mode_segment(SegReg seg, uint16_t selector);
    void set_cr0(uint32_t value);
    void set_cr3(uint32_t value);
    // CR0 and CR3 live in the MMU, which paging reads them from; these read through.
    uint32_t cr0() const { return mmu_.cr0(); }
    uint32_t cr3() const { return mmu_.cr3(); }
    bool protected_mode() const { return mmu_.cr0() & cr0::PE; }
    bool v86() const { return flags_ & flag::VM; }
    uint64_t exceptions_delivered() const { return exceptions_; }
    uint64_t interrupts_delivered() const { return interrupts_; }

    // The pre-decoded instruction cache (decode_cache.h), on by default. Writes to RAM through the
    // bus are seen; code written straight into bus().ram() needs flush_decode_cache().
    void set_decode_cache(bool enabled) {
        decode_cache_on_ = enabled;
        attention_ = true;
        flush_decode_cache();
    }
    bool decode_cache_enabled() const { return decode_cache_on_; }
    void flush_decode_cache() {
        dcache_.invalidate_all();
        last_record_ = nullptr;
        code_page_ = nullptr;
        code_tag_ = kNoCodeTag;
    }
    const DecodeCacheStats& decode_cache_stats() const { return dcache_.stats(); }
    size_t decode_cache_bytes() const { return dcache_.bytes(); }
    void code_page_written(uint32_t phys_page) override { dcache_.page_written(phys_page); }

    // --- everything below is the interpreter's own machinery, public for the handler files ---
    CpuState s_;
    Mmu& mmu_;
    IoBus& io_;
    InterruptController* pic_;

    // Lazy arithmetic flags: the last flag-setting ALU operation, evaluated on demand.
    enum class FlagOp : uint8_t { None, Add, Adc, Sub, Sbb, Logic, Inc, Dec };
    uint32_t flags_ = flag::kReserved1;  // every flag; the arithmetic ones only when lazy_op_ == None
    FlagOp lazy_op_ = FlagOp::None;
    uint8_t lazy_size_ = 8;  // 8, 16, 32
    uint32_t lazy_a_ = 0, lazy_b_ = 0, lazy_res_ = 0, lazy_cin_ = 0;
    void set_lazy(FlagOp op, unsigned size, uint32_t a, uint32_t b, uint32_t res, uint32_t cin = 0) {
        lazy_op_ = op, lazy_size_ = static_cast<uint8_t>(size), lazy_a_ = a, lazy_b_ = b, lazy_res_ = res,
        lazy_cin_ = cin;
    }
    bool cf() const;
    bool zf() const;
    bool sf() const;
    bool of() const;
    bool pf() const;
    bool af() const;
    // Sets the arithmetic flags in `mask` to `values` (eager ops: shifts, multiply, BCD, ...).
    void set_arith_flags(uint32_t mask, uint32_t values);
    void materialize_flags();           // folds the lazy flags into flags_
    bool condition(unsigned cc) const;  // Jcc/SETcc condition 0-15

    // Per-instruction decode state.
    uint32_t start_eip_ = 0, start_esp_ = 0;
    DecodeFields insn_;  // opcode, length, prefixes
    Operand op_;

    // The one flag the threaded loop tests per instruction: set, the next instruction boundary
    // takes the attended path (run_attended), which checks interrupts, halt, breakpoints, the trace
    // hook, TF/RF and the interrupt shadow as every boundary once did, then clears it if none
    // needs it (needs_attention). Whoever makes one of these true raises it: the interrupt
    // controller when its lines change, HLT, STI, MOV/POP SS, set_eflags (TF, RF, IF set), MOV DR7,
    // a task switch's T bit, request_stop, set_trace_hook, set_code_breakpoints; run() starts with
    // it raised (tests and tools change fields between runs).
    bool attention_ = true;
    void raise_attention() { attention_ = true; }
    bool needs_attention() const;
    bool inhibit_interrupts_ = false;  // one-instruction shadow after STI, MOV SS, POP SS
    void inhibit_interrupts_once() {
        inhibit_interrupts_ = true;
        attention_ = true;
    }

    // Debug registers: DR0-DR3 breakpoints enabled by DR7 (interrupts.cpp). `breakpoints_armed_`
    // caches "some DR7 L/G bit is set" so that the hot paths test one bool; MOV DR7 updates it.
    bool breakpoints_armed_ = false;
    uint32_t pending_dr6_ = 0;  // B0-B3 of data breakpoints hit by the instruction in progress
    void update_breakpoints() {
        breakpoints_armed_ = (s_.dr[7] & 0xFF) != 0;
        attention_ = true;
        update_access_checks();
    }
    // 486 alignment checking is armed by CR0.AM and EFLAGS.AC together (neither can be set on the
    // 386); CPL 3 is tested per access. `access_checks_` = armed breakpoints or alignment checks:
    // the one bool linear() tests. set_cr0, set_eflags and update_breakpoints keep it current.
    bool alignment_check_ = false;
    bool access_checks_ = false;
    void update_access_checks() {
        alignment_check_ = (mmu_.cr0() & cr0::AM) && (flags_ & flag::AC);
        access_checks_ = breakpoints_armed_ || alignment_check_;
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
    // While an instruction replays from the decode cache (replay_ set), the fetches return the
    // recorded immediates instead (EIP was already set past the instruction); while it is decoded
    // live, they record them (rec_).
    uint8_t fetch8() {
        if (replay_) return static_cast<uint8_t>(replay_->imm[replay_imm_++]);
        const uint8_t b = fetch8_raw();
        record_imm(b);
        return b;
    }
    uint16_t fetch16() {
        if (replay_) return static_cast<uint16_t>(replay_->imm[replay_imm_++]);
        const uint16_t v = fetch16_raw();
        record_imm(v);
        return v;
    }
    uint32_t fetch32() {
        if (replay_) return replay_->imm[replay_imm_++];
        const uint32_t v = fetch32_raw();
        record_imm(v);
        return v;
    }
    uint8_t fetch8_raw() {
        const uint32_t ip = s_.eip;
        if (++insn_.len > 15 || ip > s_.seg[CS].limit) fault(vec::GP, 0);
        const uint8_t b = mmu_.fetch8(s_.seg[CS].base + ip, user());
        s_.eip = ip + 1;
        return b;
    }
    uint16_t fetch16_raw() {
        const uint32_t ip = s_.eip;
        if (insn_.len + 2 > 15 || ip >= s_.seg[CS].limit) return static_cast<uint16_t>(fetch_bytes(2));
        insn_.len += 2;
        const uint16_t v = mmu_.fetch16(s_.seg[CS].base + ip, user());
        s_.eip = ip + 2;
        return v;
    }
    uint32_t fetch32_raw() {
        const uint32_t ip = s_.eip;
        if (insn_.len + 4 > 15 || ip >= s_.seg[CS].limit - 2 || s_.seg[CS].limit < 3) return fetch_bytes(4);
        insn_.len += 4;
        const uint32_t v = mmu_.fetch32(s_.seg[CS].base + ip, user());
        s_.eip = ip + 4;
        return v;
    }
    void record_imm(uint32_t v) {
        if (rec_nimm_ < DecodedInsn::kMaxImm) rec_.imm[rec_nimm_] = v;
        ++rec_nimm_;
    }
    uint32_t fetch_bytes(unsigned n);  // byte by byte, faulting where the chip would
    uint32_t fetch_imm(unsigned size) { return size == 8 ? fetch8() : size == 16 ? fetch16() : fetch32(); }
    // Inline up to the register case (the common one); memory operands in decode_memory_operand().
    void decode_modrm() {
        if (replay_) return replay_modrm();
        const uint8_t m = fetch8_raw();
        op_.mod = rec_.mod = static_cast<uint8_t>(m >> 6);
        op_.reg = rec_.reg = (m >> 3) & 7;
        op_.rm = rec_.rm = m & 7;
        op_.is_reg = rec_.is_reg = op_.mod == 3;
        if (op_.is_reg) {
            if (insn_.lock) undefined();
            return;
        }
        decode_memory_operand();
    }
    // The recorded form: only the effective address is computed again.
    void replay_modrm() {
        const DecodedInsn& d = *replay_;
        op_.mod = d.mod;
        op_.reg = d.reg;
        op_.rm = d.rm;
        op_.is_reg = d.is_reg;
        if (d.is_reg) return;
        set_memory_operand(d);
    }
    // The memory operand's segment and offset from a record's form (replayed or just made).
    void set_memory_operand(const DecodedInsn& d) {
        uint32_t off = d.disp;
        if (d.base != DecodedInsn::kNoReg) off += s_.regs[d.base];
        if (d.index != DecodedInsn::kNoReg) off += s_.regs[d.index] << d.scale;
        op_.offset = insn_.addrsize32 ? off : off & 0xFFFF;
        op_.seg = static_cast<SegReg>(d.seg);
    }
    void decode_memory_operand();

    // Registers by size.
    uint32_t reg(unsigned size, unsigned r) const {
        if (size == 32) return s_.regs[r];
        if (size == 16) return s_.regs[r] & 0xFFFF;
        return r < 4 ? s_.regs[r] & 0xFF : (s_.regs[r - 4] >> 8) & 0xFF;
    }
    void set_reg(unsigned size, unsigned r, uint32_t v) {
        if (size == 32)
            s_.regs[r] = v;
        else if (size == 16)
            s_.regs[r] = (s_.regs[r] & 0xFFFF0000u) | (v & 0xFFFF);
        else if (r < 4)
            s_.regs[r] = (s_.regs[r] & 0xFFFFFF00u) | (v & 0xFF);
        else
            s_.regs[r - 4] = (s_.regs[r - 4] & 0xFFFF00FFu) | ((v & 0xFF) << 8);
    }
    unsigned opsize() const { return insn_.opsize32 ? 32 : 16; }

    // Memory through segments: limit and type checks, then the MMU. `user` = CPL 3.
    bool user() const { return s_.cpl == 3; }
    uint32_t linear(SegReg seg, uint32_t offset, unsigned bytes, bool write);
    // linear()'s segment checks without the fault: may `bytes` at `offset` be accessed?
    bool segment_allows(SegReg seg, uint32_t offset, uint32_t bytes, bool write) const;
    uint32_t read(SegReg seg, uint32_t offset, unsigned size);  // size in bits
    void write(SegReg seg, uint32_t offset, unsigned size, uint32_t value);
    uint8_t read8(SegReg seg, uint32_t off) { return static_cast<uint8_t>(read(seg, off, 8)); }
    uint16_t read16(SegReg seg, uint32_t off) { return static_cast<uint16_t>(read(seg, off, 16)); }
    uint32_t read32(SegReg seg, uint32_t off) { return read(seg, off, 32); }
    // System accesses (descriptor tables, TSS, IDT): supervisor, linear, no segment checks.
    uint32_t sys_read(uint32_t lin, unsigned size);
    void sys_write(uint32_t lin, unsigned size, uint32_t value);

    // The r/m operand decoded by decode_modrm().
    uint32_t read_rm(unsigned size) {
        return op_.is_reg ? reg(size, op_.rm) : read(op_.seg, op_.offset, size);
    }
    void write_rm(unsigned size, uint32_t value) {
        if (op_.is_reg)
            set_reg(size, op_.rm, value);
        else
            write(op_.seg, op_.offset, size, value);
    }
    uint32_t read_reg_field(unsigned size) const { return reg(size, op_.reg); }
    void write_reg_field(unsigned size, uint32_t v) { set_reg(size, op_.reg, v); }
    SegReg data_seg(SegReg default_seg) const {
        return insn_.seg_override >= 0 ? static_cast<SegReg>(insn_.seg_override) : default_seg;
    }
    uint32_t addr_mask() const { return insn_.addrsize32 ? 0xFFFFFFFFu : 0xFFFFu; }

    // The stack (SS.B selects ESP or SP).
    uint32_t sp_mask() const { return s_.seg[SS].big ? 0xFFFFFFFFu : 0xFFFFu; }
    void push(unsigned size, uint32_t value);
    uint32_t pop(unsigned size);
    uint32_t peek_stack(unsigned size, uint32_t depth_bytes);  // read without popping
    void set_sp(uint32_t v) { s_.regs[ESP] = (s_.regs[ESP] & ~sp_mask()) | (v & sp_mask()); }

    // Control flow.
    void jump_near(uint32_t target) { s_.eip = insn_.opsize32 ? target : target & 0xFFFF; }

    // Exceptions.
    [[noreturn]] void fault(uint8_t vector) { mmu_.faults().raise(GuestFault{vector, false, 0, 0}); }
    [[noreturn]] void fault(uint8_t vector, uint32_t error) {
        mmu_.faults().raise(GuestFault{vector, true, error, 0});
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
    bool io_allowed_without_bitmap() const { return !protected_mode() || (!v86() && s_.cpl <= iopl()); }
    unsigned iopl() const { return (flags_ >> 12) & 3; }

    // Called by the run loop (cpu.cpp).
    void run_instructions();          // run()'s loop, inside its catch point
    bool run_attended();              // one boundary and instruction with every check; false: stop the run
    void run_threaded();              // records back to back while nothing needs attention
    void step();                      // one instruction with every check, replayed or decoded
    DecodedPage* code_page_at_eip();  // the decode cache's page for CS:EIP, or nullptr
    DecodedInsn* find_record(DecodedPage& page);
    void replay(DecodedInsn& d) {
        insn_ = d.fields;
        s_.eip = start_eip_ + d.fields.len;
        replay_ = &d;
        replay_imm_ = 0;
        ++dcache_.stats().replays;
        d.handler(*this);
        replay_ = nullptr;
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
    bool in_task_trap_ = false;

    // Decode cache state: the records of the page CS:EIP is in (nullptr: not cacheable, e.g.
    // MMIO), valid for the linear page and privilege in code_tag_ while the MMU's translation
    // epoch is code_epoch_; the record replaying; the one being made.
    static constexpr uint32_t kNoCodeTag = 0xFFFFFFFFu;
    DecodeCache dcache_;
    bool decode_cache_on_ = true;
    DecodedPage* code_page_ = nullptr;
    uint32_t code_tag_ = kNoCodeTag;
    uint64_t code_epoch_ = 0;
    // The record the threaded loop ran last, in code_page_ (its `next` finds the one after), or
    // nullptr; cleared whenever records may move (a store) or the page changes.
    DecodedInsn* last_record_ = nullptr;
    const DecodedInsn* replay_ = nullptr;
    unsigned replay_imm_ = 0;
    DecodedInsn rec_;
    unsigned rec_nimm_ = 0;
    void refresh_code_page(uint32_t lin, uint32_t tag);
    void store_record(uint32_t lin, uint32_t gen, bool big);

    bool halted_ = false;
    bool shutdown_ = false;
    bool stop_requested_ = false;
    unsigned fault_depth_ = 0;  // 1 while delivering an exception: a second one becomes #DF
    uint8_t first_fault_vector_ = 0;
    uint64_t instructions_ = 0;
    uint64_t retired_in_run_ = 0;
    uint64_t run_limit_ = UINT64_MAX;  // run()'s max_instructions: a REP burst stops at it
    uint64_t exceptions_ = 0, interrupts_ = 0;
    TraceHook* trace_ = nullptr;
    EventLog* events_ = nullptr;
    CodeBreakpoints* code_breaks_ = nullptr;
    bool breakpoint_hit_ = false;
    unsigned reported_mode_ = 0;  // the mode the event stream last reported (ModeSwitch)
    unsigned mode_for_events(uint32_t cr0_value) const;
    void note_mode(uint32_t cr0_value);  // a ModeSwitch event if the mode changed (events on)
    CpuModel model_ = CpuModel::i386;
    uint32_t eflags_writable_ = kEflagsWritable386;  // EFLAGS bits POPF/IRET/set_eflags can change

    static constexpr uint32_t kEflagsWritable386 =
        flag::kArith | flag::TF | flag::IF | flag::DF | flag::IOPL | flag::NT | flag::RF | flag::VM;
};

// One handler per opcode (handlers_*.cpp register into the table); Handler is in decode_cache.h.
extern Handler g_handlers[512];
void install_handlers();  // fills g_handlers once (thread-safe)
// After a LOCK prefix: #UD unless the instruction is one the 386 can lock (handler_table.cpp).
void check_lock_prefix(Cpu& c);
// The handler a record runs: the table's, or one specialised for its form (handler_table.cpp).
Handler record_handler(const DecodedInsn& d);

}  // namespace pc386
