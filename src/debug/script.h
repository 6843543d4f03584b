// Scripted runs for CI: a small expect/send language driven between CPU slices.
//
//   # comment
//   expect "login: "        wait until the guest prints TEXT (on COM1 or the 0xE9 console)
//   send "cowtest\n"        bytes into COM1 (escapes: \n \r \t \\ \" \xHH)
//   type "ls\n"             keys typed on the keyboard (8042)
//   timeout 500000000       instruction budget for each following expect/wait-event (default 2,000,000,000)
//   wait-exit 1             the guest must exit (through port 0xF4) with this status (any, if none given)
//   wait-event FILTER       run until the next event that matches (base/event_filter.h), stopped right
//                           after it; `timeout=N` in the filter overrides the budget for this line
//   assert-event F OP X     a field of that event (addr, frame, new_frame, pid, eip, ...) compared
//                           with a number or another field; OP is == != < <= > >=
//   assert-event-count FILTER OP N   events that matched FILTER since the script started
//   break-on FILTER         from here on, the run stops at a matching event (exit status 16; the
//                           window pauses instead)
//   dump-events FILE        the events so far (the last 65,536) as JSON Lines
//
// Lines run in order; a line that times out or an assertion that fails ends the script with a
// message naming the line. Output is matched as it arrives, so an expect is met even when the
// guest exits in the same slice.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "base/event.h"
#include "base/event_filter.h"
#include "machine/stop_reason.h"

namespace pc386 {

class Machine;

struct ScriptLine {
    enum class Op { Expect, Send, Type, Timeout, WaitExit, WaitEvent, AssertEvent, AssertEventCount, BreakOn, DumpEvents };
    enum class Cmp { Eq, Ne, Lt, Le, Gt, Ge };
    Op op;
    std::string text;     // Expect/Send/Type text; DumpEvents path; AssertEvent field
    uint64_t number = 0;  // Timeout budget, WaitExit status, AssertEvent*/count value
    bool has_number = false;
    EventFilter filter;   // WaitEvent, AssertEventCount, BreakOn
    Cmp cmp = Cmp::Eq;
    std::string other_field;  // AssertEvent: compare with this field instead of `number`
    unsigned line_no = 0;
};

class Script {
public:
    // A script is a short text: bigger files are refused before they are read.
    static constexpr size_t kMaxFileBytes = 4u << 20;
    static constexpr size_t kMaxLineBytes = 64u << 10;

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

private:
    StopReason on_slice(StopReason reason);
    std::optional<StopReason> step();
    void on_output(uint8_t byte);
    void match_expects();
    std::string context() const;
    bool fail(const ScriptLine& line, const std::string& why);

    std::vector<ScriptLine> lines_;
    Machine& machine_;
    size_t pc_ = 0;
    std::string output_;  // guest output not yet consumed by an expect
    std::deque<std::string> recent_lines_;  // the last lines of output, for failure messages
    uint64_t budget_ = 2'000'000'000;
    uint64_t line_started_ = 0;
    bool line_armed_ = false;
    int wait_break_ = 0;  // the machine break of the wait-event in progress
    std::optional<Event> event_;  // the event the last wait-event stopped at
    std::vector<int> break_ons_;
    std::vector<uint64_t> counts_;  // per line: events matched (assert-event-count lines)
    bool stopped_at_break_ = false;
    std::string failure_;
};

}  // namespace pc386
