// Port 0xEA: where the guest OS tells the emulator the physical address of its guest-info
// descriptor (frame table, process list, counters; layout in src/guestos/abi/guest_info.h). The
// guest writes the address with one 32-bit OUT; on QEMU the port is unclaimed and the write is lost.
#pragma once

#include <cstdint>

#include "base/io_bus.h"
#include "devices/device.h"

namespace pc386 {

class GuestInfoPort : public Device, public PortHandler {
public:
    static constexpr uint16_t kPort = 0xEA;

    // One port, wide: the OUT is 32 bits (0xEB beside it is the event port).
    void map(IoBus& io) { io.map(kPort, kPort, this, true, "guest-info"); }
    uint32_t address() const { return address_; }

    const char* name() const override { return "guest-info"; }
    void reset() override { address_ = 0; }
    void transfer_state(StateArchive& ar) override { ar.field(address_); }

    uint32_t port_read(uint16_t port, unsigned size) override { return size == 4 ? address_ : 0xFFFFFFFFu; }
    void port_write(uint16_t port, unsigned size, uint32_t value) override {
        if (port == kPort && size == 4) address_ = value;  // byte/word writes are not the protocol
    }

private:
    uint32_t address_ = 0;
};

}  // namespace pc386
