// Port 0xEA: where the guest OS tells the emulator the physical address of its guest-info
// descriptor (frame table, process list, counters; layout in src/guestos/abi/guest_info.h). The
// guest writes the address with one 32-bit OUT; on QEMU the port is unclaimed and the write is lost.
#pragma once

#include <cstdint>

#include "base/io_bus.h"

namespace pc386 {

class GuestInfoPort : public PortHandler {
public:
    static constexpr uint16_t kPort = 0xEA;

    uint32_t address() const { return address_; }
    void reset() { address_ = 0; }

    uint32_t port_read(uint16_t port, unsigned size) override { return size == 4 ? address_ : 0xFFFFFFFFu; }
    void port_write(uint16_t port, unsigned size, uint32_t value) override {
        if (port == kPort && size == 4) address_ = value;  // byte/word writes are not the protocol
    }

private:
    uint32_t address_ = 0;
};

}  // namespace pc386
