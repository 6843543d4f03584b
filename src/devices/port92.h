// System control port A (0x92, the PS/2 "fast A20" port): bit 1 gates address line 20, writing
// bit 0 as 1 pulses the CPU's reset line. Both reach the machine through callbacks; reads return
// the A20 bit as last written (bit 0 reads 0).
#pragma once

#include <cstdint>
#include <functional>

#include "base/io_bus.h"
#include "devices/device.h"

namespace pc386 {

class Port92 : public Device, public PortHandler {
  public:
    static constexpr uint16_t kPort = 0x92;

    void map(IoBus& io) { io.map(kPort, kPort, this, false, "port92"); }
    void set_a20_callback(std::function<void(bool)> callback) { on_a20_ = std::move(callback); }
    void set_reset_callback(std::function<void()> callback) { on_reset_ = std::move(callback); }

    bool a20() const { return value_ & 0x02; }

    const char* name() const override { return "port92"; }
    void reset() override { value_ = 0; }
    void transfer_state(StateArchive& ar) override { ar.field(value_); }

    uint32_t port_read(uint16_t, unsigned) override { return value_ & 0x02; }
    void port_write(uint16_t, unsigned, uint32_t value) override {
        const uint8_t old = value_;
        value_ = static_cast<uint8_t>(value & 0x02);
        if (((old ^ value_) & 0x02) && on_a20_) on_a20_(value_ & 0x02);
        if ((value & 0x01) && on_reset_) on_reset_();
    }

  private:
    std::function<void(bool)> on_a20_;
    std::function<void()> on_reset_;
    uint8_t value_ = 0;
};

}  // namespace pc386
