#include "base/io_bus.h"

#include <stdexcept>

#include <fmt/format.h>

namespace pc386 {

void IoBus::map(uint16_t first, uint16_t last, PortHandler* handler, bool wide, std::string name) {
    for (uint32_t p = first; p <= last; ++p) {
        if (slots_[p].handler)
            throw std::logic_error(fmt::format("I/O port {:#x} claimed twice ({} and {})", p,
                                               names_[slots_[p].name_index], name));
    }
    uint16_t index = 0;
    if (!name.empty() && name_count_ < names_.size()) {
        index = static_cast<uint16_t>(name_count_++);
        names_[index] = std::move(name);
    }
    for (uint32_t p = first; p <= last; ++p) slots_[p] = Slot{handler, wide, index};
}

void IoBus::unmap(uint16_t first, uint16_t last) {
    for (uint32_t p = first; p <= last; ++p) slots_[p] = Slot{};
}

uint32_t IoBus::read(uint16_t port, unsigned size) {
    const Slot& s = slots_[port];
    if (s.handler && (s.wide || size == 1)) return s.handler->port_read(port, size);
    if (size == 1) return 0xFF;
    uint32_t value = 0;
    for (unsigned i = 0; i < size; ++i) {
        const Slot& b = slots_[static_cast<uint16_t>(port + i)];
        uint32_t byte = b.handler ? (b.handler->port_read(static_cast<uint16_t>(port + i), 1) & 0xFF) : 0xFF;
        value |= byte << (8 * i);
    }
    return value;
}

void IoBus::write(uint16_t port, unsigned size, uint32_t value) {
    const Slot& s = slots_[port];
    if (s.handler && (s.wide || size == 1)) {
        s.handler->port_write(port, size, value);
        return;
    }
    for (unsigned i = 0; i < size; ++i) {
        const Slot& b = slots_[static_cast<uint16_t>(port + i)];
        if (b.handler) b.handler->port_write(static_cast<uint16_t>(port + i), 1, (value >> (8 * i)) & 0xFF);
    }
}

const std::string& IoBus::owner(uint16_t port) const { return names_[slots_[port].name_index]; }

}  // namespace pc386
