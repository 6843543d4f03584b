// x86 disassembly through Capstone, for traces, the debugger and `pc386 disasm`.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace pc386 {

struct DisassembledInstruction {
    uint64_t address = 0;  // where it was (offset or linear address, as the caller counts)
    uint8_t length = 0;
    uint8_t bytes[16] = {};
    std::string text;      // "mov eax, dword ptr [ebx + 4]"; "(bad)" when undecodable
};

class Disassembler {
public:
    enum class Mode { Bits16, Bits32 };
    explicit Disassembler(Mode mode);
    ~Disassembler();
    Disassembler(const Disassembler&) = delete;
    Disassembler& operator=(const Disassembler&) = delete;

    void set_mode(Mode mode);
    // Decodes one instruction at the start of `code` (which lies at `address`). Never fails: an
    // undecodable byte comes back as a one-byte "(bad)".
    DisassembledInstruction one(std::span<const uint8_t> code, uint64_t address) const;
    // Decodes up to `max_count` instructions from `code` (0 = until the end of the buffer).
    std::vector<DisassembledInstruction> many(std::span<const uint8_t> code, uint64_t address,
                                              size_t max_count = 0) const;

    // "0000:7c00  fa              cli" style line.
    static std::string format_line(const DisassembledInstruction& insn, const std::string& address_text);

private:
    size_t handle_ = 0;  // csh
    Mode mode_;
};

}  // namespace pc386
