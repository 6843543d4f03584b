// The Bochs/QEMU debug console on port 0xE9: every byte written goes to the sink (the CLI's
// output, a file, a script waiting for text); reading returns 0xE9 so guests can detect it.
#pragma once

#include <cstdint>
#include <functional>

#include "base/io_bus.h"
#include "devices/device.h"

namespace pc386 {

class DebugConsole : public Device, public PortHandler {
  public:
    static constexpr uint16_t kPort = 0xE9;

    void map(IoBus& io) { io.map(kPort, kPort, this, false, "debugcon"); }
    void set_output(std::function<void(uint8_t)> sink) { output_ = std::move(sink); }

    const char* name() const override { return "debugcon"; }
    void reset() override {}
    void transfer_state(StateArchive&) override {}  // no state: bytes go straight out

    uint32_t port_read(uint16_t, unsigned) override { return kPort; }
    void port_write(uint16_t, unsigned, uint32_t value) override {
        if (output_) output_(static_cast<uint8_t>(value));
    }

  private:
    std::function<void(uint8_t)> output_;
};

}  // namespace pc386
