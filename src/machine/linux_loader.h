// Direct Linux boot (`pc386 run --kernel`), as QEMU's -kernel does it: a bzImage read by the x86
// boot protocol (Documentation/arch/x86/boot.rst) and put in RAM at every reset, the real-mode
// setup at 0x10000 with the command line at 0x20000, the protected-mode part at 0x100000 and the
// initrd as high as RAM and initrd_addr_max allow. The BIOS still runs its POST (Linux's setup
// calls INT 15h E820, INT 10h and INT 16h). A small option ROM at kOptionRomBase (QEMU's
// linuxboot.bin does the same) hooks INT 19h when the BIOS initialises it, so that booting enters
// the setup instead of a disk: with our BIOS and with any other that runs option ROMs (the Bochs
// BIOS, SeaBIOS).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pc386 {

class PhysicalBus;

class LinuxLoader {
  public:
    static constexpr uint32_t kRealModeBase = 0x10000;  // the setup's segment * 16
    static constexpr uint32_t kCmdlineAddr = 0x20000;   // just past the setup's 64 KiB segment
    static constexpr uint32_t kProtectedBase = 0x100000;
    static constexpr uint16_t kHeapEnd = 0xFE00;         // heap end (and the initial SP) in the segment
    static constexpr uint32_t kOptionRomBase = 0xD0000;  // past any VGA BIOS (at most 64 KiB from C0000h)

    // The option ROM (512 bytes, 55AAh, checksummed): its init, called by the BIOS's scan with a
    // far call to offset 3, points INT 19h at its handler, which enters the setup as the protocol
    // says (DS = ES = FS = GS = SS = the setup's segment, SP = kHeapEnd, interrupts off, CS:IP =
    // segment + 20h : 0).
    static std::vector<uint8_t> option_rom();

    // Reads and checks the files; a ConfigError (one line) for a file that is not a bzImage, a
    // protocol older than 2.02, a kernel or initrd that does not fit in `ram_bytes`, a missing file.
    LinuxLoader(const std::string& kernel, const std::string& initrd, const std::string& cmdline,
                uint32_t ram_bytes);

    // Writes the setup (its header filled in as a boot loader must), the command line, the kernel
    // and the initrd into RAM.
    void place(PhysicalBus& bus) const;

    uint16_t protocol() const { return protocol_; }
    uint32_t initrd_addr() const { return initrd_addr_; }

  private:
    std::vector<uint8_t> setup_, kernel_, initrd_;
    std::string cmdline_;
    uint16_t protocol_ = 0;
    uint32_t initrd_addr_ = 0;
};

}  // namespace pc386
