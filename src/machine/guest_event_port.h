// Port 0xEB: where the built-in guest reports its memory manager's events (fork, CoW copy,
// swap-out, ...; layout in src/guestos/abi/guest_events.h). The guest writes the physical address
// of a 40-byte record with one 32-bit OUT; the port reads it from RAM at once and adds it to the
// event stream. Everything is validated: the guest may be buggy or hostile.
#pragma once

#include <cstdint>

#include "base/event_log.h"
#include "base/io_bus.h"
#include "devices/device.h"

namespace pc386 {

class PhysicalBus;

class GuestEventPort : public Device, public PortHandler {
  public:
    static constexpr uint16_t kPort = 0xEB;

    GuestEventPort(const PhysicalBus& bus, EventLog& log) : bus_(bus), log_(log) {}
    void map(IoBus& io) { io.map(kPort, kPort, this, true, "guest-events"); }

    const char* name() const override { return "guest-events"; }
    void reset() override { rejected_ = 0; }
    void transfer_state(StateArchive& ar) override { ar.field(rejected_); }
    // Records the guest sent that made no sense (unknown kind, outside RAM): for tests and --stats.
    uint64_t rejected() const { return rejected_; }

    uint32_t port_read(uint16_t, unsigned) override { return 0xFFFFFFFFu; }
    void port_write(uint16_t port, unsigned size, uint32_t value) override;

  private:
    const PhysicalBus& bus_;
    EventLog& log_;
    uint64_t rejected_ = 0;
};

}  // namespace pc386
