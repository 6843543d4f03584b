#include "devices/ide_controller.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "devices/disk_image.h"
#include "irq_recorder.h"
#include "patterned_disk_image.h"

namespace pc386 {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kSectors = 16 * 63 * 4 + 10;  // 4 cylinders and a bit

class IdeTest : public ::testing::Test {
  protected:
    IdeTest()
        : image(kSectors, "pc386_ide", ::testing::UnitTest::GetInstance()->current_test_info()->name()) {}

    void attach(DiskImage::Mode mode = DiskImage::Mode::ReadWrite, unsigned unit = 0) {
        ide.attach(unit, std::make_unique<DiskImage>(image.path(), mode));
    }
    uint8_t reg(unsigned r) { return static_cast<uint8_t>(ide.port_read(0x1F0 + r, 1)); }
    void set(unsigned r, uint8_t v) { ide.port_write(0x1F0 + r, 1, v); }
    void select_lba(uint32_t lba, uint8_t count, unsigned unit = 0) {
        set(6, static_cast<uint8_t>(0xE0 | (unit << 4) | ((lba >> 24) & 0x0F)));
        set(2, count);
        set(3, static_cast<uint8_t>(lba));
        set(4, static_cast<uint8_t>(lba >> 8));
        set(5, static_cast<uint8_t>(lba >> 16));
    }
    void select_chs(uint16_t cyl, uint8_t head, uint8_t sector, uint8_t count) {
        set(6, static_cast<uint8_t>(0xA0 | head));
        set(2, count);
        set(3, sector);
        set(4, static_cast<uint8_t>(cyl));
        set(5, static_cast<uint8_t>(cyl >> 8));
    }
    std::vector<uint8_t> read_words(size_t bytes) {
        std::vector<uint8_t> out;
        for (size_t i = 0; i < bytes; i += 2) {
            const uint32_t w = ide.port_read(0x1F0, 2);
            out.push_back(static_cast<uint8_t>(w));
            out.push_back(static_cast<uint8_t>(w >> 8));
        }
        return out;
    }
    void write_words(const std::vector<uint8_t>& data) {
        for (size_t i = 0; i < data.size(); i += 2) ide.port_write(0x1F0, 2, data[i] | data[i + 1] << 8);
    }

