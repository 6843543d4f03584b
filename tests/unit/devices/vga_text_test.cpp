#include "devices/vga_text.h"

#include <gtest/gtest.h>

namespace pc386 {
namespace {

void put(VgaText& vga, unsigned row, unsigned col, const char* text, uint8_t attr = 0x07) {
    for (unsigned i = 0; text[i]; ++i)
        vga.mmio_write((row * 80 + col + i) * 2, 2, static_cast<uint8_t>(text[i]) | attr << 8);
}

void crtc(VgaText& vga, uint8_t index, uint8_t value) {
    vga.port_write(0x3D4, 1, index);
    vga.port_write(0x3D5, 1, value);
}

TEST(VgaText, PowerOnScreenIsBlank) {
    VgaText vga;
    EXPECT_EQ(vga.screen_text(), std::string(24, '\n'));
    EXPECT_EQ(vga.cell(0, 0).attribute, 0x07);
}

TEST(VgaText, MmioWritesAppearInTheScreenText) {
    VgaText vga;
    put(vga, 0, 0, "Hello", 0x1F);
    put(vga, 24, 75, "end");
    EXPECT_EQ(vga.row_text(0), "Hello");
    EXPECT_EQ(vga.row_text(24), std::string(75, ' ') + "end");
    EXPECT_EQ(vga.cell(0, 1).character, 'e');
    EXPECT_EQ(vga.cell(0, 1).attribute, 0x1F);
    EXPECT_EQ(vga.mmio_read(0, 2), 'H' | 0x1F00u);
    vga.mmio_write(4, 4, 'A' | 0x0700 | ('B' << 16) | (0x07u << 24));  // a dword covers two cells
    EXPECT_EQ(vga.row_text(0), "HeABo");
}

TEST(VgaText, NonPrintableBytesShowAsDotsAndNulAsSpace) {
    VgaText vga;
    vga.mmio_write(0, 1, 0xDB);
    vga.mmio_write(2, 1, 0x00);
    vga.mmio_write(4, 1, 'x');
    EXPECT_EQ(vga.row_text(0), ". x");
}

TEST(VgaText, ChangeCounterMovesOnlyOnVisibleChanges) {
    VgaText vga;
    const uint64_t c0 = vga.change_count();
    vga.mmio_write(0, 2, ' ' | 0x0700);  // same as what is there
    EXPECT_EQ(vga.change_count(), c0);
    vga.mmio_write(0, 1, 'x');
    EXPECT_GT(vga.change_count(), c0);
    const uint64_t c1 = vga.change_count();
    crtc(vga, 0x0F, 5);
    EXPECT_GT(vga.change_count(), c1);
}

TEST(VgaText, CursorFollowsTheCrtcRegisters) {
    VgaText vga;
    crtc(vga, 0x0E, (3 * 80 + 7) >> 8);
    crtc(vga, 0x0F, (3 * 80 + 7) & 0xFF);
    VgaText::Cursor c = vga.cursor();
    EXPECT_EQ(c.row, 3u);
    EXPECT_EQ(c.column, 7u);
    EXPECT_TRUE(c.visible);
    EXPECT_EQ(c.start_scanline, 14u);
    EXPECT_EQ(c.end_scanline, 15u);
    crtc(vga, 0x0A, 0x20);  // cursor disabled
    EXPECT_FALSE(vga.cursor().visible);
    vga.port_write(0x3D4, 1, 0x0F);
    EXPECT_EQ(vga.port_read(0x3D5, 1), (3u * 80 + 7) & 0xFF);
}

TEST(VgaText, StartAddressScrollsTheVisibleScreen) {
    VgaText vga;
    put(vga, 1, 0, "second line");
    crtc(vga, 0x0C, 0);
    crtc(vga, 0x0D, 80);
    EXPECT_EQ(vga.row_text(0), "second line");
}

TEST(VgaText, InputStatusRetraceBitsToggleSoPollingLoopsEnd) {
    VgaText vga;
    const uint32_t a = vga.port_read(0x3DA, 1) & 0x08;
    const uint32_t b = vga.port_read(0x3DA, 1) & 0x08;
    EXPECT_NE(a, b);
}

TEST(VgaText, MiscOutputAndIndexedRegistersReadBack) {
    VgaText vga;
    EXPECT_EQ(vga.port_read(0x3CC, 1), 0x67u);
    vga.port_write(0x3C2, 1, 0x63);
    EXPECT_EQ(vga.port_read(0x3CC, 1), 0x63u);
    vga.port_write(0x3C4, 1, 0x02);
    vga.port_write(0x3C5, 1, 0x03);
    EXPECT_EQ(vga.port_read(0x3C5, 1), 0x03u);
    vga.port_write(0x3CE, 1, 0x06);
    vga.port_write(0x3CF, 1, 0x0E);
    EXPECT_EQ(vga.port_read(0x3CF, 1), 0x0Eu);
    vga.port_read(0x3DA, 1);  // resets the attribute flip-flop to "index"
    vga.port_write(0x3C0, 1, 0x10);
    vga.port_write(0x3C0, 1, 0x0C);
    vga.port_write(0x3C0, 1, 0x10);
    EXPECT_EQ(vga.port_read(0x3C1, 1), 0x0Cu);
    vga.port_write(0x3C8, 1, 1);
    vga.port_write(0x3C9, 1, 0x3F);
    vga.port_write(0x3C9, 1, 0x20);
    vga.port_write(0x3C9, 1, 0x10);
    vga.port_write(0x3C7, 1, 1);
    EXPECT_EQ(vga.port_read(0x3C9, 1), 0x3Fu);
    EXPECT_EQ(vga.port_read(0x3C9, 1), 0x20u);
    EXPECT_EQ(vga.port_read(0x3C9, 1), 0x10u);
}

TEST(VgaText, MapClaimsTheVgaPorts) {
    VgaText vga;
    IoBus io;
    vga.map(io);
    EXPECT_EQ(io.owner(0x3C0), "vga");
    EXPECT_EQ(io.owner(0x3D5), "vga-crtc");
    EXPECT_EQ(io.owner(0x3DA), "vga-status");
    EXPECT_EQ(io.owner(0x3D8), "");
}

}  // namespace
}  // namespace pc386
