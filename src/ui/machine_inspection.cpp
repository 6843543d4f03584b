#include "ui/machine_inspection.h"

#include <fmt/format.h>

#include "devices/vga_text.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"
#include "ui/bus_memory_view.h"
#include "ui/guest_info_reader.h"
#include "ui/linux_frame_table.h"
#include "ui/page_table_classifier.h"

namespace pc386 {
namespace {

PageRun to_page_run(const Mapping& m) {
    return PageRun{.linear = m.linear,
                   .physical = m.physical,
                   .pages = static_cast<uint32_t>((uint64_t(m.length) + 0xFFF) >> 12),
                   .user = m.user,
                   .writable = m.writable,
                   .accessed = m.accessed,
                   .dirty = m.dirty};
}

}  // namespace

void read_console(const VgaText& vga, ConsoleView& view) {
    for (unsigned row = 0; row < VgaText::kRows && row < unsigned(ConsoleView::kRows); ++row)
        for (unsigned col = 0; col < VgaText::kColumns && col < unsigned(ConsoleView::kColumns); ++col) {
            VgaText::Cell cell = vga.cell(row, col);
            view.cells[row * ConsoleView::kColumns + col] = {cell.character, cell.attribute};
        }
    VgaText::Cursor cursor = vga.cursor();
    view.cursor_row = cursor.visible ? int(cursor.row) : -1;
    view.cursor_col = cursor.visible ? int(cursor.column) : -1;
}

void read_memory(PhysicalBus& bus, const Mmu& mmu, uint32_t guest_info_address, MemoryView& view,
                 std::vector<CounterValue>& guest_counters, const LinuxFrameTable* linux_frames) {
    BusMemoryView memory(bus);
    const uint32_t frame_count = bus.ram_size() >> 12;
    view.paging = mmu.paging();
    view.cr3 = mmu.cr3();
    view.runs.clear();
    if (view.paging)
        for (const Mapping& m : mmu.walk(view.cr3)) view.runs.push_back(to_page_run(m));

    view.from_guest = false;
    view.source_note.clear();
    guest_counters.clear();
    if (guest_info_address) {
        GuestInfoReadResult guest = read_guest_info(memory, guest_info_address);
        if (guest.ok) {
            view.from_guest = true;
            view.frames = std::move(guest.frames);
            view.details = std::move(guest.details);
            view.processes = std::move(guest.processes);
            view.swap = std::move(guest.swap);
            view.layout = std::move(guest.layout);
            guest_counters = std::move(guest.counters);
            // Frames above the guest's table (it may manage less than all of RAM) stay unknown.
            view.frames.resize(frame_count, FrameInfo{FrameKind::Unknown, 0});
            view.details.resize(frame_count);
            return;
        }
        view.source_note =
            fmt::format("guest descriptor at {:08x} rejected: {}", guest_info_address, guest.error);
    }
    view.details.clear();
    view.processes.clear();
    view.swap = {};
    view.layout = {};
    if (linux_frames) {
        LinuxFrameReadResult kernel = linux_frames->read(memory);
        if (kernel.ok) {
            view.from_guest = true;
            view.frames = std::move(kernel.frames);
            view.details.assign(view.frames.size(), FrameDetail{});
            return;
        }
        view.source_note = "Linux's frames: " + kernel.error;
    }
    std::vector<uint32_t> tables =
        view.paging ? page_table_frames(memory, view.cr3) : std::vector<uint32_t>{};
    view.frames = classify_from_page_tables(frame_count, view.runs, tables);
}

std::vector<CounterValue> mmu_counters(const MmuStats& s) {
    return {
        // hits + misses = lookups; a miss walks the page tables unless paging is off; probes walk
        // without a lookup (mmu_stats.h).
        {"TLB lookups", s.tlb_lookups()},
        {"  hits", s.tlb_hits},
        {"  misses", s.tlb_misses},
        {"    with paging off", s.misses_paging_off},
        {"page walks for misses", s.page_walks},
        {"page walks, probes", s.probe_walks},
        {"TLB flushes", s.tlb_flushes},
        {"INVLPG", s.tlb_invlpg},
        {"page faults", s.faults()},
        {"  not present, read", s.faults_not_present_read},
        {"  not present, write", s.faults_not_present_write},
        {"  not present, fetch", s.faults_not_present_fetch},
        {"  protection, read", s.faults_protection_read},
        {"  protection, write", s.faults_protection_write},
        {"  protection, fetch", s.faults_protection_fetch},
        {"  from user mode", s.faults_user},
        {"  from the kernel", s.faults_supervisor},
        {"code page writes", s.code_page_writes},
    };
}

}  // namespace pc386
