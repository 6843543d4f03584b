#include "devices/dma8237.h"

#include <gtest/gtest.h>

#include <vector>

namespace pc386 {
namespace {

// 2 MiB of memory the controller reads and writes.
class TestMemory : public DmaMemory {
  public:
    std::vector<uint8_t> bytes = std::vector<uint8_t>(2 << 20, 0);
    uint8_t dma_read(uint32_t phys) override { return bytes.at(phys); }
    void dma_write(uint32_t phys, uint8_t value) override { bytes.at(phys) = value; }
};

class DmaTest : public ::testing::Test {
  protected:
    TestMemory memory;
    Dma8237 dma{memory};

    void out(uint16_t port, uint8_t value) { dma.port_write(port, 1, value); }
    uint8_t in(uint16_t port) { return static_cast<uint8_t>(dma.port_read(port, 1)); }

    // What a BIOS does at POST: channel 4 cascades the first controller, unmasked.
    void enable_cascade() {
        out(0xD6, 0xC0);
        out(0xD4, 0x00);
    }
    // Channel 2 as the floppy code of a BIOS programs it: mask, mode, flip-flop, address, page,
    // count (bytes - 1), unmask.
    void program_channel2(uint32_t phys, uint16_t bytes, uint8_t mode) {
        out(0x0A, 0x06);
        out(0x0B, static_cast<uint8_t>(mode | 2));
        out(0x0C, 0);
        out(0x04, static_cast<uint8_t>(phys));
        out(0x04, static_cast<uint8_t>(phys >> 8));
        out(0x81, static_cast<uint8_t>(phys >> 16));
        out(0x0C, 0);
        out(0x05, static_cast<uint8_t>(bytes - 1));
        out(0x05, static_cast<uint8_t>((bytes - 1) >> 8));
        out(0x0A, 0x02);
    }
    static std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
        std::vector<uint8_t> v(n);
        for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 7);
        return v;
    }
};

TEST_F(DmaTest, PowerOnMasksEveryChannel) {
    for (unsigned ch = 0; ch < 8; ++ch) {
        EXPECT_TRUE(dma.masked(ch)) << ch;
        EXPECT_FALSE(dma.ready(ch)) << ch;
    }
}

TEST_F(DmaTest, FirstControllerNeedsTheCascadeChannel) {
    program_channel2(0x10000, 512, Dma8237::kModeWrite | Dma8237::kModeSingle);
    EXPECT_FALSE(dma.ready(2)) << "channel 4 still masked: the first controller cannot reach the bus";
    std::vector<uint8_t> data = pattern(512, 1);
    EXPECT_EQ(dma.transfer(2, data), 0u);
    enable_cascade();
    EXPECT_TRUE(dma.ready(2));
}

TEST_F(DmaTest, WriteTransferFillsMemoryThenTerminalCountMasksTheChannel) {
    enable_cascade();
    program_channel2(0x12345, 1024, Dma8237::kModeWrite | Dma8237::kModeSingle);
    std::vector<uint8_t> first = pattern(512, 3), second = pattern(512, 9);
    EXPECT_EQ(dma.transfer(2, first), 512u);
    EXPECT_FALSE(dma.terminal_count(2));
    EXPECT_EQ(dma.current_address(2), 0x12345u + 512);
    EXPECT_EQ(dma.current_count(2), 511u);
    EXPECT_EQ(dma.transfer(2, second), 512u);
    EXPECT_TRUE(dma.terminal_count(2));
    EXPECT_TRUE(std::equal(first.begin(), first.end(), memory.bytes.begin() + 0x12345));
    EXPECT_TRUE(std::equal(second.begin(), second.end(), memory.bytes.begin() + 0x12345 + 512));
    EXPECT_EQ(memory.bytes[0x12345 + 1024], 0) << "nothing beyond the count";
    EXPECT_TRUE(dma.masked(2)) << "no auto-initialise: the 8237A masks the channel at terminal count";
    EXPECT_EQ(in(0x08) & 0x0F, 0x04) << "status shows channel 2's terminal count";
    EXPECT_EQ(in(0x08) & 0x0F, 0x00) << "reading the status cleared it";
}

TEST_F(DmaTest, TerminalCountStopsInsideTheBuffer) {
    enable_cascade();
    program_channel2(0x20000, 100, Dma8237::kModeWrite | Dma8237::kModeDemand);
    std::vector<uint8_t> data = pattern(512, 5);
    EXPECT_EQ(dma.transfer(2, data), 100u);
    EXPECT_TRUE(dma.terminal_count(2));
    EXPECT_EQ(memory.bytes[0x20000 + 99], data[99]);
    EXPECT_EQ(memory.bytes[0x20000 + 100], 0);
}

TEST_F(DmaTest, ReadTransferCopiesMemoryToTheDevice) {
    enable_cascade();
    std::vector<uint8_t> source = pattern(512, 11);
    std::copy(source.begin(), source.end(), memory.bytes.begin() + 0x30000);
    program_channel2(0x30000, 512, Dma8237::kModeRead | Dma8237::kModeBlock);
    std::vector<uint8_t> device(512, 0);
    EXPECT_EQ(dma.transfer(2, device), 512u);
    EXPECT_EQ(device, source);
}

