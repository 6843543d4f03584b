#include "devices/floppy_controller.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "irq_recorder.h"
#include "patterned_disk_image.h"

namespace pc386 {
namespace {

class TestMemory : public DmaMemory {
  public:
    std::vector<uint8_t> bytes = std::vector<uint8_t>(1 << 20, 0);
    uint8_t dma_read(uint32_t phys) override { return bytes.at(phys); }
    void dma_write(uint32_t phys, uint8_t value) override { bytes.at(phys) = value; }
};

struct TestClock : Clock {
    VirtualNs t = 0;
    VirtualNs now() const override { return t; }
};

constexpr uint64_t k144 = 1474560;

class FdcTest : public ::testing::Test {
  protected:
    FdcTest()
        : image(k144 / 512, "pc386_fdc", ::testing::UnitTest::GetInstance()->current_test_info()->name()) {
        fdc.set_clock(&clock);
        dma.port_write(0xD6, 1, 0xC0);  // cascade on channel 4, unmasked, as the BIOS leaves it
        dma.port_write(0xD4, 1, 0x00);
    }

    void insert(DiskImage::Mode mode = DiskImage::Mode::ReadWrite) {
        fdc.attach(0, std::make_unique<FloppyDrive>(std::make_unique<DiskImage>(image.path(), mode)));
    }
    void out(uint16_t port, uint8_t v) { fdc.port_write(port, 1, v); }
    uint8_t in(uint16_t port) { return static_cast<uint8_t>(fdc.port_read(port, 1)); }
    // Lets virtual time pass until the controller's pending events have happened.
    void settle() {
        clock.t += FloppyController::kSettleNs;
        fdc.advance(clock.t);
    }
    // Writes a command byte by byte, each when the MSR asks for one (RQM set, DIO clear).
    void command(std::initializer_list<uint8_t> bytes) {
        for (uint8_t b : bytes) {
            ASSERT_EQ(in(0x3F4) & 0xC0, 0x80) << "controller not ready for command byte " << int(b);
            out(0x3F5, b);
        }
    }
    std::vector<uint8_t> results(size_t n) {
        std::vector<uint8_t> r;
        for (size_t i = 0; i < n; ++i) {
            EXPECT_EQ(in(0x3F4) & 0xC0, 0xC0) << "no result byte " << i;
            r.push_back(in(0x3F5));
        }
        EXPECT_EQ(in(0x3F4) & 0xD0, 0x80) << "result phase over";
        return r;
    }
    void program_dma(uint32_t phys, uint32_t bytes, bool to_memory) {
        dma.port_write(0x0A, 1, 0x06);
        dma.port_write(0x0B, 1, to_memory ? 0x46 : 0x4A);
        dma.port_write(0x0C, 1, 0);
        dma.port_write(0x04, 1, phys & 0xFF);
        dma.port_write(0x04, 1, (phys >> 8) & 0xFF);
        dma.port_write(0x81, 1, (phys >> 16) & 0xFF);
        dma.port_write(0x0C, 1, 0);
        dma.port_write(0x05, 1, (bytes - 1) & 0xFF);
        dma.port_write(0x05, 1, ((bytes - 1) >> 8) & 0xFF);
        dma.port_write(0x0A, 1, 0x02);
    }
    std::vector<uint8_t> memory_at(uint32_t phys, size_t n) {
        return {memory.bytes.begin() + phys, memory.bytes.begin() + phys + static_cast<long>(n)};
    }
    static uint64_t lba(unsigned c, unsigned h, unsigned s) { return (c * 2 + h) * 18 + s - 1; }
    // SEEK and the SENSE INTERRUPT STATUS that ends it.
    void seek(uint8_t cylinder, unsigned head = 0) {
        command({0x0F, static_cast<uint8_t>(head << 2), cylinder});
        settle();
        command({0x08});
        results(2);
    }

