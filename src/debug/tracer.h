// --trace FILE: one line per executed instruction, disassembled with Capstone, with the registers
// as they are before it runs. Slow by design (a file write per instruction); off by default.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "cpu/trace_hook.h"
#include "debug/disassembler.h"

namespace pc386 {

class Machine;

class Tracer : public TraceHook {
public:
    // Opens FILE for writing; throws ConfigError if it cannot.
    Tracer(const std::string& path, Machine& machine);
    ~Tracer() override;

    void before_instruction() override;
    uint64_t lines() const { return lines_; }

private:
    Machine& machine_;
    std::FILE* file_ = nullptr;
    Disassembler disassembler_{Disassembler::Mode::Bits16};
    uint64_t lines_ = 0;
};

}  // namespace pc386
