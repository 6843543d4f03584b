// Everything one frame of the debug window shows, as plain data: the window loop fills it from the
// machine (ui/machine_snapshot.h), the renderer draws it. Keeping it free of SDL and of the machine
// lets tests build one by hand.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ui/address_space.h"
#include "ui/counter_tracker.h"
#include "ui/frame_kind.h"
#include "ui/frame_palette.h"
#include "ui/heat_map.h"
#include "ui/kernel_layout.h"
#include "ui/layout.h"
#include "ui/page_table_classifier.h"
#include "ui/page_table_tree.h"
#include "ui/pane_line.h"
#include "ui/timeline.h"

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

// The guest's swap area (guest_info.h): a reference count per slot (PTEs holding it, +1 while the
// swap cache keeps a frame for it) and the swap cache's slot -> frame links. Empty without one.
struct SwapView {
    std::vector<uint16_t> refs;  // per slot; slot 0 is never used
    struct CacheLink {
        uint32_t slot = 0, frame = 0;
        friend bool operator==(const CacheLink&, const CacheLink&) = default;
    };
    std::vector<CacheLink> cached;  // by frame
    friend bool operator==(const SwapView&, const SwapView&) = default;
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
    std::vector<uint32_t> seen_cr3s;     // page directories the machine saw written to CR3, oldest first
    SwapView swap;                       // empty unless the guest publishes its swap map
    GuestKernelLayout layout;            // !present unless the guest publishes it
    friend bool operator==(const MemoryView&, const MemoryView&) = default;
};

// The tabs of the detail panes (layout.h: a wide window shows the address space beside the others).
enum class DetailTab : uint8_t { AddressSpace, Frame, Cpu, Timeline, Swap };

// The run controls the window offers as buttons (each also has a key: kControlKeys).
enum class WindowControl : uint8_t {
    Pause,
    NextEvent,
    Slower,
    Faster,
    BreakOnEvents,
    ShowAll,
    Follow,
    ShowRuns,  // the address space as runs of pages
    ShowTree,  // the address space as its page-table tree
    HeatMap,   // the access heat map over the frame grid, on or off
    LruMap,    // the frame grid coloured by the guest's LRU lists, on or off
};

// The state the controls show.
struct RunState {
    bool paused = false;
    bool breaking_on_events = false;  // F11
    uint64_t pace = 0;                // instructions per second, 0: full speed
    bool heat_map = false;            // the access heat map is on
    bool lru_map = false;             // the grid shows LRU lists (lru_palette.h), not frame kinds
};

struct UiModel {
    ConsoleView console;
    MemoryView memory;
    std::vector<LegendEntry> legend;
    std::vector<CounterTracker::Row> machine_counters;  // CPU, TLB, page faults
    std::vector<CounterTracker::Row> guest_counters;    // the guest kernel's own (CoW, swap, ...)
    std::vector<std::string> info_lines;                // short lines above the counters (CS:EIP, CR2, MIPS)
    std::string fault_line;                 // the last page fault (CR2), or the break the run stopped at
    std::vector<std::string> event_lines;   // the last events of the story (faults, CoW, swap, ...)
    bool events_fresh = false;              // the newest one just happened
    bool fault_fresh = false;               // it happened within the last second
    std::string status;                     // run state and key help
    std::optional<uint32_t> hovered_frame;  // the frame under the mouse
    // What the user picked: a process (its address space is shown; none: the current CR3's) and a
    // frame (the inspector shows it), the tab on show and how far each pane is scrolled (lines).
    std::optional<uint32_t> selected_pid;
    std::optional<uint32_t> selected_cr3;  // a CR3 picked from those seen (instead of a process)
    bool show_tree = false;                // the address space as its page-table tree, not as runs
    std::set<uint32_t> expanded_pdes;      // directory entries opened in the tree
    std::vector<TreeLine> tree;            // the selected address space's tree
    std::optional<uint32_t> selected_frame;
    GridZoom grid_zoom;                       // the memory grid's zoom and scroll (layout.h)
    DetailTab tab = DetailTab::AddressSpace;  // a narrow window's one pane
    DetailTab aux_tab = DetailTab::Timeline;  // a wide window's right pane (Frame, Cpu or Timeline)
    int vmap_scroll = 0, aux_scroll = 0;
    AddressSpaceView space;             // the selected process's address space
    std::vector<PaneLine> frame_lines;  // the frame inspector (empty: nothing selected)
    std::vector<PaneLine> cpu_lines;    // registers, modes and the code around EIP
    std::vector<PaneLine> swap_lines;   // the swap map: used slots with the PTEs that hold them
    // The timeline (tracks along virtual time and the last events), the text of its list lines
    // (parallel to timeline.recent), and the event the user clicked: its page is picked in the
    // address space (selected_page), its frame in the grid and its process in the list.
    TimelineView timeline;
    std::vector<std::string> timeline_list;
    std::optional<Event> selected_event;
    std::string selected_event_text;
    std::optional<uint32_t> selected_page;
    RunState run;
    // Host time (ms) each frame last changed kind, parallel to memory.frames (may be empty), and the
    // host time of this picture: recently changed frames glow (frame_palette.h, change_glow).
    std::vector<uint64_t> frame_changed_ms;
    // The access heat map (heat_map.h): per frame, empty while it is off.
    std::vector<Heat> heat;
    uint64_t now_ms = 0;
};

}  // namespace pc386