    test::IrqRecorder irq;
    TestMemory memory;
    TestClock clock;
    Dma8237 dma{memory};
    FloppyController fdc{irq, dma};
    PatternedDiskImage image;
};

TEST(FloppyFormat, KnownSizesOnly) {
    EXPECT_EQ(floppy_format_for_size(368640)->sectors_per_track, 9);
    EXPECT_EQ(floppy_format_for_size(368640)->cylinders, 40);
    EXPECT_EQ(floppy_format_for_size(737280)->cmos_type, 3);
    EXPECT_EQ(floppy_format_for_size(1228800)->sectors_per_track, 15);
    EXPECT_EQ(floppy_format_for_size(1474560)->sectors_per_track, 18);
    EXPECT_EQ(floppy_format_for_size(1474560)->cmos_type, 4);
    EXPECT_EQ(floppy_format_for_size(2949120)->sectors_per_track, 36);
    EXPECT_FALSE(floppy_format_for_size(1474560 - 512));
    EXPECT_FALSE(floppy_format_for_size(1 << 20));
}

TEST(FloppyFormat, AnOddSizedImageIsRefusedWithOneLine) {
    PatternedDiskImage odd((1 << 20) / 512, "pc386_fdc", "odd");
    try {
        FloppyDrive d(std::make_unique<DiskImage>(odd.path(), DiskImage::Mode::ReadOnly));
        FAIL() << "a 1 MiB image is no diskette";
    } catch (const DiskImageError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("1048576"), std::string::npos) << what;
        EXPECT_NE(what.find("1.44M"), std::string::npos) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos);
    }
}

TEST_F(FdcTest, ResetRaisesOneInterruptAndFourSenses) {
    insert();
    out(0x3F2, 0x00);  // into reset
    EXPECT_EQ(in(0x3F4), 0x00) << "no request for master while held in reset";
    out(0x3F2, 0x0C);
    EXPECT_FALSE(irq.levels[6]);
    settle();
    EXPECT_TRUE(irq.levels[6]);
    for (uint8_t drive = 0; drive < 4; ++drive) {
        command({0x08});
        EXPECT_FALSE(irq.levels[6]) << "SENSE INTERRUPT STATUS clears the interrupt";
        EXPECT_EQ(results(2), (std::vector<uint8_t>{static_cast<uint8_t>(0xC0 | drive), 0})) << int(drive);
    }
    command({0x08});
    EXPECT_EQ(results(1), std::vector<uint8_t>{0x80}) << "nothing left to sense: invalid";
    EXPECT_EQ(irq.rising_edges[6], 1u);
}

TEST_F(FdcTest, DataRateSelectResetAlsoInterrupts) {
    out(0x3F4, 0x80);
    settle();
    EXPECT_TRUE(irq.levels[6]);
}

TEST_F(FdcTest, NoInterruptWithoutTheDmaGate) {
    out(0x3F2, 0x00);
    out(0x3F2, 0x04);  // out of reset, DOR bit 3 clear
    settle();
    EXPECT_FALSE(irq.levels[6]);
    out(0x3F2, 0x0C);
    EXPECT_TRUE(irq.levels[6]) << "the pending interrupt shows once the gate opens";
}

TEST_F(FdcTest, VersionDumpregLockAndInvalid) {
    command({0x10});
    EXPECT_EQ(results(1), std::vector<uint8_t>{0x90});
    command({0x03, 0xAF, 0x02});        // SPECIFY
    command({0x13, 0x00, 0x57, 0x05});  // CONFIGURE: EIS, FIFO on, polling off, threshold 7; pretrk 5
    command({0x94});                    // LOCK
    EXPECT_EQ(results(1), std::vector<uint8_t>{0x10});
    out(0x3F4, 0x80);  // a reset keeps locked settings
    settle();
    command({0x0E});
    const std::vector<uint8_t> regs = results(10);
    EXPECT_EQ(regs[4], 0xAF);
    EXPECT_EQ(regs[5], 0x02);
    EXPECT_EQ(regs[7] & 0x80, 0x80) << "LOCK bit";
    EXPECT_EQ(regs[8], 0x57);
    EXPECT_EQ(regs[9], 0x05);
    command({0x1F});
    EXPECT_EQ(results(1), std::vector<uint8_t>{0x80});
    command({0x14});  // unlock
    EXPECT_EQ(results(1), std::vector<uint8_t>{0x00});
}

