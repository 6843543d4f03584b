// The setting of the MMU tests that look at one mapping at a time: RAM with a page directory at
// 0x1000 whose first entry points to one page table at 0x2000 (linear 0-4 MiB), paging on.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>

#include "mmu/mmu.h"

namespace pc386 {

// Page-table entry bits, as the tests spell them.
inline constexpr uint32_t P = 1, W = 2, U = 4, A = 0x20, D = 0x40;

class OneTablePaging : public ::testing::Test {
  protected:
    explicit OneTablePaging(uint32_t ram_bytes) : bus(ram_bytes), mmu(bus) {}

    void SetUp() override {
        bus.write32(kDir, kTable | P | W | U);
        mmu.set_cr3(kDir);
        mmu.set_paging(true);
    }
    // Writes the PTE for `lin`; no TLB flush (the tests of stale entries rely on that).
    void set_pte(uint32_t lin, uint32_t value) { bus.write32(kTable + ((lin >> 12) & 0x3FF) * 4, value); }
    uint32_t pte(uint32_t lin) { return bus.read32(kTable + ((lin >> 12) & 0x3FF) * 4); }

    static constexpr uint32_t kDir = 0x1000, kTable = 0x2000;
    PhysicalBus bus;
    Mmu mmu;
};

}  // namespace pc386
