// The system-descriptor types as the 386 manual lists them (Programmer's Reference, chapter 6's
// table of system segment and gate types, and the valid-type tables under LAR and LSL), row by row: every
// predicate in cpu/system_descriptor.h must classify all sixteen type codes as the manual does,
// code and data descriptors (S = 1) must never pass for system ones, and a gate's selector, offset
// and parameter count must come out of its 8 bytes where the manual draws them.
#include "cpu/system_descriptor.h"

#include <gtest/gtest.h>

namespace pc386 {
namespace {

// One row of the manual's type table plus the LAR/LSL columns.
struct TypeRow {
    unsigned type;
    const char* name;
    bool tss, busy_tss, ldt, call_gate, task_gate, idt_gate, gate32, interrupt_gate, lar, lsl;
};

// clang-format off
constexpr TypeRow kTable[16] = {
    //  type  name                       tss    busy   ldt    call   task   idt    32bit  intgate lar    lsl
    {0x0, "reserved",                   false, false, false, false, false, false, false, false, false, false},
    {0x1, "available 286 TSS",          true,  false, false, false, false, false, false, false, true,  true},
    {0x2, "LDT",                        false, false, true,  false, false, false, false, false, true,  true},
    {0x3, "busy 286 TSS",               true,  true,  false, false, false, false, false, false, true,  true},
    {0x4, "286 call gate",              false, false, false, true,  false, false, false, false, true,  false},
    {0x5, "task gate",                  false, false, false, false, true,  true,  false, false, true,  false},
    {0x6, "286 interrupt gate",         false, false, false, false, false, true,  false, true,  false, false},
    {0x7, "286 trap gate",              false, false, false, false, false, true,  false, false, false, false},
    {0x8, "reserved",                   false, false, false, false, false, false, false, false, false, false},
    {0x9, "available 386 TSS",          true,  false, false, false, false, false, false, false, true,  true},
    {0xA, "reserved",                   false, false, false, false, false, false, false, false, false, false},
    {0xB, "busy 386 TSS",               true,  true,  false, false, false, false, false, false, true,  true},
    {0xC, "386 call gate",              false, false, false, true,  false, false, true,  false, true,  false},
    {0xD, "reserved",                   false, false, false, false, false, false, false, false, false, false},
    {0xE, "386 interrupt gate",         false, false, false, false, false, true,  true,  true,  false, false},
    {0xF, "386 trap gate",              false, false, false, false, false, true,  true,  false, false, false},
};
// clang-format on

// Byte 5 of a descriptor: present, the given DPL, S = 0, the type.
constexpr uint8_t system_access(unsigned type, unsigned dpl = 0) {
    return static_cast<uint8_t>(0x80 | (dpl << 5) | type);
}

TEST(SystemDescriptorTest, EveryTypeIsClassifiedAsTheManualsTableSays) {
    for (const TypeRow& row : kTable) {
        for (unsigned dpl = 0; dpl < 4; ++dpl) {
            for (uint8_t access :
                 {system_access(row.type, dpl), static_cast<uint8_t>(system_access(row.type, dpl) & 0x7F)}) {
                SCOPED_TRACE(testing::Message() << "type " << row.type << " (" << row.name << "), access 0x"
                                                << std::hex << unsigned{access});
                EXPECT_TRUE(sysdesc::is_system(access));
                EXPECT_EQ(sysdesc::is_tss(access), row.tss);
                EXPECT_EQ(sysdesc::is_busy_tss(access), row.busy_tss);
                EXPECT_EQ(sysdesc::is_available_tss(access), row.tss && !row.busy_tss);
                EXPECT_EQ(sysdesc::is_386_tss(access), row.tss && row.type >= 8);
                EXPECT_EQ(sysdesc::is_ldt(access), row.ldt);
                EXPECT_EQ(sysdesc::is_call_gate(access), row.call_gate);
                EXPECT_EQ(sysdesc::is_task_gate(access), row.task_gate);
                EXPECT_EQ(sysdesc::is_idt_gate(access), row.idt_gate);
                EXPECT_EQ(sysdesc::is_gate(access), row.call_gate || row.idt_gate);
                EXPECT_EQ(sysdesc::gate_is_32bit(access), row.gate32);
                EXPECT_EQ(sysdesc::is_interrupt_gate(access), row.interrupt_gate);
                EXPECT_EQ(sysdesc::valid_for_lar(access), row.lar);
                EXPECT_EQ(sysdesc::valid_for_lsl(access), row.lsl);
            }
        }
    }
}

TEST(SystemDescriptorTest, TheEnumeratorsAreTheManualsTypeCodes) {
    EXPECT_EQ(static_cast<unsigned>(SystemType::Tss286Available), 0x1u);
    EXPECT_EQ(static_cast<unsigned>(SystemType::Ldt), 0x2u);
    EXPECT_EQ(static_cast<unsigned>(SystemType::Tss286Busy), 0x3u);
    EXPECT_EQ(static_cast<unsigned>(SystemType::CallGate286), 0x4u);
    EXPECT_EQ(static_cast<unsigned>(SystemType::TaskGate), 0x5u);
    EXPECT_EQ(static_cast<unsigned>(SystemType::InterruptGate286), 0x6u);
    EXPECT_EQ(static_cast<unsigned>(SystemType::TrapGate286), 0x7u);
    EXPECT_EQ(static_cast<unsigned>(SystemType::Tss386Available), 0x9u);
    EXPECT_EQ(static_cast<unsigned>(SystemType::Tss386Busy), 0xBu);
    EXPECT_EQ(static_cast<unsigned>(SystemType::CallGate386), 0xCu);
    EXPECT_EQ(static_cast<unsigned>(SystemType::InterruptGate386), 0xEu);
    EXPECT_EQ(static_cast<unsigned>(SystemType::TrapGate386), 0xFu);
    // The available/busy pairs differ only in the busy bit, the 286/386 pairs only in the 386 bit.
    EXPECT_EQ(0x1u | sysdesc::kBusyBit, 0x3u);
    EXPECT_EQ(0x9u | sysdesc::kBusyBit, 0xBu);
    EXPECT_EQ(0x4u | sysdesc::k386Bit, 0xCu);
}

// A code or data descriptor whose low type bits happen to spell a TSS or gate is neither: the
// S bit (0x10) decides, so LTR, task switches and the IDT cannot mistake one for the other.
TEST(SystemDescriptorTest, CodeAndDataDescriptorsAreNeverSystemTypes) {
    for (unsigned type = 0; type < 16; ++type) {
        const auto access = static_cast<uint8_t>(0x90 | type);
        SCOPED_TRACE(testing::Message() << "access 0x" << std::hex << unsigned{access});
        EXPECT_FALSE(sysdesc::is_system(access));
        EXPECT_FALSE(sysdesc::is_tss(access));
        EXPECT_FALSE(sysdesc::is_ldt(access));
        EXPECT_FALSE(sysdesc::is_gate(access));
        EXPECT_FALSE(sysdesc::gate_is_32bit(access));
        EXPECT_TRUE(sysdesc::valid_for_lar(access));  // LAR and LSL take every code/data descriptor
        EXPECT_TRUE(sysdesc::valid_for_lsl(access));
    }
}

TEST(SystemDescriptorTest, DplAndPresentComeFromByteFive) {
    EXPECT_EQ(sysdesc::dpl(0xEC), 3u);  // P=1 DPL=3 386 call gate
    EXPECT_EQ(sysdesc::dpl(0x8E), 0u);
    EXPECT_TRUE(sysdesc::present(0x8E));
    EXPECT_FALSE(sysdesc::present(0x6E));
}

// The gate layout: offset 15..0 in bytes 0-1, selector in bytes 2-3, parameter count in byte 4
// bits 0-4, access in byte 5, offset 31..16 in bytes 6-7 (386 gates only).
TEST(SystemDescriptorTest, A386CallGateDecodesSelectorFullOffsetAndParameterCount) {
    const uint64_t d = 0x1234'EC'05'0028'5678ull;  // offset 12345678h, CPL-3 callable, 5 dwords, CS 28h
    const Gate g = Gate::decode(d);
    EXPECT_EQ(g.access, 0xEC);
    EXPECT_EQ(g.selector, 0x0028);
    EXPECT_EQ(g.offset, 0x12345678u);
    EXPECT_EQ(g.param_count, 5u);
    EXPECT_EQ(g.dpl(), 3u);
    EXPECT_TRUE(g.present());
    EXPECT_TRUE(g.is_32bit());
}

TEST(SystemDescriptorTest, A286GateKeepsOnlyTheLowOffsetWord) {
    const Gate call = Gate::decode(0xFFFF'84'1F'0010'ABCDull);  // 286 call gate, 31 words
    EXPECT_EQ(call.offset, 0xABCDu);
    EXPECT_EQ(call.param_count, 31u);
    EXPECT_FALSE(call.is_32bit());
    const Gate intr = Gate::decode(0xFFFF'86'00'0008'1000ull);  // 286 interrupt gate
    EXPECT_EQ(intr.offset, 0x1000u);
    EXPECT_FALSE(intr.is_32bit());
    const Gate intr32 = Gate::decode(0x0001'8E'00'0008'1000ull);  // 386 interrupt gate
    EXPECT_EQ(intr32.offset, 0x00011000u);
    EXPECT_TRUE(intr32.is_32bit());
}

TEST(SystemDescriptorTest, ATaskGateNamesATssAndHasNoOffset) {
    const Gate g = Gate::decode(0xFFFF'E5'00'0030'FFFFull);  // DPL 3 task gate to TSS selector 30h
    EXPECT_EQ(g.selector, 0x0030);
    EXPECT_TRUE(sysdesc::is_task_gate(g.access));
    EXPECT_FALSE(g.is_32bit());
    EXPECT_EQ(g.offset, 0xFFFFu);  // only the unused low word; the high word is not an offset
}

}  // namespace
}  // namespace pc386
