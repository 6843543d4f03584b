// Read-only access to guest-physical memory for the window's readers, so they can be tested on a
// plain byte array instead of a whole machine. The machine's adapter forwards to PhysicalBus::peek
// (no device side effects).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace pc386 {

class PhysicalMemoryView {
  public:
    virtual ~PhysicalMemoryView() = default;
    virtual uint32_t ram_size() const = 0;
    // Copies `len` bytes at `phys`; false (and `out` unspecified) if any byte is outside memory.
    virtual bool peek(uint32_t phys, void* out, size_t len) const = 0;

    // A little-endian 32-bit value (the host is little-endian too); false when unreadable.
    bool peek32(uint32_t phys, uint32_t& value) const { return peek(phys, &value, sizeof value); }
};

// A view over a host byte vector (tests, and snapshots copied out of the machine).
class VectorMemoryView final : public PhysicalMemoryView {
  public:
    explicit VectorMemoryView(std::vector<uint8_t>& bytes) : bytes_(bytes) {}
    uint32_t ram_size() const override { return static_cast<uint32_t>(bytes_.size()); }
    bool peek(uint32_t phys, void* out, size_t len) const override {
        if (phys > bytes_.size() || len > bytes_.size() - phys) return false;
        std::memcpy(out, bytes_.data() + phys, len);
        return true;
    }

  private:
    std::vector<uint8_t>& bytes_;
};

}  // namespace pc386