TEST_F(DmaTest, VerifyMovesNothingButCounts) {
    enable_cascade();
    program_channel2(0x30000, 512, Dma8237::kModeVerify);
    std::vector<uint8_t> device = pattern(512, 2);
    EXPECT_EQ(dma.transfer(2, device), 512u);
    EXPECT_TRUE(dma.terminal_count(2));
    EXPECT_EQ(memory.bytes[0x30000], 0);
}

TEST_F(DmaTest, AutoInitialiseReloadsAndStaysUnmasked) {
    enable_cascade();
    program_channel2(0x40000, 16, Dma8237::kModeWrite | Dma8237::kModeAutoInit);
    std::vector<uint8_t> a = pattern(16, 1), b = pattern(16, 100);
    EXPECT_EQ(dma.transfer(2, a), 16u);
    EXPECT_TRUE(dma.terminal_count(2));
    EXPECT_FALSE(dma.masked(2));
    EXPECT_EQ(dma.current_address(2), 0x40000u);
    EXPECT_EQ(dma.transfer(2, b), 16u);
    EXPECT_EQ(memory.bytes[0x40000], b[0]) << "the second round starts at the base address again";
}

TEST_F(DmaTest, DecrementWritesDownwards) {
    enable_cascade();
    program_channel2(0x50010, 4, Dma8237::kModeWrite | Dma8237::kModeDecrement);
    std::vector<uint8_t> data{1, 2, 3, 4};
    EXPECT_EQ(dma.transfer(2, data), 4u);
    EXPECT_EQ(memory.bytes[0x50010], 1);
    EXPECT_EQ(memory.bytes[0x5000F], 2);
    EXPECT_EQ(memory.bytes[0x5000D], 4);
}

TEST_F(DmaTest, AddressWrapsInsideItsPage) {
    enable_cascade();
    program_channel2(0x6FFFE, 4, Dma8237::kModeWrite);
    std::vector<uint8_t> data{1, 2, 3, 4};
    EXPECT_EQ(dma.transfer(2, data), 4u);
    EXPECT_EQ(memory.bytes[0x6FFFE], 1);
    EXPECT_EQ(memory.bytes[0x6FFFF], 2);
    EXPECT_EQ(memory.bytes[0x60000], 3) << "the page register does not carry: the 64 KiB boundary problem";
    EXPECT_EQ(memory.bytes[0x70000], 0);
}

TEST_F(DmaTest, SixteenBitChannelsCountWords) {
    // Channel 5: address register in words, page bit 0 ignored, count in words.
    out(0xD4, 0x05);
    out(0xD6, static_cast<uint8_t>(Dma8237::kModeWrite | 1));
    out(0xD8, 0);
    out(0xC4, 0x00);  // word address 0x8000 -> byte 0x10000 within the 128 KiB page
    out(0xC4, 0x80);
    out(0x8B, 0x03);  // page 3 -> 0x020000 (bit 0 dropped)
    out(0xD8, 0);
    out(0xC6, 1);  // 2 words
    out(0xC6, 0);
    out(0xD4, 0x01);
    EXPECT_TRUE(dma.ready(5)) << "the second controller needs no cascade";
    EXPECT_EQ(dma.current_address(5), 0x30000u);
    std::vector<uint8_t> data{1, 2, 3, 4, 5};
    EXPECT_EQ(dma.transfer(5, data), 4u) << "whole words only, and the count ran out";
    EXPECT_EQ(memory.bytes[0x30000], 1);
    EXPECT_EQ(memory.bytes[0x30003], 4);
    EXPECT_TRUE(dma.terminal_count(5));
}

TEST_F(DmaTest, RegistersReadBackThroughTheFlipFlop) {
    program_channel2(0x0ABCD, 0x200, Dma8237::kModeWrite);
    out(0x0C, 0);
    EXPECT_EQ(in(0x04), 0xCD);
    EXPECT_EQ(in(0x04), 0xAB);
    EXPECT_EQ(in(0x05), 0xFF);
    EXPECT_EQ(in(0x05), 0x01);
    EXPECT_EQ(in(0x81), 0x00);
    out(0x0D, 0);  // master clear
    EXPECT_TRUE(dma.masked(2));
    out(0x0E, 0);  // clear all masks
    EXPECT_FALSE(dma.masked(0));
    EXPECT_FALSE(dma.masked(3));
    out(0x0F, 0x05);  // mask 0 and 2
    EXPECT_TRUE(dma.masked(0));
    EXPECT_FALSE(dma.masked(1));
    EXPECT_TRUE(dma.masked(2));
}

TEST_F(DmaTest, UnmaskingCallsTheWaitingDevice) {
    enable_cascade();
    int calls = 0;
    dma.set_ready_callback(2, [&] { ++calls; });
    program_channel2(0x1000, 512, Dma8237::kModeWrite);  // ends with an unmask
    EXPECT_EQ(calls, 1);
    out(0xD4, 0x04);  // mask the cascade, then unmask it: channel 2 is ready again
    out(0xD4, 0x00);
    EXPECT_EQ(calls, 2);
}

TEST_F(DmaTest, RequestBitsShowInTheStatus) {
    dma.set_request(2, true);
    EXPECT_EQ(in(0x08) & 0xF0, 0x40);
    dma.set_request(2, false);
    EXPECT_EQ(in(0x08) & 0xF0, 0x00);
}

}  // namespace
}  // namespace pc386