    PatternedDiskImage image;
    test::IrqRecorder irq;
    IdeController ide{irq};
};

TEST_F(IdeTest, IdentifyDescribesTheDisk) {
    attach();
    set(6, 0xA0);
    set(7, 0xEC);
    EXPECT_TRUE(irq.levels[14]);
    EXPECT_EQ(reg(7), 0x58);  // DRDY DSC DRQ
    EXPECT_FALSE(irq.levels[14]);
    const auto bytes = read_words(512);
    auto word = [&](unsigned i) { return static_cast<uint16_t>(bytes[2 * i] | bytes[2 * i + 1] << 8); };
    EXPECT_EQ(word(0), 0x0040);
    EXPECT_EQ(word(1), 4);   // cylinders
    EXPECT_EQ(word(3), 16);  // heads
    EXPECT_EQ(word(6), 63);  // sectors per track
    EXPECT_EQ(word(47) & 0xFF, 16);
    EXPECT_TRUE(word(49) & 0x0200);  // LBA
    EXPECT_EQ(word(60) | uint32_t{word(61)} << 16, kSectors);
    std::string model;
    for (unsigned i = 27; i < 47; ++i) {
        model.push_back(static_cast<char>(word(i) >> 8));
        model.push_back(static_cast<char>(word(i) & 0xFF));
    }
    EXPECT_EQ(model.substr(0, 14), "PC386 HARDDISK");
    unsigned sum = 0;
    for (uint8_t b : bytes) sum += b;
    EXPECT_EQ(word(255) & 0xFF, 0xA5);
    EXPECT_EQ(sum & 0xFF, 0u);  // integrity word checksum
    EXPECT_EQ(reg(7), 0x50);    // transfer done
}

TEST_F(IdeTest, ReadSectorsLbaInterruptsPerSector) {
    attach();
    select_lba(100, 2);
    set(7, 0x20);
    EXPECT_EQ(irq.rising_edges[14], 1u);
    EXPECT_EQ(reg(7) & 0x08, 0x08);
    EXPECT_EQ(read_words(512), PatternedDiskImage::pattern(100));
    EXPECT_EQ(irq.rising_edges[14], 2u);  // second sector ready
    EXPECT_EQ(reg(7) & 0x08, 0x08);
    EXPECT_EQ(read_words(512), PatternedDiskImage::pattern(101));
    EXPECT_EQ(reg(7), 0x50);
    EXPECT_EQ(reg(3), 101);  // task file: the last sector transferred
}

TEST_F(IdeTest, ReadWith32BitTransfers) {
    attach();
    select_lba(7, 1);
    set(7, 0x20);
    std::vector<uint8_t> got;
    for (int i = 0; i < 128; ++i) {
        const uint32_t d = ide.port_read(0x1F0, 4);
        for (int b = 0; b < 4; ++b) got.push_back(static_cast<uint8_t>(d >> (8 * b)));
    }
    EXPECT_EQ(got, PatternedDiskImage::pattern(7));
}

TEST_F(IdeTest, ReadSectorsChsUsesTheDefaultGeometry) {
    attach();
    select_chs(1, 2, 3, 1);  // (1*16 + 2)*63 + 2
    set(7, 0x20);
    EXPECT_EQ(read_words(512), PatternedDiskImage::pattern(1136));
}

TEST_F(IdeTest, InitializeDeviceParametersChangesTheChsTranslation) {
    attach();
    select_chs(0, 3, 32, 0);  // heads = 3 + 1, 32 sectors per track
    set(2, 32);
    set(7, 0x91);
    EXPECT_EQ(reg(7), 0x50);
    select_chs(1, 1, 1, 1);  // (1*4 + 1)*32 + 0
    set(7, 0x20);
    EXPECT_EQ(read_words(512), PatternedDiskImage::pattern(160));
}

TEST_F(IdeTest, WriteSectorsReachTheFileAfterFlush) {
    attach();
    std::vector<uint8_t> data(1024);
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7);
    select_lba(50, 2);
    set(7, 0x30);
    EXPECT_EQ(irq.rising_edges[14], 0u);  // the first block needs no interrupt
    EXPECT_EQ(reg(7) & 0x08, 0x08);
    write_words({data.begin(), data.begin() + 512});
    EXPECT_EQ(irq.rising_edges[14], 1u);
    EXPECT_EQ(reg(7), 0x58);  // the handler reads status: INTRQ off, DRQ for the next sector
    write_words({data.begin() + 512, data.end()});
    EXPECT_EQ(irq.rising_edges[14], 2u);
    EXPECT_EQ(reg(7), 0x50);
    set(7, 0xE7);  // FLUSH CACHE
    EXPECT_EQ(reg(7), 0x50);
    EXPECT_EQ(image.file_sector(50), std::vector<uint8_t>(data.begin(), data.begin() + 512));
    EXPECT_EQ(image.file_sector(51), std::vector<uint8_t>(data.begin() + 512, data.end()));
    EXPECT_EQ(image.file_sector(52), PatternedDiskImage::pattern(52));
}