TEST_F(FdcTest, SeekEndsWithAnInterruptAndClearsTheChangeLine) {
    insert();
    EXPECT_EQ(in(0x3F7) & 0x80, 0x80) << "a new diskette: disk change";
    command({0x07, 0x00});  // RECALIBRATE to cylinder 0, where the head already is
    EXPECT_EQ(in(0x3F4) & 0x01, 0x01) << "drive 0 busy seeking";
    settle();
    EXPECT_TRUE(irq.levels[6]);
    command({0x08});
    EXPECT_EQ(results(2), (std::vector<uint8_t>{0x20, 0}));
    EXPECT_EQ(in(0x3F7) & 0x80, 0x80) << "no step pulse yet";
    command({0x0F, 0x04, 40});  // SEEK head 1 to 40
    settle();
    command({0x08});
    EXPECT_EQ(results(2), (std::vector<uint8_t>{0x20, 40}));
    EXPECT_EQ(in(0x3F7) & 0x80, 0x00) << "stepping cleared the change line";
    command({0x04, 0x00});  // SENSE DRIVE STATUS
    EXPECT_EQ(results(1), std::vector<uint8_t>{0x28}) << "ready, two-sided, not at track 0";
    seek(0);
    command({0x04, 0x00});
    EXPECT_EQ(results(1), std::vector<uint8_t>{0x38});
}

TEST_F(FdcTest, ReadDataMultiTrackCrossesToTheSecondSide) {
    insert();
    seek(5);
    program_dma(0x8000, 3 * 512, true);
    command({0xE6, 0x00, 5, 0, 17, 2, 18, 0x1B, 0xFF});  // MT MFM SK READ: C5 H0 sectors 17, 18, then H1 S1
    EXPECT_EQ(in(0x3F4) & 0x80, 0x00) << "execution phase: busy";
    settle();
    EXPECT_TRUE(irq.levels[6]);
    const std::vector<uint8_t> r = results(7);
    EXPECT_FALSE(irq.levels[6]) << "reading the result cleared the interrupt";
    EXPECT_EQ(r, (std::vector<uint8_t>{0x04, 0, 0, 5, 1, 2, 2}))
        << "ends normally on head 1; next ID C5 H1 R2";
    EXPECT_EQ(memory_at(0x8000, 512), PatternedDiskImage::pattern(lba(5, 0, 17)));
    EXPECT_EQ(memory_at(0x8200, 512), PatternedDiskImage::pattern(lba(5, 0, 18)));
    EXPECT_EQ(memory_at(0x8400, 512), PatternedDiskImage::pattern(lba(5, 1, 1)));
}

TEST_F(FdcTest, ReadPastTheEndOfTrackWithoutTerminalCountIsEndOfCylinder) {
    insert();
    program_dma(0x8000, 4 * 512, true);
    command({0x46, 0x00, 0, 0, 17, 2, 18, 0x1B, 0xFF});  // no MT: 2 sectors then the track ends
    settle();
    const std::vector<uint8_t> r = results(7);
    EXPECT_EQ(r[0], 0x40);
    EXPECT_EQ(r[1], 0x80);
    EXPECT_EQ(r[3], 1) << "next cylinder";
    EXPECT_EQ(r[5], 1);
    EXPECT_EQ(memory_at(0x8200, 512), PatternedDiskImage::pattern(lba(0, 0, 18)));
}

TEST_F(FdcTest, ImpliedSeekAndMissingSectors) {
    insert();
    program_dma(0x8000, 512, true);
    command({0x46, 0x04, 79, 1, 18, 2, 18, 0x1B, 0xFF});  // the last sector of the diskette
    settle();
    EXPECT_EQ(results(7)[0], 0x04);
    EXPECT_EQ(memory_at(0x8000, 512), PatternedDiskImage::pattern(2879));
    EXPECT_EQ(fdc.drive(0)->cylinder(), 79u);
    program_dma(0x8000, 512, true);
    command({0x46, 0x00, 79, 0, 19, 2, 19, 0x1B, 0xFF});  // sector 19 is not on this format
    settle();
    const std::vector<uint8_t> r = results(7);
    EXPECT_EQ(r[0], 0x40);
    EXPECT_EQ(r[1], 0x04) << "no data";
}

TEST_F(FdcTest, WriteDataReachesTheImage) {
    insert();
    std::vector<uint8_t> data(1024);
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 3 + 1);
    std::copy(data.begin(), data.end(), memory.bytes.begin() + 0x9000);
    seek(2);
    program_dma(0x9000, 1024, false);
    command({0xC5, 0x04, 2, 1, 3, 2, 18, 0x1B, 0xFF});  // WRITE C2 H1 sectors 3-4
    settle();
    EXPECT_EQ(results(7)[0], 0x04);
    fdc.flush();
    EXPECT_EQ(image.file_sector(lba(2, 1, 3)), std::vector<uint8_t>(data.begin(), data.begin() + 512));
    EXPECT_EQ(image.file_sector(lba(2, 1, 4)), std::vector<uint8_t>(data.begin() + 512, data.end()));
    EXPECT_EQ(image.file_sector(lba(2, 1, 5)), PatternedDiskImage::pattern(lba(2, 1, 5)));
}

