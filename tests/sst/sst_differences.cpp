// 286-versus-386 differences, from the Intel 80386 Programmer's Reference Manual (1986): chapter 14
// (real-address mode, table 14-1), chapter 17 ("Flags Affected" of each instruction), and
// ../shared/tests/README.md. Each numbered entry is one difference; difference_for() is the only
// place the runner's comparison is loosened or changed.
#include "sst_differences.h"

#include <algorithm>
#include <initializer_list>

namespace pc386::sst {
namespace {

constexpr uint16_t CF = 1 << 0, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7, OF = 1 << 11;
constexpr int kES = 0, kCS = 1, kSS = 2, kDS = 3;

bool starts_with(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

bool one_of(const std::string& op, std::initializer_list<const char*> list) {
    for (const char* l : list)
        if (op == l) return true;
    return false;
}

// The group number ("D3.4" -> 4) of a group-opcode file, or -1.
int group(const std::string& op) {
    return op.size() == 4 && op[2] == '.' ? op[3] - '0' : -1;
}

// Just enough of a 286 decoder to apply the entries below: prefixes, opcode, ModRM and the
// effective address of a memory operand (16-bit addressing) from the test's initial registers.
struct Insn {
    int seg_override = -1;
    bool lock = false;
    unsigned opcode = 0;
    uint8_t next = 0;  // the byte after the opcode (INT n's n)
    bool has_modrm = false;
    unsigned mod = 0, reg = 0, rm = 0;
    bool memory = false;  // the ModRM names memory
    uint16_t ea = 0;
    int ea_seg = kDS;
};

bool has_modrm(unsigned op) {
    if (op < 0x40) return (op & 7) < 4;
    return op == 0x62 || op == 0x63 || op == 0x69 || op == 0x6B || (op >= 0x80 && op <= 0x8F) || op == 0xC0 ||
           op == 0xC1 || (op >= 0xC4 && op <= 0xC7) || (op >= 0xD0 && op <= 0xD3) ||
           (op >= 0xD8 && op <= 0xDF) || op == 0xF6 || op == 0xF7 || op == 0xFE || op == 0xFF;
}

Insn decode(const Test& t) {
    Insn in;
    const auto& b = t.bytes;
    const auto& r = t.initial.regs;
    size_t i = 0;
    for (; i < b.size(); ++i) {
        const uint8_t p = b[i];
        if (p == 0x26 || p == 0x2E || p == 0x36 || p == 0x3E)
            in.seg_override = (p >> 3) & 3;
        else if (p == 0xF0)
            in.lock = true;
        else if (p != 0xF2 && p != 0xF3)
            break;
    }
    if (i >= b.size()) return in;
    in.opcode = b[i++];
    in.next = i < b.size() ? b[i] : 0;
    in.has_modrm = has_modrm(in.opcode) && i < b.size();
    if (!in.has_modrm) return in;
    const uint8_t m = b[i++];
    in.mod = m >> 6, in.reg = (m >> 3) & 7, in.rm = m & 7;
    in.memory = in.mod != 3;
    if (!in.memory) return in;
    auto byte = [&](size_t k) -> uint16_t { return k < b.size() ? b[k] : 0; };
    uint16_t ea = 0;
    int seg = kDS;
    switch (in.rm) {
        case 0: ea = r[BX] + r[SI]; break;
        case 1: ea = r[BX] + r[DI]; break;
        case 2: ea = r[BP] + r[SI], seg = kSS; break;
        case 3: ea = r[BP] + r[DI], seg = kSS; break;
        case 4: ea = r[SI]; break;
        case 5: ea = r[DI]; break;
        case 6:
            if (in.mod == 0)
                ea = static_cast<uint16_t>(byte(i) | byte(i + 1) << 8);
            else
                ea = r[BP], seg = kSS;
            break;
        case 7: ea = r[BX]; break;
    }
    if (in.mod == 1) ea = static_cast<uint16_t>(ea + static_cast<int8_t>(byte(i)));
    if (in.mod == 2) ea = static_cast<uint16_t>(ea + (byte(i) | byte(i + 1) << 8));
    in.ea = ea;
    in.ea_seg = in.seg_override >= 0 ? in.seg_override : seg;
    return in;
}

// Does a word access at one of `count` consecutive words from `first` (stepping by `step`,
// wrapping at 64 KiB as SP does) touch offset FFFF, i.e. run past the segment?
bool words_overrun(uint16_t first, unsigned count, int step) {
    for (unsigned k = 0; k < count; ++k)
        if (static_cast<uint16_t>(first + step * static_cast<int>(k)) == 0xFFFF) return true;
    return false;
}

// Did the 286 raise #UD? Its exception 6 after INT 6 (CD 06) is that instruction's own interrupt.
bool data_ud(const Insn& in, const Test& t) {
    return t.has_exception && t.exception_number == 6 && !(in.opcode == 0xCD && in.next == 6);
}

// The LOCK entry (4) wins over entry 10 when both apply.
bool data_ud_lock(const Insn& in, const Test& t) {
    return in.lock && !data_ud(in, t);
}

bool is_esc(unsigned op) {
    return op >= 0xD8 && op <= 0xDF;
}

void fs_gs_expectation(const Insn& in, const Test& t, Difference& d) {
    const auto& r = t.initial.regs;
    if (in.memory && in.ea == 0xFFFF) {
        d.expect_fault = in.ea_seg == kSS ? 12 : 13;
        return;
    }
    d.use_expected = true;
    d.expected.regs = r;
    d.expected.present = 0xFFFF;
    d.expected.regs[IP] = static_cast<uint16_t>(r[IP] + t.bytes.size());
    static constexpr RegIndex kRm16[8] = {AX, CX, DX, BX, SP, BP, SI, DI};
    const uint32_t seg_regs[4] = {r[ES_], r[CS_], r[SS_], r[DS_]};
    const uint32_t lin = in.memory ? (seg_regs[in.ea_seg] << 4) + in.ea : 0;
    auto initial_byte = [&](uint32_t a) -> uint8_t {
        for (const auto& [addr, value] : t.initial.ram)
            if (addr == a) return value;
        return 0;
    };
    const bool fs = in.reg == 4;
    if (in.opcode == 0x8E) {
        const uint16_t v = in.memory ? static_cast<uint16_t>(initial_byte(lin) | initial_byte(lin + 1) << 8)
                                     : r[kRm16[in.rm]];
        (fs ? d.want_fs : d.want_gs) = v;
        return;
    }
    const uint16_t v = fs ? 0x1234 : 0x5678;
    d.preload_fs = 0x1234, d.preload_gs = 0x5678;
    if (in.memory)
        d.expected.ram = {{lin, static_cast<uint8_t>(v)}, {lin + 1, static_cast<uint8_t>(v >> 8)}};
    else
        d.expected.regs[kRm16[in.rm]] = v;
}

bool is_word_string(unsigned op) {
    return op == 0xA5 || op == 0xA7 || op == 0xAB || op == 0xAD || op == 0xAF || op == 0x6D || op == 0x6F;
}

// The first element of a word string instruction whose access reaches offset FFFF: SI, DI and CX
// at its start, and whether the DS:SI read (done first) is the one that overruns. False if none.
struct StringFault {
    uint16_t si, di, cx;
    bool source;
};
bool first_string_fault(const Insn& in, const Test& t, StringFault& f) {
    const auto& r = t.initial.regs;
    const unsigned op = in.opcode;
    const bool reads_si = op == 0xA5 || op == 0xA7 || op == 0xAD || op == 0x6F;
    const bool uses_di = op != 0xAD && op != 0x6F;
    const bool rep = std::find_if(t.bytes.begin(), t.bytes.end(),
                                  [](uint8_t b) { return b == 0xF2 || b == 0xF3; }) != t.bytes.end();
    const int step = (r[FLAGS] & 0x400) ? -2 : 2;
    uint16_t si = r[SI], di = r[DI], cx = r[CX];
    for (unsigned k = 0; k < 0x10000; ++k) {
        if (rep && cx == 0) return false;
        if ((reads_si && si == 0xFFFF) || (uses_di && di == 0xFFFF)) {
            f = StringFault{si, di, cx, reads_si && si == 0xFFFF};
            return true;
        }
        if (!rep) return false;
        if (reads_si) si = static_cast<uint16_t>(si + step);
        if (uses_di) di = static_cast<uint16_t>(di + step);
        --cx;
    }
    return false;
}

void string_fault_regs(const Insn& in, const Test& t, Difference& d) {
    StringFault f{};
    if (!first_string_fault(in, t, f)) return;
    d.final_regs[SI] = f.si;
    d.final_regs[DI] = f.di;
    d.final_regs[CX] = f.cx;
    d.entries |= 1 << 6;
}

// Entry 3's test: does the instruction's first out-of-segment access go through SS?
bool overrun_through_ss(const Insn& in, const Test& t) {
    const auto& r = t.initial.regs;
    const unsigned op = in.opcode;
    // Explicit memory operands through SS (BP-based addressing or an SS: override).
    if (in.memory && in.ea_seg == kSS) {
        const bool dword =
            op == 0xC4 || op == 0xC5 || op == 0x62 || (op == 0xFF && (in.reg == 3 || in.reg == 5));
        bool word = false;
        if (op < 0x40 || (op >= 0x80 && op <= 0x8B))
            word = op & 1;
        else
            word = op == 0x8C || op == 0x8E || op == 0x8F || op == 0xC1 || op == 0xC7 || op == 0xD1 ||
                   op == 0xD3 || op == 0xF7 || op == 0xFF || op == 0x69 || op == 0x6B;
        if ((dword && in.ea >= 0xFFFD) || (word && in.ea == 0xFFFF)) return true;
    }
    // ESC memory operands (at least a word) through SS.
    if (is_esc(op) && in.memory && in.ea_seg == kSS && in.ea == 0xFFFF) return true;
    // String instructions reading DS:SI with an SS: override.
    if (is_word_string(op)) {
        StringFault f{};
        return in.seg_override == kSS && first_string_fault(in, t, f) && f.source;
    }
    // Implicit stack accesses: pops read upwards from SP, pushes write downwards from SP - 2.
    switch (op) {
        case 0x07:
        case 0x17:
        case 0x1F:
        case 0x9D:
        case 0xC2:
        case 0xC3:
        case 0x58:
        case 0x59:
        case 0x5A:
        case 0x5B:
        case 0x5C:
        case 0x5D:
        case 0x5E:
        case 0x5F: return words_overrun(r[SP], 1, 2);
        case 0x8F: return words_overrun(r[SP], 1, 2);
        case 0xCA:
        case 0xCB: return words_overrun(r[SP], 2, 2);
        case 0xCF: return words_overrun(r[SP], 3, 2);
        case 0x61: return words_overrun(r[SP], 8, 2);
        case 0xC9: return words_overrun(r[BP], 1, 2);
        default: return false;
    }
}

// The shift/rotate count: 1 for D0/D1, CL for D2/D3, the immediate (the byte before the HLT) for
// C0/C1; masked to 5 bits as both the 286 and the 386 do.
unsigned shift_count(const std::string& op, const Test& t) {
    if (starts_with(op, "D0") || starts_with(op, "D1")) return 1;
    if (starts_with(op, "D2") || starts_with(op, "D3")) return t.initial.regs[CX] & 31;
    return t.bytes.size() >= 2 ? t.bytes[t.bytes.size() - 2] & 31 : 0;
}

// The 386's LOCK rule (manual 15.7; BT is excluded as it does not modify memory): only these
// instructions, only with a memory destination.
bool lockable(const Insn& in) {
    const unsigned op = in.opcode;
    if (!in.memory) return false;
    if (op < 0x38 && (op & 7) < 2) return true;                       // ADD OR ADC SBB AND SUB XOR mem,reg
    if (op >= 0x80 && op <= 0x83) return in.reg != 7;                 // ... mem,imm (not CMP)
    if (op == 0xF6 || op == 0xF7) return in.reg == 2 || in.reg == 3;  // NOT NEG
    if (op == 0xFE || op == 0xFF) return in.reg <= 1;                 // INC DEC
    return op == 0x86 || op == 0x87;                                  // XCHG
}

// The true quotient of IDIV r/m8 or r/m16 from the initial registers and the operand's bytes.
bool idiv_overflows(const Insn& in, const Test& t) {
    const auto& r = t.initial.regs;
    const bool word = in.opcode == 0xF7;
    int32_t divisor;
    if (!in.memory) {
        const unsigned n = in.rm;
        const uint16_t regs16[8] = {r[AX], r[CX], r[DX], r[BX], r[SP], r[BP], r[SI], r[DI]};
        divisor = word ? int16_t(regs16[n]) : int8_t(n < 4 ? regs16[n] & 0xFF : regs16[n - 4] >> 8);
    } else {
        const uint32_t seg_regs[4] = {r[ES_], r[CS_], r[SS_], r[DS_]};
        const uint32_t lin = (seg_regs[in.ea_seg] << 4) + in.ea;
        auto byte_at = [&](uint32_t a) -> uint8_t {
            for (const auto& [addr, value] : t.initial.ram)
                if (addr == a) return value;
            return 0;
        };
        const uint16_t v = static_cast<uint16_t>(byte_at(lin) | (word ? byte_at(lin + 1) << 8 : 0));
        divisor = word ? int16_t(v) : int8_t(v);
    }
    if (divisor == 0) return false;
    const int64_t dividend = word ? int32_t(uint32_t{r[DX]} << 16 | r[AX]) : int16_t(r[AX]);
    const int64_t q = dividend / divisor;
    return word ? (q > 32767 || q < -32768) : (q > 127 || q < -128);
}

}  // namespace

Difference difference_for(const std::string& op, const Test& t) {
    Difference d;
    const std::string base = op.substr(0, 2);
    const int g = group(op);
    const Insn in = decode(t);
    d.vector = t.exception_number;

    // 1. FLAGS bits 12-15. A 286 in real mode keeps IOPL/NT (12-14) and bit 15 at 0; a 386 lets
    //    POPF/IRET load IOPL and NT. Ignored everywhere, also in pushed FLAGS images: the frame of an
    //    exception or INT (FLAGS above IP and CS; computed from the final SS:SP, because the data's
    //    flag_address is one byte low when SP is odd) and the word PUSHF stores.
    d.ignore_flags = 0xF000;
    const auto& fin = t.final.regs;
    const uint16_t fss = (t.final.present >> SS_) & 1 ? fin[SS_] : t.initial.regs[SS_];
    const uint16_t fsp = (t.final.present >> SP) & 1 ? fin[SP] : t.initial.regs[SP];
    if (t.has_exception)
        d.flag_image = (uint32_t{fss} << 4) + static_cast<uint16_t>(fsp + 4);
    else if (in.opcode == 0x9C)
        d.flag_image = (uint32_t{fss} << 4) + fsp;

    // 2. Flags the 386 manual calls undefined where the two chips leave different values. Where our
    //    386 model leaves what the 286 data shows (the BCD adjusts but AAD, SHR/SAR's AF, OF of
    //    shifts by less than the operand size), the flags are compared.
    // MUL/IMUL (F6/F7 /4 /5, 69, 6B): "OF and CF ... SF, ZF, AF, and PF are undefined".
    if (((base == "F6" || base == "F7") && (g == 4 || g == 5)) || op == "69" || op == "6B")
        d.ignore_flags |= SF | ZF | AF | PF;
    // DIV/IDIV (F6/F7 /6 /7): "OF, SF, ZF, AF, PF, CF are undefined".
    if ((base == "F6" || base == "F7") && (g == 6 || g == 7)) d.ignore_flags |= OF | SF | ZF | AF | PF | CF;
    // AAA/AAS ("OF, SF, ZF, and PF are undefined"), DAA/DAS ("OF is undefined") and AAM ("OF, AF,
    // and CF are undefined"): the 286 leaves what the 386 does (the flags of AL +/- the adjustment;
    // AAM clears them), so they are compared. AAD (CF AF OF): the 386 leaves the flags of the
    // 8-bit ADD AL, AH*imm (test386.asm, 386SX); the 286 does not, OF mostly.
    if (op == "D5") d.ignore_flags |= OF | AF | CF;
    // AND/OR/XOR/TEST: "AF is undefined".
    if (one_of(op, {"08", "09", "0A", "0B", "0C", "0D", "20", "21", "22", "23", "24",
                    "25", "30", "31", "32", "33", "34", "35", "84", "85", "A8", "A9"}))
        d.ignore_flags |= AF;
    if ((base == "80" || base == "81" || base == "82" || base == "83") && (g == 1 || g == 4 || g == 6))
        d.ignore_flags |= AF;
    if ((base == "F6" || base == "F7") && (g == 0 || g == 1))
        d.ignore_flags |= AF;  // TEST (and its /1 alias)
    // Shifts and rotates (C0 C1 D0-D3): a zero (masked) count changes no flag. Otherwise OF is
    // undefined unless the count is 1 (the rotates: compared for the shifts, below), and the shifts
    // (/4 /5 /6 /7) leave AF undefined: both chips set it for SHR and SAR, the 286 not always for
    // SHL. A byte or word SHL/SHR by its size or more: the 286 has shifted zeros out (CF = 0, and
    // SHL's OF follows CF), the 386 takes CF from the operand as if repeated (test386.asm).
    if (base == "C0" || base == "C1" || base == "D0" || base == "D1" || base == "D2" || base == "D3") {
        const unsigned count = shift_count(op, t);
        const unsigned width = (base == "C0" || base == "D0" || base == "D2") ? 8 : 16;
        if (count != 0) {
            if (count != 1 && g < 4) d.ignore_flags |= OF;
            if (g == 4 || g == 6) d.ignore_flags |= AF;
            if (count >= width && g >= 4 && g <= 6) d.ignore_flags |= CF | OF;
        }
    }

    if (d.ignore_flags != 0xF000) d.entries |= 1 << 2;

    // 3. Segment overrun through SS. In real mode both chips fault on an access past offset FFFF,
    //    but the 286 always raises #GP (13) while the 386 raises #SS (12) when the access goes
    //    through SS ("SS segment overrun", 386 manual table 14-1): BP-based operands (ESC ones
    //    too), SS: overrides, and the stack itself. The runner gives vector 12 the data's handler.
    if (t.has_exception && t.exception_number == 13 && overrun_through_ss(in, t)) {
        d.vector = 12;
        d.entries |= 1 << 3;
    }

    // 4. LOCK. The 286 runs any instruction after LOCK; the 386 raises #UD unless the instruction
    //    is one it can lock, with a memory destination (manual, LOCK and 15.7). The runner checks
    //    the #UD entry in place of the 286's result (unless the 286 raised #UD too; LOCK INT 6 is
    //    INT 6 on the 286, exception 6 in the data, and #UD with the LOCK's IP on a 386).
    if (in.lock && !lockable(in) && !data_ud(in, t)) {
        d.expect_fault = 6;
        d.entries |= 1 << 4;
        return d;
    }

    // 5. Instruction length. The 286 raises #GP (13) for an instruction longer than 10 bytes
    //    (redundant prefixes); the 386's limit is 15, so it runs them.
    if (t.has_exception && t.exception_number == 13 && t.bytes.size() - 1 > 10) {
        d.expect_execute = true;
        d.entries |= 1 << 5;
        const unsigned op = in.opcode;
        d.control_transfer = (op >= 0x70 && op <= 0x7F) || op == 0x9A || op == 0xC2 || op == 0xC3 ||
                             op == 0xCA || op == 0xCB || op == 0xCC || op == 0xCD || op == 0xCE ||
                             op == 0xCF || (op >= 0xE0 && op <= 0xE3) || (op >= 0xE8 && op <= 0xEB) ||
                             op == 0xFF;
        return d;
    }

    // 6. String instructions faulting at offset FFFF. The 286 has already stepped SI and DI (and
    //    CX) past the faulting element when it raises #GP; the 386 faults before, so the
    //    instruction restarts where it stopped. The registers are those at the start of the
    //    first element whose word access reaches FFFF.
    if (t.has_exception && (d.vector == 13 || d.vector == 12) && is_word_string(in.opcode))
        string_fault_regs(in, t, d);

    // 7. POP to memory whose write faults: the 286 has already incremented SP when it raises #GP,
    //    so its frame sits 2 bytes higher; the 386 restores SP first (the instruction restarts).
    //    Expected: the data's frame and SP, 2 bytes lower.
    if (in.opcode == 0x8F && t.has_exception && t.exception_number == 13) {
        d.frame_at = (uint32_t{fss} << 4) + fsp;
        d.frame_shift = -2;
        d.entries |= 1 << 7;
        d.final_regs[SP] = static_cast<uint16_t>(fsp - 2);
        d.flag_image = (uint32_t{fss} << 4) + static_cast<uint16_t>(fsp - 2 + 4);
    }

    // 8. AAM 0 raises #DE on both; the 286 sets SF ZF PF as for a zero result first (and clears
    //    CF AF OF). The 386 manual defines no flags for the fault: those six are not compared for it.
    if (in.opcode == 0xD4 && t.has_exception && t.exception_number == 0) {
        d.ignore_flags |= SF | ZF | PF | CF | AF | OF;
        d.entries |= 1 << 8;
    }

    // 9. IDIV whose quotient does not fit: the 286 returns a value for some of them (a microcode
    //    quirk); the 386 raises #DE as its manual says. The runner checks the #DE entry.
    if ((in.opcode == 0xF6 || in.opcode == 0xF7) && in.reg == 7 && !t.has_exception &&
        idiv_overflows(in, t)) {
        d.expect_fault = 0;
        d.entries |= 1 << 9;
        return d;
    }

    // 10. MOV to/from segment registers 4 and 5 (8C/8E with ModRM.reg 4 or 5): #UD on a 286, FS and
    //    GS on a 386. Expected: the instruction runs (IP past it and the HLT, nothing else changed)
    //    and moves the selector: 8E loads FS/GS from the operand, 8C stores them (preloaded with
    //    1234h and 5678h) into it. A word operand at offset FFFF faults as any other would.
    if ((in.opcode == 0x8C || in.opcode == 0x8E) && in.has_modrm && (in.reg == 4 || in.reg == 5) &&
        !data_ud_lock(in, t)) {
        fs_gs_expectation(in, t, d);
        d.entries |= 1 << 10;
    }

    // 11. A far pointer (LES LDS, CALL/JMP FAR m16:16) at offset FFFE: the 286 reads its selector
    //    from offset 0 (its manual faults LES/LDS only at FFFF and FFFD); the 386 raises #GP(13),
    //    #SS(12) through SS, as any part of the operand lies past FFFF (386 manual, real-address
    //    mode exceptions). Bochs and QEMU wrap like the 286. The runner checks the fault's entry.
    const bool far_pointer =
        in.opcode == 0xC4 || in.opcode == 0xC5 || (in.opcode == 0xFF && (in.reg == 3 || in.reg == 5));
    if (far_pointer && in.memory && in.ea == 0xFFFE && !t.has_exception && !in.lock) {
        d.expect_fault = in.ea_seg == kSS ? 12 : 13;
        d.entries |= 1 << 11;
    }
    return d;
}

}  // namespace pc386::sst
