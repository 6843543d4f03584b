#include <gtest/gtest.h>

#include "devices/pit8254.h"
#include "irq_recorder.h"

namespace pc386 {
namespace {

class PitTest : public ::testing::Test {
  protected:
    // Control word then a two-byte count for `channel`.
    void program(unsigned channel, unsigned mode, uint16_t count, bool bcd = false) {
        pit.port_write(0x43, 1, (channel << 6) | 0x30 | (mode << 1) | (bcd ? 1 : 0));
        pit.port_write(0x40 + channel, 1, count & 0xFF);
        pit.port_write(0x40 + channel, 1, count >> 8);
    }
    uint16_t read_count(unsigned channel) {
        const uint32_t lo = pit.port_read(0x40 + channel, 1);
        const uint32_t hi = pit.port_read(0x40 + channel, 1);
        return static_cast<uint16_t>(lo | hi << 8);
    }
    void advance_to_tick(uint64_t tick) { pit.advance(Pit8254::ns_at(tick)); }
    // Runs the device the way the machine does: from event to event until `tick`.
    void run_events_until_tick(uint64_t tick) {
        const VirtualNs end = Pit8254::ns_at(tick);
        while (pit.next_event() <= end) pit.advance(pit.next_event());
        pit.advance(end);
    }

    test::IrqRecorder irq;
    Pit8254 pit{irq};
};

TEST_F(PitTest, TickConversionsRoundTrip) {
    for (uint64_t t : {0ull, 1ull, 1193ull, 1193182ull, 123456789ull})
        EXPECT_EQ(Pit8254::ticks(Pit8254::ns_at(t)), t);
    EXPECT_EQ(Pit8254::ticks(1'000'000'000), 1193182u);
}

TEST_F(PitTest, GivenMode2_ThenIrq0RisesOncePerPeriod) {
    program(0, 2, 1000);
    EXPECT_TRUE(pit.output(0));
    run_events_until_tick(999);
    EXPECT_EQ(irq.rising_edges[0], 1u);  // the output went high at programming (mode 2 starts high)
    run_events_until_tick(5000);
    EXPECT_EQ(irq.rising_edges[0], 6u);  // plus one edge at each of ticks 1000..5000
    EXPECT_TRUE(irq.levels[0]);
}

TEST_F(PitTest, GivenMode2_ThenTheOutputDipsForOneClockBeforeReload) {
    program(0, 2, 100);
    advance_to_tick(98);
    EXPECT_TRUE(pit.output(0));
    advance_to_tick(99);
    EXPECT_FALSE(pit.output(0));
    advance_to_tick(100);
    EXPECT_TRUE(pit.output(0));
    EXPECT_EQ(pit.count(0), 100);
}

TEST_F(PitTest, GivenMode3_ThenTheOutputIsASquareWaveWithAnEdgePerPeriod) {
    program(0, 3, 100);
    advance_to_tick(10);
    EXPECT_TRUE(pit.output(0));
    advance_to_tick(49);
    EXPECT_TRUE(pit.output(0));
    advance_to_tick(50);
    EXPECT_FALSE(pit.output(0));
    advance_to_tick(99);
    EXPECT_FALSE(pit.output(0));
    advance_to_tick(100);
    EXPECT_TRUE(pit.output(0));
    const unsigned before = irq.rising_edges[0];
    run_events_until_tick(1000);
    EXPECT_EQ(irq.rising_edges[0] - before, 9u);  // ticks 200..1000
}

TEST_F(PitTest, GivenMode3_WhenTheMachineAdvancesLate_ThenTheTickIsNotLost) {
    program(0, 3, 100);
    const unsigned before = irq.rising_edges[0];
    advance_to_tick(180);  // past the rising edge at 100 and into the low half of the next period
    EXPECT_EQ(irq.rising_edges[0] - before, 1u);
    EXPECT_TRUE(irq.levels[0]);  // held high until the next advance so the PIC can see it
}

TEST_F(PitTest, GivenMode0_ThenTheOutputGoesHighOnceAtTerminalCount) {
    program(0, 0, 500);
    EXPECT_FALSE(pit.output(0));
    EXPECT_FALSE(irq.levels[0]);
    EXPECT_EQ(pit.next_event(), Pit8254::ns_at(500));
    run_events_until_tick(499);
    EXPECT_EQ(irq.rising_edges[0], 0u);
    run_events_until_tick(5000);
    EXPECT_EQ(irq.rising_edges[0], 1u);
    EXPECT_TRUE(pit.output(0));
    EXPECT_EQ(pit.next_event(), kNever);
}

TEST_F(PitTest, GivenALatchCommand_ThenReadsReturnTheCountAtLatchTime) {
    program(0, 2, 1000);
    advance_to_tick(300);
    pit.port_write(0x43, 1, 0x00);  // latch channel 0
    advance_to_tick(600);
    EXPECT_EQ(read_count(0), 700);
    EXPECT_EQ(read_count(0), 400);  // the latch is released after both bytes
}

TEST_F(PitTest, GivenLsbOnlyAndMsbOnlyAccess_ThenOneByteIsReadAndWritten) {
    pit.port_write(0x43, 1, 0x14);  // channel 0, LSB only, mode 2
    pit.port_write(0x40, 1, 200);
    advance_to_tick(50);
    EXPECT_EQ(pit.port_read(0x40, 1), 150u);
    pit.port_write(0x43, 1, 0x24);  // MSB only, mode 2
    pit.port_write(0x40, 1, 0x02);  // count 0x200
    advance_to_tick(50 + 0x100);
    EXPECT_EQ(pit.port_read(0x40, 1), 0x01u);
}

TEST_F(PitTest, GivenReadBack_ThenStatusThenCountAreLatched) {
    program(2, 3, 1000);
    pit.port_write(0x61, 1, 0x01);  // gate 2 high
    pit.port_write(0x43, 1, 0xC8);  // read-back count and status of channel 2
    const uint32_t status = pit.port_read(0x42, 1);
    EXPECT_EQ(status & 0x3F, 0x36u);  // LSB/MSB, mode 3, binary
    EXPECT_TRUE(status & 0x80);       // output high
    EXPECT_FALSE(status & 0x40);      // count loaded
    EXPECT_EQ(read_count(2), 1000);
}

TEST_F(PitTest, GivenBcdMode_ThenCountsAreDecimal) {
    program(0, 2, 0x1000, true);  // 1000 decimal
    advance_to_tick(1);
    pit.port_write(0x43, 1, 0x00);
    EXPECT_EQ(read_count(0), 0x0999);
}

TEST_F(PitTest, GivenChannel2Gate_ThenPort61ShowsTheOutputOnlyAfterTheGateOpens) {
    pit.port_write(0x61, 1, 0x00);
    program(2, 0, 100);
    advance_to_tick(1000);
    EXPECT_EQ(pit.port_read(0x61, 1) & 0x21, 0x00u);  // gate low: counting held, output low
    pit.port_write(0x61, 1, 0x03);                    // gate on, speaker data on
    EXPECT_EQ(pit.port_read(0x61, 1) & 0x03, 0x03u);
    advance_to_tick(1099);
    EXPECT_EQ(pit.port_read(0x61, 1) & 0x20, 0x00u);
    advance_to_tick(1100);
    EXPECT_EQ(pit.port_read(0x61, 1) & 0x20, 0x20u);
}

TEST_F(PitTest, Port61RefreshBitTogglesWithTime) {
    pit.advance(0);
    const uint32_t a = pit.port_read(0x61, 1) & 0x10;
    pit.advance(15085);
    const uint32_t b = pit.port_read(0x61, 1) & 0x10;
    pit.advance(2 * 15085);
    const uint32_t c = pit.port_read(0x61, 1) & 0x10;
    EXPECT_NE(a, b);
    EXPECT_EQ(a, c);
}

TEST_F(PitTest, GivenAClock_ThenPortReadsSeeTheCurrentTimeWithoutAnAdvance) {
    struct FakeClock : Clock {
        VirtualNs t = 0;
        VirtualNs now() const override { return t; }
    } clock;
    pit.set_clock(&clock);
    program(0, 2, 1000);
    clock.t = Pit8254::ns_at(250);
    pit.port_write(0x43, 1, 0x00);
    EXPECT_EQ(read_count(0), 750);
}

TEST_F(PitTest, Channel2TransitionsAreEventsSoPollingPort61SeesThemOnTime) {
    pit.port_write(0x61, 1, 0x01);
    program(2, 0, 300);
    EXPECT_EQ(pit.next_event(), Pit8254::ns_at(300));
    EXPECT_EQ(irq.rising_edges[0], 0u);  // channel 2 never touches IRQ 0
}

TEST_F(PitTest, GivenMode4_ThenTheOutputStrobesLowForOneClockAtTerminalCount) {
    program(0, 4, 50);
    EXPECT_TRUE(pit.output(0));
    run_events_until_tick(49);
    const unsigned before = irq.rising_edges[0];
    advance_to_tick(50);
    EXPECT_FALSE(pit.output(0));
    run_events_until_tick(200);
    EXPECT_TRUE(pit.output(0));
    EXPECT_EQ(irq.rising_edges[0] - before, 1u);
}

TEST_F(PitTest, GivenMode0WithAGateLow_ThenCountingPausesAndResumes) {
    pit.port_write(0x61, 1, 0x01);
    program(2, 0, 100);
    advance_to_tick(40);
    pit.port_write(0x61, 1, 0x00);  // pause at 60 left
    advance_to_tick(500);
    pit.port_write(0x43, 1, 0x80);
    EXPECT_EQ(read_count(2), 60);
    pit.port_write(0x61, 1, 0x01);
    advance_to_tick(559);
    EXPECT_FALSE(pit.output(2));
    advance_to_tick(560);
    EXPECT_TRUE(pit.output(2));
}

TEST_F(PitTest, GivenMode1_ThenTheGateTriggersAOneShot) {
    pit.port_write(0x61, 1, 0x00);
    program(2, 1, 100);
    EXPECT_TRUE(pit.output(2));
    pit.port_write(0x61, 1, 0x01);  // trigger
    EXPECT_FALSE(pit.output(2));
    advance_to_tick(100);
    EXPECT_TRUE(pit.output(2));
}

}  // namespace
}  // namespace pc386
