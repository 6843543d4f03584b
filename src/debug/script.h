// Scripted runs for CI: a small expect/send language driven between CPU slices.
//
//   # comment
//   expect "login: "        wait until the guest prints TEXT (on COM1 or the 0xE9 console)
//   send "cowtest\n"        bytes into COM1 (escapes: \n \r \t \\ \" \xHH); send waits for nothing:
//                           expect the prompt first
//   type "ls\n"             keys typed on the keyboard (8042)
//   timeout T               budget of each following expect/wait-event: T is 5s, 250ms (virtual
//                           time) or 100M, 20k, 5000 (instructions); default 5s of virtual time
//   wait-exit [STATUS]      the guest must exit through port 0xF4 with this exit status ((V << 1) | 1)
//   run T                   let the machine run for T (same units as timeout)
//   wait-event FILTER       run until the next event that matches (base/event_filter.h), stopped right
//                           after it; `timeout=T` in the filter overrides the budget for this line
//   assert-event F OP X     a field of that event (addr, frame, new_frame, pid, eip, ...) compared
//                           with a number or another field; OP is == != < <= > >=
//   assert-event-count FILTER OP N   events that matched FILTER since the script started
//   assert-reg REG OP V     eax..edi, esp, ebp, eip, eflags, cs..gs, cr0, cr2, cr3, cpl
//   assert-mem ADDR SIZE OP V        SIZE 1, 2 or 4 bytes at linear ADDR (or phys:ADDR)
//   assert-counter NAME OP V         a machine counter (instructions, exceptions, interrupts,
//                           page-faults, tlb-hits, tlb-misses, tlb-flushes, page-walks, resets) or
//                           one the guest publishes ("cow copies": quoted when it has spaces)
//   break-on FILTER         from here on, the run stops at a matching event (exit status 16; the
//                           window pauses instead)
//   dump-events "FILE"      the events so far (the last 65,536) as JSON Lines
//   dump-map "FILE"         the frame map and the current address space as text
//   screenshot "FILE.png"   the debug window's picture, drawn off screen (needs a build with the window),
//                           and its text in FILE.txt
//   window REQUEST          what the window shows: lru on|off, heat on|off, tree on|off, tab NAME,
//                           timeline all|follow, select pid N|frame N|page ADDR|event (window_command.h)
//   snapshot save NAME      keep the whole machine (CPU, RAM, devices, --snapshot disk writes) as NAME
//   snapshot restore NAME   go back to it: the machine continues from there (output not yet matched
//                           is dropped; events and checks so far stay). At most 16 names.
//   snapshot write "FILE"   the machine into a file, for `pc386 run --restore FILE`
//   case "NAME"             the checks up to the next case are one test case (--junit)
//   include "FILE"          the lines of another script (relative to this one), in place
//
// Lines run in order; a line that times out or an assertion that fails ends the script with a
// message naming the line, the output's last lines, EIP and the instruction count. Output is
// matched as it arrives, so an expect is met even when the guest exits in the same slice. Each
// check (expect, wait-event, wait-exit, assert-*) is recorded for the --junit report.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/event.h"
#include "base/event_filter.h"
#include "debug/window_command.h"
#include "machine/stop_reason.h"

namespace pc386 {

class Machine;

struct ScriptLine {
    enum class Op {
        Expect,
        Send,
        Type,
        Timeout,
        WaitExit,
        WaitEvent,
        AssertEvent,
        AssertEventCount,
        BreakOn,
        DumpEvents,
        Run,
        AssertReg,
        AssertMem,
        AssertCounter,
        DumpMap,
        Case,
        Screenshot,
        Snapshot,
        Window
    };
    enum class SnapshotAction { Save, Restore, Write };
    enum class Cmp { Eq, Ne, Lt, Le, Gt, Ge };
    Op op;
    std::string text;     // Expect/Send/Type text; DumpEvents path; AssertEvent field
    uint64_t number = 0;  // Timeout budget, WaitExit status, AssertEvent*/count value
    bool has_number = false;
    EventFilter filter;   // WaitEvent, AssertEventCount, BreakOn
    Cmp cmp = Cmp::Eq;
    std::string other_field;  // AssertEvent: compare with this field instead of `number`
    bool in_seconds = false;  // Timeout/Run/WaitEvent timeout=: `number` is virtual ns, not instructions
    uint64_t value = 0;       // AssertReg/AssertMem/AssertCounter: the value compared with
    uint32_t size = 0;        // AssertMem: bytes
    bool physical = false;    // AssertMem: phys:ADDR
    SnapshotAction snapshot = SnapshotAction::Save;  // Snapshot: with the name or file in `text`
    WindowCommand window;                            // Window: the request
    std::string file;         // the script file the line is in (include)
    unsigned line_no = 0;
};

class Script {
public:
    // A script is a short text: bigger files are refused before they are read.
    static constexpr size_t kMaxFileBytes = 4u << 20;
    static constexpr size_t kMaxLineBytes = 64u << 10;
    static constexpr size_t kMaxSnapshots = 16;

