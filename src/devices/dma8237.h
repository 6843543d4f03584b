// The PC/AT's two 8237A DMA controllers: the first (channels 0-3, byte transfers) at ports
// 0x00-0x0F, the second (channels 4-7, word transfers; channel 4 cascades the first) at
// 0xC0-0xDF, and the page registers at 0x81-0x8F that give the address bits above 16 (0x80 is the
// POST port, not ours). Each channel has base and current address and count registers (loaded a
// byte at a time through the controller's flip-flop), a mode (verify, write to memory, read from
// memory; single, demand, block or cascade; auto-initialise; address decrement) and a mask bit;
// the status register reports terminal counts (cleared when read) and requests.
//
// Devices (the floppy controller on channel 2) move data with transfer(): the channel's mode says
// which way, the address and count step as on the chip (the low 16 address bits wrap inside their
// 64 KiB or 128 KiB page; the page register does not carry), and at terminal count the channel
// auto-initialises or masks itself. Transfers happen at once when the device asks for them: the
// single, demand and block modes differ only in bus timing, which no program here can observe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "base/io_bus.h"
#include "devices/device.h"

namespace pc386 {

// Physical memory as the DMA controller reaches it (the machine's bus; a test's array).
class DmaMemory {
  public:
    virtual ~DmaMemory() = default;
    virtual uint8_t dma_read(uint32_t phys) = 0;
    virtual void dma_write(uint32_t phys, uint8_t value) = 0;
};

class Dma8237 : public Device, public PortHandler {
  public:
    static constexpr unsigned kChannels = 8;
    static constexpr unsigned kFloppyChannel = 2;
    // Mode register fields.
    static constexpr uint8_t kModeVerify = 0x00, kModeWrite = 0x04, kModeRead = 0x08;  // bits 3-2
    static constexpr uint8_t kModeAutoInit = 0x10, kModeDecrement = 0x20;
    static constexpr uint8_t kModeDemand = 0x00, kModeSingle = 0x40, kModeBlock = 0x80, kModeCascade = 0xC0;

    explicit Dma8237(DmaMemory& memory);

    void map(IoBus& io);

    const char* name() const override { return "dma"; }
    void reset() override;
    void transfer_state(StateArchive& ar) override;

    uint32_t port_read(uint16_t port, unsigned size) override;
    void port_write(uint16_t port, unsigned size, uint32_t value) override;

    // --- the device side ---
    // True when `channel` can move data now: unmasked, and not in cascade mode.
    bool ready(unsigned channel) const;
    // Moves up to buffer.size() bytes between the buffer and memory in the direction of the
    // channel's mode (write: buffer -> memory; read: memory -> buffer; verify: neither), stopping
    // at terminal count. Returns the bytes moved (0 if the channel is not ready). A 16-bit channel
    // moves whole words: an odd last byte is left.
    size_t transfer(unsigned channel, std::span<uint8_t> buffer);
    // True once the channel's count has run out since the device last asked (its TC line).
    bool terminal_count(unsigned channel) const { return tc_seen_[channel]; }
    // The device's DREQ line: shown in the status register's request bits.
    void set_request(unsigned channel, bool on);
    // Called when a channel becomes ready (unmasked), so a device waiting on it can go on.
    void set_ready_callback(unsigned channel, std::function<void()> callback);

    // --- inspection (tests, the debugger) ---
    uint8_t mode(unsigned channel) const { return channels_[channel].mode; }
    bool masked(unsigned channel) const { return channels_[channel].masked; }
    uint32_t current_address(unsigned channel) const;  // physical, page included
    uint16_t current_count(unsigned channel) const { return channels_[channel].current_count; }

  private:
    struct Channel {
        uint16_t base_address = 0, current_address = 0;
        uint16_t base_count = 0, current_count = 0;
        uint8_t mode = 0;
        bool masked = true;
    };
    struct Controller {
        bool flip_flop = false;  // false: the next address/count byte is the low one
        uint8_t command = 0;
        uint8_t status = 0;   // bits 0-3 terminal count, 4-7 request
        uint8_t request = 0;  // software requests (the request register)
        uint8_t temporary = 0;
    };

    static unsigned controller_of(unsigned channel) { return channel >> 2; }
    void master_clear(unsigned controller);
    void set_mask(unsigned channel, bool masked);
    uint8_t read_controller(unsigned controller, unsigned reg);
    void write_controller(unsigned controller, unsigned reg, uint8_t value);
    uint8_t* page_register(uint16_t port);

    DmaMemory& memory_;
    std::array<Channel, kChannels> channels_{};
    std::array<Controller, 2> controllers_{};
    std::array<bool, kChannels> tc_seen_{};
    std::array<uint8_t, 16> page_ports_{};  // 0x80-0x8F; the unused ones are plain storage
    std::array<std::function<void()>, kChannels> ready_callbacks_;
};

}  // namespace pc386
