// The PC: builds the chips from a MachineConfig, wires ports, memory and interrupt lines, owns
// virtual time, and runs the CPU in slices between device events. Tools (the window, the debugger,
// scripts, the CLI) read it through the inspection calls at the end and act through its commands;
// they never reach into the CPU's state while it runs.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/event_filter.h"
#include "base/event_log.h"
#include "base/virtual_time.h"
#include "cpu/code_breakpoints.h"
#include "mmu/watchpoints.h"
#include "machine/machine_config.h"
#include "machine/stop_reason.h"

namespace pc386 {

class Cpu;
class Mmu;
class PhysicalBus;
class IoBus;
class TraceHook;
class VgaText;
class Kbc8042;
class Uart16550;
class PicPair;
class LinuxLoader;
class StateArchive;

class Machine : private EventContext {
public:
    // Builds and powers on the PC. Throws ConfigError (a one-line message) for bad input: RAM size
    // out of range, a missing/unreadable/truncated BIOS or disk image.
    explicit Machine(const MachineConfig& config);
    ~Machine();  // flushes the disks
    // The same checks of the configuration's files and sizes as the constructor, without building
    // anything (so a tool can report every bad option before it resolves defaults).
    static void validate(const MachineConfig& config);
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    // --- run control: the one run loop. The command line, the window, scripts, the tests and the
    // debugger all drive the machine through these; pace, breaks and events live here. ---

    // Runs until something stops it: the guest exits, --max-insns, request_stop(), a break on an
    // event, a hung guest, or a slice hook (host input, a script) asks to stop.
    StopReason run();
    // Runs at most `budget` instructions (a UI frame's worth, a script's `run N`), then the slice
    // hooks; StopReason::None if nothing stopped it.
    StopReason run_for(uint64_t budget);
    // Runs until the next event that matches `filter` (stopped at the instruction boundary right
    // after it: StopReason::EventBreak, the event in break_event()), or until `budget` instructions
    // ran (StopReason::None), or something else stopped it.
    StopReason run_until_event(const EventFilter& filter, uint64_t budget);
    // Asks a running machine to stop at the next slice boundary (thread-safe, signal-safe).
    void request_stop();
    // Whether a stop was asked for and not yet seen by a run (a tool that is not running the
    // machine, such as a paused window, checks it to leave on Ctrl-C or SIGTERM).
    bool stop_requested() const { return stop_requested_; }

    // Work between slices of run() and after each run_for(): host input, a script's next line.
    // Each hook gets the slice's StopReason and returns the one to report: None to keep running,
    // another to stop (a script that finished), or None for a stop it consumed (the EventBreak of
    // its own wait-event).
    using SliceHook = std::function<StopReason(StopReason)>;
    void add_slice_hook(SliceHook hook);

    // Breaks: a run stops at the instruction boundary right after an event that matches (the
    // window pauses there, a script or the debugger looks at the machine). Returns an id.
    int add_break(const EventFilter& filter);
    void remove_break(int id);
    void clear_breaks();
    size_t break_count() const { return breaks_.size(); }
    // The event that made the last run stop with StopReason::EventBreak, and the break's id.
    const std::optional<Event>& break_event() const { return break_event_; }
    int break_id() const { return break_id_; }

    // Pace (slow motion): at most `instructions_per_second` instructions per host second (0: as
    // fast as the host allows), and/or a pause of 1/`events_per_second` host seconds after each
    // event that matches `filter` (0: none) so that a learner can follow them one at a time.
    void set_pace(uint64_t instructions_per_second) { pace_ips_ = instructions_per_second; pace_started_ = false; }
    uint64_t pace() const { return pace_ips_; }
    void set_event_pace(double events_per_second, const EventFilter& filter);
    // Interactive runs (a person at the keyboard, no script): while the guest is halted waiting for
    // an interrupt, virtual time follows the host clock, so an idle guest costs no host CPU.
    // Off by default: scripts and tests race through idle time.
    void set_idle_pacing(bool on) { idle_pacing_ = on; }
    double event_pace() const { return event_pace_eps_; }

    // --- debugger support (the gdb stub) ---
    // Instruction breakpoints by linear address: a run stops *before* the instruction
    // (StopReason::Breakpoint). Resuming after such a stop runs that instruction first.
    void add_code_breakpoint(uint32_t linear);
    void remove_code_breakpoint(uint32_t linear);
    // Watchpoints on linear addresses: a run stops right after the instruction that made a
    // matching access (StopReason::Breakpoint, watch_hit() says which).
    void add_watchpoint(const Watchpoint& w);
    bool remove_watchpoint(const Watchpoint& w);
    void clear_debug_points();
    struct WatchHit {
        Watchpoint watchpoint;
        uint32_t addr = 0;
        bool write = false;
    };
    const std::optional<WatchHit>& watch_hit() const { return watch_hit_; }
    // The next run_for() runs at most `n` instructions (a debugger's single step).
    void limit_next_slice(uint64_t n) { slice_limit_ = n; }

    // The event stream (base/event_log.h): subscribe to it, or read its history and counts.
    EventLog& events() { return events_; }
    const EventLog& events() const { return events_; }

    // Hardware reset (also what the guest triggers through 0xFE on the 8042, port 0x92 or a triple fault).
    void reset();

