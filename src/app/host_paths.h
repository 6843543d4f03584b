// Where the built-in BIOS and guest OS image live: beside the pc386 executable (the build tree puts
// them there), or in ../share/pc386 for an installed copy.
#pragma once

#include <cstdint>
#include <string>

namespace pc386 {

std::string builtin_guest_image();  // throws ConfigError naming where it looked

// The built-in guest OS does not boot in less RAM (at 1 MiB it triple-faults over and over; at 2 MiB
// it boots and runs cowtest): found by trying.
inline constexpr uint32_t kBuiltinGuestMinMemMb = 2;
std::string builtin_bios_image();

}  // namespace pc386
