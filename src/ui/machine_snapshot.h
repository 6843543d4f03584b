// Reads what the debug window shows out of the machine, through its inspection API only (VGA text
// memory, PhysicalBus::peek, Mmu::walk and stats, the guest's published descriptor). Nothing here
// changes machine state.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ui/counter_tracker.h"
#include "ui/ui_model.h"

namespace pc386 {

class Machine;
class Disassembler;
class LinuxFrameTable;

class MachineSnapshot {
  public:
    // `linux_frames` (--guest-symbols, may be null) colours a Linux guest's frames by its struct pages.
    explicit MachineSnapshot(Machine& machine, const LinuxFrameTable* linux_frames = nullptr);
    ~MachineSnapshot();

    // Copies the 80x25 text screen and the cursor into `view`.
    void read_console(ConsoleView& view) const;
    // Rebuilds the memory view: from the guest's frame table when it published a valid descriptor,
    // otherwise from the current page tables. Fills the guest's own counters (empty without one).
    void read_memory(MemoryView& view, std::vector<CounterValue>& guest_counters) const;
    // Instructions, TLB and page-fault counters.
    std::vector<CounterValue> machine_counters() const;
    // Short lines about the CPU: CS:EIP with the next instruction, CR3, paging.
    std::vector<std::string> cpu_lines() const;
    // The address space of process `pid` (by its CR3 in view.processes), or the current CR3's
    // when `pid` is empty or no longer listed.
    // `cr3`, when set, picks a page directory directly (one the machine saw written to CR3).
    AddressSpaceView address_space(const MemoryView& view, std::optional<uint32_t> pid,
                                   std::optional<uint32_t> cr3 = std::nullopt) const;
    // The page-table tree of the space at `cr3` with the directory entries in `expanded` opened.
    std::vector<TreeLine> page_tables(const MemoryView& view, uint32_t cr3,
                                      const std::set<uint32_t>& expanded) const;
    // The frame inspector's lines for `frame` (reverse map over every known address space, bytes,
    // events from the machine's history).
    std::vector<PaneLine> inspect_frame(const MemoryView& view, uint32_t frame) const;
    // The CPU panel: mode, registers, EFLAGS and CR0 decoded, the code around EIP.
    std::vector<PaneLine> cpu_panel() const;
    // The swap map's lines: used slots with the PTEs that hold them (every process's page tables).
    std::vector<PaneLine> swap_map(const MemoryView& view) const;
    // CR2: the linear address of the last page fault (0 before the first).
    uint32_t last_fault_address() const;

  private:
    Machine& machine_;
    const LinuxFrameTable* linux_frames_;
    std::unique_ptr<Disassembler> disassembler_;  // Capstone handle, opened once
};

}  // namespace pc386
