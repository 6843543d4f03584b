// The port space: unclaimed ports float high, byte devices see wide accesses split, and a port
// cannot be claimed twice.
#include "base/io_bus.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace pc386 {
namespace {

struct Recorder : PortHandler {
    std::vector<std::tuple<uint16_t, unsigned, uint32_t>> writes;
    uint32_t port_read(uint16_t port, unsigned size) override { return port & 0xFF; }
    void port_write(uint16_t port, unsigned size, uint32_t value) override { writes.emplace_back(port, size, value); }
};

TEST(IoBus, UnclaimedPortsReadAllOnes) {
    IoBus bus;
    EXPECT_EQ(bus.read(0x300, 1), 0xFFu);
    EXPECT_EQ(bus.read(0x300, 2), 0xFFFFu);
    EXPECT_EQ(bus.read(0x300, 4), 0xFFFFFFFFu);
    bus.write(0x300, 4, 0x12345678);  // ignored, no crash
}

TEST(IoBus, ByteDeviceSeesWideAccessesAsBytes) {
    IoBus bus;
    Recorder dev;
    bus.map(0x20, 0x21, &dev, false, "pic");
    EXPECT_EQ(bus.read(0x20, 2), 0x2120u);
    bus.write(0x20, 2, 0xBBAA);
    ASSERT_EQ(dev.writes.size(), 2u);
    EXPECT_EQ(dev.writes[0], std::make_tuple(uint16_t{0x20}, 1u, 0xAAu));
    EXPECT_EQ(dev.writes[1], std::make_tuple(uint16_t{0x21}, 1u, 0xBBu));
    // A wide read that runs past the device reads the rest as floating bus.
    EXPECT_EQ(bus.read(0x21, 2), 0xFF21u);
    EXPECT_EQ(bus.owner(0x21), "pic");
}

TEST(IoBus, WideDeviceSeesWholeAccess) {
    IoBus bus;
    Recorder dev;
    bus.map(0x1F0, 0x1F0, &dev, true, "ide");
    bus.write(0x1F0, 2, 0xBEEF);
    ASSERT_EQ(dev.writes.size(), 1u);
    EXPECT_EQ(dev.writes[0], std::make_tuple(uint16_t{0x1F0}, 2u, 0xBEEFu));
}

TEST(IoBus, DoubleClaimIsAnError) {
    IoBus bus;
    Recorder a, b;
    bus.map(0x60, 0x64, &a);
    EXPECT_THROW(bus.map(0x64, 0x64, &b), std::logic_error);
    bus.unmap(0x60, 0x64);
    EXPECT_NO_THROW(bus.map(0x64, 0x64, &b));
}

}  // namespace
}  // namespace pc386
