// CR0's bits. CR0 lives in the MMU (Mmu::cr0(): paging reads PG, PE and WP on every walk); the CPU
// reads it through (Cpu::cr0()) for the rest and checks what a guest may write.
#pragma once

#include <cstdint>

namespace pc386::cr0 {

inline constexpr uint32_t PE = 1u << 0, MP = 1u << 1, EM = 1u << 2, TS = 1u << 3, ET = 1u << 4, PG = 1u << 31;
// 486 only (reserved, read as 0, on the 386).
inline constexpr uint32_t NE = 1u << 5, WP = 1u << 16, AM = 1u << 18, NW = 1u << 29, CD = 1u << 30;

}  // namespace pc386::cr0
