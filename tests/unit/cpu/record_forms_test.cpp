// The handlers a record gets for its form (record_handler: the 32-bit ALU, TEST, INC/DEC, IMUL,
// shift and rotate, MOV, PUSH/POP, Jcc, LOOP, CALL and RET forms) leave exactly the state the
// table's handlers leave: each program here runs twice, once with the decode cache off (every
// instruction decoded live, the table's handlers) and once with it on (the first pass decodes and
// records, the later ones replay the forms), and the two end states must be the same: registers,
// EFLAGS, EIP, the stack and data pages, CR2, the exception and shutdown state. The programs
// capture EFLAGS and a branch history after every instruction they test, so a flag or a branch
// a form gets wrong shows even when a later instruction overwrites it.
//
// 32-bit protected mode with paging, as a loader leaves it: flat ring-0 segments from a GDT at
// 0x500 (CS's cached limit lowered to 0x7FFFF, so that a branch can leave it), an IDT at 0x800
// sending vector v to a HLT at kHandlers + v, 4 MiB identity-mapped by one page table.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <vector>

#include "base/io_bus.h"
#include "cpu/cpu.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"
#include "support/flat_paged_protected_mode.h"

namespace pc386 {
namespace {

class RecordFormsTest : public ::testing::Test, protected FlatPagedLayout {
  protected:
    static constexpr uint32_t kData = 0x40000;
    static constexpr uint32_t kStackBottom = 0x60000, kCsLimit = 0x7FFFF;

    PhysicalBus bus{4 << 20};
    Mmu mmu{bus};
    IoBus io;
    Cpu cpu{mmu, io, nullptr};
    CpuState& s = cpu.state();

    // Everything an instruction can leave behind that these programs can reach.
    struct EndState {
        uint32_t regs[8], eflags, eip, cr2, cs_selector;
        bool halted, shutdown;
        uint64_t exceptions;
        std::vector<uint8_t> stack, data;
    };

    // The machine as a loader leaves it, all memory but the tables zero.
    void power_on() {
        for (uint32_t a = 0; a < (4u << 20); a += 4) bus.write32(a, 0);
        FlatPagedLayout::enter(bus, cpu);
        s.seg[CS].limit = kCsLimit;
    }

    // Runs `code` (then a HLT) with the decode cache on or off; `setup` prepares memory and
    // registers after power-on. `poke_after` instructions in, `poke` (if any) changes the machine
    // as a debugger would, then the run goes on until the HLT, a handler's HLT or a shutdown.
    EndState run_code(const std::vector<uint8_t>& code, bool decode_cache, const std::function<void()>& setup,
                      uint64_t poke_after = 0, const std::function<void()>& poke = {}) {
        power_on();
        cpu.set_decode_cache(decode_cache);
        for (size_t i = 0; i < code.size(); ++i) bus.write8(kCode + static_cast<uint32_t>(i), code[i]);
        bus.write8(kCode + static_cast<uint32_t>(code.size()), 0xF4);
        if (setup) setup();
        const uint64_t exceptions_before = cpu.exceptions_delivered();
        if (poke) {
            EXPECT_EQ(cpu.run(poke_after), poke_after);
            poke();
        }
        for (int i = 0; i < 100 && !cpu.halted() && !cpu.shutdown(); ++i) cpu.run(100000);
        EndState e{};
        for (unsigned i = 0; i < 8; ++i) e.regs[i] = s.regs[i];
        e.eflags = cpu.eflags();
        e.eip = s.eip;
        e.cr2 = s.cr2;
        e.cs_selector = s.seg[CS].selector;
        e.halted = cpu.halted();
        e.shutdown = cpu.shutdown();
        e.exceptions = cpu.exceptions_delivered() - exceptions_before;
        for (uint32_t a = kStackBottom; a < kStackTop + 0x100; ++a) e.stack.push_back(bus.read8(a));
        for (uint32_t a = kData; a < kData + 0x2000; ++a) e.data.push_back(bus.read8(a));
        return e;
    }

