// What the MMU benchmarks share: identity-mapped page tables in a bare physical bus, and a timer
// that gives nanoseconds per operation.
#pragma once

#include <chrono>
#include <cstdint>

#include "mmu/physical_bus.h"

namespace pc386::bench {

inline constexpr uint32_t kDir = 0x1000;  // the page directory; its tables follow it

// Identity-maps the first `mib` MiB (user, writable, accessed and dirty already set).
inline void build_page_tables(PhysicalBus& bus, uint32_t mib) {
    for (uint32_t d = 0; d < mib / 4; ++d) {
        uint32_t table = 0x2000 + d * 0x1000;
        bus.write32(kDir + d * 4, table | 7);
        for (uint32_t t = 0; t < 1024; ++t) bus.write32(table + t * 4, ((d << 22) | (t << 12)) | 7 | 0x60);
    }
}

template <typename F>
double ns_per_op(uint64_t ops, F body) {
    using Clock = std::chrono::steady_clock;
    auto start = Clock::now();
    body();
    return std::chrono::duration<double, std::nano>(Clock::now() - start).count() / static_cast<double>(ops);
}

}  // namespace pc386::bench
