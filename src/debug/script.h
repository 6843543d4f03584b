// Scripted runs for CI: a small expect/send language driven between CPU slices.
//
//   # comment
//   expect "login: "        wait until the guest prints TEXT (on COM1 or the 0xE9 console)
//   send "cowtest\n"        bytes into COM1 (escapes: \n \r \t \\ \" \xHH)
//   type "ls\n"             keys typed on the keyboard (8042)
//   timeout 500000000       instruction budget for each following expect (default 2,000,000,000)
//   wait-exit 1             the guest must exit (through port 0xF4) with this status (any, if none given)
//
// Lines run in order; an expect that times out fails the script with a message naming the line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "machine/stop_reason.h"

namespace pc386 {

class Machine;

struct ScriptLine {
    enum class Op { Expect, Send, Type, Timeout, WaitExit };
    Op op;
    std::string text;   // Expect/Send/Type
    uint64_t number = 0;  // Timeout budget, WaitExit status
    bool has_number = false;
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

  Script(std::vector<ScriptLine> lines, Machine& machine);

  // Called between slices: advances through the script. Returns a StopReason when the script
  // wants the machine stopped (finished or failed), nullopt to keep running.
  std::optional<StopReason> step();
  // Called when the machine stopped on its own (guest exit): checks a pending wait-exit.
  void machine_stopped(StopReason reason, int exit_status);

  bool finished() const { return pc_ >= lines_.size() && failure_.empty(); }
  const std::string& failure() const { return failure_; }

private:
    void on_output(uint8_t byte);

    std::vector<ScriptLine> lines_;
    Machine& machine_;
    size_t pc_ = 0;
    std::string output_;       // guest output not yet consumed by an expect
    uint64_t budget_ = 2'000'000'000;
    uint64_t expect_started_ = 0;
    bool expect_armed_ = false;
    std::string failure_;
};

}  // namespace pc386
