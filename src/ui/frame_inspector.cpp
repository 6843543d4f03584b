#include "ui/frame_inspector.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "base/event_filter.h"
#include "base/event_log.h"
#include "debug/event_writer.h"
#include "ui/address_space.h"
#include "ui/guest_frame_table.h"
#include "ui/kernel_layout_text.h"

namespace pc386 {
namespace {

constexpr size_t kDumpBytes = 64;
constexpr size_t kEventLines = 8;

std::string pte_flags(uint32_t pte, bool user, bool writable) {
    return fmt::format("{} {} {} {}", user ? 'U' : 'S', writable ? 'W' : 'R', (pte & 0x20) ? 'A' : '-',
                       (pte & 0x40) ? 'D' : '-');
}

}  // namespace

std::vector<KnownAddressSpace> known_address_spaces(const MemoryView& view) {
    std::vector<KnownAddressSpace> spaces;
    for (const ProcessView& p : view.processes)
        spaces.push_back({p.cr3, fmt::format("pid {} {}", p.pid, p.name)});
    if (view.paging) spaces.push_back({view.cr3, "current CR3"});
    // A guest that lists no processes (Linux): every page directory the machine saw in CR3. (With a
    // process list, the CR3s of exited processes would be stale: their frames are reused.)
    for (uint32_t cr3 : view.processes.empty() ? view.seen_cr3s : std::vector<uint32_t>{}) {
        bool known = false;
        for (const KnownAddressSpace& s : spaces) known |= (s.cr3 & 0xFFFFF000u) == (cr3 & 0xFFFFF000u);
        if (!known) spaces.push_back({cr3, fmt::format("CR3 {:08x}", cr3)});
    }
    return spaces;
}

std::string hex_dump_line(uint32_t address, const uint8_t* bytes, size_t count) {
    std::string hex, text;
    for (size_t i = 0; i < 16; ++i) {
        if (i < count) {
            hex += fmt::format("{:02x} ", bytes[i]);
            text += (bytes[i] >= 0x20 && bytes[i] < 0x7F) ? char(bytes[i]) : '.';
        } else {
            hex += "   ";
        }
    }
    return fmt::format("{:08x} {}|{}|", address, hex, text);  // 75 columns: fits a narrow pane
}

std::vector<PaneLine> inspect_frame(const PhysicalMemoryView& memory, const MemoryView& view, uint32_t frame,
                                    const EventLog* log) {
    using S = PaneLine::Style;
    std::vector<PaneLine> lines;
    const uint32_t phys = frame << 12;
    lines.push_back(
        {fmt::format("Frame {:05x}: physical {:08x}-{:08x}", frame, phys, phys | 0xFFF), S::Title});
    if (frame >= view.frames.size()) {
        lines.push_back({"outside RAM", S::Warning});
        return lines;
    }
    const FrameInfo& info = view.frames[frame];
    lines.push_back({fmt::format("kind: {}", frame_label(info)), S::Text});
    if (frame < view.details.size()) {
        const FrameDetail& d = view.details[frame];
        std::string owner = d.owner_pid ? fmt::format("pid {}", d.owner_pid) : std::string("none");
        for (const ProcessView& p : view.processes)
            if (p.pid == d.owner_pid) owner += " " + p.name;
        lines.push_back(
            {fmt::format("refcount {}, owner {}  (from the guest's frame table)", d.refcount, owner),
             S::Text});
        if (d.has_vm) lines.push_back({"zone " + describe_guest_frame_vm(d), S::Text});
        // A HighMem frame has no kernel address of its own: the kmap slot is how the kernel reaches it.
        for (const auto& slot : kmap_slots_of(view.layout, frame))
            lines.push_back({"kmap slot " + kmap_slot_text(slot), S::Highlight});
    } else {
        lines.push_back({"(no guest frame table: kind from the page tables)", S::Dim});
    }

    FrameUses uses = find_frame_uses(memory, known_address_spaces(view), frame);
    for (const std::string& role : uses.roles) lines.push_back({"is the " + role, S::Highlight});
    lines.push_back({fmt::format("Mapped by {} PTE{} (reverse map of every known page table)",
                                 uses.mappings.size(), uses.mappings.size() == 1 ? "" : "s"),
                     S::Title});
    // Address spaces share the kernel's page tables: one line per (address, entry), naming them all.
    std::vector<std::pair<const FrameMapping*, std::string>> grouped;
    for (const FrameMapping& m : uses.mappings) {
        auto same = std::find_if(grouped.begin(), grouped.end(), [&](const auto& g) {
            return g.first->linear == m.linear && g.first->pte == m.pte && g.first->user == m.user &&
                   g.first->writable == m.writable;
        });
        if (same == grouped.end())
            grouped.push_back({&m, m.owner});
        else
            same->second += ", " + m.owner;
    }
    // The guest's CoW bit on a read-only user PTE (address_space.h): both sides of a fork show it.
    for (const auto& [m, owners] : grouped) {
        const bool cow = view.from_guest && m->user && !m->writable && (m->pte & kGuestPteCow);
        lines.push_back(
            {fmt::format("  {:08x}  {}{}  PTE {:08x}  in {}", m->linear,
                         pte_flags(m->pte, m->user, m->writable), cow ? " CoW" : "", m->pte, owners),
             m->user ? S::Text : S::Dim});
    }
    lines.push_back({fmt::format("First {} bytes", kDumpBytes), S::Title});
    std::array<uint8_t, kDumpBytes> bytes{};
    if (memory.peek(phys, bytes.data(), bytes.size())) {
        for (size_t i = 0; i < bytes.size(); i += 16)
            lines.push_back({hex_dump_line(phys + uint32_t(i), bytes.data() + i, 16), S::Text});
    } else {
        lines.push_back({"  unreadable", S::Warning});
    }

    if (log) {
        std::vector<PaneLine> events;
        for (size_t i = log->history_size(); i-- > 0 && events.size() < kEventLines;) {
            const Event& e = log->history(i);
            if (event_names_frame(e, frame)) events.push_back({"  " + event_to_text(e, log), S::Text});
        }
        lines.push_back({fmt::format("Recent events naming it ({}, newest first)", events.size()), S::Title});
        lines.insert(lines.end(), events.begin(), events.end());
    }
    const std::vector<PaneLine> layout = kernel_layout_lines(view.layout);
    lines.insert(lines.end(), layout.begin(), layout.end());
    return lines;
}

}  // namespace pc386
