#include "app/disasm_command.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "app/cli_values.h"
#include "app/exit_codes.h"
#include "app/host_paths.h"
#include "base/quote.h"
#include "debug/disassembler.h"
#include "machine/machine.h"
#include "machine/machine_error.h"
#include "mmu/mmu.h"

namespace pc386 {
namespace {

// The longest x86 instruction: --count N needs at most N times this many bytes.
constexpr uint64_t kMaxInstructionBytes = 15;

// Reads only the bytes asked for: from `offset`, `length` bytes (0 = to the end), and no more than
// `count` instructions can use, so a huge file costs no more than a small one.
std::vector<uint8_t> read_file_range(const std::string& path, uint64_t offset, uint64_t length,
                                     uint64_t count) {
    // Only a regular file: a FIFO would block the open and /dev/zero would never end.
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
        throw ConfigError(fmt::format("disasm: {} is not a regular file", quote(path)));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(fmt::format("disasm: cannot read {}", quote(path)));
    const uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) throw ConfigError(fmt::format("disasm: cannot read the size of {}", quote(path)));
    if (offset > size)
        throw ConfigError(
            fmt::format("disasm: offset {:#x} is past the end of {} ({} bytes)", offset, quote(path), size));
    const uint64_t available = size - offset;
    if (length == 0) length = available;
    if (length > available)
        throw ConfigError(
            fmt::format("disasm: {} has only {} bytes after offset {:#x}", quote(path), available, offset));
    if (count != 0 && count < length / kMaxInstructionBytes) length = count * kMaxInstructionBytes;
    std::vector<uint8_t> data(length);
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(length));
    if (!in) throw ConfigError(fmt::format("disasm: read error on {}", quote(path)));
    return data;
}

// Addresses wrap at 4 GiB as the CPU's linear addresses do (code at the reset vector runs past
// FFFFFFFFh into 0).
void print(const std::vector<uint8_t>& bytes, uint64_t origin, unsigned bits, uint64_t count) {
    Disassembler dis(bits == 32 ? Disassembler::Mode::Bits32 : Disassembler::Mode::Bits16);
    for (const auto& insn : dis.many(bytes, origin, count))
        std::printf("%s\n", Disassembler::format_line(
                                insn, fmt::format("{:08x}", static_cast<uint32_t>(insn.address)))
                                .c_str());
}

}  // namespace

void add_disasm_options(CLI::App& cmd, DisasmOptions& o) {
    cmd.add_option("FILE", o.file, "File to disassemble (raw bytes, e.g. a boot sector or ROM)")
        ->check(non_empty_path_validator());
    cmd.add_option("--offset", o.offset, "First byte of FILE to decode")->check(whole_number_validator());
    cmd.add_option("--length", o.length, "Bytes to decode (default: to the end of FILE; 64 for guest memory)")
        ->check(whole_number_validator());
    cmd.add_option("--origin", o.origin, "Address printed for the first byte (default: --offset)")
        ->check(whole_number_validator())
        ->each([&o](const std::string&) { o.origin_set = true; });
    cmd.add_option("--bits", o.bits,
                   "16 or 32 (default: 16 for a file; for --guest, the size of the current CS)")
        ->check(CLI::IsMember({16u, 32u}))
        ->each([&o](const std::string&) { o.bits_set = true; });
    cmd.add_option("--count", o.count, "Decode at most N instructions (only the bytes they need are read)")
        ->check(whole_number_validator());
    cmd.add_flag("--guest", o.guest, "Disassemble guest memory: boot --image (default: built-in guest), run "
                                    "--after instructions, then decode at --address");
    cmd.add_option("--image", o.image, "With --guest: the disk image to boot")
        ->check(non_empty_path_validator());
    cmd.add_option("--mem", o.mem_mb, "With --guest: RAM in MiB (8, 8M, 1G)")
        ->transform(mem_size_validator())
        ->check(CLI::Range(MachineConfig::kMinMemMb, MachineConfig::kMaxMemMb));
    cmd.add_option("--after", o.after_insns, "With --guest: instructions to run first")
        ->check(whole_number_validator());
    cmd.add_option("--address", o.address, "With --guest: linear address to decode (default: CS:EIP)")
        ->check(whole_number_validator())
        ->each([&o](const std::string&) { o.address_set = true; });
}

int disasm_command(const DisasmOptions& o) {
    if (!o.guest) {
        if (o.file.empty()) throw UsageError("disasm: give a FILE, or --guest to disassemble guest memory");
        print(read_file_range(o.file, o.offset, o.length, o.count), o.origin_set ? o.origin : o.offset,
              o.bits, o.count);
        return exit_code::kOk;
    }
    if (!o.file.empty()) throw UsageError("disasm: give either FILE or --guest, not both");
    if (o.address_set && o.address > 0xFFFFFFFFu)
        throw UsageError(
            fmt::format("disasm: --address {:#x} is past 4 GiB (linear addresses are 32-bit)", o.address));
    MachineConfig config;
    config.mem_mb = o.mem_mb;
    config.hda.path = o.image.empty() ? builtin_guest_image() : o.image;
    config.hda.snapshot = true;
    config.bios_path = builtin_bios_image();
    config.serial = CharTarget{};
    if (o.after_insns > 0) config.max_instructions = o.after_insns;
    Machine machine(config);
    if (o.after_insns > 0) machine.run();
    uint64_t address = o.address_set ? o.address : machine.current_code_address();
    // Code at another address is most likely of the same size as the code running now.
    unsigned bits = o.bits_set ? o.bits : machine.current_code_bits();
    uint64_t length = o.length ? o.length : 64;
    if (o.count != 0 && o.count < length / kMaxInstructionBytes) length = o.count * kMaxInstructionBytes;
    if (length > 0x100000000ull)
        throw UsageError(
            fmt::format("disasm: --length {:#x} is more than the 4 GiB linear address space", length));
    std::vector<uint8_t> bytes(length);
    if (!machine.mmu().read_linear(static_cast<uint32_t>(address), bytes.data(), bytes.size()))
        throw ConfigError(fmt::format("disasm: guest linear address {:#x} is not mapped", address));
    print(bytes, address, bits, o.count);
    return exit_code::kOk;
}

}  // namespace pc386
