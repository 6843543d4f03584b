// The machine's physical bus as the window's readers see it: RAM only (peek has no device side
// effects, and nothing the readers look at lives in ROM or MMIO).
#pragma once

#include "mmu/physical_bus.h"
#include "ui/physical_memory_view.h"

namespace pc386 {

class BusMemoryView final : public PhysicalMemoryView {
  public:
    explicit BusMemoryView(PhysicalBus& bus) : bus_(bus) {}
    uint32_t ram_size() const override { return bus_.ram_size(); }
    bool peek(uint32_t phys, void* out, size_t len) const override {
        if (phys > bus_.ram_size() || len > bus_.ram_size() - phys) return false;
        return bus_.peek(phys, out, len);
    }

  private:
    PhysicalBus& bus_;
};

}  // namespace pc386
