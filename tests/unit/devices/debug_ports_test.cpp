#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "devices/debug_console.h"
#include "devices/debug_exit.h"
#include "devices/port92.h"
#include "devices/post_port.h"

namespace pc386 {
namespace {

TEST(DebugConsole, BytesGoToTheSinkAndReadsIdentifyThePort) {
    DebugConsole con;
    IoBus io;
    con.map(io);
    std::string out;
    con.set_output([&](uint8_t b) { out.push_back(static_cast<char>(b)); });
    io.write(0xE9, 1, 'o');
    io.write(0xE9, 1, 'k');
    EXPECT_EQ(out, "ok");
    EXPECT_EQ(io.read(0xE9, 1), 0xE9u);
}

TEST(DebugExit, AWriteOfVRequestsExitStatusTwoVPlusOne) {
    DebugExit dev;
    IoBus io;
    dev.map(io);
    std::vector<uint32_t> statuses;
    dev.set_exit_callback([&](uint32_t s) { statuses.push_back(s); });
    io.write(0xF4, 1, 0);
    io.write(0xF4, 1, 1);
    io.write(0xF4, 2, 0x21);  // a word write delivers the whole value
    EXPECT_EQ(statuses, (std::vector<uint32_t>{1, 3, 0x43}));
    EXPECT_EQ(io.owner(0xF7), "debug-exit");
}

TEST(Port92, Bit1GatesA20AndBit0PulsesReset) {
    Port92 port;
    IoBus io;
    port.map(io);
    std::vector<bool> a20;
    int resets = 0;
    port.set_a20_callback([&](bool on) { a20.push_back(on); });
    port.set_reset_callback([&] { ++resets; });
    io.write(0x92, 1, 0x02);
    EXPECT_EQ(a20, std::vector<bool>{true});
    EXPECT_EQ(io.read(0x92, 1), 0x02u);
    io.write(0x92, 1, 0x02);  // unchanged: no callback
    EXPECT_EQ(a20.size(), 1u);
    EXPECT_EQ(resets, 0);
    io.write(0x92, 1, 0x03);
    EXPECT_EQ(resets, 1);
    io.write(0x92, 1, 0x00);
    EXPECT_EQ(a20.back(), false);
}

TEST(PostPort, RemembersTheLastCode) {
    PostPort post;
    IoBus io;
    post.map(io);
    io.write(0x80, 1, 0x12);
    io.write(0x80, 1, 0x34);
    EXPECT_EQ(post.last_code(), 0x34);
    EXPECT_EQ(post.writes(), 2u);
    EXPECT_EQ(io.read(0x80, 1), 0x34u);
}

}  // namespace
}  // namespace pc386
