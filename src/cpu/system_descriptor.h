// System descriptors (S = 0 in byte 5): the 386's TSS, LDT and gate types, what each instruction
// accepts, and a gate's fields decoded from its 8 bytes. The one place these numbers live
// (386 manual: chapter 6's table of system segment and gate types, and the LAR/LSL valid-type
// tables).
#pragma once

#include <cstdint>

namespace pc386 {

// The type field (bits 0-3 of byte 5) of a system descriptor. 0, 8, 0Ah and 0Dh are reserved.
enum class SystemType : uint8_t {
    Tss286Available = 0x1,
    Ldt = 0x2,
    Tss286Busy = 0x3,
    CallGate286 = 0x4,
    TaskGate = 0x5,
    InterruptGate286 = 0x6,
    TrapGate286 = 0x7,
    Tss386Available = 0x9,
    Tss386Busy = 0xB,
    CallGate386 = 0xC,
    InterruptGate386 = 0xE,
    TrapGate386 = 0xF,
};

// The predicates take descriptor byte 5 (P, DPL, S, type) so that a code or data descriptor (S = 1)
// never passes for a system one.
namespace sysdesc {

inline constexpr uint8_t kBusyBit = 0x02;  // set in a TSS's type: available <-> busy
inline constexpr uint8_t k386Bit = 0x08;   // set in a TSS's or gate's type: the 32-bit form

constexpr bool is_system(uint8_t access) {
    return !(access & 0x10);
}
constexpr bool is(uint8_t access, SystemType t) {
    return (access & 0x1F) == static_cast<uint8_t>(t);
}
constexpr unsigned dpl(uint8_t access) {
    return (access >> 5) & 3;
}
constexpr bool present(uint8_t access) {
    return access & 0x80;
}

constexpr bool is_available_tss(uint8_t access) {
    return is(access, SystemType::Tss286Available) || is(access, SystemType::Tss386Available);
}
constexpr bool is_busy_tss(uint8_t access) {
    return is(access, SystemType::Tss286Busy) || is(access, SystemType::Tss386Busy);
}
constexpr bool is_tss(uint8_t access) {
    return is_available_tss(access) || is_busy_tss(access);
}
constexpr bool is_386_tss(uint8_t access) {
    return is(access, SystemType::Tss386Available) || is(access, SystemType::Tss386Busy);
}
constexpr bool is_ldt(uint8_t access) {
    return is(access, SystemType::Ldt);
}
constexpr bool is_call_gate(uint8_t access) {
    return is(access, SystemType::CallGate286) || is(access, SystemType::CallGate386);
}
constexpr bool is_task_gate(uint8_t access) {
    return is(access, SystemType::TaskGate);
}
// What an IDT entry may be: a task, interrupt or trap gate.
constexpr bool is_idt_gate(uint8_t access) {
    return is_task_gate(access) || is(access, SystemType::InterruptGate286) ||
           is(access, SystemType::TrapGate286) || is(access, SystemType::InterruptGate386) ||
           is(access, SystemType::TrapGate386);
}
constexpr bool is_gate(uint8_t access) {
    return is_call_gate(access) || is_idt_gate(access);
}
// A 386 call, interrupt or trap gate: 32-bit offset and 32-bit stack frame (a task gate has neither).
constexpr bool gate_is_32bit(uint8_t access) {
    return is_gate(access) && !is_task_gate(access) && (access & k386Bit);
}
// An interrupt gate clears IF on entry; a trap gate leaves it alone.
constexpr bool is_interrupt_gate(uint8_t access) {
    return is(access, SystemType::InterruptGate286) || is(access, SystemType::InterruptGate386);
}

// LAR reports TSSs (available or busy), LDTs, call gates and task gates; LSL only the segments
// that have a limit (TSSs and LDTs). Code and data descriptors are valid for both.
constexpr bool valid_for_lar(uint8_t access) {
    return !is_system(access) || is_tss(access) || is_ldt(access) || is_call_gate(access) ||
           is_task_gate(access);
}
constexpr bool valid_for_lsl(uint8_t access) {
    return !is_system(access) || is_tss(access) || is_ldt(access);
}

}  // namespace sysdesc

// A gate's fields. The offset's upper half exists only in a 386 gate; the parameter count
// (dwords or words copied on an inner-privilege CALL) only matters in a call gate.
struct Gate {
    uint8_t access;     // byte 5: P, DPL, S, type
    uint16_t selector;  // code segment (call, interrupt, trap gate) or TSS (task gate)
    uint32_t offset;
    unsigned param_count;

    static constexpr Gate decode(uint64_t d) {
        const auto access = static_cast<uint8_t>(d >> 40);
        uint32_t offset = static_cast<uint32_t>(d & 0xFFFF);
        if (sysdesc::gate_is_32bit(access)) offset |= static_cast<uint32_t>((d >> 32) & 0xFFFF0000u);
        return Gate{access, static_cast<uint16_t>(d >> 16), offset, static_cast<unsigned>((d >> 32) & 0x1F)};
    }
    bool is_32bit() const { return sysdesc::gate_is_32bit(access); }
    unsigned dpl() const { return sysdesc::dpl(access); }
    bool present() const { return sysdesc::present(access); }
};

}  // namespace pc386