TEST_F(FdcTest, WriteProtectedDiskette) {
    insert(DiskImage::Mode::ReadOnly);
    command({0x04, 0x00});
    EXPECT_EQ(results(1)[0] & 0x40, 0x40) << "SENSE DRIVE STATUS shows write protect";
    program_dma(0x9000, 512, false);
    command({0xC5, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF});
    settle();
    const std::vector<uint8_t> r = results(7);
    EXPECT_EQ(r[0], 0x40);
    EXPECT_EQ(r[1], 0x02) << "not writable";
    EXPECT_EQ(image.file_sector(0), PatternedDiskImage::pattern(0));
}

TEST_F(FdcTest, FormatTrackFillsEverySector) {
    insert();
    seek(3);
    for (uint8_t s = 1; s <= 18; ++s) {  // the ID fields: C H R N per sector
        const uint32_t at = 0xA000 + (s - 1) * 4u;
        memory.bytes[at] = 3;
        memory.bytes[at + 1] = 0;
        memory.bytes[at + 2] = s;
        memory.bytes[at + 3] = 2;
    }
    program_dma(0xA000, 18 * 4, false);
    command({0x4D, 0x00, 2, 18, 0x54, 0xE5});
    settle();
    EXPECT_EQ(results(7)[0], 0x00);
    fdc.flush();
    EXPECT_EQ(image.file_sector(lba(3, 0, 1)), std::vector<uint8_t>(512, 0xE5));
    EXPECT_EQ(image.file_sector(lba(3, 0, 18)), std::vector<uint8_t>(512, 0xE5));
    EXPECT_EQ(image.file_sector(lba(3, 1, 1)), PatternedDiskImage::pattern(lba(3, 1, 1)))
        << "the other side untouched";
}

TEST_F(FdcTest, ReadIdReportsTheHeadsCylinder) {
    insert();
    seek(7);
    command({0x4A, 0x04});
    settle();
    const std::vector<uint8_t> r = results(7);
    EXPECT_EQ(r[0], 0x04);
    EXPECT_EQ(r[3], 7);
    EXPECT_EQ(r[4], 1);
    EXPECT_EQ(r[6], 2);
}

TEST_F(FdcTest, AMaskedChannelHoldsTheTransferUntilUnmasked) {
    insert();
    program_dma(0x8000, 512, true);
    dma.port_write(0x0A, 1, 0x06);  // mask channel 2 again
    command({0x46, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF});
    settle();
    EXPECT_FALSE(irq.levels[6]);
    EXPECT_EQ(in(0x3F4) & 0x90, 0x10) << "still executing";
    dma.port_write(0x0A, 1, 0x02);
    settle();
    EXPECT_TRUE(irq.levels[6]);
    EXPECT_EQ(results(7)[0], 0x00);
    EXPECT_EQ(memory_at(0x8000, 512), PatternedDiskImage::pattern(0));
}

TEST_F(FdcTest, NoDisketteNoData) {
    program_dma(0x8000, 512, true);
    command({0x46, 0x01, 0, 0, 1, 2, 18, 0x1B, 0xFF});  // drive 1: empty
    settle();
    const std::vector<uint8_t> r = results(7);
    EXPECT_EQ(r[0], 0x41);
    EXPECT_EQ(r[1], 0x01) << "missing address mark";
}

TEST_F(FdcTest, EventsNameTheFloppyDrive) {
    EventLog log;
    log.keep_history();
    fdc.set_event_log(&log);
    insert();
    program_dma(0x8000, 1024, true);
    command({0x46, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF});
    settle();
    results(7);
    ASSERT_EQ(log.history_size(), 1u);
    const Event& e = log.history(0);
    EXPECT_EQ(e.kind, EventKind::DiskRead);
    EXPECT_EQ(e.a, FloppyController::kEventDriveBase);
    EXPECT_EQ(e.b, 0u);
    EXPECT_EQ(e.c, 2u);
}

}  // namespace
}  // namespace pc386
