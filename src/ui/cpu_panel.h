// The CPU panel's words: EFLAGS and CR0 decoded, the execution mode, and the registers as lines.
// Pure functions of the register values, so they are tested without a machine; MachineSnapshot
// adds the disassembly around EIP.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cpu/cpu_state.h"
#include "ui/pane_line.h"

namespace pc386 {

// "IF ZF CF IOPL=0": the flags that are set, by name (IOPL always, as a number).
std::string describe_eflags(uint32_t eflags);
// "PE PG ET": the CR0 bits that are set.
std::string describe_cr0(uint32_t cr0);
// "real mode", "protected mode, ring 3, paging", "virtual-8086 mode, paging".
std::string describe_mode(uint32_t cr0, uint32_t eflags, unsigned cpl);

// The register lines (general, EIP/EFLAGS, segments with their cached base/limit, control).
std::vector<PaneLine> register_lines(const CpuState& state, uint32_t eflags, uint32_t cr0, uint32_t cr3);

}  // namespace pc386