TEST_F(IdeTest, MultipleModeTransfersBlocksWithOneInterruptEach) {
    attach();
    set(6, 0xA0);
    set(2, 4);
    set(7, 0xC6);  // SET MULTIPLE MODE 4
    EXPECT_EQ(reg(7), 0x50);
    select_lba(200, 6);
    const unsigned before = irq.rising_edges[14];
    set(7, 0xC4);
    EXPECT_EQ(irq.rising_edges[14] - before, 1u);
    EXPECT_EQ(reg(7), 0x58);
    std::vector<uint8_t> expected;
    for (int i = 0; i < 4; ++i) {
        const auto p = PatternedDiskImage::pattern(200 + i);
        expected.insert(expected.end(), p.begin(), p.end());
    }
    EXPECT_EQ(read_words(2048), expected);
    EXPECT_EQ(irq.rising_edges[14] - before, 2u);  // the remaining 2-sector block
    EXPECT_EQ(read_words(1024).size(), 1024u);
    EXPECT_EQ(reg(7), 0x50);
    // WRITE MULTIPLE of 4 sectors: one block.
    select_lba(300, 4);
    set(7, 0xC5);
    write_words(std::vector<uint8_t>(2048, 0xEE));
    EXPECT_EQ(reg(7), 0x50);
    EXPECT_EQ(image.file_sector(303), std::vector<uint8_t>(512, 0xEE));
}

TEST_F(IdeTest, MultipleCommandsAbortWhenMultipleModeIsOff) {
    attach();
    select_lba(0, 1);
    set(7, 0xC4);
    EXPECT_EQ(reg(7), 0x51);
    EXPECT_EQ(reg(1), 0x04);
    set(2, 3);
    set(7, 0xC6);  // not a power of two
    EXPECT_EQ(reg(1), 0x04);
}

TEST_F(IdeTest, OutOfRangeAccessesFailWithIdnf) {
    attach();
    select_lba(kSectors - 1, 2);
    set(7, 0x20);
    EXPECT_TRUE(irq.levels[14]);
    EXPECT_EQ(reg(7), 0x51);  // ERR
    EXPECT_EQ(reg(1), 0x10);  // IDNF
    select_chs(0, 0, 64, 1);  // sector 64 > 63
    set(7, 0x40);
    EXPECT_EQ(reg(1), 0x10);
    select_lba(kSectors - 1, 1);
    set(7, 0x40);  // READ VERIFY in range
    EXPECT_EQ(reg(7), 0x50);
    EXPECT_EQ(reg(1), 0x00);
}

TEST_F(IdeTest, UnknownCommandsAbort) {
    attach();
    set(6, 0xA0);
    set(7, 0x24);  // READ SECTORS EXT: LBA48 is not offered
    EXPECT_EQ(reg(7), 0x51);
    EXPECT_EQ(reg(1), 0x04);
}

TEST_F(IdeTest, SnapshotModeKeepsWritesInMemoryAndTheFileUntouched) {
    attach(DiskImage::Mode::Snapshot);
    select_lba(10, 1);
    set(7, 0x30);
    write_words(std::vector<uint8_t>(512, 0x99));
    EXPECT_EQ(reg(7), 0x50);
    select_lba(10, 1);
    set(7, 0x20);
    EXPECT_EQ(read_words(512), std::vector<uint8_t>(512, 0x99));
    ide.flush();
    EXPECT_EQ(image.file_sector(10), PatternedDiskImage::pattern(10));
}

TEST_F(IdeTest, ReadOnlyModeRefusesWrites) {
    attach(DiskImage::Mode::ReadOnly);
    select_lba(10, 1);
    set(7, 0x30);
    EXPECT_EQ(reg(7), 0x51);
    EXPECT_EQ(reg(1), 0x04);
    EXPECT_EQ(image.file_sector(10), PatternedDiskImage::pattern(10));
}

TEST_F(IdeTest, NienMasksTheInterruptLine) {
    attach();
    ide.port_write(0x3F6, 1, 0x02);
    set(6, 0xA0);
    set(7, 0x10);  // RECALIBRATE
    EXPECT_FALSE(irq.levels[14]);
    EXPECT_TRUE(ide.interrupt_pending());
    EXPECT_EQ(ide.port_read(0x3F6, 1), 0x50u);  // alternate status leaves INTRQ alone
    EXPECT_TRUE(ide.interrupt_pending());
    ide.port_write(0x3F6, 1, 0x00);
    EXPECT_TRUE(irq.levels[14]);
}

