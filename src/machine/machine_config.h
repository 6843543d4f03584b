// Everything needed to build a PC: what the command line (or a test) asks for. Plain data; the
// machine validates it when it builds itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cpu/cpu_model.h"

namespace pc386 {

// Where a character stream (COM1, the 0xE9 debug console) goes: QEMU's `stdio`, `file:PATH`, `none`.
struct CharTarget {
    enum class Kind { None, Stdio, File };
    Kind kind = Kind::None;
    std::string path;  // for File

    // Parses "stdio", "none" or "file:PATH"; nullopt for anything else.
    static std::optional<CharTarget> parse(const std::string& text);
};

struct DiskConfig {
    std::string path;       // raw image; empty = no disk
    bool snapshot = false;  // writes stay in memory, the file is never modified
    bool read_only = false; // guest writes fail with an error
};

struct MachineConfig {
    uint32_t mem_mb = 16;           // RAM size, 1 .. kMaxMemMb
    CpuModel cpu = CpuModel::i386;  // the 386, or a 486 (its instructions, AC/ID, CR0.WP/AM, #AC)
    std::string bios_path;          // empty = the built-in BIOS (bios.bin beside the executable)
    std::string vga_bios_path;      // optional VGA option ROM at 0xC0000 (e.g. for the Bochs BIOS)
    DiskConfig hda, hdb;
    DiskConfig fda, fdb;  // diskette images in floppy drives A: and B: (format from the size)
    // What the BIOS boots first (CMOS 3Dh, read by our BIOS and the Bochs BIOS); the other follows.
    enum class BootDevice { HardDisk, Floppy };
    BootDevice boot = BootDevice::HardDisk;
    CharTarget serial{CharTarget::Kind::Stdio, {}};
    CharTarget debugcon{CharTarget::Kind::None, {}};
    uint64_t max_instructions = 0;  // 0 = unlimited
    uint32_t ns_per_instruction = 20;  // virtual time per retired instruction (50 MIPS nominal)
    bool realtime = false;          // pace virtual time to the host clock
    bool rtc_host_time = false;     // RTC starts at the host's time instead of a fixed epoch
    // Direct Linux boot (linux_loader.h): a bzImage, an optional initrd and the command line.
    std::string kernel, initrd, append;

    static constexpr uint32_t kMinMemMb = 1;
    static constexpr uint32_t kMaxMemMb = 3072;  // below the PCI/ROM hole at the top of 4 GiB
};

}  // namespace pc386
