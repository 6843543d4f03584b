// A device that answers physical memory accesses in a region of the bus (VGA text memory, ...).
// `offset` is relative to the start of the region; `size` is 1, 2 or 4 bytes.
#pragma once

#include <cstdint>

namespace pc386 {

class MmioHandler {
public:
    virtual ~MmioHandler() = default;
    virtual uint32_t mmio_read(uint32_t offset, unsigned size) = 0;
    virtual void mmio_write(uint32_t offset, unsigned size, uint32_t value) = 0;
};

}  // namespace pc386
