// The few symbols of a Linux kernel that the window needs to read its frame descriptors, taken from
// the kernel's System.map (`nm` output: "c1234567 D mem_map"). See linux_frame_table.h for the
// kernels this supports.
#pragma once

#include <cstdint>
#include <string>

namespace pc386 {

struct LinuxSymbols {
    uint32_t mem_map = 0;       // the variable `struct page *mem_map` (FLATMEM), a kernel address
    uint32_t max_mapnr = 0;     // the variable `unsigned long max_mapnr`: frames mem_map describes
    uint32_t linux_banner = 0;  // "Linux version ...": proves the map belongs to the running kernel

    // Reads a System.map; throws ConfigError (one line naming the file) when it cannot be read, is
    // not a System.map, or lacks one of the symbols (a kernel without FLATMEM has no mem_map).
    static LinuxSymbols load(const std::string& path);
    // The same from the file's text (tests).
    static LinuxSymbols parse(const std::string& text, const std::string& name);
};

}  // namespace pc386
