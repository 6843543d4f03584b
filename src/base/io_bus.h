// The I/O port space (64 KiB of ports) that IN/OUT reach. The CPU holds an IoBus; devices register
// a PortHandler for the ports they decode. Unclaimed ports read as all ones and ignore writes, as on
// an ISA bus with nothing answering.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace pc386 {

// A device's side of port I/O. `size` is 1, 2 or 4 bytes.
class PortHandler {
public:
    virtual ~PortHandler() = default;
    virtual uint32_t port_read(uint16_t port, unsigned size) = 0;
    virtual void port_write(uint16_t port, unsigned size, uint32_t value) = 0;
};

class IoBus {
public:
    // Claims ports [first, last] for `handler`. A `wide` handler receives 16/32-bit accesses whole;
    // for a byte-wide one the bus splits them into byte accesses at port, port+1, ... (as the ISA
    // bus does for 8-bit devices). Throws std::logic_error if a port is already claimed.
    void map(uint16_t first, uint16_t last, PortHandler* handler, bool wide = false, std::string name = {});
    void unmap(uint16_t first, uint16_t last);

    uint32_t read(uint16_t port, unsigned size);
    void write(uint16_t port, unsigned size, uint32_t value);

    // Name of the device that claims `port`, or "" (for logs and the debugger).
    const std::string& owner(uint16_t port) const;

private:
    struct Slot {
        PortHandler* handler = nullptr;
        bool wide = false;
        uint16_t name_index = 0;
    };
    std::array<Slot, 65536> slots_{};
    std::array<std::string, 256> names_{};  // index 0 is the empty name
    unsigned name_count_ = 1;
};

}  // namespace pc386
