// Where the built-in BIOS and guest OS image live: beside the pc386 executable (the build tree puts
// them there), or in ../share/pc386 for an installed copy.
#pragma once

#include <string>

namespace pc386 {

std::string builtin_guest_image();  // throws ConfigError naming where it looked
std::string builtin_bios_image();

}  // namespace pc386