    // The program run live and from records; returns the replayed run's end state after checking
    // that it equals the live one and that records did replay.
    EndState expect_same_end_state(const std::vector<uint8_t>& code, const std::function<void()>& setup,
                                   uint64_t poke_after = 0, const std::function<void()>& poke = {}) {
        const EndState live = run_code(code, false, setup, poke_after, poke);
        const EndState replayed = run_code(code, true, setup, poke_after, poke);
        EXPECT_GT(cpu.decode_cache_stats().replays, 0u);
        for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(replayed.regs[i], live.regs[i]) << "register " << i;
        EXPECT_EQ(replayed.eflags, live.eflags);
        EXPECT_EQ(replayed.eip, live.eip);
        EXPECT_EQ(replayed.cr2, live.cr2);
        EXPECT_EQ(replayed.cs_selector, live.cs_selector);
        EXPECT_EQ(replayed.halted, live.halted);
        EXPECT_EQ(replayed.shutdown, live.shutdown);
        EXPECT_EQ(replayed.exceptions, live.exceptions);
        for (size_t i = 0; i < live.stack.size(); ++i)
            if (replayed.stack[i] != live.stack[i]) {
                ADD_FAILURE() << "stack byte at " << std::hex << kStackBottom + i << " differs";
                break;
            }
        for (size_t i = 0; i < live.data.size(); ++i)
            if (replayed.data[i] != live.data[i]) {
                ADD_FAILURE() << "data byte at " << std::hex << kData + i << " differs";
                break;
            }
        return replayed;
    }

    // Registers: EAX EBX ECX EDX operands, ESI the branch history, EDI the data pointer, EBP the
    // pass count. Three passes: the first records, the other two replay.
    void seed_registers() {
        s.regs[EAX] = 0x12345678, s.regs[EBX] = 0x0BADF00D, s.regs[ECX] = 0x00000003,
        s.regs[EDX] = 0xCC9E2D51;
        s.regs[ESI] = 0, s.regs[EDI] = kData, s.regs[EBP] = 3;
    }

