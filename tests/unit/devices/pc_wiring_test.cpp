// The devices wired together as on a PC/AT (one I/O bus, the PIC pair as the IRQ sink): every
// chip's ports map without overlap, and each device's interrupt arrives at the CPU side of the
// PIC pair with the vector a PC BIOS programs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "devices/cmos_rtc.h"
#include "devices/debug_console.h"
#include "devices/debug_exit.h"
#include "devices/ide_controller.h"
#include "devices/kbc8042.h"
#include "devices/pic_pair.h"
#include "devices/pit8254.h"
#include "devices/port92.h"
#include "devices/post_port.h"
#include "devices/uart16550.h"
#include "devices/vga_text.h"

namespace pc386 {
namespace {

struct Pc {
    IoBus io;
    PicPair pic;
    Pit8254 pit{pic};
    CmosRtc cmos{pic};
    Kbc8042 kbc{pic};
    Uart16550 com1{pic};
    IdeController ide{pic};
    VgaText vga;
    Port92 port92;
    PostPort post;
    DebugConsole debugcon;
    DebugExit debug_exit;

    Pc() {
        pic.map(io);
        pit.map(io);
        cmos.map(io);
        kbc.map(io);
        com1.map(io);
        ide.map(io);
        vga.map(io);
        port92.map(io);
        post.map(io);
        debugcon.map(io);
        debug_exit.map(io);
        // The BIOS's PIC set-up: vectors 0x08 and 0x70, cascade on IRQ 2, everything unmasked.
        for (auto [port, value] : {std::pair{0x20, 0x11},
                                   {0x21, 0x08},
                                   {0x21, 0x04},
                                   {0x21, 0x01},
                                   {0xA0, 0x11},
                                   {0xA1, 0x70},
                                   {0xA1, 0x02},
                                   {0xA1, 0x01},
                                   {0x21, 0x00},
                                   {0xA1, 0x00}})
            io.write(static_cast<uint16_t>(port), 1, static_cast<uint32_t>(value));
    }
    // What the CPU does when it takes INTR, plus the handler's non-specific EOIs.
    uint8_t take_interrupt() {
        const uint8_t vector = pic.acknowledge();
        if (vector >= 0x70) io.write(0xA0, 1, 0x20);
        io.write(0x20, 1, 0x20);
        return vector;
    }
};

TEST(PcWiring, AllDevicesMapWithoutConflicts) {
    Pc pc;
    EXPECT_EQ(pc.io.owner(0x61), "pit-port61");
    EXPECT_EQ(pc.io.owner(0x1F0), "ide-data");
    EXPECT_EQ(pc.io.owner(0x3F6), "ide-control");
    EXPECT_EQ(pc.io.owner(0x3F7), "");  // the floppy controller's, not ours
}

TEST(PcWiring, TheBiosTimerTickArrivesAsVector8Every55ms) {
    Pc pc;
    pc.io.write(0x43, 1, 0x36);  // channel 0, LSB/MSB, mode 3
    pc.io.write(0x40, 1, 0x00);  // count 65536: 18.2 Hz
    pc.io.write(0x40, 1, 0x00);
    EXPECT_TRUE(pc.pic.intr);  // the output went high when the mode was set
    EXPECT_EQ(pc.take_interrupt(), 0x08);
    int ticks = 0;
    while (pc.pit.next_event() <= 1'000'000'000) {
        pc.pit.advance(pc.pit.next_event());
        if (pc.pic.intr) {
            EXPECT_EQ(pc.take_interrupt(), 0x08);
            ++ticks;
        }
    }
    EXPECT_EQ(ticks, 18);  // 1 s / 54.925 ms
}

TEST(PcWiring, RtcPeriodicInterruptArrivesAsVector70ThroughTheCascade) {
    Pc pc;
    pc.io.write(0x70, 1, 0x0B);
    pc.io.write(0x71, 1, 0x42);  // PIE
    pc.cmos.advance(pc.cmos.next_event());
    ASSERT_TRUE(pc.pic.intr);
    EXPECT_EQ(pc.take_interrupt(), 0x70);
    pc.io.write(0x70, 1, 0x0C);
    pc.io.read(0x71, 1);  // the handler reads C, or no further interrupt comes
    pc.cmos.advance(pc.cmos.next_event());
    EXPECT_TRUE(pc.pic.intr);
}

TEST(PcWiring, KeyboardSerialAndDiskInterruptsHaveTheirVectors) {
    Pc pc;
    pc.kbc.press_key(0x1E);
    EXPECT_EQ(pc.take_interrupt(), 0x09);
    EXPECT_EQ(pc.io.read(0x60, 1), 0x1Eu);

    pc.io.write(0x3F9, 1, 0x01);  // COM1: receive interrupt
    pc.io.write(0x3FC, 1, 0x08);  // OUT2
    pc.com1.receive("x");
    EXPECT_EQ(pc.take_interrupt(), 0x0C);

    const auto path =
        std::filesystem::temp_directory_path() / ("pc386_wiring_" + std::to_string(::getpid()) + ".img");
    { std::ofstream(path, std::ios::binary) << std::string(512 * 64, 'D'); }
    pc.ide.attach(0, std::make_unique<DiskImage>(path.string(), DiskImage::Mode::Snapshot));
    pc.io.write(0x1F6, 1, 0xE0);
    pc.io.write(0x1F2, 1, 1);
    pc.io.write(0x1F3, 1, 5);
    pc.io.write(0x1F4, 1, 0);
    pc.io.write(0x1F5, 1, 0);
    pc.io.write(0x1F7, 1, 0x20);
    EXPECT_EQ(pc.take_interrupt(), 0x76);
    EXPECT_EQ(pc.io.read(0x1F7, 1), 0x58u);
    EXPECT_EQ(pc.io.read(0x1F0, 2), 0x4444u);  // a wide port: the word arrives whole
    EXPECT_EQ(pc.io.read(0x1F0, 4), 0x44444444u);
    std::filesystem::remove(path);
}

}  // namespace
}  // namespace pc386
