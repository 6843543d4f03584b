// FNV-1a, 64-bit: the checksum of a snapshot file and the fingerprint of the ROMs it was taken
// with. Not cryptographic: it catches a damaged or mismatched file, not a forged one.
#pragma once

#include <cstdint>
#include <span>

namespace pc386 {

class Fnv1a {
  public:
    Fnv1a& add(std::span<const uint8_t> bytes) {
        for (uint8_t b : bytes) add_byte(b);
        return *this;
    }
    // A 32-bit value as its four little-endian bytes (the same hash on any host).
    Fnv1a& add_le32(uint32_t value) {
        for (int i = 0; i < 4; ++i) add_byte(static_cast<uint8_t>(value >> (8 * i)));
        return *this;
    }
    uint64_t value() const { return hash_; }

  private:
    void add_byte(uint8_t b) { hash_ = (hash_ ^ b) * 0x100000001b3ull; }
    uint64_t hash_ = 0xcbf29ce484222325ull;
};

}  // namespace pc386
