#include "ui/machine_snapshot.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <span>

#include "cpu/cpu.h"
#include "debug/disassembler.h"
#include "machine/machine.h"
#include "mmu/mmu.h"
#include "ui/machine_inspection.h"

namespace pc386 {

MachineSnapshot::MachineSnapshot(Machine& machine)
    : machine_(machine), disassembler_(std::make_unique<Disassembler>(Disassembler::Mode::Bits32)) {}

MachineSnapshot::~MachineSnapshot() = default;

void MachineSnapshot::read_console(ConsoleView& view) const {
    pc386::read_console(machine_.vga(), view);
}

void MachineSnapshot::read_memory(MemoryView& view, std::vector<CounterValue>& guest_counters) const {
    pc386::read_memory(machine_.bus(), machine_.mmu(), machine_.guest_info_address(), view, guest_counters);
}

std::vector<CounterValue> MachineSnapshot::machine_counters() const {
    std::vector<CounterValue> counters = mmu_counters(machine_.mmu().stats());
    counters.push_back({"machine resets", machine_.resets()});
    return counters;
}

uint32_t MachineSnapshot::last_fault_address() const {
    return machine_.cpu().state().cr2;
}

std::vector<std::string> MachineSnapshot::cpu_lines() const {
    std::vector<std::string> lines;
    Mmu& mmu = machine_.mmu();
    uint32_t pc = machine_.current_code_address();
    unsigned bits = machine_.current_code_bits();
    // Up to 16 bytes of code, but never past the end of the page (the next one may be unmapped).
    std::array<uint8_t, 16> code{};
    size_t length = std::min<size_t>(code.size(), 0x1000 - (pc & 0xFFF));
    std::string next = "(code not readable)";
    if (mmu.read_linear(pc, code.data(), length)) {
        disassembler_->set_mode(bits == 32 ? Disassembler::Mode::Bits32 : Disassembler::Mode::Bits16);
        next = disassembler_->one(std::span<const uint8_t>(code.data(), length), pc).text;
    }
    lines.push_back(fmt::format("next  {:08x}  {:<40} ({}-bit code)", pc, next, bits));
    lines.push_back(fmt::format("CR3 {:08x}  paging {}", mmu.cr3(), mmu.paging() ? "on" : "off"));
    return lines;
}

}  // namespace pc386
