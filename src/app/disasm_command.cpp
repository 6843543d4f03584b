#include "app/disasm_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <fmt/format.h>

#include "app/exit_codes.h"
#include "app/host_paths.h"
#include "debug/disassembler.h"
#include "machine/machine.h"
#include "machine/machine_error.h"
#include "mmu/mmu.h"

namespace pc386 {
namespace {

std::vector<uint8_t> read_file_range(const std::string& path, uint64_t offset, uint64_t length) {
    // Only a regular file: a FIFO would block the open and /dev/zero would never end.
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
        throw ConfigError(fmt::format("disasm: '{}' is not a regular file", path));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(fmt::format("disasm: cannot read '{}'", path));
    std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (offset > data.size())
        throw ConfigError(fmt::format("disasm: offset {:#x} is past the end of '{}' ({} bytes)", offset, path, data.size()));
    uint64_t available = data.size() - offset;
    if (length == 0) length = available;
    if (length > available)
        throw ConfigError(fmt::format("disasm: '{}' has only {} bytes after offset {:#x}", path, available, offset));
    return {data.begin() + static_cast<long>(offset), data.begin() + static_cast<long>(offset + length)};
}

void print(const std::vector<uint8_t>& bytes, uint64_t origin, unsigned bits, uint64_t count) {
    Disassembler dis(bits == 32 ? Disassembler::Mode::Bits32 : Disassembler::Mode::Bits16);
    for (const auto& insn : dis.many(bytes, origin, count))
        std::printf("%s\n", Disassembler::format_line(insn, fmt::format("{:08x}", insn.address)).c_str());
}

}  // namespace

void add_disasm_options(CLI::App& cmd, DisasmOptions& o) {
    cmd.add_option("FILE", o.file, "File to disassemble (raw bytes, e.g. a boot sector or ROM)");
    cmd.add_option("--offset", o.offset, "First byte of FILE to decode");
    cmd.add_option("--length", o.length, "Bytes to decode (default: to the end of FILE; 64 for guest memory)");
    cmd.add_option("--origin", o.origin, "Address printed for the first byte (default: --offset)")
        ->each([&o](const std::string&) { o.origin_set = true; });
    cmd.add_option("--bits", o.bits, "16 or 32")->check(CLI::IsMember({16u, 32u}))->capture_default_str();
    cmd.add_option("--count", o.count, "Decode at most N instructions");
    cmd.add_flag("--guest", o.guest, "Disassemble guest memory: boot --image (default: built-in guest), run "
                                    "--after instructions, then decode at --address");
    cmd.add_option("--image", o.image, "With --guest: the disk image to boot");
    cmd.add_option("--mem", o.mem_mb, "With --guest: RAM in MiB")
        ->check(CLI::Range(MachineConfig::kMinMemMb, MachineConfig::kMaxMemMb));
    cmd.add_option("--after", o.after_insns, "With --guest: instructions to run first");
    cmd.add_option("--address", o.address, "With --guest: linear address to decode (default: CS:EIP)")
        ->each([&o](const std::string&) { o.address_set = true; });
}

int disasm_command(const DisasmOptions& o) {
    if (!o.guest) {
        if (o.file.empty()) throw ConfigError("disasm: give a FILE, or --guest to disassemble guest memory");
        print(read_file_range(o.file, o.offset, o.length), o.origin_set ? o.origin : o.offset, o.bits, o.count);
        return exit_code::kOk;
    }
    if (!o.file.empty()) throw ConfigError("disasm: give either FILE or --guest, not both");
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
    unsigned bits = o.address_set ? o.bits : machine.current_code_bits();
    std::vector<uint8_t> bytes(o.length ? o.length : 64);
    if (!machine.mmu().read_linear(static_cast<uint32_t>(address), bytes.data(), bytes.size()))
        throw ConfigError(fmt::format("disasm: guest linear address {:#x} is not mapped", address));
    print(bytes, address, bits, o.count);
    return exit_code::kOk;
}

}  // namespace pc386
