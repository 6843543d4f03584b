#include "machine/linux_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "base/quote.h"
#include "machine/bounded_file.h"
#include "machine/machine_error.h"
#include "mmu/physical_bus.h"

namespace pc386 {
namespace {

// Setup header fields (offsets in the file's first sectors).
constexpr size_t kSetupSects = 0x1F1, kHeader = 0x202, kVersion = 0x206, kTypeOfLoader = 0x210,
                 kLoadFlags = 0x211, kRamdiskImage = 0x218, kRamdiskSize = 0x21C, kHeapEndPtr = 0x224,
                 kCmdLinePtr = 0x228, kInitrdAddrMax = 0x22C, kCmdlineSize = 0x238, kInitSize = 0x260;
constexpr uint8_t kLoadedHigh = 0x01, kCanUseHeap = 0x80;

uint16_t get16(const std::vector<uint8_t>& d, size_t at) {
    return static_cast<uint16_t>(d[at] | d[at + 1] << 8);
}
uint32_t get32(const std::vector<uint8_t>& d, size_t at) {
    return get16(d, at) | static_cast<uint32_t>(get16(d, at + 2)) << 16;
}
void put16(std::vector<uint8_t>& d, size_t at, uint16_t v) {
    d[at] = static_cast<uint8_t>(v);
    d[at + 1] = static_cast<uint8_t>(v >> 8);
}
void put32(std::vector<uint8_t>& d, size_t at, uint32_t v) {
    put16(d, at, static_cast<uint16_t>(v));
    put16(d, at + 2, static_cast<uint16_t>(v >> 16));
}

// A whole regular file of at most `max_bytes`: RAM bounds it.
std::vector<uint8_t> read_file(const std::string& path, const char* what, uint32_t max_bytes) {
    return read_bounded_file(path, what, max_bytes, [&](uint64_t size) {
        return fmt::format("{} bytes, more than RAM holds ({} bytes); give more --mem", size, max_bytes);
    });
}

}  // namespace

LinuxLoader::LinuxLoader(const std::string& kernel, const std::string& initrd, const std::string& cmdline,
                         uint32_t ram_bytes)
    : cmdline_(cmdline) {
    std::vector<uint8_t> image = read_file(kernel, "--kernel", ram_bytes);
    const std::string name = quote(kernel);
    if (image.size() < kInitSize + 4 || std::memcmp(&image[kHeader], "HdrS", 4) != 0)
        throw ConfigError(
            fmt::format("--kernel {}: not a bzImage (no \"HdrS\" setup header at 0x202)", name));
    protocol_ = get16(image, kVersion);
    if (protocol_ < 0x202)
        throw ConfigError(fmt::format("--kernel {}: boot protocol {}.{:02}, older than the 2.02 pc386 loads",
                                      name, protocol_ >> 8, protocol_ & 0xFF));
    if (!(image[kLoadFlags] & kLoadedHigh))
        throw ConfigError(fmt::format("--kernel {}: a zImage (loaded low); pc386 loads bzImages only", name));
    const size_t setup_sects = image[kSetupSects] ? image[kSetupSects] : 4;
    const size_t setup_bytes = (setup_sects + 1) * 512;
    if (setup_bytes >= kHeapEnd || setup_bytes >= image.size())
        throw ConfigError(fmt::format(
            "--kernel {}: {} setup sectors do not fit the file or the setup's segment", name, setup_sects));
    setup_.assign(image.begin(), image.begin() + static_cast<std::ptrdiff_t>(setup_bytes));
    kernel_.assign(image.begin() + static_cast<std::ptrdiff_t>(setup_bytes), image.end());

    // The kernel needs init_size bytes from 0x100000 (2.10+: it decompresses in place).
    const uint64_t needed =
        std::max<uint64_t>(kernel_.size(), protocol_ >= 0x20A ? get32(setup_, kInitSize) : 0);
    const uint64_t kernel_end = kProtectedBase + needed;
    if (kernel_end > ram_bytes)
        throw ConfigError(fmt::format("--kernel {}: needs RAM up to {:#x}, more than the {} MiB of --mem",
                                      name, kernel_end, ram_bytes >> 20));
    const size_t cmdline_max = protocol_ >= 0x206 ? get32(setup_, kCmdlineSize) : 255;
    if (cmdline_.size() > cmdline_max)
        throw ConfigError(
            fmt::format("--append: {} bytes, more than this kernel's {}", cmdline_.size(), cmdline_max));

    if (!initrd.empty()) {
        initrd_ = read_file(initrd, "--initrd", ram_bytes);
        // As high as allowed: below initrd_addr_max (2.03+; 0x37FFFFFF before) and RAM's end, 4 KiB aligned.
        const uint64_t max_addr = protocol_ >= 0x203 ? get32(setup_, kInitrdAddrMax) : 0x37FFFFFFu;
        const uint64_t top = std::min<uint64_t>(max_addr + 1, ram_bytes);
        const uint64_t addr = top >= initrd_.size() ? (top - initrd_.size()) & ~uint64_t{0xFFF} : 0;
        if (addr < ((kernel_end + 0xFFF) & ~uint64_t{0xFFF}))
            throw ConfigError(
                fmt::format("--initrd {}: {} bytes do not fit between the kernel and {:#x}; give more --mem",
                            quote(initrd), initrd_.size(), top));
        initrd_addr_ = static_cast<uint32_t>(addr);
    }

    // What a boot loader fills in (boot.rst, "Details of header fields").
    setup_[kTypeOfLoader] = 0xFF;  // undefined loader
    setup_[kLoadFlags] |= kCanUseHeap;
    put16(setup_, kHeapEndPtr, kHeapEnd - 0x200);
    put32(setup_, kCmdLinePtr, kCmdlineAddr);
    put32(setup_, kRamdiskImage, initrd_addr_);
    put32(setup_, kRamdiskSize, static_cast<uint32_t>(initrd_.size()));
}

std::vector<uint8_t> LinuxLoader::option_rom() {
    constexpr uint16_t seg = kRealModeBase >> 4;
    constexpr uint8_t handler = 0x14;  // the offset of `handler` below
    // clang-format off
    std::vector<uint8_t> rom = {
        0x55, 0xAA, 0x01,                        // signature, 1 x 512 bytes
        0x1E,                                    // init: push ds
        0x31, 0xC0,                              //   xor ax, ax
        0x8E, 0xD8,                              //   mov ds, ax
        0xC7, 0x06, 0x64, 0x00, handler, 0x00,   //   mov word [19h * 4], handler
        0x8C, 0x0E, 0x66, 0x00,                  //   mov [19h * 4 + 2], cs
        0x1F,                                    //   pop ds
        0xCB,                                    //   retf
        0xFA,                                    // handler: cli
        0xB8, uint8_t(seg), uint8_t(seg >> 8),   //   mov ax, seg
        0x8E, 0xD8, 0x8E, 0xC0, 0x8E, 0xE0,      //   mov ds, ax; mov es, ax; mov fs, ax
        0x8E, 0xE8, 0x8E, 0xD0,                  //   mov gs, ax; mov ss, ax
        0xBC, uint8_t(kHeapEnd), uint8_t(kHeapEnd >> 8),                     //   mov sp, kHeapEnd
        0xEA, 0x00, 0x00, uint8_t(seg + 0x20), uint8_t((seg + 0x20) >> 8)};  //   jmp seg+20h:0
    // clang-format on
    rom.resize(512);
    uint8_t sum = 0;
    for (uint8_t b : rom) sum = uint8_t(sum + b);
    rom.back() = uint8_t(-sum);  // every byte adds up to 0 modulo 256
    return rom;
}

void LinuxLoader::place(PhysicalBus& bus) const {
    bus.poke(kRealModeBase, setup_.data(), setup_.size());
    bus.poke(kCmdlineAddr, cmdline_.c_str(), cmdline_.size() + 1);
    bus.poke(kProtectedBase, kernel_.data(), kernel_.size());
    if (!initrd_.empty()) bus.poke(initrd_addr_, initrd_.data(), initrd_.size());
}

}  // namespace pc386
