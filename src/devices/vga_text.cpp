#include "devices/vga_text.h"

#include <algorithm>

namespace pc386 {

void VgaText::map(IoBus& io) {
    io.map(kFirstPort, kLastPort, this, false, "vga");
    io.map(kCrtcIndex, kCrtcData, this, false, "vga-crtc");
    io.map(kInputStatus1, kInputStatus1, this, false, "vga-status");
}

// Power-on: mode 3 as a BIOS leaves it (colour, 80x25, cursor scanlines 14-15 at the top left),
// and blank memory (spaces on light grey).
void VgaText::reset() {
    for (size_t i = 0; i < memory_.size(); i += 2) {
        memory_[i] = ' ';
        memory_[i + 1] = 0x07;
    }
    crtc_.fill(0);
    crtc_[0x0A] = 0x0E;
    crtc_[0x0B] = 0x0F;
    sequencer_.fill(0);
    graphics_.fill(0);
    attribute_.fill(0);
    misc_output_ = 0x67;  // colour I/O at 0x3Dx, RAM enabled, 28 MHz clock
    crtc_index_ = sequencer_index_ = graphics_index_ = attribute_index_ = 0;
    attribute_flipflop_data_ = false;
    dac_write_index_ = dac_read_index_ = dac_component_ = 0;
    ++changes_;
}

uint32_t VgaText::mmio_read(uint32_t offset, unsigned size) {
    uint32_t value = 0;
    for (unsigned i = 0; i < size; ++i) {
        const uint32_t at = offset + i;
        value |= static_cast<uint32_t>(at < kTextSize ? memory_[at] : 0xFF) << (8 * i);
    }
    return value;
}

void VgaText::mmio_write(uint32_t offset, unsigned size, uint32_t value) {
    bool changed = false;
    for (unsigned i = 0; i < size; ++i) {
        const uint32_t at = offset + i;
        if (at >= kTextSize) break;
        const uint8_t byte = static_cast<uint8_t>(value >> (8 * i));
        changed |= memory_[at] != byte;
        memory_[at] = byte;
    }
    if (changed) ++changes_;
}

uint32_t VgaText::port_read(uint16_t port, unsigned) {
    switch (port) {
        case 0x3C0: return attribute_index_;
        case 0x3C1: return attribute_[attribute_index_ & 0x1F];
        case 0x3C2: return 0x00;  // input status 0
        case 0x3C4: return sequencer_index_;
        case 0x3C5: return sequencer_[sequencer_index_ & 7];
        case 0x3C6: return dac_mask_;
        case 0x3C7: return 0x00;  // DAC state: write mode
        case 0x3C8: return dac_write_index_;
        case 0x3C9: {
            const uint8_t v = dac_[dac_read_index_ * 3u + dac_component_];
            if (++dac_component_ == 3) {
                dac_component_ = 0;
                ++dac_read_index_;
            }
            return v;
        }
        case 0x3CA: return 0x00;  // feature control
        case 0x3CC: return misc_output_;
        case 0x3CE: return graphics_index_;
        case 0x3CF: return graphics_[graphics_index_ & 0x0F];
        case kCrtcIndex: return crtc_index_;
        case kCrtcData: return crtc_[crtc_index_];
        case kInputStatus1: {
            // Reading resets the attribute flip-flop. Bits 0 (display disabled) and 3 (vertical
            // retrace) alternate on each read so that "wait for retrace / end of retrace" loops end.
            attribute_flipflop_data_ = false;
            ++status_reads_;
            return (status_reads_ & 1) ? 0x09 : 0x00;
        }
        default: return 0xFF;
    }
}

void VgaText::port_write(uint16_t port, unsigned, uint32_t value) {
    const uint8_t byte = static_cast<uint8_t>(value);
    switch (port) {
        case 0x3C0:
            if (!attribute_flipflop_data_)
                attribute_index_ = byte & 0x3F;  // bit 5: palette address source
            else
                attribute_[attribute_index_ & 0x1F] = byte;
            attribute_flipflop_data_ = !attribute_flipflop_data_;
            break;
        case 0x3C2: misc_output_ = byte; break;
        case 0x3C4: sequencer_index_ = byte; break;
        case 0x3C5: sequencer_[sequencer_index_ & 7] = byte; break;
        case 0x3C6: dac_mask_ = byte; break;
        case 0x3C7:
            dac_read_index_ = byte;
            dac_component_ = 0;
            break;
        case 0x3C8:
            dac_write_index_ = byte;
            dac_component_ = 0;
            break;
        case 0x3C9:
            dac_[dac_write_index_ * 3u + dac_component_] = byte & 0x3F;
            if (++dac_component_ == 3) {
                dac_component_ = 0;
                ++dac_write_index_;
            }
            break;
        case 0x3CE: graphics_index_ = byte; break;
        case 0x3CF: graphics_[graphics_index_ & 0x0F] = byte; break;
        case kCrtcIndex: crtc_index_ = byte; break;
        case kCrtcData: {
            // Registers 0-7 are write-protected when bit 7 of register 0x11 is set.
            if (crtc_index_ <= 7 && (crtc_[0x11] & 0x80)) break;
            const uint8_t old = crtc_[crtc_index_];
            crtc_[crtc_index_] = byte;
            if (old != byte && crtc_index_ >= 0x0A && crtc_index_ <= 0x0F) ++changes_;
            break;
        }
        default: break;
    }
}

VgaText::Cell VgaText::cell(unsigned row, unsigned column) const {
    const uint32_t index = (start_address() + row * kColumns + column) & (kTextSize / 2 - 1);
    return Cell{memory_[2 * index], memory_[2 * index + 1]};
}

std::string VgaText::row_text(unsigned row) const {
    std::string line;
    line.reserve(kColumns);
    for (unsigned c = 0; c < kColumns; ++c) {
        const uint8_t ch = cell(row, c).character;
        line.push_back(ch == 0 ? ' ' : (ch >= 0x20 && ch < 0x7F ? static_cast<char>(ch) : '.'));
    }
    line.erase(line.find_last_not_of(' ') + 1);
    return line;
}

std::string VgaText::screen_text() const {
    std::string text;
    for (unsigned r = 0; r < kRows; ++r) {
        if (r) text.push_back('\n');
        text += row_text(r);
    }
    return text;
}

VgaText::Cursor VgaText::cursor() const {
    const uint16_t location = static_cast<uint16_t>(crtc_[0x0E] << 8 | crtc_[0x0F]);
    const int offset = static_cast<int>(location) - static_cast<int>(start_address());
    Cursor c{};
    c.start_scanline = crtc_[0x0A] & 0x1F;
    c.end_scanline = crtc_[0x0B] & 0x1F;
    const bool on_screen = offset >= 0 && offset < static_cast<int>(kColumns * kRows);
    c.row = on_screen ? static_cast<unsigned>(offset) / kColumns : 0;
    c.column = on_screen ? static_cast<unsigned>(offset) % kColumns : 0;
    c.visible = on_screen && !(crtc_[0x0A] & 0x20) && c.start_scanline <= c.end_scanline;
    return c;
}

}  // namespace pc386

namespace pc386 {

void VgaText::transfer_state(StateArchive& ar) {
    ar.section("vga");
    ar.field(memory_);
    ar.field(crtc_);
    ar.field(sequencer_);
    ar.field(graphics_);
    ar.field(attribute_);
    ar.field(dac_);
    for (uint8_t* r : {&crtc_index_, &sequencer_index_, &graphics_index_, &attribute_index_, &misc_output_,
                       &dac_write_index_, &dac_read_index_, &dac_component_, &dac_mask_})
        ar.field(*r);
    ar.field(attribute_flipflop_data_);
    ar.field(status_reads_);
    if (dac_component_ > 2) ar.fail("a DAC component beyond blue");
    if (ar.loading()) ++changes_;  // the screen changed under any viewer
}

}  // namespace pc386
