// Everything one frame of the debug window shows, as plain data: the window loop fills it from the
// machine (ui/machine_snapshot.h), the renderer draws it. Keeping it free of SDL and of the machine
// lets tests build one by hand.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ui/address_space.h"
#include "ui/counter_tracker.h"
#include "ui/frame_kind.h"
#include "ui/frame_palette.h"
#include "ui/page_table_classifier.h"
#include "ui/pane_line.h"

namespace pc386 {

struct ConsoleCell {
    uint8_t ch = ' ';
    uint8_t attribute = 0x07;
    friend bool operator==(const ConsoleCell&, const ConsoleCell&) = default;
};

struct ConsoleView {
    static constexpr int kColumns = 80, kRows = 25;
    std::array<ConsoleCell, kColumns * kRows> cells{};
    int cursor_row = -1, cursor_col = -1;  // -1: hidden
    friend bool operator==(const ConsoleView&, const ConsoleView&) = default;
};

// A process the guest published (guest_info.h), for the process list.
struct ProcessView {
    uint32_t pid = 0;
    std::string name;
    std::string state;
    uint32_t cr3 = 0;
    uint32_t rss_pages = 0;
    uint32_t swap_pages = 0;
    bool current = false;
    friend bool operator==(const ProcessView&, const ProcessView&) = default;
};

// Per-frame details the guest's frame table adds to the kind (shown for the hovered frame).
struct FrameDetail {
    uint16_t refcount = 0;
    uint16_t owner_pid = 0;
    // From the guest's descriptor bytes 8..11 when it has them (guest_info.h): zone, LRU list,
    // GUEST_FRAME_* mapping flags.
    uint8_t zone = 0;
    uint8_t lru = 0;
    uint16_t map_flags = 0;
    bool has_vm = false;  // the fields above were published
    friend bool operator==(const FrameDetail&, const FrameDetail&) = default;
};

struct MemoryView {
    std::vector<FrameInfo> frames;     // one per frame of RAM
    std::vector<FrameDetail> details;  // parallel to frames when from_guest, else empty
    bool from_guest = false;           // coloured from the guest's frame table, not the page tables
    std::string source_note;           // why the guest's table is not used, if it is not
    bool paging = false;
    uint32_t cr3 = 0;
    std::vector<PageRun> runs;           // the current address space's present pages
    std::vector<ProcessView> processes;  // empty unless the guest publishes them
    friend bool operator==(const MemoryView&, const MemoryView&) = default;
};

// The tabs of the detail panes (layout.h: a wide window shows the address space beside the others).
enum class DetailTab : uint8_t { AddressSpace, Frame, Cpu };

struct UiModel {
    ConsoleView console;
    MemoryView memory;
    std::vector<LegendEntry> legend;
    std::vector<CounterTracker::Row> machine_counters;  // CPU, TLB, page faults
    std::vector<CounterTracker::Row> guest_counters;    // the guest kernel's own (CoW, swap, ...)
    std::vector<std::string> info_lines;                // short lines above the counters (CS:EIP, CR2, MIPS)
    std::string fault_line;                             // the last page fault (CR2), or the break the run stopped at
    std::vector<std::string> event_lines;               // the last events of the story (faults, CoW, swap, ...)
    bool events_fresh = false;                          // the newest one just happened
    bool fault_fresh = false;                           // it happened within the last second
    std::string status;                                 // run state and key help
    std::optional<uint32_t> hovered_frame;              // the frame under the mouse
    // What the user picked: a process (its address space is shown; none: the current CR3's) and a
    // frame (the inspector shows it), the tab on show and how far each pane is scrolled (lines).
    std::optional<uint32_t> selected_pid;
    std::optional<uint32_t> selected_frame;
    DetailTab tab = DetailTab::AddressSpace;  // a narrow window's one pane
    DetailTab aux_tab = DetailTab::Frame;     // a wide window's right pane (Frame or Cpu)
    int vmap_scroll = 0, aux_scroll = 0;
    AddressSpaceView space;              // the selected process's address space
    std::vector<PaneLine> frame_lines;   // the frame inspector (empty: nothing selected)
    std::vector<PaneLine> cpu_lines;     // registers, modes and the code around EIP
    // Host time (ms) each frame last changed kind, parallel to memory.frames (may be empty), and the
    // host time of this picture: recently changed frames glow (frame_palette.h, change_glow).
    std::vector<uint64_t> frame_changed_ms;
    uint64_t now_ms = 0;
};

}  // namespace pc386
