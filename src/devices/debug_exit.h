// QEMU's isa-debug-exit device (iobase 0xF4, iosize 4): a write of V asks the emulator to exit
// with status (V << 1) | 1, so a guest can report pass/fail to a test harness. The machine gets
// the request through a callback and stops at the next slice boundary.
#pragma once

#include <cstdint>
#include <functional>

#include "base/io_bus.h"
#include "devices/device.h"

namespace pc386 {

class DebugExit : public Device, public PortHandler {
  public:
    static constexpr uint16_t kFirstPort = 0xF4;
    static constexpr uint16_t kLastPort = 0xF7;

    // Wide: a 16/32-bit OUT delivers its whole value, as on QEMU.
    void map(IoBus& io) { io.map(kFirstPort, kLastPort, this, true, "debug-exit"); }
    // Receives the exit status (V << 1) | 1, computed on the value as written (the process exit
    // code keeps its low 8 bits).
    void set_exit_callback(std::function<void(uint32_t)> callback) { on_exit_ = std::move(callback); }

    const char* name() const override { return "debug-exit"; }
    void reset() override {}
    void transfer_state(StateArchive&) override {}  // no state: the exit goes straight to the machine

    uint32_t port_read(uint16_t, unsigned size) override {
        return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
    }
    void port_write(uint16_t, unsigned, uint32_t value) override {
        if (on_exit_) on_exit_((value << 1) | 1);
    }

  private:
    std::function<void(uint32_t)> on_exit_;
};

}  // namespace pc386
