// A PS/2 mouse (the device behind the 8042's auxiliary port): answers the commands the BIOS and
// Linux's psmouse driver send (reset, identify, enable/disable reporting, sample rate, resolution,
// scaling, status request, stream/remote mode, read data) as a plain two-button mouse with ID 0,
// and turns host motion into 3-byte stream packets while reporting is enabled. The controller
// hands it each byte the guest writes through command 0xD4 and queues what it returns.
#pragma once

#include <cstdint>
#include <vector>

#include "base/state_archive.h"

namespace pc386 {

class Ps2Mouse {
  public:
    Ps2Mouse() { reset(); }

    void reset();
    void transfer_state(StateArchive& ar);
    // One byte from the host (the controller's 0xD4); returns the mouse's answer, in order.
    std::vector<uint8_t> write(uint8_t value);
    // Host motion (dx right, dy up, buttons bit 0 left, 1 right, 2 middle): a stream packet while
    // reporting is on in stream mode, nothing otherwise.
    std::vector<uint8_t> motion(int dx, int dy, uint8_t buttons);

    bool reporting() const { return reporting_; }
    uint8_t sample_rate() const { return sample_rate_; }
    uint8_t resolution() const { return resolution_; }

  private:
    void set_defaults();
    std::vector<uint8_t> packet(int dx, int dy, uint8_t buttons) const;

    uint8_t pending_ = 0;  // a command waiting for its argument (0xE8, 0xF3)
    uint8_t sample_rate_ = 100, resolution_ = 2;
    bool scaling_2to1_ = false, reporting_ = false, remote_ = false, wrap_ = false;
    uint8_t buttons_ = 0;
    uint8_t last_ = 0;  // the last byte sent, for 0xFE (resend)
};

}  // namespace pc386
