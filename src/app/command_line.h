// The command line's grammar, defined once: the `run` and `disasm` commands with their options, and
// QEMU's spellings translated to ours. main() and the command-line fuzzer both parse through it.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "app/disasm_command.h"
#include "app/run_command.h"

namespace pc386 {

class CommandLine {
  public:
    CommandLine();
    CommandLine(const CommandLine&) = delete;
    CommandLine& operator=(const CommandLine&) = delete;

    // `args` without the program's name; no command means `run`. Throws UsageError for a QEMU
    // option we cannot translate or a nonsense value CLI11 accepts, and CLI11's own errors (help
    // and version requests among them) as CLI::Error.
    void parse(const std::vector<std::string>& args);
    // What CLI11 prints for its errors, help and version (the exit status it chooses).
    int exit(const CLI::Error& e) { return app_.exit(e); }

    bool run_chosen() const { return static_cast<bool>(*run_); }
    bool disasm_chosen() const { return static_cast<bool>(*disasm_); }
    const RunOptions& run_options() const { return run_options_; }
    const DisasmOptions& disasm_options() const { return disasm_options_; }

  private:
    CLI::App app_;
    RunOptions run_options_;
    DisasmOptions disasm_options_;
    CLI::App* run_ = nullptr;
    CLI::App* disasm_ = nullptr;
};

}  // namespace pc386
