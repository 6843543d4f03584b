// The POST diagnostic port 0x80: BIOSes write their progress codes here (and some code writes it
// just to wait about a microsecond). The last code is kept for the debugger and logged at debug
// level; reads return it, as most chipsets do.
#pragma once

#include <cstdint>

#include "base/io_bus.h"
#include "devices/device.h"

namespace pc386 {

class PostPort : public Device, public PortHandler {
  public:
    static constexpr uint16_t kPort = 0x80;

    void map(IoBus& io) { io.map(kPort, kPort, this, false, "post"); }
    uint8_t last_code() const { return last_; }
    uint64_t writes() const { return writes_; }

    const char* name() const override { return "post"; }
    void reset() override {}  // the last code survives a reset, to show where the BIOS was
    void transfer_state(StateArchive& ar) override {
        ar.field(last_);
        ar.field(writes_);
    }

    uint32_t port_read(uint16_t, unsigned) override { return last_; }
    void port_write(uint16_t, unsigned, uint32_t value) override;

  private:
    uint8_t last_ = 0;
    uint64_t writes_ = 0;
};

}  // namespace pc386
