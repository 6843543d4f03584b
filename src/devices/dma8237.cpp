#include "devices/dma8237.h"

namespace pc386 {
namespace {

// Page register port of each channel (channel 4's, 0x8F, only refreshes DRAM on the AT).
constexpr std::array<uint16_t, Dma8237::kChannels> kPagePort{0x87, 0x83, 0x81, 0x82, 0x8F, 0x8B, 0x89, 0x8A};
constexpr uint8_t kCommandDisable = 0x04;  // command register: controller disabled
constexpr uint8_t kModeTypeMask = 0x0C;
constexpr uint8_t kModeSelectMask = 0xC0;
constexpr unsigned kCascadeChannel = 4;  // the second controller's channel 0 carries the first

}  // namespace

Dma8237::Dma8237(DmaMemory& memory) : memory_(memory) {
    reset();
}

void Dma8237::map(IoBus& io) {
    io.map(0x00, 0x0F, this, false, "dma1");
    io.map(0x81, 0x8F, this, false, "dma-page");
    io.map(0xC0, 0xDF, this, false, "dma2");
}

void Dma8237::reset() {
    master_clear(0);
    master_clear(1);
    page_ports_.fill(0);
    for (Channel& c : channels_) c = Channel{};
    tc_seen_.fill(false);
}

// What the master clear command and a hardware reset do to one controller: command, status,
// request, temporary register and flip-flop cleared, every channel masked.
void Dma8237::master_clear(unsigned controller) {
    controllers_[controller] = Controller{};
    for (unsigned i = 0; i < 4; ++i) channels_[controller * 4 + i].masked = true;
}

bool Dma8237::ready(unsigned channel) const {
    const Channel& c = channels_[channel];
    if (c.masked || (c.mode & kModeSelectMask) == kModeCascade) return false;
    if (controllers_[controller_of(channel)].command & kCommandDisable) return false;
    if (controller_of(channel) == 0) {  // the first controller reaches the bus through channel 4
        const Channel& cascade = channels_[kCascadeChannel];
        if (cascade.masked || (cascade.mode & kModeSelectMask) != kModeCascade) return false;
        if (controllers_[1].command & kCommandDisable) return false;
    }
    return true;
}

uint32_t Dma8237::current_address(unsigned channel) const {
    const Channel& c = channels_[channel];
    const uint32_t page = page_ports_[kPagePort[channel] - 0x80];
    if (channel < 4) return (page << 16) | c.current_address;
    return ((page & 0xFE) << 16) | (static_cast<uint32_t>(c.current_address) << 1);
}

size_t Dma8237::transfer(unsigned channel, std::span<uint8_t> buffer) {
    tc_seen_[channel] = false;
    if (!ready(channel)) return 0;
    Channel& c = channels_[channel];
    const size_t unit = channel < 4 ? 1 : 2;
    const uint8_t type = c.mode & kModeTypeMask;
    size_t moved = 0;
    while (moved + unit <= buffer.size()) {
        const uint32_t phys = current_address(channel);
        for (size_t i = 0; i < unit; ++i) {
            if (type == kModeWrite)
                memory_.dma_write(phys + static_cast<uint32_t>(i), buffer[moved + i]);
            else if (type == kModeRead)
                buffer[moved + i] = memory_.dma_read(phys + static_cast<uint32_t>(i));
        }
        moved += unit;
        c.current_address = static_cast<uint16_t>(c.current_address + ((c.mode & kModeDecrement) ? -1 : 1));
        // The count holds transfers - 1: terminal count is its step from 0 to FFFFh.
        if (c.current_count-- == 0) {
            tc_seen_[channel] = true;
            controllers_[controller_of(channel)].status |= static_cast<uint8_t>(1u << (channel & 3));
            if (c.mode & kModeAutoInit) {
                c.current_address = c.base_address;
                c.current_count = c.base_count;
            } else {
                c.masked = true;  // the 8237A masks a channel that ends without auto-initialise
            }
            break;
        }
    }
    return moved;
}

void Dma8237::set_request(unsigned channel, bool on) {
    uint8_t& status = controllers_[controller_of(channel)].status;
    const uint8_t bit = static_cast<uint8_t>(0x10u << (channel & 3));
    status = on ? (status | bit) : (status & ~bit);
}

void Dma8237::set_ready_callback(unsigned channel, std::function<void()> callback) {
    ready_callbacks_[channel] = std::move(callback);
}

void Dma8237::set_mask(unsigned channel, bool masked) {
    Channel& c = channels_[channel];
    const bool was = c.masked;
    c.masked = masked;
    if (masked || !was) return;
    // Unmasked: a device waiting on this channel (or, for the cascade, on the first controller) goes on.
    for (unsigned ch = 0; ch < kChannels; ++ch) {
        const bool affected = ch == channel || (channel == kCascadeChannel && ch < 4);
        if (affected && ready_callbacks_[ch] && ready(ch)) ready_callbacks_[ch]();
    }
}

uint8_t* Dma8237::page_register(uint16_t port) {
    return port >= 0x81 && port <= 0x8F ? &page_ports_[port - 0x80] : nullptr;
}

uint32_t Dma8237::port_read(uint16_t port, unsigned /*size*/) {
    if (uint8_t* page = page_register(port)) return *page;
    if (port <= 0x0F) return read_controller(0, port);
    if (port >= 0xC0 && port <= 0xDF && !(port & 1)) return read_controller(1, (port - 0xC0) >> 1);
    return 0xFF;
}

void Dma8237::port_write(uint16_t port, unsigned /*size*/, uint32_t value) {
    const uint8_t v = static_cast<uint8_t>(value);
    if (uint8_t* page = page_register(port)) {
        *page = v;
    } else if (port <= 0x0F) {
        write_controller(0, port, v);
    } else if (port >= 0xC0 && port <= 0xDF && !(port & 1)) {
        write_controller(1, (port - 0xC0) >> 1, v);
    }
}

uint8_t Dma8237::read_controller(unsigned controller, unsigned reg) {
    Controller& ctl = controllers_[controller];
    if (reg < 8) {  // current address (even) or current count (odd) of channel reg/2, low byte first
        const Channel& c = channels_[controller * 4 + (reg >> 1)];
        const uint16_t word = (reg & 1) ? c.current_count : c.current_address;
        const uint8_t byte = static_cast<uint8_t>(ctl.flip_flop ? word >> 8 : word);
        ctl.flip_flop = !ctl.flip_flop;
        return byte;
    }
    switch (reg) {
        case 8: {  // status: reading clears the terminal count bits
            const uint8_t status = static_cast<uint8_t>(ctl.status | (ctl.request << 4));
            ctl.status &= 0xF0;
            return status;
        }
        case 13: return ctl.temporary;
        case 15: {  // the mask bits (readable on the later integrated controllers; harmless here)
            uint8_t masks = 0xF0;
            for (unsigned i = 0; i < 4; ++i)
                if (channels_[controller * 4 + i].masked) masks |= static_cast<uint8_t>(1u << i);
            return masks;
        }
        default: return 0xFF;
    }
}

void Dma8237::write_controller(unsigned controller, unsigned reg, uint8_t value) {
    Controller& ctl = controllers_[controller];
    if (reg < 8) {  // base and current address/count are written together
        Channel& c = channels_[controller * 4 + (reg >> 1)];
        uint16_t& base = (reg & 1) ? c.base_count : c.base_address;
        uint16_t& current = (reg & 1) ? c.current_count : c.current_address;
        base = ctl.flip_flop ? static_cast<uint16_t>((base & 0x00FF) | (value << 8))
                             : static_cast<uint16_t>((base & 0xFF00) | value);
        current = base;
        ctl.flip_flop = !ctl.flip_flop;
        return;
    }
    const unsigned channel = controller * 4 + (value & 3);
    switch (reg) {
        case 8: ctl.command = value; break;
        case 9:  // software request (memory-to-memory is not wired on a PC: only recorded)
            ctl.request = static_cast<uint8_t>((value & 4) ? (ctl.request | (1u << (value & 3)))
                                                           : (ctl.request & ~(1u << (value & 3))));
            break;
        case 10: set_mask(channel, value & 4); break;
        case 11: channels_[channel].mode = static_cast<uint8_t>(value & 0xFC); break;
        case 12: ctl.flip_flop = false; break;
        case 13: master_clear(controller); break;
        case 14:
            for (unsigned i = 0; i < 4; ++i) set_mask(controller * 4 + i, false);
            break;
        case 15:
            for (unsigned i = 0; i < 4; ++i) set_mask(controller * 4 + i, value & (1u << i));
            break;
        default: break;
    }
}

}  // namespace pc386

namespace pc386 {

void Dma8237::transfer_state(StateArchive& ar) {
    ar.section("dma");
    for (Channel& c : channels_) {
        for (uint16_t* r : {&c.base_address, &c.current_address, &c.base_count, &c.current_count}) ar.field(*r);
        ar.field(c.mode);
        ar.field(c.masked);
    }
    for (Controller& c : controllers_) {
        ar.field(c.flip_flop);
        for (uint8_t* r : {&c.command, &c.status, &c.request, &c.temporary}) ar.field(*r);
    }
    for (bool& seen : tc_seen_) ar.field(seen);
    ar.field(page_ports_);
}

}  // namespace pc386
