#include "devices/cmos_rtc.h"

#include <gtest/gtest.h>

#include "irq_recorder.h"

namespace pc386 {
namespace {

constexpr VirtualNs kSecond = 1'000'000'000;
// 2024-03-15 13:45:30 UTC, a Friday.
constexpr int64_t kFriday = 1710510330;

class CmosTest : public ::testing::Test {
  protected:
    uint8_t read(uint8_t index) {
        cmos.port_write(0x70, 1, index);
        return static_cast<uint8_t>(cmos.port_read(0x71, 1));
    }
    void write(uint8_t index, uint8_t value) {
        cmos.port_write(0x70, 1, index);
        cmos.port_write(0x71, 1, value);
    }

    test::IrqRecorder irq;
    CmosRtc cmos{irq, kFriday};
};

TEST_F(CmosTest, GivenDefaults_ThenTimeReadsInBcd24Hour) {
    EXPECT_EQ(read(0x00), 0x30);
    EXPECT_EQ(read(0x02), 0x45);
    EXPECT_EQ(read(0x04), 0x13);
    EXPECT_EQ(read(0x06), 0x06);  // Friday (Sunday = 1)
    EXPECT_EQ(read(0x07), 0x15);
    EXPECT_EQ(read(0x08), 0x03);
    EXPECT_EQ(read(0x09), 0x24);
    EXPECT_EQ(read(0x32), 0x20);
    EXPECT_EQ(read(0x0B), 0x02);
    EXPECT_EQ(read(0x0D), 0x80);
}

TEST_F(CmosTest, GivenBinaryAnd12HourMode_ThenTimeReadsThatWay) {
    write(0x0B, 0x04);  // binary, 12-hour
    EXPECT_EQ(read(0x00), 30);
    EXPECT_EQ(read(0x04), 0x81);  // 1 PM
    EXPECT_EQ(read(0x09), 24);
}

TEST_F(CmosTest, GivenVirtualTime_ThenTheClockAdvances) {
    cmos.advance(95 * kSecond);  // 13:45:30 + 1:35 = 13:47:05
    EXPECT_EQ(read(0x00), 0x05);
    EXPECT_EQ(read(0x02), 0x47);
}

TEST_F(CmosTest, GivenTheDefaultEpoch_ThenTheDateIsFixed) {
    CmosRtc fixed(irq);
    fixed.port_write(0x70, 1, 0x09);
    EXPECT_EQ(fixed.port_read(0x71, 1), 0x24u);
    fixed.port_write(0x70, 1, 0x07);
    EXPECT_EQ(fixed.port_read(0x71, 1), 0x01u);
}

TEST_F(CmosTest, GivenTheGuestSetsTheTime_ThenItReadsBackAndKeepsRunning) {
    write(0x0B, 0x82);  // SET
    write(0x04, 0x08);
    write(0x02, 0x00);
    write(0x00, 0x00);
    write(0x07, 0x31);
    write(0x08, 0x12);
    write(0x09, 0x99);
    write(0x32, 0x19);
    write(0x0B, 0x02);
    EXPECT_EQ(read(0x04), 0x08);
    EXPECT_EQ(read(0x07), 0x31);
    EXPECT_EQ(read(0x09), 0x99);
    EXPECT_EQ(read(0x32), 0x19);
    cmos.advance(16 * 3600 * kSecond);  // 1999-12-31 08:00 + 16 h = 2000-01-01 00:00
    EXPECT_EQ(read(0x04), 0x00);
    EXPECT_EQ(read(0x07), 0x01);
    EXPECT_EQ(read(0x08), 0x01);
    EXPECT_EQ(read(0x09), 0x00);
    EXPECT_EQ(read(0x32), 0x20);
}

TEST_F(CmosTest, UipIsSetOnlyInTheLast244MicrosecondsBeforeAnUpdate) {
    cmos.advance(kSecond / 2);
    EXPECT_EQ(read(0x0A) & 0x80, 0);
    cmos.advance(2 * kSecond - 100'000);
    EXPECT_EQ(read(0x0A) & 0x80, 0x80);
    EXPECT_EQ(read(0x0A) & 0x7F, 0x26);
    cmos.advance(2 * kSecond);
    EXPECT_EQ(read(0x0A) & 0x80, 0);
}

TEST_F(CmosTest, GivenPeriodicInterruptEnabled_ThenIrq8FiresAtTheRateAndStatusCClearsOnRead) {
    write(0x0A, 0x2F);  // rate 15: 2 Hz
    write(0x0B, 0x42);  // PIE
    EXPECT_EQ(cmos.next_event(), kSecond / 2);
    cmos.advance(kSecond / 2 - 1);
    EXPECT_FALSE(irq.levels[8]);
    cmos.advance(kSecond / 2);
    EXPECT_TRUE(irq.levels[8]);
    EXPECT_EQ(cmos.next_event(), kSecond);
    EXPECT_EQ(read(0x0C), 0xC0);  // IRQF | PF
    EXPECT_FALSE(irq.levels[8]);
    EXPECT_EQ(read(0x0C), 0x00);  // cleared by the read
    cmos.advance(kSecond);
    EXPECT_TRUE(irq.levels[8]);
    EXPECT_EQ(irq.rising_edges[8], 2u);
}

TEST_F(CmosTest, GivenPeriodicInterruptDisabled_ThenPfIsSetButNoIrq) {
    write(0x0A, 0x26);  // 1024 Hz
    cmos.advance(kSecond / 100);
    EXPECT_FALSE(irq.levels[8]);
    EXPECT_EQ(read(0x0C) & 0xC0, 0x40);  // PF only, no IRQF
}

TEST_F(CmosTest, GivenUpdateInterruptEnabled_ThenIrq8FiresEachSecond) {
    write(0x0B, 0x12);  // UIE
    EXPECT_EQ(cmos.next_event(), kSecond);
    cmos.advance(kSecond);
    EXPECT_TRUE(irq.levels[8]);
    EXPECT_EQ(read(0x0C) & 0xB0, 0x90);  // IRQF | UF (PF runs at 1024 Hz regardless)
}

TEST_F(CmosTest, GivenAnAlarm_ThenAfIsSetWhenTheTimeMatches) {
    write(0x01, 0x32);  // alarm at hh:mm:32 (minutes and hours don't care)
    write(0x03, 0xC0);
    write(0x05, 0xC0);
    write(0x0B, 0x22);          // AIE
    cmos.advance(1 * kSecond);  // :31
    EXPECT_FALSE(irq.levels[8]);
    EXPECT_EQ(read(0x0C) & 0x20, 0);
    cmos.advance(2 * kSecond);  // :32
    EXPECT_TRUE(irq.levels[8]);
    EXPECT_EQ(read(0x0C) & 0xA0, 0xA0);
}

TEST_F(CmosTest, MemorySizeBytesAndChecksum) {
    cmos.set_memory_size(32u << 20);
    EXPECT_EQ(read(0x15) | read(0x16) << 8, 640);
    EXPECT_EQ(read(0x17) | read(0x18) << 8, 31 * 1024);
    EXPECT_EQ(read(0x30) | read(0x31) << 8, 31 * 1024);
    EXPECT_EQ(read(0x34) | read(0x35) << 8, 256);  // 16 MiB above 16 MiB in 64 KiB blocks
    unsigned sum = 0;
    for (uint8_t i = 0x10; i <= 0x2D; ++i) sum += read(i);
    EXPECT_EQ(read(0x2E) << 8 | read(0x2F), sum);
}

TEST_F(CmosTest, LargeMemoryIsCappedAt64MiBInTheExtendedWords) {
    cmos.set_memory_size(128u << 20);
    EXPECT_EQ(read(0x17) | read(0x18) << 8, 0xFFFF);
    EXPECT_EQ(read(0x34) | read(0x35) << 8, (112 << 20) / 65536);
}

TEST_F(CmosTest, HardDiskTypeBytesDescribeAUserDefinedType47) {
    cmos.set_hard_disk(0, 20, 16, 63);
    EXPECT_EQ(read(0x12), 0xF0);
    EXPECT_EQ(read(0x19), 47);
    EXPECT_EQ(read(0x1B) | read(0x1C) << 8, 20);
    EXPECT_EQ(read(0x1D), 16);
    EXPECT_EQ(read(0x23), 63);
    cmos.set_equipment(0x04);
    unsigned sum = 0;
    for (uint8_t i = 0x10; i <= 0x2D; ++i) sum += read(i);
    EXPECT_EQ(read(0x2E) << 8 | read(0x2F), sum);
}

TEST_F(CmosTest, Port70Bit7MasksNmiAndRamIsReadWrite) {
    cmos.port_write(0x70, 1, 0x80 | 0x40);
    EXPECT_TRUE(cmos.nmi_masked());
    cmos.port_write(0x71, 1, 0x5A);
    cmos.port_write(0x70, 1, 0x40);
    EXPECT_FALSE(cmos.nmi_masked());
    EXPECT_EQ(cmos.port_read(0x71, 1), 0x5Au);
}

TEST_F(CmosTest, StatusDAndCAreReadOnly) {
    write(0x0D, 0x00);
    EXPECT_EQ(read(0x0D), 0x80);
    write(0x0C, 0xFF);
    EXPECT_EQ(read(0x0C), 0x00);
}

TEST_F(CmosTest, ResetKeepsTheRamAndClearsInterruptEnables) {
    write(0x0F, 0x0A);  // shutdown status survives a reset (the BIOS's resume path)
    write(0x0B, 0x72);
    cmos.reset();
    EXPECT_EQ(read(0x0F), 0x0A);
    EXPECT_EQ(read(0x0B), 0x02);
}

}  // namespace
}  // namespace pc386
