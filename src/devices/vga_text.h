// A VGA in 80x25 colour text mode, enough for a PC BIOS, a boot loader and a text console: the
// 32 KiB of text memory at 0xB8000 (character/attribute pairs), the CRT controller at 0x3D4/0x3D5
// (start address, cursor location and shape), input status 1 at 0x3DA (retrace bits that toggle
// on every read so polling loops end), the miscellaneous output register (0x3C2 write, 0x3CC read),
// and the sequencer, graphics controller, attribute controller and DAC registers, which are stored
// and read back but do not change the display. Tools read the screen through cell() and
// screen_text(); change_count() tells a window when to redraw.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "base/io_bus.h"
#include "devices/device.h"
#include "base/mmio.h"

namespace pc386 {

class VgaText : public Device, public PortHandler, public MmioHandler {
  public:
    static constexpr uint32_t kTextBase = 0xB8000;
    static constexpr uint32_t kTextSize = 0x8000;  // 0xB8000-0xBFFFF
    static constexpr uint16_t kFirstPort = 0x3C0;  // 0x3C0-0x3CF: attribute, misc, sequencer, DAC, graphics
    static constexpr uint16_t kLastPort = 0x3CF;
    static constexpr uint16_t kCrtcIndex = 0x3D4, kCrtcData = 0x3D5, kInputStatus1 = 0x3DA;
    static constexpr unsigned kColumns = 80, kRows = 25;

    struct Cell {
        uint8_t character;
        uint8_t attribute;
    };
    struct Cursor {
        unsigned row, column;
        unsigned start_scanline, end_scanline;
        bool visible;  // enabled and on the screen
    };

    VgaText() { reset(); }

    // Claims 0x3C0-0x3CF, 0x3D4-0x3D5 and 0x3DA; the machine maps the MMIO region
    // (kTextBase, kTextSize) on the physical bus.
    void map(IoBus& io);

    const char* name() const override { return "vga"; }
    void reset() override;
    void transfer_state(StateArchive& ar) override;

    uint32_t port_read(uint16_t port, unsigned size) override;
    void port_write(uint16_t port, unsigned size, uint32_t value) override;
    uint32_t mmio_read(uint32_t offset, unsigned size) override;
    void mmio_write(uint32_t offset, unsigned size, uint32_t value) override;

    // The visible screen (from the CRTC start address).
    Cell cell(unsigned row, unsigned column) const;
    // One row as text: NUL shows as a space, other non-ASCII bytes as '.', trailing spaces trimmed.
    std::string row_text(unsigned row) const;
    // All rows joined with '\n'.
    std::string screen_text() const;
    Cursor cursor() const;
    // Incremented on every change of what is visible (memory, start address, cursor).
    uint64_t change_count() const { return changes_; }
    // Raw text memory (tools, tests).
    const std::array<uint8_t, kTextSize>& memory() const { return memory_; }

  private:
    uint16_t start_address() const { return static_cast<uint16_t>(crtc_[0x0C] << 8 | crtc_[0x0D]); }

    std::array<uint8_t, kTextSize> memory_{};
    std::array<uint8_t, 256> crtc_{};
    std::array<uint8_t, 8> sequencer_{};
    std::array<uint8_t, 16> graphics_{};
    std::array<uint8_t, 32> attribute_{};
    std::array<uint8_t, 768> dac_{};
    uint8_t crtc_index_ = 0, sequencer_index_ = 0, graphics_index_ = 0, attribute_index_ = 0;
    bool attribute_flipflop_data_ = false;  // false: the next 0x3C0 write is an index
    uint8_t misc_output_ = 0;
    uint8_t dac_write_index_ = 0, dac_read_index_ = 0, dac_component_ = 0, dac_mask_ = 0xFF;
    uint32_t status_reads_ = 0;
    uint64_t changes_ = 0;
};

}  // namespace pc386
