// --kernel's option ROM: a BIOS initialises it only if it is a valid option ROM (55AAh, its size,
// every byte adding up to 0), and its init must point INT 19h at a handler that enters the setup
// exactly as the boot protocol says. Run here on the real CPU from a tiny BIOS that does what a
// BIOS's scan does (far call D000:0003), then INT 19h.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <numeric>

#include "cpu/cpu.h"
#include "machine/linux_loader.h"
#include "machine/machine.h"

namespace pc386 {
namespace {

TEST(LinuxOptionRom, GivenTheRom_ThenABiosAcceptsIt) {
    std::vector<uint8_t> rom = LinuxLoader::option_rom();
    ASSERT_EQ(rom.size(), 512u);
    EXPECT_EQ(rom[0], 0x55);
    EXPECT_EQ(rom[1], 0xAA);
    EXPECT_EQ(rom[2], 1);  // 512-byte blocks
    EXPECT_EQ(std::accumulate(rom.begin(), rom.end(), 0u) % 256, 0u);
}

TEST(LinuxOptionRom, GivenABiosThatRunsIt_WhenBooting_ThenTheSetupIsEnteredAsTheProtocolSays) {
    // F000:0000: call far C800:0003; int 19h. The reset vector jumps there; 64 KiB.
    std::vector<uint8_t> bios(65536, 0xF4);
    const uint8_t code[] = {0x31, 0xC0, 0x8E, 0xD0, 0xBC, 0x00, 0x7C,  // xor ax,ax; mov ss,ax; mov sp,7C00h
                            0x9A, 0x03, 0x00, 0x00, 0xD0,              // call far D000:0003
                            0xCD, 0x19};                               // int 19h
    std::copy(std::begin(code), std::end(code), bios.begin());
    const uint8_t reset[] = {0xEA, 0x00, 0x00, 0x00, 0xF0};  // jmp far F000:0000
    std::copy(std::begin(reset), std::end(reset), bios.begin() + 0xFFF0);
    const auto dir = std::filesystem::temp_directory_path() / ("pc386-optrom-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto write = [&](const char* name, const std::vector<uint8_t>& bytes) {
        std::ofstream(dir / name, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        return (dir / name).string();
    };
    // A minimal bzImage: 4 setup sectors (0 in the header), "HdrS", protocol 2.02, loaded high;
    // the setup's code at 1020:0000 (offset 0x200 of the file) is HLT.
    std::vector<uint8_t> kernel(5 * 512 + 4096, 0);
    kernel[0x202] = 'H', kernel[0x203] = 'd', kernel[0x204] = 'r', kernel[0x205] = 'S';
    kernel[0x206] = 0x02, kernel[0x207] = 0x02;
    kernel[0x211] = 0x01;
    kernel[0x200] = 0xF4;

    MachineConfig config;
    config.mem_mb = 4;
    config.bios_path = write("bios.bin", bios);
    config.kernel = write("bzImage", kernel);
    config.serial = CharTarget{CharTarget::Kind::None, {}};
    config.max_instructions = 10'000;
    Machine machine(config);
    machine.run_for(100);
    const CpuState& s = machine.cpu().state();
    std::filesystem::remove_all(dir);
    EXPECT_EQ(s.seg[CS].selector, 0x1020);
    EXPECT_EQ(s.eip, 1u);  // past the HLT at 1020:0000
    for (int seg : {DS, ES, FS, GS, SS}) EXPECT_EQ(s.seg[seg].selector, 0x1000) << seg;
    EXPECT_EQ(s.regs[ESP] & 0xFFFF, LinuxLoader::kHeapEnd);
    EXPECT_FALSE(machine.cpu().eflags() & 0x200) << "interrupts must be off";
}

}  // namespace
}  // namespace pc386
