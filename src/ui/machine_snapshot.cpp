#include "ui/machine_snapshot.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <span>

#include "cpu/cpu.h"
#include "debug/disassembler.h"
#include "machine/machine.h"
#include "mmu/mmu.h"
#include "ui/bus_memory_view.h"
#include "ui/cpu_panel.h"
#include "ui/frame_inspector.h"
#include "ui/machine_inspection.h"
#include "ui/swap_map.h"

namespace pc386 {

MachineSnapshot::MachineSnapshot(Machine& machine, const LinuxFrameTable* linux_frames)
    : machine_(machine),
      linux_frames_(linux_frames),
      disassembler_(std::make_unique<Disassembler>(Disassembler::Mode::Bits32)) {}

MachineSnapshot::~MachineSnapshot() = default;

void MachineSnapshot::read_console(ConsoleView& view) const {
    pc386::read_console(machine_.vga(), view);
}

void MachineSnapshot::read_memory(MemoryView& view, std::vector<CounterValue>& guest_counters) const {
    pc386::read_memory(machine_.bus(), machine_.mmu(), machine_.guest_info_address(), view, guest_counters,
                       linux_frames_);
}

std::vector<CounterValue> MachineSnapshot::machine_counters() const {
    std::vector<CounterValue> counters = mmu_counters(machine_.mmu().stats());
    counters.push_back({"machine resets", machine_.resets()});
    return counters;
}

uint32_t MachineSnapshot::last_fault_address() const {
    return machine_.cpu().state().cr2;
}

AddressSpaceView MachineSnapshot::address_space(const MemoryView& view, std::optional<uint32_t> pid,
                                                std::optional<uint32_t> picked_cr3) const {
    BusMemoryView memory(machine_.bus());
    uint32_t cr3 = machine_.mmu().cr3();
    std::string owner = "the current CR3";
    for (const ProcessView& p : view.processes) {
        if (picked_cr3 ? (p.cr3 & 0xFFFFF000u) == (*picked_cr3 & 0xFFFFF000u)
            : pid      ? p.pid == *pid
                       : p.current) {
            cr3 = p.cr3;
            owner = fmt::format("pid {} {}", p.pid, p.name);
            break;
        }
    }
    if (picked_cr3 && owner == "the current CR3") {
        cr3 = *picked_cr3;
        owner = "a CR3 seen written";
    }
    // The frame table's refcount counts the swap cache's own reference: the rest are PTEs.
    auto sharing = [&view](uint32_t frame) -> std::optional<FrameSharing> {
        if (frame >= view.details.size() || frame >= view.frames.size()) return std::nullopt;
        const bool cached = view.frames[frame].kind == FrameKind::SwapCache;
        const uint32_t refs = view.details[frame].refcount;
        return FrameSharing{cached && refs > 0 ? refs - 1 : refs, cached};
    };
    AddressSpaceView space = read_address_space(memory, cr3, view.from_guest, sharing);
    space.owner = owner;
    return space;
}

std::vector<TreeLine> MachineSnapshot::page_tables(const MemoryView& view, uint32_t cr3,
                                                   const std::set<uint32_t>& expanded) const {
    BusMemoryView memory(machine_.bus());
    return page_table_tree(memory, cr3, expanded, view.from_guest, machine_.cpu().is486());
}

std::vector<PaneLine> MachineSnapshot::swap_map(const MemoryView& view) const {
    BusMemoryView memory(machine_.bus());
    return swap_map_lines(view.swap, find_swap_holders(memory, known_address_spaces(view)));
}

std::vector<PaneLine> MachineSnapshot::inspect_frame(const MemoryView& view, uint32_t frame) const {
    BusMemoryView memory(machine_.bus());
    return pc386::inspect_frame(memory, view, frame, &machine_.events());
}

std::vector<PaneLine> MachineSnapshot::cpu_panel() const {
    using S = PaneLine::Style;
    const Cpu& cpu = machine_.cpu();
    std::vector<PaneLine> lines = register_lines(cpu.state(), cpu.eflags(), cpu.cr0(), cpu.cr3());
    Mmu& mmu = machine_.mmu();
    const uint32_t pc = machine_.current_code_address();
    const unsigned bits = machine_.current_code_bits();
    disassembler_->set_mode(bits == 32 ? Disassembler::Mode::Bits32 : Disassembler::Mode::Bits16);
    lines.push_back({fmt::format("Code around EIP ({}-bit, linear addresses)", bits), S::Title});
    // x86 code cannot be read backwards: decode from a few starting points before EIP and keep the
    // one whose instructions land exactly on it (the usual debugger trick), then go forward.
    constexpr uint32_t kBack = 24, kForward = 48;
    std::array<uint8_t, kBack + kForward> code{};
    const uint32_t start = pc >= kBack ? pc - kBack : 0;
    size_t readable = 0;
    while (readable < code.size() && mmu.read_linear(start + uint32_t(readable), &code[readable], 1))
        ++readable;
    const size_t at = pc - start;
    if (readable <= at) {
        lines.push_back({fmt::format("  {:08x}  (code not readable)", pc), S::Warning});
        return lines;
    }
    std::vector<DisassembledInstruction> before;
    for (size_t from = 0; from < at; ++from) {
        auto insns =
            disassembler_->many(std::span<const uint8_t>(code.data() + from, at - from), start + from);
        uint64_t end = start + from;
        for (const auto& i : insns) end = i.address + i.length;
        if (!insns.empty() && end == pc && insns.back().text.find("bad") == std::string::npos) {
            before.assign(insns.end() - std::min<size_t>(insns.size(), 3), insns.end());
            break;
        }
    }
    auto after = disassembler_->many(std::span<const uint8_t>(code.data() + at, readable - at), pc, 6);
    for (const auto& i : before) lines.push_back({fmt::format("  {:08x}  {}", i.address, i.text), S::Dim});
    for (size_t n = 0; n < after.size(); ++n)
        lines.push_back({fmt::format("{} {:08x}  {}", n == 0 ? '>' : ' ', after[n].address, after[n].text),
                         n == 0 ? S::Highlight : S::Text});
    return lines;
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