    // The vector whose handler the CPU halted in, or -1.
    static int vector_of(const EndState& e) {
        return e.eip - kHandlers - 1 < 32 ? static_cast<int>(e.eip - kHandlers - 1) : -1;
    }
    // How a fault case must end: in the handler of `vector` (a shutdown for #DF), a #PF with CR2 on
    // `unmapped`, or (vector -1) with the program's loop run to its end (EBP counted down to 0).
    static void expect_ended_with(const EndState& e, int vector, uint32_t unmapped) {
        if (vector == vec::DF) {
            EXPECT_TRUE(e.shutdown);
        } else {
            EXPECT_EQ(vector_of(e), vector) << "eip " << std::hex << e.eip;
        }
        if (vector == vec::PF) {
            EXPECT_EQ(e.cr2, unmapped);
        }
        if (vector < 0) {
            EXPECT_EQ(e.regs[EBP], 0u);
        }
    }
};

using Bytes = std::initializer_list<uint8_t>;

// Code built from pieces; `loop_back` closes a loop with DEC EBP / JNZ rel32 (both forms too).
struct Program {
    std::vector<uint8_t> code;
    void emit(Bytes bytes) { code.insert(code.end(), bytes); }
    void emit32(uint32_t v) {
        for (int i = 0; i < 4; ++i) code.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
    uint32_t here() const { return static_cast<uint32_t>(code.size()); }
    void loop_back(uint32_t start) {
        emit({0x4D});  // dec ebp
        const int32_t back = static_cast<int32_t>(start) - static_cast<int32_t>(here() + 6);
        emit({0x0F, 0x85});
        emit32(static_cast<uint32_t>(back));
    }
};

// Flag setters: each leaves the lazy flags in a different state (every FlagOp, the Szp state of a
// shift or multiply, eager flags, CF alone) for the instruction under test to read or replace.
const std::vector<std::vector<uint8_t>> kSetters = {
    {0x01, 0xD8},                          // add eax, ebx
    {0x29, 0xD3},                          // sub ebx, edx
    {0x11, 0xC2},                          // adc edx, eax
    {0x19, 0xD9},                          // sbb ecx, ebx
    {0x21, 0xC3},                          // and ebx, eax
    {0x42},                                // inc edx
    {0x49},                                // dec ecx
    {0xC1, 0xE0, 0x05},                    // shl eax, 5
    {0x6B, 0xD2, 0x75},                    // imul edx, edx, 0x75
    {0xF5},                                // cmc (eager CF)
    {0x05, 0xB9, 0x79, 0x37, 0x9E},        // add eax, 0x9E3779B9: fresh bits
    {0x81, 0xF3, 0x15, 0x7C, 0x4A, 0x7F},  // xor ebx, 0x7F4A7C15
    {0x81, 0xEA, 0x00, 0x00, 0x00, 0x80},  // sub edx, 0x80000000: signed overflow
};

// After each case: EFLAGS and the branch history (ESI) on the stack.
const Bytes kCapture = {0x9C, 0x56};  // pushfd; push esi

// Every form of the arithmetic group, each after the next flag setter in turn (so every kind of
// lazy flags comes before some of them): ALU Ev,Gv / Gv,Ev on registers and memory, op EAX,imm32,
// group 1 with imm32 and imm8, TEST, INC/DEC, IMUL with an immediate.
TEST_F(RecordFormsTest, ArithmeticFormsLeaveWhatTheTableHandlersLeave) {
    std::vector<std::vector<uint8_t>> forms;
    for (uint8_t op = 0; op < 8; ++op) {
        const uint8_t o = static_cast<uint8_t>(op << 3);
        forms.push_back({static_cast<uint8_t>(o | 1), 0xD8});                    // op eax, ebx
        forms.push_back({static_cast<uint8_t>(o | 3), 0xCA});                    // op ecx, edx
        forms.push_back({static_cast<uint8_t>(o | 1), 0x57, 0x10});              // op [edi+16], edx
        forms.push_back({static_cast<uint8_t>(o | 3), 0x5F, 0x14});              // op ebx, [edi+20]
        forms.push_back({static_cast<uint8_t>(o | 5), 0x01, 0x00, 0x01, 0x80});  // op eax, 0x80010001
        forms.push_back({0x81, static_cast<uint8_t>(0xC1 | o), 0x78, 0x56, 0x34, 0x92});  // op ecx, imm32
        forms.push_back({0x83, static_cast<uint8_t>(0xC2 | o), 0xF3});                    // op edx, -13
        forms.push_back(
            {0x81, static_cast<uint8_t>(0x47 | o), 0x18, 0x11, 0x22, 0x33, 0x84});  // op [edi+24], imm32
        forms.push_back({0x83, static_cast<uint8_t>(0x47 | o), 0x1C, 0x7F});        // op [edi+28], 127
    }
    forms.push_back({0x85, 0xD8});                                // test eax, ebx
    forms.push_back({0x85, 0x57, 0x10});                          // test [edi+16], edx
    forms.push_back({0xA9, 0x00, 0x00, 0x00, 0x80});              // test eax, 0x80000000
    forms.push_back({0x40});                                      // inc eax
    forms.push_back({0x4B});                                      // dec ebx
    forms.push_back({0xFF, 0x47, 0x10});                          // inc dword [edi+16]
    forms.push_back({0xFF, 0x4F, 0x14});                          // dec dword [edi+20]
    forms.push_back({0xFF, 0xC1});                                // inc ecx (the FF form)
    forms.push_back({0xFF, 0xCA});                                // dec edx (the FF form)
    forms.push_back({0x69, 0xC3, 0x01, 0x00, 0x01, 0x00});        // imul eax, ebx, 0x10001
    forms.push_back({0x6B, 0xD1, 0x83});                          // imul edx, ecx, -125
    forms.push_back({0x69, 0x5F, 0x14, 0x35, 0x4E, 0x5A, 0x01});  // imul ebx, [edi+20], imm32
    forms.push_back({0x6B, 0x4F, 0x10, 0x07});                    // imul ecx, [edi+16], 7
    Program p;
    const uint32_t start = p.here();
    for (size_t i = 0; i < forms.size(); ++i) {
        const auto& setter = kSetters[i % kSetters.size()];
        p.code.insert(p.code.end(), setter.begin(), setter.end());
        p.code.insert(p.code.end(), forms[i].begin(), forms[i].end());
        p.emit(kCapture);
    }
    p.loop_back(start);
    auto setup = [&] {
        seed_registers();
        for (uint32_t off = 0; off < 64; off += 4) bus.write32(kData + off, off * 0x01010101u + 0x80402010u);
    };
    const EndState e = expect_same_end_state(p.code, setup);
    EXPECT_EQ(vector_of(e), -1);
    EXPECT_EQ(e.regs[EBP], 0u);
}

// Every shift and rotate by an immediate and by 1 (counts 1, 3, 31, 32 and 0: no change at all),
// each after the next flag setter in turn; their flags read by a PUSHFD, and after the shifts by 1
// by a JC and an ADC too.
TEST_F(RecordFormsTest, ShiftAndRotateFormsLeaveWhatTheTableHandlersLeave) {
    Program p;
    const uint32_t start = p.here();
    const uint8_t counts[] = {1, 3, 31, 32, 0};
    size_t n = 0;
    for (uint8_t op = 0; op < 8; ++op)
        for (uint8_t reg : {EAX, EDX}) {
            const uint8_t modrm = static_cast<uint8_t>(0xC0 | op << 3 | reg);
            for (uint8_t count : counts) {
                const auto& setter = kSetters[n++ % kSetters.size()];
                p.code.insert(p.code.end(), setter.begin(), setter.end());
                p.emit({0xC1, modrm, count});
                p.emit(kCapture);
            }
            const auto& setter = kSetters[n++ % kSetters.size()];
            p.code.insert(p.code.end(), setter.begin(), setter.end());
            p.emit({0xD1, modrm});                               // by 1
            p.emit({0x0F, 0x82, 0x01, 0x00, 0x00, 0x00, 0x46});  // jc +1; inc esi
            p.emit({0x83, 0xD1, 0x00});                          // adc ecx, 0
            p.emit(kCapture);
        }
    p.loop_back(start);
    const EndState e = expect_same_end_state(p.code, [&] { seed_registers(); });
    EXPECT_EQ(vector_of(e), -1);
}

// Every condition of Jcc rel8 and rel32 (three times each), LOOP, LOOPE and LOOPNE, each after the
// next flag setter in turn; each branch taken or not shifts a bit into ESI's history.
TEST_F(RecordFormsTest, BranchFormsTakeTheBranchesTheTableHandlersTake) {
    Program p;
    const uint32_t start = p.here();
    size_t n = 0;
    auto branch_case = [&](Bytes branch_over_one_byte) {
        const auto& setter = kSetters[n++ % kSetters.size()];
        p.code.insert(p.code.end(), setter.begin(), setter.end());
        p.emit({0x8D, 0x34, 0x36});  // lea esi, [esi+esi]: the history moves on, flags untouched
        p.emit(branch_over_one_byte);
        p.emit({0x46});  // inc esi (when not taken)
        p.emit(kCapture);
    };
    for (uint8_t cc = 0; cc < 16; ++cc)
        for (unsigned i = 0; i < 3; ++i) {
            branch_case({static_cast<uint8_t>(0x70 | cc), 0x01});
            branch_case({0x0F, static_cast<uint8_t>(0x80 | cc), 0x01, 0x00, 0x00, 0x00});
        }
    for (unsigned i = 0; i < 5; ++i)
        for (uint8_t op : {0xE0, 0xE1, 0xE2}) branch_case({op, 0x01});
    // A taken backward branch of each size: 3 turns of a little loop on EAX.
    p.emit({0xB8, 0x03, 0x00, 0x00, 0x00});              // mov eax, 3
    p.emit({0x48, 0x75, 0xFD});                          // l: dec eax; jnz l
    p.emit({0xB8, 0x03, 0x00, 0x00, 0x00});              // mov eax, 3
    p.emit({0x48, 0x0F, 0x85, 0xF9, 0xFF, 0xFF, 0xFF});  // l: dec eax; jnz l (rel32)
    p.loop_back(start);
    const EndState e = expect_same_end_state(p.code, [&] { seed_registers(); });
    EXPECT_EQ(vector_of(e), -1);
    EXPECT_NE(e.regs[ESI], 0u);
}

// PUSH of every register (PUSH ESP pushes the old value) and POP into several, POP ESP, MOV in its
// four forms, LEA, MOVZX and MOVSX from registers and memory, CALL rel32 with RET and RET imm16.
TEST_F(RecordFormsTest, StackAndMoveFormsLeaveWhatTheTableHandlersLeave) {
    Program p;
    const uint32_t start = p.here();
    const uint8_t pop_into[] = {EAX, EBX, ECX, EDX, ESI};
    for (uint8_t r = 0; r < 8; ++r) {
        p.emit(
            {static_cast<uint8_t>(0x50 | r), static_cast<uint8_t>(0x58 | pop_into[r % 5])});  // push r; pop
        p.emit(kCapture);
    }
    p.emit({0x89, 0xC3});                                // mov ebx, eax
    p.emit({0x8B, 0xD1});                                // mov edx, ecx
    p.emit({0x89, 0x47, 0x20});                          // mov [edi+32], eax
    p.emit({0x8B, 0x4F, 0x24});                          // mov ecx, [edi+36]
    p.emit({0x8D, 0x4C, 0x98, 0x10, 0x51});              // lea ecx, [eax+ebx*4+16]; push ecx
    p.emit({0x8D, 0x97, 0x00, 0x01, 0x00, 0x00, 0x52});  // lea edx, [edi+256]; push edx
    p.emit({0x0F, 0xB6, 0xC7, 0x50});                    // movzx eax, bh; push eax
    p.emit({0x0F, 0xB7, 0x57, 0x21, 0x52});              // movzx edx, word [edi+33]; push edx
    p.emit({0x0F, 0xBE, 0xCE, 0x51});                    // movsx ecx, dh; push ecx
    p.emit({0x0F, 0xBF, 0x5F, 0x22, 0x53});              // movsx ebx, word [edi+34]; push ebx
    p.emit({0x0F, 0xBE, 0x77, 0x27});                    // movsx esi, byte [edi+39] (A5)
    p.emit(kCapture);
    p.emit({0x54, 0x5C});                                      // push esp; pop esp
    p.emit({0xE8, 0x02, 0x00, 0x00, 0x00, 0xEB, 0x01, 0xC3});  // call l; jmp over; l: ret; over:
    p.emit({0x50, 0xE8, 0x02, 0x00, 0x00, 0x00, 0xEB, 0x03, 0xC2, 0x04, 0x00});  // push eax; the same, ret 4
    p.emit(kCapture);
    p.loop_back(start);
    auto setup = [&] {
        seed_registers();
        bus.write32(kData + 36, 0xA5A5F00D);
    };
    const EndState e = expect_same_end_state(p.code, setup);
    EXPECT_EQ(vector_of(e), -1);
    EXPECT_EQ(e.regs[EBP], 0u);
}

// Faults from stack forms that replay. The first two passes run the instruction normally (recorded,
// then replayed); the third takes ESP (and a RET's target) from a table in memory and faults: a RET
// or POP whose dword runs into a page that is not present (#PF, CR2 on that page), a RET to a
// target past CS's limit (#GP), a PUSH past SS's limit (#SS, whose delivery pushes there again: a
// double fault, then shutdown). A PUSH that ends exactly at SS's limit is allowed; one on a 16-bit
// SS wraps SP.
TEST_F(RecordFormsTest, FaultsFromReplayedStackFormsAreTheTableHandlersFaults) {
    constexpr uint32_t kUnmapped = 0x80000;  // not present
    constexpr uint32_t kAfterRet = kCode + 8;
    struct Case {
        const char* what;
        std::vector<uint8_t> body;  // at kCode + 3, after MOV ESP, [EDI+EBP*4]
        uint32_t ss_limit, pass3_esp, pass3_target;
        int vector;  // -1: no fault; vec::DF: shutdown
        bool ss_big = true;
    };
    const std::vector<uint8_t> ret_to_table = {0xFF, 0x74, 0xAF, 0x20,
                                               0xC3};  // push dword [edi+ebp*4+32]; ret
    const Case cases[] = {
        {"ret into a missing page", {0x90, 0x90, 0x90, 0x90, 0xC3}, 0xFFFFFFFF, kUnmapped - 2, 0, vec::PF},
        {"pop into a missing page", {0x58}, 0xFFFFFFFF, kUnmapped - 2, 0, vec::PF},
        {"ret past CS's limit", ret_to_table, 0xFFFFFFFF, 0x7F200, kCsLimit + 1, vec::GP},
        {"push one byte past SS's limit", {0x50}, 0x7F1FF, 0x7F201, 0, vec::DF},
        {"push at SS's limit", {0x50}, 0x7F1FF, 0x7F200, 0, -1},
        {"push on a 16-bit SS, SP wrapping", {0x50}, 0xFFFFFFFF, 0x70002, 0, -1, false},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        Program p;
        p.emit({0x8B, 0x24, 0xAF});  // l: mov esp, [edi+ebp*4]
        p.code.insert(p.code.end(), c.body.begin(), c.body.end());
        p.emit({0x89, 0xE6});  // mov esi, esp
        p.emit({0xBC});        // mov esp, 0x7E000 (within every SS limit here)
        p.emit32(0x7E000);
        p.emit(kCapture);
        p.loop_back(0);
        auto setup = [&] {
            seed_registers();
            const uint32_t esp[] = {0, c.pass3_esp, 0x7F100, 0x7F000};  // by EBP: 3, 2, 1
            for (uint32_t pass = 1; pass <= 3; ++pass) {
                bus.write32(kData + 4 * pass, esp[pass]);
                bus.write32(kData + 32 + 4 * pass, pass == 1 && c.pass3_target ? c.pass3_target : kAfterRet);
            }
            bus.write32(0x7F000, kAfterRet);  // what the RET and POP find on passes 1 and 2
            bus.write32(0x7F100, kAfterRet);
            bus.write32(kTable + (kUnmapped >> 12) * 4, 0);
            s.seg[SS].limit = c.ss_limit;
            s.seg[SS].big = c.ss_big;
        };
        const EndState e = expect_same_end_state(p.code, setup);
        if (!c.ss_big) {
            EXPECT_EQ(e.regs[ESI], 0x7FFFEu);  // SP wrapped to FFFE, ESP's top half kept
        }
        expect_ended_with(e, c.vector, kUnmapped);
    }
}

// Faults from memory forms that replay (ADD [mem],reg; MOV reg,[mem]; MOV [mem],reg; ADD reg,[mem];
// CMP [mem],imm8), the third pass taking EDI from a table: a dword one byte past DS's limit (#GP),
// one running into a page that is not present (#PF), an offset below an expand-down DS's limit
// (#GP; above it, the general path's accesses work).
TEST_F(RecordFormsTest, FaultsFromReplayedMemoryFormsAreTheTableHandlersFaults) {
    constexpr uint32_t kUnmapped = 0x80000;  // not present
    struct Case {
        const char* what;
        uint8_t ds_access;
        uint32_t ds_limit, edi[3];  // passes 1, 2, 3
        int vector;                 // -1: no fault
    };
    const Case cases[] = {
        {"a dword one byte past DS's limit", 0x93, 0x4FFFF, {0x40000, 0x40100, 0x4FFFD - 16}, vec::GP},
        {"a dword at DS's limit", 0x93, 0x4FFFF, {0x40000, 0x40100, 0x4FFFC - 16}, -1},
        {"a dword running into a missing page",
         0x93,
         0xFFFFFFFF,
         {0x40000, 0x40100, kUnmapped - 2 - 16},
         vec::PF},
        {"an expand-down DS, then an offset below its limit",
         0x97,
         0x3FFFF,
         {0x40000, 0x40100, 0x30000 - 16},
         vec::GP},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        Program p;
        p.emit({0x8B, 0x3C, 0xAB});        // l: mov edi, [ebx+ebp*4]
        p.emit({0x01, 0x47, 0x10});        // add [edi+16], eax
        p.emit({0x8B, 0x57, 0x10});        // mov edx, [edi+16]
        p.emit({0x89, 0x4F, 0x10});        // mov [edi+16], ecx
        p.emit({0x03, 0x57, 0x10});        // add edx, [edi+16]
        p.emit({0x83, 0x7F, 0x10, 0x05});  // cmp dword [edi+16], 5
        p.emit(kCapture);
        p.emit({0x89, 0x14, 0xAB});  // mov [ebx+ebp*4], edx
        p.loop_back(0);
        auto setup = [&] {
            seed_registers();
            s.regs[EBX] = 0x48000;  // the table (within every DS here)
            for (uint32_t pass = 1; pass <= 3; ++pass) bus.write32(0x48000 + 4 * (4 - pass), c.edi[pass - 1]);
            bus.write32(kTable + (kUnmapped >> 12) * 4, 0);
            s.seg[DS].access = c.ds_access;
            s.seg[DS].limit = c.ds_limit;
        };
        const EndState e = expect_same_end_state(p.code, setup);
        expect_ended_with(e, c.vector, kUnmapped);
        EXPECT_EQ(e.regs[EDI], c.edi[2]) << "the run must end in the third pass (the faulting access)";
    }
}

// A CALL whose target lies past CS's limit raises #GP before it pushes anything, even when the push
// would fault: in ring 3 (where the #GP is delivered on the ring-0 stack), CS's limit is lowered
// and ESP moved to the top of a page that is not present (as a debugger would) after ten passes,
// when the CALL has replayed nine times. The #GP's frame holds the CALL's EIP and ring-3 ESP.
TEST_F(RecordFormsTest, ACallPastTheCsLimitFaultsBeforeItPushes) {
    constexpr uint32_t kTss = 0x4000, kRing0Stack = 0x8F000, kUnmapped = 0x80000;
    Program p;
    p.emit({0xE8, 0x02, 0x00, 0x00, 0x00, 0xEB, 0x01, 0xC3});  // l: call t; jmp over; t: ret; over:
    p.loop_back(0);
    auto setup = [&] {
        seed_registers();
        s.regs[EBP] = 100;
        bus.write32(kDir, kTable | 7);  // user pages
        for (uint32_t page = 0; page < 1024; ++page) bus.write32(kTable + page * 4, (page << 12) | 7);
        mmu.flush_tlb();
        bus.write32(kTss + 4, kRing0Stack);  // ESP0
        bus.write32(kTss + 8, 0x10);         // SS0
        s.tr.selector = 0x28, s.tr.base = kTss, s.tr.limit = 0x67, s.tr.access = 0x8B;
        for (SegReg seg : {ES, CS, SS, DS, FS, GS}) {
            s.seg[seg].selector = seg == CS ? 0x1B : 0x23;
            s.seg[seg].access = seg == CS ? 0xFB : 0xF3;
        }
        s.cpl = 3;
    };
    auto poke = [&] {
        s.seg[CS].limit = kCode + 6;  // the CALL's bytes still in, its target kCode + 7 out
        s.regs[ESP] = kUnmapped + 0x1000;
        bus.write32(kTable + (kUnmapped >> 12) * 4, 0);
        mmu.flush_tlb();
    };
    // 10 passes of 5 instructions (CALL, RET, JMP, DEC, JNZ), then the CALL.
    const EndState e = expect_same_end_state(p.code, setup, 50, poke);
    EXPECT_EQ(vector_of(e), vec::GP);
    EXPECT_EQ(e.regs[EBP], 90u);
    EXPECT_EQ(e.regs[ESP], kRing0Stack - 24);  // error code, EIP, CS, EFLAGS, ESP, SS
    EXPECT_EQ(bus.read32(kRing0Stack - 20), kCode);
    EXPECT_EQ(bus.read32(kRing0Stack - 8), kUnmapped + 0x1000);
}

// A data breakpoint on a stack slot is seen by a replayed PUSH (the fast path steps aside while
// one is armed): the #DB comes after the push, with DR6's B0 set.
TEST_F(RecordFormsTest, ADataBreakpointOnTheStackStopsAReplayedPush) {
    Program p;
    p.emit({0x0F, 0x23, 0xC2});  // mov dr0, edx
    p.emit({0x0F, 0x23, 0xF9});  // mov dr7, ecx
    const uint32_t start = p.here();
    p.emit({0x8B, 0x24, 0xAF});  // l: mov esp, [edi+ebp*4]
    p.emit({0x50});              // push eax
    p.emit({0xBC});              // mov esp, kStackTop
    p.emit32(kStackTop);
    p.loop_back(start);
    auto setup = [&] {
        seed_registers();
        s.regs[EDX] = 0x7F200 - 4;  // DR0: the dword the last pass pushes
        s.regs[ECX] = 0x000D0002;   // DR7: G0, a 4-byte write breakpoint
        bus.write32(kData + 4 * 3, 0x7F000);
        bus.write32(kData + 4 * 2, 0x7F100);
        bus.write32(kData + 4 * 1, 0x7F200);
    };
    const EndState e = expect_same_end_state(p.code, setup);
    EXPECT_EQ(vector_of(e), vec::DB);
    EXPECT_EQ(s.dr[6] & 1u, 1u);
}

}  // namespace
}  // namespace pc386
