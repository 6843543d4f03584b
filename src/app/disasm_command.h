// `pc386 disasm`: Capstone disassembly of a file, or of guest memory after running the machine.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace pc386 {

struct DisasmOptions {
    std::string file;       // disassemble this file's bytes ...
    uint64_t offset = 0;    // ... starting here
    uint64_t length = 0;    // 0 = to the end of the file (files) / 64 bytes (guest memory)
    uint64_t origin = 0;    // address of the first byte as printed (default: offset)
    bool origin_set = false;
    unsigned bits = 16;     // 16 or 32
    bool bits_set = false;  // --guest without --bits: the current CS's size
    // Guest memory: boot IMAGE (or the built-in guest), run N instructions, then disassemble
    // `length` bytes at linear address `address`.
    bool guest = false;
    std::string image;
    uint32_t mem_mb = 16;
    uint64_t after_insns = 0;
    uint64_t address = 0;
    bool address_set = false;
    uint64_t count = 0;     // at most this many instructions (0 = all in range)
};

void add_disasm_options(CLI::App& cmd, DisasmOptions& options);
int disasm_command(const DisasmOptions& options);

}  // namespace pc386
