#include "debug/disassembler.h"

#include <capstone/capstone.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace pc386 {

Disassembler::Disassembler(Mode mode) : mode_(mode) {
    csh h = 0;
    if (cs_open(CS_ARCH_X86, mode == Mode::Bits16 ? CS_MODE_16 : CS_MODE_32, &h) != CS_ERR_OK)
        throw std::runtime_error("capstone: cs_open failed");
    handle_ = h;
}

Disassembler::~Disassembler() {
    csh h = handle_;
    cs_close(&h);
}

void Disassembler::set_mode(Mode mode) {
    if (mode == mode_) return;
    cs_option(handle_, CS_OPT_MODE, mode == Mode::Bits16 ? CS_MODE_16 : CS_MODE_32);
    mode_ = mode;
}

DisassembledInstruction Disassembler::one(std::span<const uint8_t> code, uint64_t address) const {
    DisassembledInstruction out;
    out.address = address;
    if (code.empty()) {
        out.text = "(no bytes)";
        return out;
    }
    cs_insn* insn = nullptr;
    size_t n = cs_disasm(handle_, code.data(), std::min<size_t>(code.size(), 15), address, 1, &insn);
    if (n == 0) {
        out.length = 1;
        out.bytes[0] = code[0];
        out.text = "(bad)";
        return out;
    }
    out.length = static_cast<uint8_t>(insn[0].size);
    std::memcpy(out.bytes, insn[0].bytes, std::min<size_t>(insn[0].size, sizeof out.bytes));
    out.text = insn[0].op_str[0] ? fmt::format("{} {}", insn[0].mnemonic, insn[0].op_str) : insn[0].mnemonic;
    cs_free(insn, n);
    return out;
}

std::vector<DisassembledInstruction> Disassembler::many(std::span<const uint8_t> code, uint64_t address,
                                                         size_t max_count) const {
    std::vector<DisassembledInstruction> out;
    size_t pos = 0;
    while (pos < code.size() && (max_count == 0 || out.size() < max_count)) {
        out.push_back(one(code.subspan(pos), address + pos));
        pos += out.back().length;
    }
    return out;
}

std::string Disassembler::format_line(const DisassembledInstruction& insn, const std::string& address_text) {
    std::string hex;
    for (unsigned i = 0; i < insn.length; ++i) hex += fmt::format("{:02x}", insn.bytes[i]);
    return fmt::format("{}  {:<16} {}", address_text, hex, insn.text);
}

}  // namespace pc386