    // --- snapshots (QEMU's savevm/loadvm): the whole machine between two instructions ---
    // The machine as bytes, ready for a file (machine_snapshot.cpp has the format). Throws
    // SnapshotError for a machine that cannot be saved: a disk opened read-write.
    std::vector<uint8_t> save_snapshot();
    // Puts the machine back into the state saved in `snapshot`, by a machine of the same
    // configuration (RAM, CPU, BIOS, disks). Throws SnapshotError with one line for bytes that are
    // not such a snapshot, and then the machine is exactly as it was before the call. Breaks,
    // breakpoints, listeners and the event history are the tools' and stay as they are.
    void load_snapshot(std::span<const uint8_t> snapshot);

    // The guest's exit status through the debug-exit port: (value << 1) | 1; valid after GuestExit.
    int exit_status() const { return exit_status_; }

    // Host input: bytes into COM1's receive FIFO; text typed on the keyboard.
    void serial_input(const std::string& bytes);
    void keyboard_type(const std::string& text);
    // Listeners for what the guest prints on COM1 and on the 0xE9 debug console (the CLI's sinks,
    // scripts waiting for output, the window's console pane). Empty functions are ignored.
    void add_serial_listener(std::function<void(uint8_t)> listener);
    void add_debugcon_listener(std::function<void(uint8_t)> listener);

    // Instruction tracing (the debug layer's tracer); nullptr turns it off.
    void set_trace_hook(TraceHook* hook);

    // --- inspection (read-only views for tools) ---
    VirtualNs now() const { return now_; }
    uint64_t instructions() const { return instructions_; }
    uint64_t resets() const { return resets_; }
    // Times a halted CPU skipped virtual time ahead to the next device event.
    uint64_t idle_skips() const { return idle_skips_; }
    // After StopReason::Hung: where and why, e.g. "guest hung at 0008:00001234: halted with every
    // interrupt masked" (one line for the CLI's stderr).
    const std::string& hang_reason() const { return hang_reason_; }
    const MachineConfig& config() const { return config_; }
    Cpu& cpu();
    Mmu& mmu();
    PhysicalBus& bus();
    IoBus& io();
    VgaText& vga();
    // Linear address of CS:EIP and the code segment's default size (16 or 32), for disassembly.
    uint32_t current_code_address();
    unsigned current_code_bits();
    // Guest-info descriptor address the guest published through port 0xEA (0 = none).
    uint32_t guest_info_address() const { return guest_info_address_; }
    // Human-readable counters: instructions, virtual time, TLB and fault counters, disk traffic.
    std::string stats_report() const;

private:
    struct Chips;
    // EventContext: the stamp of each event.
    uint64_t event_icount() const override;
    uint32_t event_eip() const override;
    uint32_t event_cr3() const override;
    uint8_t event_cpl() const override;

    StopReason run_slice(uint64_t budget);
    void transfer_state(StateArchive& ar);
    void on_event(const Event& e);
    void update_event_listener();
    void pace_instructions();
    void build_chips();
    void load_firmware();
    void attach_disk(unsigned unit, const DiskConfig& disk);
    void attach_floppies();
    void advance_devices();
    void feed_serial_input();
    void pace_to_host_clock();
    VirtualNs next_device_event() const;
    const char* why_nothing_can_wake(VirtualNs next) const;

    MachineConfig config_;
    std::unique_ptr<Chips> chips_;
    std::unique_ptr<LinuxLoader> linux_;  // --kernel: placed in RAM at every reset
    VirtualNs now_ = 0;
    uint64_t instructions_ = 0;
    uint64_t resets_ = 0;
    uint64_t idle_skips_ = 0;
    std::string hang_reason_;
    int exit_status_ = 0;
    bool exit_requested_ = false;
    bool reset_requested_ = false;
    uint32_t guest_info_address_ = 0;
    std::vector<std::function<void(uint8_t)>> serial_listeners_, debugcon_listeners_;
    std::atomic<bool> stop_requested_{false};
    std::vector<SliceHook> slice_hooks_;

    EventLog events_;
    struct Break {
        int id;
        EventFilter filter;
    };
    std::vector<Break> breaks_;
    int next_break_id_ = 1;
    int event_listener_ = 0;  // our subscription while breaks or event pacing need one
    bool break_hit_ = false;
    int break_id_ = 0;
    std::optional<Event> break_event_;
    uint64_t pace_ips_ = 0;
    bool pace_started_ = false;
    std::chrono::steady_clock::time_point pace_host_origin_;
    uint64_t pace_insn_origin_ = 0;
    double event_pace_eps_ = 0;
    EventFilter event_pace_filter_;
    bool event_pace_hit_ = false;
    bool idle_pacing_ = false;

    CodeBreakpoints code_breaks_;
    Watchpoints watches_;
    std::optional<WatchHit> watch_hit_;
    bool watch_pending_ = false;      // a watchpoint fired in the instruction just run
    bool stopped_at_breakpoint_ = false;  // the last run stopped before a breakpoint's instruction
    uint64_t slice_limit_ = 0;
    bool pacing_started_ = false;
    std::chrono::steady_clock::time_point pacing_host_origin_;
    VirtualNs pacing_virtual_origin_ = 0;
};

}  // namespace pc386
