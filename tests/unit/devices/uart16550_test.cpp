#include "devices/uart16550.h"

#include <gtest/gtest.h>

#include <string>

#include "irq_recorder.h"

namespace pc386 {
namespace {

class UartTest : public ::testing::Test {
  protected:
    UartTest() {
        uart.set_output([this](uint8_t b) { sent.push_back(static_cast<char>(b)); });
    }
    uint8_t read(unsigned reg) { return static_cast<uint8_t>(uart.port_read(0x3F8 + reg, 1)); }
    void write(unsigned reg, uint8_t v) { uart.port_write(0x3F8 + reg, 1, v); }

    test::IrqRecorder irq;
    Uart16550 uart{irq};
    std::string sent;
};

TEST_F(UartTest, DlabSelectsTheDivisorLatch) {
    write(3, 0x83);
    write(0, 0x01);  // 115200 baud
    write(1, 0x00);
    EXPECT_EQ(read(0), 0x01);
    EXPECT_EQ(uart.divisor(), 1);
    write(3, 0x03);  // 8N1, DLAB off
    write(1, 0x05);
    EXPECT_EQ(read(1), 0x05);  // IER, not the divisor
    EXPECT_EQ(uart.divisor(), 1);
    EXPECT_EQ(read(3), 0x03);
}

TEST_F(UartTest, TransmittedBytesReachTheSinkAndTheTransmitterIsAlwaysEmpty) {
    EXPECT_EQ(read(5) & 0x60, 0x60);
    write(0, 'h');
    write(0, 'i');
    EXPECT_EQ(sent, "hi");
    EXPECT_EQ(read(5) & 0x61, 0x60);  // THRE, TEMT, no data
}

TEST_F(UartTest, ReceivedBytesSetDataReadyAndReadInOrder) {
    EXPECT_EQ(uart.receive("ab"), 1u);  // no FIFO: one holding register
    write(2, 0x01);                     // enable FIFOs
    EXPECT_EQ(uart.receive("cd"), 2u);
    EXPECT_EQ(read(5) & 0x01, 0x01);
    EXPECT_EQ(read(0), 'c');
    EXPECT_EQ(read(0), 'd');
    EXPECT_EQ(read(5) & 0x01, 0x00);
}

TEST_F(UartTest, TheRxFifoHolds16Bytes) {
    write(2, 0x07);
    EXPECT_EQ(uart.receive(std::string(20, 'x')), 16u);
    EXPECT_EQ(uart.rx_space(), 0u);
    read(0);
    EXPECT_EQ(uart.rx_space(), 1u);
    const uint8_t more[] = {'y', 'z'};
    EXPECT_EQ(uart.receive(more, 2), 1u);
}

TEST_F(UartTest, GivenOut2_ThenTheRxInterruptReachesIrq4) {
    write(1, 0x01);  // ERBFI
    uart.receive("z");
    EXPECT_FALSE(irq.levels[4]);  // OUT2 low: the PC's interrupt gate is closed
    EXPECT_EQ(read(2) & 0x0F, 0x04);
    write(4, 0x08);
    EXPECT_TRUE(irq.levels[4]);
    EXPECT_EQ(read(0), 'z');
    EXPECT_FALSE(irq.levels[4]);
    EXPECT_EQ(read(2) & 0x0F, 0x01);
}

TEST_F(UartTest, ThrEmptyInterruptRisesOnEnableAndIsClearedByReadingIir) {
    write(4, 0x08);
    write(1, 0x02);  // ETBEI with an empty THR: interrupt at once
    EXPECT_TRUE(irq.levels[4]);
    EXPECT_EQ(read(2) & 0x0F, 0x02);
    EXPECT_FALSE(irq.levels[4]);
    write(0, 'x');  // after the (instant) transmission THR is empty again
    EXPECT_TRUE(irq.levels[4]);
}

TEST_F(UartTest, IirReportsReceivedDataBeforeThrEmpty) {
    write(4, 0x08);
    write(1, 0x03);
    uart.receive("q");
    EXPECT_EQ(read(2) & 0x0F, 0x04);
    read(0);
    EXPECT_EQ(read(2) & 0x0F, 0x02);
    EXPECT_EQ(read(2) & 0x0F, 0x01);
}

TEST_F(UartTest, LineStatusInterruptOutranksDataOnOverrun) {
    write(4, 0x08);
    write(1, 0x05);  // RX data and line status
    write(4, 0x18);  // loopback, OUT2
    write(0, 'a');   // fills the holding register
    write(0, 'b');   // overrun
    EXPECT_EQ(read(2) & 0x0F, 0x06);
    EXPECT_EQ(read(5) & 0x03, 0x03);  // DR and OE; OE cleared by this read
    EXPECT_EQ(read(2) & 0x0F, 0x04);
    EXPECT_EQ(read(0), 'a');
}

TEST_F(UartTest, FifoTriggerLevelAndCharacterTimeout) {
    write(4, 0x08);
    write(1, 0x01);
    write(2, 0x81);  // FIFO on, trigger level 8
    EXPECT_EQ(read(2) & 0xC0, 0xC0);
    uart.receive("1234");
    EXPECT_FALSE(irq.levels[4]);  // below the trigger level
    ASSERT_NE(uart.next_event(), kNever);
    uart.advance(uart.next_event());
    EXPECT_TRUE(irq.levels[4]);
    EXPECT_EQ(read(2) & 0x0F, 0x0C);  // character timeout
    uart.receive("5678");
    EXPECT_EQ(read(2) & 0x0F, 0x04);  // trigger level reached
}

TEST_F(UartTest, LoopbackReturnsTransmittedBytesAndMirrorsModemControl) {
    write(4, 0x10 | 0x0B);  // loop, OUT2, RTS, DTR
    write(0, 'L');
    EXPECT_EQ(sent, "");
    EXPECT_EQ(read(0), 'L');
    EXPECT_EQ(read(6) & 0xF0, 0xB0);  // DCD (OUT2), DSR (DTR), CTS (RTS)
    write(4, 0x00);
    EXPECT_EQ(read(6) & 0xF0, 0xB0);  // a connected terminal outside loopback
}

TEST_F(UartTest, ScratchRegisterHoldsAByte) {
    write(7, 0xA5);
    EXPECT_EQ(read(7), 0xA5);
}

TEST_F(UartTest, MapClaimsEightPorts) {
    IoBus io;
    uart.map(io);
    EXPECT_EQ(io.owner(0x3F8), "uart");
    EXPECT_EQ(io.owner(0x3FF), "uart");
    EXPECT_EQ(io.owner(0x400), "");
}

}  // namespace
}  // namespace pc386
