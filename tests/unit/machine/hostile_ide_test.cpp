// IDE abuse on a whole machine: LBAs past the end of the disk, sector counts of 0 (= 256), the data
// port read past the end of a transfer, writes during a read, every command byte, a missing slave,
// SET MULTIPLE with odd values, REP INSW/OUTSW of huge counts. The image never grows and is never
// written outside its size; in snapshot mode it is not touched at all (compared byte for byte).
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <vector>

#include "base/io_bus.h"
#include "base/log.h"
#include "devices/ata_drive.h"
#include "devices/ide_controller.h"
#include "hostile_guest.h"
#include "machine/machine.h"

namespace pc386 {
namespace {

using namespace hostile;

constexpr uint16_t kData = 0x1F0, kError = 0x1F1, kCount = 0x1F2, kLba0 = 0x1F3, kLba1 = 0x1F4, kLba2 = 0x1F5,
                   kDriveHead = 0x1F6, kCommand = 0x1F7, kControl = 0x3F6;
constexpr uint8_t kErr = 0x01, kDrq = 0x08;

std::vector<uint8_t> patterned_image(uint32_t sectors) {
    std::vector<uint8_t> img(static_cast<size_t>(sectors) * 512);
    for (size_t i = 0; i < img.size(); ++i) img[i] = static_cast<uint8_t>(i * 7 + (i >> 9));
    return img;
}

class HostileIde : public ::testing::Test {
  protected:
    void SetUp() override { log::set_level(spdlog::level::off); }
    void TearDown() override { log::set_level(spdlog::level::warn); }

    // A machine whose ROM just halts (the tests drive the ports), with `sectors` of patterned disk.
    std::unique_ptr<Machine> make(uint32_t sectors, bool snapshot,
                                  const std::vector<uint8_t>& code = {0xFA, 0xF4}) {
        image_path_ = dir_.file("disk.img");
        original_ = patterned_image(sectors);
        write_file(image_path_, original_);
        const std::string rom = dir_.file("rom.bin");
        write_file(rom, make_rom(code));
        MachineConfig config = quiet_config(rom);
        config.hda.path = image_path_;
        config.hda.snapshot = snapshot;
        return std::make_unique<Machine>(config);
    }

    static void task_file(IoBus& io, uint8_t unit, uint32_t lba, uint8_t count) {
        io.write(kDriveHead, 1, 0xE0 | (unit << 4) | ((lba >> 24) & 0x0F));
        io.write(kCount, 1, count);
        io.write(kLba0, 1, lba & 0xFF);
        io.write(kLba1, 1, (lba >> 8) & 0xFF);
        io.write(kLba2, 1, (lba >> 16) & 0xFF);
    }
    static uint8_t status(IoBus& io) { return static_cast<uint8_t>(io.read(kCommand, 1)); }

