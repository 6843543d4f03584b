// The single-step test data (../shared/tests/README.md): one gzipped JSON list of tests per opcode.
// A small parser made for this one shape (about 10x faster than a general DOM): objects, arrays,
// numbers and strings, unknown keys skipped.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pc386::sst {

// The 16-bit registers of the data, in this order.
enum RegIndex : unsigned { AX, BX, CX, DX, CS_, SS_, DS_, ES_, SP, BP, SI, DI, IP, FLAGS, kRegCount };
inline constexpr const char* kRegNames[kRegCount] = {"ax", "bx", "cx", "dx", "cs", "ss", "ds",
                                                     "es", "sp", "bp", "si", "di", "ip", "flags"};

struct MachineState {
    std::array<uint16_t, kRegCount> regs{};
    uint16_t present = 0;  // bit i: regs[i] was given ("final" lists only the changed ones)
    std::vector<std::pair<uint32_t, uint8_t>> ram;  // physical address, byte
};

struct Test {
    int idx = 0;
    std::string name;
    std::vector<uint8_t> bytes;  // the instruction with its prefixes, then the HLT
    MachineState initial, final;
    bool has_exception = false;
    unsigned exception_number = 0;
    int64_t flag_address = -1;  // where the pushed FLAGS lie
};

// Reads and parses one .json.gz file; throws std::runtime_error on malformed input.
std::vector<Test> load_tests(const std::string& path);

}  // namespace pc386::sst
