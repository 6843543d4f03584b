// --trace FILE: one line per executed instruction, disassembled with Capstone, with the registers
// as they are before it runs, and every event of the stream (faults, interrupts, CR3 writes, ...)
// as a "---- " line where it happens. Slow by design (a file write per instruction); off by default.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "cpu/trace_hook.h"
#include "debug/disassembler.h"

namespace pc386 {

class Machine;

// fopen(path, "w") for the tool's output files (trace, --serial/--debugcon file:PATH), except that it
// never blocks: a FIFO nobody reads fails at once (ENXIO) instead of hanging the start-up.
std::FILE* open_output_file(const std::string& path);

class Tracer : public TraceHook {
public:
    // Opens FILE for writing; throws ConfigError if it cannot.
    Tracer(const std::string& path, Machine& machine);
    ~Tracer() override;

    // A write that fails (a full disk) throws OutputError, ending the run.
    void before_instruction() override;
    // Writes out what is buffered; throws OutputError if that fails.
    void finish();
    uint64_t lines() const { return lines_; }

private:
  [[noreturn]] void write_failed(int error) const;

  Machine& machine_;
  std::string path_;
  std::FILE* file_ = nullptr;
  Disassembler disassembler_{Disassembler::Mode::Bits16};
  uint64_t lines_ = 0;
  int subscription_ = 0;  // the event stream, marked in the trace
};

}  // namespace pc386
