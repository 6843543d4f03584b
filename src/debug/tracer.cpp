#include "debug/tracer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/quote.h"
#include "cpu/cpu.h"
#include "debug/event_writer.h"
#include "machine/machine.h"
#include "machine/machine_error.h"

namespace pc386 {

std::FILE* open_output_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, 0644);
    if (fd < 0) return nullptr;
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);  // a FIFO with a reader: blocking writes
    std::FILE* file = ::fdopen(fd, "w");
    if (!file) ::close(fd);
    return file;
}

Tracer::Tracer(const std::string& path, Machine& machine) : machine_(machine), path_(path) {
    file_ = open_output_file(path);
    if (!file_) throw ConfigError(fmt::format("--trace: cannot open {} for writing", quote(path)));
    // Faults, interrupts, CR3 writes, ...: marked between the instructions where they happen.
    subscription_ = machine_.events().subscribe([this](const Event& e) {
        const std::string line = "---- " + event_to_text(e, &machine_.events()) + "\n";
        if (std::fputs(line.c_str(), file_) < 0) write_failed(errno);
    });
}

void Tracer::write_failed(int error) const {
    throw OutputError(fmt::format("--trace: cannot write to {}: {}", quote(path_), std::strerror(error)));
}

void Tracer::finish() {
    if (std::fflush(file_) != 0) write_failed(errno);
}

Tracer::~Tracer() {
    machine_.events().unsubscribe(subscription_);
    if (file_) std::fclose(file_);
}

// One line: CS:EIP, the bytes and their disassembly, then the registers before execution.
void Tracer::before_instruction() {
    const Cpu& cpu = machine_.cpu();
    const CpuState& s = cpu.state();
    const bool big = s.seg[CS].big;
    disassembler_.set_mode(big ? Disassembler::Mode::Bits32 : Disassembler::Mode::Bits16);
    uint8_t bytes[16];
    const uint32_t lin = s.seg[CS].base + s.eip;
    size_t n = 0;
    while (n < sizeof bytes && machine_.mmu().read_linear(lin + static_cast<uint32_t>(n), &bytes[n], 1)) ++n;
    const DisassembledInstruction insn = disassembler_.one({bytes, n}, s.eip);
    const std::string where = big ? fmt::format("{:04x}:{:08x}", s.seg[CS].selector, s.eip)
                                  : fmt::format("{:04x}:{:04x}", s.seg[CS].selector, s.eip);
    const std::string line = fmt::format(
        "{:<48} EAX={:08x} EBX={:08x} ECX={:08x} EDX={:08x} ESI={:08x} EDI={:08x} EBP={:08x} "
        "ESP={:08x} FL={:08x}\n",
        Disassembler::format_line(insn, where), s.regs[EAX], s.regs[EBX], s.regs[ECX], s.regs[EDX],
        s.regs[ESI], s.regs[EDI], s.regs[EBP], s.regs[ESP], cpu.eflags());
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) write_failed(errno);
    ++lines_;
}

}  // namespace pc386
