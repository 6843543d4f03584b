#include "devices/kbc8042.h"

#include <gtest/gtest.h>

#include <vector>

#include "irq_recorder.h"

namespace pc386 {
namespace {

class KbcTest : public ::testing::Test {
  protected:
    KbcTest() {
        kbc.set_a20_callback([this](bool on) { a20_changes.push_back(on); });
        kbc.set_reset_callback([this] { ++resets; });
    }
    uint8_t status() { return static_cast<uint8_t>(kbc.port_read(0x64, 1)); }
    uint8_t data() { return static_cast<uint8_t>(kbc.port_read(0x60, 1)); }
    void command(uint8_t c) { kbc.port_write(0x64, 1, c); }
    void send(uint8_t d) { kbc.port_write(0x60, 1, d); }
    // Reads every byte waiting in the output buffer.
    std::vector<uint8_t> drain() {
        std::vector<uint8_t> out;
        while (status() & 0x01) out.push_back(data());
        return out;
    }

    test::IrqRecorder irq;
    Kbc8042 kbc{irq};
    std::vector<bool> a20_changes;
    int resets = 0;
};

TEST_F(KbcTest, SelfTestAnswers55AndSetsTheSystemFlag) {
    EXPECT_EQ(status() & 0x04, 0);
    command(0xAA);
    EXPECT_EQ(status() & 0x01, 0x01);
    EXPECT_EQ(data(), 0x55);
    EXPECT_EQ(status() & 0x05, 0x04);
}

TEST_F(KbcTest, InterfaceTestsPass) {
    command(0xAB);
    EXPECT_EQ(data(), 0x00);
    command(0xA9);
    EXPECT_EQ(data(), 0x00);
}

TEST_F(KbcTest, CommandByteReadsBackWhatWasWritten) {
    command(0x60);
    EXPECT_EQ(status() & 0x08, 0x08);  // last write was a command
    send(0x61);
    EXPECT_EQ(status() & 0x08, 0x00);
    command(0x20);
    EXPECT_EQ(data(), 0x61);
    EXPECT_EQ(kbc.command_byte(), 0x61);
}

TEST_F(KbcTest, OutputPortWriteDrivesA20AndReadsBack) {
    EXPECT_TRUE(kbc.a20());  // powers on enabled, as QEMU and Bochs do
    command(0xD1);
    send(0xDD);  // A20 off
    ASSERT_EQ(a20_changes.size(), 1u);
    EXPECT_FALSE(a20_changes[0]);
    EXPECT_FALSE(kbc.a20());
    command(0xD0);
    EXPECT_EQ(data() & 0x03, 0x01);
    command(0xD1);
    send(0xDF);  // A20 on
    EXPECT_TRUE(a20_changes.back());
    command(0xD0);
    EXPECT_EQ(data() & 0x03, 0x03);
    command(0xD1);
    send(0xDF);  // unchanged: no callback
    EXPECT_EQ(a20_changes.size(), 2u);
    EXPECT_EQ(resets, 0);
}

TEST_F(KbcTest, PulseFEAndOutputPortBit0ResetTheCpu) {
    command(0xFE);
    EXPECT_EQ(resets, 1);
    command(0xFF);  // pulses nothing
    EXPECT_EQ(resets, 1);
    command(0xD1);
    send(0x00);
    EXPECT_EQ(resets, 2);
}

TEST_F(KbcTest, GivenAKeyPress_ThenIrq1RisesAndPort60GivesTheScancode) {
    kbc.press_key(0x1E);
    EXPECT_TRUE(irq.levels[1]);
    EXPECT_EQ(status() & 0x01, 0x01);
    EXPECT_EQ(data(), 0x1E);
    EXPECT_FALSE(irq.levels[1]);
    EXPECT_EQ(status() & 0x01, 0x00);
}

TEST_F(KbcTest, GivenSeveralBytes_ThenEachOneMakesAFreshIrq1Edge) {
    kbc.tap_key(0x1E);
    EXPECT_EQ(irq.rising_edges[1], 1u);
    EXPECT_EQ(data(), 0x1E);
    EXPECT_EQ(irq.rising_edges[1], 2u);
    EXPECT_EQ(data(), 0x9E);
    EXPECT_FALSE(irq.levels[1]);
}

TEST_F(KbcTest, GivenKeyboardInterruptDisabled_ThenNoIrqButDataStillArrives) {
    command(0x60);
    send(0x40);
    kbc.press_key(0x10);
    EXPECT_FALSE(irq.levels[1]);
    EXPECT_EQ(data(), 0x10);
}

TEST_F(KbcTest, GivenKeyboardPortDisabled_ThenKeysWaitUntilEnabled) {
    command(0xAD);
    kbc.press_key(0x10);
    EXPECT_EQ(status() & 0x01, 0);
    command(0xAE);
    EXPECT_EQ(data(), 0x10);
}

TEST_F(KbcTest, KeyboardResetAnswersAckThenSelfTestPassed) {
    send(0xFF);
    EXPECT_EQ(drain(), (std::vector<uint8_t>{0xFA, 0xAA}));
}

TEST_F(KbcTest, KeyboardCommandsBiosAndLinuxSend) {
    send(0xED);
    send(0x07);
    EXPECT_EQ(drain(), (std::vector<uint8_t>{0xFA, 0xFA}));
    EXPECT_EQ(kbc.leds(), 7);
    send(0xF5);
    EXPECT_EQ(drain(), (std::vector<uint8_t>{0xFA}));
    kbc.press_key(0x1E);  // scanning disabled: dropped
    EXPECT_EQ(status() & 0x01, 0);
    send(0xF4);
    EXPECT_EQ(drain(), (std::vector<uint8_t>{0xFA}));
    send(0xF2);
    EXPECT_EQ(drain(), (std::vector<uint8_t>{0xFA, 0xAB, 0x41}));  // MF2, translated
    send(0xF0);
    send(0x00);
    EXPECT_EQ(drain(), (std::vector<uint8_t>{0xFA, 0xFA, 0x41}));  // set 2, translated
    send(0xEE);
    EXPECT_EQ(drain(), (std::vector<uint8_t>{0xEE}));
}

TEST_F(KbcTest, TypeTextProducesSet1MakeAndBreakCodesWithShift) {
    EXPECT_EQ(kbc.type_text("lS\n"), 0u);
    EXPECT_EQ(drain(), (std::vector<uint8_t>{0x26, 0xA6, 0x2A, 0x1F, 0x9F, 0xAA, 0x1C, 0x9C}));
    EXPECT_EQ(kbc.type_text("\x01"), 1u);  // no key for it
}

TEST_F(KbcTest, ControllerWritesToTheOutputBuffer) {
    command(0xD2);
    send(0x42);
    EXPECT_TRUE(irq.levels[1]);
    EXPECT_EQ(data(), 0x42);
    command(0x60);
    send(0x03);  // aux interrupt on, aux enabled
    command(0xD3);
    send(0x5A);
    EXPECT_EQ(status() & 0x21, 0x21);
    EXPECT_TRUE(irq.levels[12]);
    EXPECT_EQ(data(), 0x5A);
}

// --- the AUX port and the PS/2 mouse behind it ----------------------------------------------

TEST_F(KbcTest, AuxPortDisableEnableAndTestSetTheCommandByte) {
    command(0xA7);
    EXPECT_EQ(kbc.command_byte() & 0x20, 0x20);
    command(0xA8);
    EXPECT_EQ(kbc.command_byte() & 0x20, 0x00);
    command(0xA9);
    EXPECT_EQ(status() & 0x21, 0x01);  // the controller's answer, not the mouse's
    EXPECT_EQ(data(), 0x00);
}

class KbcAuxTest : public KbcTest {
  protected:
    KbcAuxTest() {
        command(0x60);
        send(0x47);  // translate, system, keyboard and aux interrupts on, both ports enabled
    }
    // Sends one byte to the mouse (0xD4) and returns its answer, checking each byte's AUX bit.
    std::vector<uint8_t> mouse(uint8_t byte) {
        command(0xD4);
        send(byte);
        std::vector<uint8_t> out;
        while (status() & 0x01) {
            EXPECT_EQ(status() & 0x20, 0x20) << "AUX bit for mouse byte " << out.size();
            out.push_back(data());
        }
        return out;
    }
    using Bytes = std::vector<uint8_t>;
};

TEST_F(KbcAuxTest, MouseAnswersTheLinuxProbe) {
    EXPECT_EQ(mouse(0xFF), (Bytes{0xFA, 0xAA, 0x00}));       // reset: ack, self test passed, ID 0
    EXPECT_EQ(mouse(0xF2), (Bytes{0xFA, 0x00}));             // get ID: a standard PS/2 mouse
    EXPECT_EQ(mouse(0xF6), (Bytes{0xFA}));                   // defaults
    EXPECT_EQ(mouse(0xF5), (Bytes{0xFA}));                   // disable reporting
    EXPECT_EQ(mouse(0xE6), (Bytes{0xFA}));                   // scaling 1:1
    EXPECT_EQ(mouse(0xE7), (Bytes{0xFA}));                   // scaling 2:1
    EXPECT_EQ(mouse(0xE8), (Bytes{0xFA}));                   // resolution...
    EXPECT_EQ(mouse(0x03), (Bytes{0xFA}));                   // ...8 counts/mm
    EXPECT_EQ(mouse(0xF3), (Bytes{0xFA}));                   // sample rate...
    EXPECT_EQ(mouse(200), (Bytes{0xFA}));                    // ...200/s
    EXPECT_EQ(mouse(0xE9), (Bytes{0xFA, 0x10, 0x03, 200}));  // status: 2:1 scaling, resolution, rate
    EXPECT_EQ(mouse(0xF4), (Bytes{0xFA}));                   // enable reporting
    EXPECT_TRUE(kbc.mouse().reporting());
    EXPECT_EQ(mouse(0xE9), (Bytes{0xFA, 0x30, 0x03, 200}));
    EXPECT_EQ(mouse(0xF6), (Bytes{0xFA}));  // defaults: reporting off, 100/s, 4 counts/mm, 1:1
    EXPECT_EQ(mouse(0xE9), (Bytes{0xFA, 0x00, 0x02, 100}));
    EXPECT_EQ(mouse(0x42), (Bytes{0xFE}));  // not a mouse command: resend
}

TEST_F(KbcAuxTest, MouseBytesRaiseIrq12NotIrq1) {
    command(0xD4);
    send(0xF2);
    EXPECT_TRUE(irq.levels[12]);
    EXPECT_FALSE(irq.levels[1]);
    EXPECT_EQ(data(), 0xFA);
    EXPECT_TRUE(irq.levels[12]);  // the ID byte follows
    EXPECT_EQ(irq.rising_edges[12], 2u);
    EXPECT_EQ(data(), 0x00);
    EXPECT_FALSE(irq.levels[12]);
}

TEST_F(KbcAuxTest, AuxInterruptBitGatesIrq12) {
    command(0x60);
    send(0x45);  // aux interrupt off
    command(0xD4);
    send(0xF4);
    EXPECT_EQ(status() & 0x21, 0x21);
    EXPECT_FALSE(irq.levels[12]);
    EXPECT_EQ(data(), 0xFA);
}

TEST_F(KbcAuxTest, AuxDisabledHoldsMouseBytesUntilEnabled) {
    command(0xA7);
    command(0xD4);
    send(0xF2);
    EXPECT_EQ(status() & 0x01, 0x00);
    EXPECT_FALSE(irq.levels[12]);
    command(0xA8);
    EXPECT_EQ(status() & 0x21, 0x21);
    EXPECT_TRUE(irq.levels[12]);
    EXPECT_EQ(drain(), (Bytes{0xFA, 0x00}));
}

TEST_F(KbcAuxTest, LoopbackD3IsAuxDataEvenWithThePortDisabled) {
    command(0xA7);  // Linux's i8042_check_aux runs its loopback test this way
    command(0xD3);
    send(0x5A);
    EXPECT_EQ(status() & 0x21, 0x21);
    EXPECT_EQ(data(), 0x5A);
}

TEST_F(KbcAuxTest, MotionMakesStreamPacketsOnlyWhileReporting) {
    kbc.mouse_motion(5, -3, 1);
    EXPECT_EQ(status() & 0x01, 0x00);
    EXPECT_EQ(mouse(0xF4), (Bytes{0xFA}));
    kbc.mouse_motion(5, -3, 1);
    EXPECT_EQ(status() & 0x21, 0x21);
    EXPECT_EQ(drain(), (Bytes{0x29, 0x05, 0xFD}));            // sync bit, Y sign, left button; dx; dy
    EXPECT_EQ(mouse(0xEB), (Bytes{0xFA, 0x09, 0x00, 0x00}));  // read data: buttons, no motion
}

TEST_F(KbcTest, MapClaimsDataAndCommandPorts) {
    IoBus io;
    kbc.map(io);
    EXPECT_EQ(io.owner(0x60), "kbc-data");
    EXPECT_EQ(io.owner(0x64), "kbc-command");
    EXPECT_EQ(io.owner(0x61), "");
}

}  // namespace
}  // namespace pc386