TEST_F(IdeTest, SoftwareResetRestoresTheSignature) {
    attach();
    select_lba(1234, 9);
    ide.port_write(0x3F6, 1, 0x04);
    EXPECT_EQ(ide.port_read(0x3F6, 1) & 0x80, 0x80u);  // BSY while SRST is held
    ide.port_write(0x3F6, 1, 0x00);
    EXPECT_EQ(reg(7), 0x50);
    EXPECT_EQ(reg(2), 1);
    EXPECT_EQ(reg(3), 1);
    EXPECT_EQ(reg(4), 0);
    EXPECT_EQ(reg(5), 0);
    EXPECT_EQ(reg(1), 0x01);
}

TEST_F(IdeTest, AMissingSlaveReadsStatusZeroAndIgnoresCommands) {
    attach();
    set(6, 0xB0);
    EXPECT_EQ(reg(7), 0x00);
    set(7, 0xEC);
    EXPECT_FALSE(irq.levels[14]);
    set(2, 0x55);
    EXPECT_EQ(reg(2), 0x55);  // the task file still latches
}

TEST_F(IdeTest, MasterAndSlaveAreIndependentDisks) {
    attach(DiskImage::Mode::ReadWrite, 0);
    PatternedDiskImage other(64, "pc386_ide", "slave");
    ide.attach(1, std::make_unique<DiskImage>(other.path(), DiskImage::Mode::ReadOnly));
    select_lba(3, 1, 1);
    set(7, 0x20);
    EXPECT_EQ(read_words(512), PatternedDiskImage::pattern(3));
    select_lba(100, 1, 1);  // beyond the slave's 64 sectors
    set(7, 0x20);
    EXPECT_EQ(reg(1), 0x10);
}

TEST_F(IdeTest, ExecuteDiagnosticReportsPassAndSelectsDevice0) {
    attach();
    set(6, 0xB0);
    set(7, 0x90);
    EXPECT_EQ(ide.selected_unit(), 0u);
    EXPECT_EQ(reg(1), 0x01);
    EXPECT_EQ(reg(7), 0x50);
}

TEST_F(IdeTest, NoDrivesReadsAsAFloatingBus) {
    EXPECT_EQ(reg(7), 0xFF);
    EXPECT_EQ(ide.port_read(0x3F6, 1), 0xFFu);
}

TEST(DiskImage, RejectsMissingEmptyAndRaggedFiles) {
    const fs::path dir = fs::temp_directory_path();
    const std::string missing = (dir / "pc386_no_such_image.img").string();
    EXPECT_THROW(DiskImage(missing, DiskImage::Mode::ReadOnly), DiskImageError);
    const std::string empty = (dir / ("pc386_empty_" + std::to_string(::getpid()) + ".img")).string();
    { std::ofstream(empty, std::ios::binary); }
    EXPECT_THROW(DiskImage(empty, DiskImage::Mode::ReadWrite), DiskImageError);
    const std::string ragged = (dir / ("pc386_ragged_" + std::to_string(::getpid()) + ".img")).string();
    { std::ofstream(ragged, std::ios::binary) << std::string(700, 'x'); }
    try {
        DiskImage d(ragged, DiskImage::Mode::Snapshot);
        ADD_FAILURE() << "a 700-byte image was accepted";
    } catch (const DiskImageError& e) {
        EXPECT_NE(std::string(e.what()).find("not a multiple of 512"), std::string::npos) << e.what();
    }
    fs::remove(empty);
    fs::remove(ragged);
}

TEST(DiskImage, WritesThroughTheDestructorReachTheFile) {
    PatternedDiskImage image(8, "pc386_ide", "dtor");
    {
        DiskImage d(image.path(), DiskImage::Mode::ReadWrite);
        EXPECT_EQ(d.sector_count(), 8u);
        const std::vector<uint8_t> data(512, 0x42);
        EXPECT_TRUE(d.write(7, 1, data.data()));
        EXPECT_FALSE(d.write(8, 1, data.data()));  // past the end
    }
    EXPECT_EQ(image.file_sector(7), std::vector<uint8_t>(512, 0x42));
}

}  // namespace
}  // namespace pc386