    ScratchDir dir_;
    std::string image_path_;
    std::vector<uint8_t> original_;
};

TEST_F(HostileIde, LbaPastTheEndFailsWithIdnfAndReadsNothing) {
    auto m = make(64, true);
    IoBus& io = m->io();
    for (uint32_t lba : {63u, 64u, 65u, 0x0FFFFFFFu, 0x0FFFFF00u}) {
        for (uint8_t cmd : {0x20, 0x30, 0x40}) {
            task_file(io, 0, lba, 2);
            io.write(kCommand, 1, cmd);
            EXPECT_TRUE(status(io) & kErr) << "lba " << lba << " cmd " << int(cmd);
            EXPECT_EQ(io.read(kError, 1), IdeController::kIdnf);
            EXPECT_FALSE(status(io) & kDrq);
            for (int i = 0; i < 300; ++i) io.write(kData, 2, 0xDEAD);  // nobody takes these
        }
    }
    // CHS past the geometry.
    io.write(kDriveHead, 1, 0xAF);  // CHS, head 15
    io.write(kCount, 1, 1);
    io.write(kLba0, 1, 0);  // sector 0 does not exist in CHS
    io.write(kCommand, 1, 0x20);
    EXPECT_TRUE(status(io) & kErr);
    m.reset();
    EXPECT_EQ(read_file(image_path_), original_);
}

TEST_F(HostileIde, CountZeroMeans256Sectors) {
    auto m = make(300, true);
    IoBus& io = m->io();
    task_file(io, 0, 0, 0);
    io.write(kCommand, 1, 0x20);
    ASSERT_TRUE(status(io) & kDrq);
    for (size_t i = 0; i < 256 * 256; ++i) {
        const uint32_t w = io.read(kData, 2);
        ASSERT_EQ(w, uint32_t(original_[2 * i] | original_[2 * i + 1] << 8)) << "word " << i;
    }
    EXPECT_FALSE(status(io) & kDrq);
    // Past the end of the transfer: the data port gives nothing and nothing breaks.
    for (int i = 0; i < 100000; ++i) (void)io.read(kData, 1u << (i % 3));
    EXPECT_FALSE(status(io) & (kDrq | kErr));
    // On a 64-sector disk the same request is past the end.
    auto small = make(64, true);
    task_file(small->io(), 0, 0, 0);
    small->io().write(kCommand, 1, 0x20);
    EXPECT_TRUE(status(small->io()) & kErr);
}

TEST_F(HostileIde, WritingDuringAReadAndReadingDuringAWrite) {
    auto m = make(64, false);
    IoBus& io = m->io();
    task_file(io, 0, 5, 2);
    io.write(kCommand, 1, 0x20);
    for (int i = 0; i < 1000; ++i) io.write(kData, 1u << (i % 3), 0xA5A5A5A5u);  // ignored
    for (size_t i = 0; i < 512; ++i) {
        const uint32_t w = io.read(kData, 2);
        const size_t at = 5 * 512 + 2 * i;
        ASSERT_EQ(w, uint32_t(original_[at] | original_[at + 1] << 8));
    }
    // A write of one sector, with reads thrown into the middle: they give nothing and take nothing.
    task_file(io, 0, 63, 1);
    io.write(kCommand, 1, 0x30);
    ASSERT_TRUE(status(io) & kDrq);
    for (int i = 0; i < 256; ++i) {
        (void)io.read(kData, 4);
        io.write(kData, 2, 0x4242);
    }
    EXPECT_FALSE(status(io) & (kDrq | kErr));
    for (int i = 0; i < 10000; ++i) io.write(kData, 4, 0x13131313u);  // past the end: dropped
    m.reset();
    std::vector<uint8_t> now = read_file(image_path_);
    ASSERT_EQ(now.size(), original_.size());
    std::vector<uint8_t> expect = original_;
    std::fill(expect.begin() + 63 * 512, expect.end(), 0x42);
    EXPECT_EQ(now, expect);
}

TEST_F(HostileIde, EveryCommandByteWithRandomTaskFilesLeavesTheSnapshotImageUntouched) {
    auto m = make(40, true);
    IoBus& io = m->io();
    Rng rng{0xEC};
    for (int pass = 0; pass < 3; ++pass) {
        for (unsigned cmd = 0; cmd < 256; ++cmd) {
            task_file(io, rng.below(2), rng.below(2) ? rng.below(48) : rng.next(), rng.byte());
            if (rng.below(4) == 0) io.write(kDriveHead, 1, rng.byte());  // CHS, random heads
            io.write(0x1F1, 1, rng.byte());                              // features
            io.write(kCommand, 1, cmd);
            for (int i = 0, n = rng.below(1200); i < n; ++i) {
                if (rng.below(2))
                    io.write(kData, 1u << rng.below(3), rng.next());
                else
                    (void)io.read(kData, 1u << rng.below(3));
            }
            (void)status(io);
            if (rng.below(16) == 0) {  // software reset now and then
                io.write(kControl, 1, 0x04);
                io.write(kControl, 1, 0x00);
            }
        }
    }
    m.reset();
    EXPECT_EQ(read_file(image_path_), original_);
}

TEST_F(HostileIde, AMissingSlaveIgnoresEverything) {
    auto m = make(16, false);
    IoBus& io = m->io();
    for (uint8_t cmd : {0xEC, 0x20, 0x30, 0xC4, 0xC5, 0xC6, 0x91, 0xE7, 0x00, 0xFF}) {
        task_file(io, 1, 0, 1);
        io.write(kCommand, 1, cmd);
        EXPECT_EQ(status(io), 0x00) << "cmd " << int(cmd);
        EXPECT_EQ(io.read(kControl, 1), 0x00u);
        for (int i = 0; i < 600; ++i) io.write(kData, 2, 0xBEEF);
        for (int i = 0; i < 600; ++i) (void)io.read(kData, 2);
    }
    m.reset();
    EXPECT_EQ(read_file(image_path_), original_);
}

TEST_F(HostileIde, SetMultipleWithOddValues) {
    auto m = make(300, true);
    IoBus& io = m->io();
    for (unsigned count : {3u, 5u, 6u, 17u, 32u, 64u, 128u, 255u}) {
        task_file(io, 0, 0, static_cast<uint8_t>(count));
        io.write(kCommand, 1, 0xC6);
        EXPECT_TRUE(status(io) & kErr) << "count " << count;
        task_file(io, 0, 0, 0);
        io.write(kCommand, 1, 0xC4);  // multiple mode still off: aborted
        EXPECT_TRUE(status(io) & kErr);
    }
    for (unsigned count : {1u, 2u, 4u, 8u, 16u}) {
        task_file(io, 0, 0, static_cast<uint8_t>(count));
        io.write(kCommand, 1, 0xC6);
        EXPECT_FALSE(status(io) & kErr) << "count " << count;
        task_file(io, 0, 1, 0);  // 256 sectors in blocks of `count`
        io.write(kCommand, 1, 0xC4);
        size_t words = 0;
        while ((status(io) & kDrq) && words < 300 * 256) {
            (void)io.read(kData, 2);
            ++words;
        }
        EXPECT_EQ(words, 256u * 256u);
    }
    // Odd block sizes also through the task file of a READ MULTIPLE that runs past the end.
    task_file(io, 0, 290, 16);
    io.write(kCommand, 1, 0xC4);
    EXPECT_TRUE(status(io) & kErr);
}

// REP INSW and REP OUTSW of 64 Ki words (and a 32-bit count of 2 Mi, which runs into the segment
// limit and faults) through the data port, from real-mode guest code, on a read-write image and a
// snapshot one.
std::vector<uint8_t> rep_string_io_code() {
    Code c;
    c.cli();
    auto task = [&c](uint8_t command) {
        c.out_port(kDriveHead, 1, 0xE0).out_port(kCount, 1, 0).out_port(kLba0, 1, 0);
        c.out_port(kLba1, 1, 0).out_port(kLba2, 1, 0).out_port(kCommand, 1, command);
    };
    c.mov_ax(0x1000).mov_es_ax().mov_ax(0xF000).mov_ds_ax();
    task(0x20);                                                  // READ SECTORS, 256 sectors
    c.mov_dx(kData).mov_di(0).mov_cx(0xFFFF).raw({0xF3, 0x6D});  // rep insw
    c.mov_cx(0xFFFF).raw({0xF3, 0x6D});                          // rep insw (the rest and beyond)
    task(0x30);                                                  // WRITE SECTORS, 256 sectors, from the ROM
    c.mov_dx(kData).mov_si(0).mov_cx(0xFFFF).raw({0xF3, 0x6F});  // rep outsw
    c.mov_cx(0xFFFF).raw({0xF3, 0x6F});                          // rep outsw (the rest and beyond)
    task(0x20);
    c.mov_dx(kData).raw({0x66, 0x31, 0xFF});        // xor edi, edi
    c.mov_ecx(0x00200000).raw({0x67, 0xF3, 0x6D});  // a32 rep insw: #GP at the limit
    c.out_port(0xF4, 1, 0x10);
    c.hlt();
    return c.b;
}

TEST_F(HostileIde, RepInswOutswHugeCountsOnASnapshotImage) {
    auto m = make(300, true, rep_string_io_code());
    RunOutcome r = run_hostile(*m, 3'000'000, false);
    // The a32 REP INSW faults at the segment limit and the IVT is zeros: the guest wanders off.
    // Whatever it does after that, the image file is what it was.
    (void)r;
    m.reset();
    EXPECT_EQ(read_file(image_path_), original_);
    EXPECT_EQ(std::filesystem::file_size(image_path_), original_.size());
}

TEST_F(HostileIde, RepInswOutswHugeCountsOnAReadWriteImage) {
    const std::vector<uint8_t> code = rep_string_io_code();
    auto m = make(300, false, code);
    run_hostile(*m, 3'000'000, false);
    m.reset();
    std::vector<uint8_t> now = read_file(image_path_);
    ASSERT_EQ(now.size(), original_.size());  // never grows
    // Sectors 256.. were never the target of a write.
    EXPECT_TRUE(std::equal(now.begin() + 256 * 512, now.end(), original_.begin() + 256 * 512));
    // The 256 written sectors hold the ROM's first 128 KiB as seen through DS=F000 (64 KiB, then SI wraps).
    const std::vector<uint8_t> rom = make_rom(code);
    for (size_t i = 0; i < 256 * 512; i += 4096) ASSERT_EQ(now[i], rom[i % 65536]) << "byte " << i;
}

}  // namespace
}  // namespace pc386