    // Parses a script file; throws ConfigError with "FILE:LINE: message" for a bad line. A UTF-8
    // byte order mark at the start is skipped.
    static std::vector<ScriptLine> load(const std::string& path);
    static std::vector<ScriptLine> parse(const std::string& text, const std::string& name = "script");

    // Attaches to the machine: listens to its output and events and runs between its slices
    // (Machine::add_slice_hook), so whoever runs the machine runs the script.
    Script(std::vector<ScriptLine> lines, Machine& machine);

    // Called when the machine stopped on its own (guest exit): checks a pending wait-exit.
    void machine_stopped(StopReason reason, int exit_status);

    bool finished() const { return pc_ >= lines_.size() && failure_.empty(); }
    const std::string& failure() const { return failure_; }
    // The run stopped at one of the script's break-on events (not a failure).
    bool stopped_at_break() const { return stopped_at_break_; }

    // What each check line (expect, wait-event, wait-exit, assert-*) came to, for --junit and the
    // summary line. Lines never reached are `skipped`.
    struct Check {
        std::string test_case;  // the `case` it is in, or "" (then the check is its own test case)
        std::string what;       // "line 12: expect \"PASS cowtest\""
        enum class Outcome { Passed, Failed, Skipped } outcome = Outcome::Skipped;
        std::string message;    // why it failed
        double seconds = 0;     // virtual time it took
    };
    std::vector<Check> checks() const;

    // How `screenshot` lines draw the window (the UI sets it; the script does not depend on it):
    // true when the picture was written.
    using ScreenshotWriter = std::function<bool(const std::string& path)>;
    void set_screenshot_writer(ScreenshotWriter writer) { screenshot_ = std::move(writer); }
    bool uses_window() const;  // screenshot or window lines
    // How `window` lines reach the window (the UI sets it): false with `why` when the request
    // names nothing (no such process, frame or mapped page). `event` is the last wait-event's.
    using WindowRequester = std::function<bool(const WindowCommand& request,
                                               const std::optional<Event>& event, std::string& why)>;
    void set_window_requester(WindowRequester requester) { window_ = std::move(requester); }
    // "script: 12 passed, 0 failed, 1 skipped"
    std::string summary() const;

private:
    static std::vector<ScriptLine> load(const std::string& path, unsigned depth);
    static void parse_into(const std::string& text, const std::string& name, std::vector<ScriptLine>& lines,
                           unsigned depth);
    static void check_snapshot_names(const std::vector<ScriptLine>& lines);
    bool take_snapshot_action(const ScriptLine& line);
    StopReason on_slice(StopReason reason);
    std::optional<StopReason> step();
    void on_output(uint8_t byte);
    void match_expects();
    std::string context() const;
    bool fail(const ScriptLine& line, const std::string& why);
    uint64_t budget_ns(const ScriptLine& line) const;
    void passed(size_t index);
    std::optional<uint64_t> register_value(const std::string& name) const;
    std::optional<uint64_t> counter_value(const std::string& name) const;

    std::vector<ScriptLine> lines_;
    Machine& machine_;
    size_t pc_ = 0;
    std::string output_;  // guest output not yet consumed by an expect
    std::deque<std::string> recent_lines_;  // the last lines of output, for failure messages
    uint64_t budget_ns_ = 5'000'000'000;  // 5 s of virtual time
    uint64_t line_started_ns_ = 0;
    std::vector<Check::Outcome> outcomes_;  // per line
    std::vector<double> seconds_;           // per line
    bool line_armed_ = false;
    int wait_break_ = 0;  // the machine break of the wait-event in progress
    std::optional<Event> event_;  // the event the last wait-event stopped at
    std::map<std::string, std::vector<uint8_t>> snapshots_;  // snapshot save NAME
    std::vector<int> break_ons_;
    std::vector<uint64_t> counts_;  // per line: events matched (assert-event-count lines)
    bool stopped_at_break_ = false;
    ScreenshotWriter screenshot_;
    WindowRequester window_;
    std::string failure_;
};

}  // namespace pc386
