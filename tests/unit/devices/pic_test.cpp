#include <gtest/gtest.h>

#include "devices/pic_pair.h"

namespace pc386 {
namespace {

// The PC BIOS initialisation: edge triggered, cascade, vectors 0x08 and 0x70, 8086 mode.
void init_pc_style(PicPair& pic, bool auto_eoi = false) {
    pic.port_write(0x20, 1, 0x11);
    pic.port_write(0x21, 1, 0x08);
    pic.port_write(0x21, 1, 0x04);
    pic.port_write(0x21, 1, auto_eoi ? 0x03 : 0x01);
    pic.port_write(0xA0, 1, 0x11);
    pic.port_write(0xA1, 1, 0x70);
    pic.port_write(0xA1, 1, 0x02);
    pic.port_write(0xA1, 1, 0x01);
    pic.port_write(0x21, 1, 0x00);
    pic.port_write(0xA1, 1, 0x00);
}

void eoi_master(PicPair& pic) {
    pic.port_write(0x20, 1, 0x20);
}
void eoi_slave(PicPair& pic) {
    pic.port_write(0xA0, 1, 0x20);
}

TEST(PicPair, GivenInitialisedPics_WhenIrqRises_ThenIntrIsUpAndAcknowledgeGivesTheVector) {
    PicPair pic;
    init_pc_style(pic);
    EXPECT_FALSE(pic.intr);
    pic.set_irq(1, true);
    EXPECT_TRUE(pic.intr);
    EXPECT_EQ(pic.acknowledge(), 0x09);
    EXPECT_FALSE(pic.intr);
    EXPECT_EQ(pic.master().isr(), 0x02);
    EXPECT_EQ(pic.master().irr(), 0x00);
}

TEST(PicPair, GivenALineInService_WhenEoiIsWritten_ThenIsrClearsAndTheNextEdgeIsDelivered) {
    PicPair pic;
    init_pc_style(pic);
    pic.set_irq(0, true);
    EXPECT_EQ(pic.acknowledge(), 0x08);
    pic.set_irq(0, false);
    pic.set_irq(0, true);  // a new edge while in service: latched, not delivered
    EXPECT_FALSE(pic.intr);
    eoi_master(pic);
    EXPECT_EQ(pic.master().isr(), 0x00);
    EXPECT_TRUE(pic.intr);
    EXPECT_EQ(pic.acknowledge(), 0x08);
}

TEST(PicPair, GivenEdgeTriggering_WhenALineStaysHigh_ThenItInterruptsOnlyOnce) {
    PicPair pic;
    init_pc_style(pic);
    pic.set_irq(3, true);
    EXPECT_EQ(pic.acknowledge(), 0x0B);
    eoi_master(pic);
    pic.set_irq(3, true);  // still high: no new edge
    EXPECT_FALSE(pic.intr);
}

TEST(PicPair, GivenAMaskedLine_WhenItRises_ThenNoInterruptUntilUnmasked) {
    PicPair pic;
    init_pc_style(pic);
    pic.port_write(0x21, 1, 0x10);  // mask IRQ 4
    EXPECT_EQ(pic.port_read(0x21, 1), 0x10u);
    pic.set_irq(4, true);
    EXPECT_FALSE(pic.intr);
    EXPECT_EQ(pic.master().irr(), 0x10);  // still requested
    pic.port_write(0x21, 1, 0x00);
    EXPECT_TRUE(pic.intr);
    EXPECT_EQ(pic.acknowledge(), 0x0C);
}

TEST(PicPair, GivenTwoRequests_ThenTheLowerLineWinsAndAHigherOneNestsOverALowerInService) {
    PicPair pic;
    init_pc_style(pic);
    pic.set_irq(5, true);
    pic.set_irq(3, true);
    EXPECT_EQ(pic.acknowledge(), 0x0B);  // IRQ 3 first
    EXPECT_FALSE(pic.intr);              // IRQ 5 waits behind IRQ 3
    eoi_master(pic);
    EXPECT_EQ(pic.acknowledge(), 0x0D);
    pic.set_irq(1, true);  // higher priority than the IRQ 5 in service: nests
    EXPECT_TRUE(pic.intr);
    EXPECT_EQ(pic.acknowledge(), 0x09);
    EXPECT_EQ(pic.master().isr(), 0x22);
    eoi_master(pic);  // non-specific EOI ends the highest in service: IRQ 1
    EXPECT_EQ(pic.master().isr(), 0x20);
}

TEST(PicPair, GivenASlaveRequest_ThenItCascadesThroughIrq2AndNeedsBothEois) {
    PicPair pic;
    init_pc_style(pic);
    pic.set_irq(14, true);
    EXPECT_TRUE(pic.intr);
    EXPECT_EQ(pic.acknowledge(), 0x76);
    EXPECT_EQ(pic.master().isr(), 0x04);
    EXPECT_EQ(pic.slave().isr(), 0x40);
    eoi_slave(pic);
    eoi_master(pic);
    EXPECT_EQ(pic.master().isr(), 0x00);
    EXPECT_EQ(pic.slave().isr(), 0x00);
}

TEST(PicPair, GivenAMaskedCascadeInput_ThenSlaveRequestsWait) {
    PicPair pic;
    init_pc_style(pic);
    pic.port_write(0x21, 1, 0x04);
    pic.set_irq(8, true);
    EXPECT_FALSE(pic.intr);
    pic.port_write(0x21, 1, 0x00);
    EXPECT_EQ(pic.acknowledge(), 0x70);
}

TEST(PicPair, GivenARequestThatVanishesBeforeInta_ThenTheVectorIsSpuriousIrq7) {
    PicPair pic;
    init_pc_style(pic);
    pic.set_irq(4, true);
    EXPECT_TRUE(pic.intr);
    pic.set_irq(4, false);
    EXPECT_EQ(pic.acknowledge(), 0x0F);
    EXPECT_EQ(pic.master().isr(), 0x00);  // a spurious IRQ 7 sets no ISR bit
}

TEST(PicPair, GivenASlaveRequestMaskedBeforeInta_ThenTheCascadeRequestVanishesToo) {
    PicPair pic;
    init_pc_style(pic);
    pic.set_irq(12, true);
    EXPECT_TRUE(pic.intr);
    pic.port_write(0xA1, 1, 0x10);  // the slave's INT drops, and with it master input 2
    EXPECT_FALSE(pic.intr);
    EXPECT_EQ(pic.acknowledge(), 0x0F);  // an INTA now gets the master's spurious vector
    EXPECT_EQ(pic.master().isr(), 0x00);
}

TEST(Pic8259, GivenCascadeAcknowledgeWithNoSlaveRequest_ThenSlaveReportsSpurious7) {
    Pic8259 slave;
    slave.write(false, 0x11);
    slave.write(true, 0x70);
    slave.write(true, 0x02);
    slave.write(true, 0x01);
    EXPECT_EQ(slave.acknowledge(), -1);  // what PicPair turns into vector 0x77
    EXPECT_EQ(slave.vector(7), 0x77);
}

TEST(PicPair, GivenOcw3_ThenReadsReturnIrrOrIsr) {
    PicPair pic;
    init_pc_style(pic);
    pic.port_write(0x21, 1, 0xFF);
    pic.set_irq(6, true);
    pic.port_write(0x20, 1, 0x0A);  // read IRR
    EXPECT_EQ(pic.port_read(0x20, 1), 0x40u);
    pic.port_write(0x21, 1, 0x00);
    pic.acknowledge();
    pic.port_write(0x20, 1, 0x0B);  // read ISR
    EXPECT_EQ(pic.port_read(0x20, 1), 0x40u);
}

TEST(PicPair, GivenAutoEoi_ThenAcknowledgeLeavesNothingInService) {
    PicPair pic;
    init_pc_style(pic, true);
    pic.set_irq(0, true);
    EXPECT_EQ(pic.acknowledge(), 0x08);
    EXPECT_EQ(pic.master().isr(), 0x00);
    pic.set_irq(1, true);
    EXPECT_TRUE(pic.intr);
}

TEST(PicPair, GivenSpecificEoi_ThenOnlyThatLineLeavesService) {
    PicPair pic;
    init_pc_style(pic);
    pic.set_irq(5, true);
    pic.acknowledge();
    pic.set_irq(1, true);
    pic.acknowledge();
    pic.port_write(0x20, 1, 0x65);  // specific EOI for IRQ 5
    EXPECT_EQ(pic.master().isr(), 0x02);
}

TEST(PicPair, GivenRotateOnEoi_ThenTheFinishedLineBecomesLowestPriority) {
    PicPair pic;
    init_pc_style(pic);
    pic.set_irq(1, true);
    pic.acknowledge();
    pic.port_write(0x20, 1, 0xA0);  // rotate on non-specific EOI: IRQ 1 is now lowest
    pic.set_irq(1, false);
    pic.set_irq(1, true);
    pic.set_irq(4, true);
    EXPECT_EQ(pic.acknowledge(), 0x0C);  // IRQ 4 outranks IRQ 1 now
}

TEST(PicPair, GivenPollCommand_ThenTheReadAcknowledgesAndReportsTheLine) {
    PicPair pic;
    init_pc_style(pic);
    pic.set_irq(3, true);
    pic.port_write(0x20, 1, 0x0C);  // OCW3 poll
    EXPECT_EQ(pic.port_read(0x20, 1), 0x83u);
    EXPECT_EQ(pic.master().isr(), 0x08);
    EXPECT_FALSE(pic.intr);
}

TEST(PicPair, GivenIcw1_ThenMaskAndServiceStateAreCleared) {
    PicPair pic;
    init_pc_style(pic);
    pic.port_write(0x21, 1, 0xAA);
    pic.set_irq(0, true);
    pic.acknowledge();
    pic.port_write(0x20, 1, 0x11);
    EXPECT_EQ(pic.master().isr(), 0x00);
    EXPECT_EQ(pic.master().imr(), 0x00);
}

TEST(PicPair, MapClaimsBothChipsPorts) {
    PicPair pic;
    IoBus io;
    pic.map(io);
    EXPECT_EQ(io.owner(0x20), "pic-master");
    EXPECT_EQ(io.owner(0xA1), "pic-slave");
    init_pc_style(pic);
    io.write(0x21, 1, 0x5A);
    EXPECT_EQ(io.read(0x21, 1), 0x5Au);
}

}  // namespace
}  // namespace pc386
