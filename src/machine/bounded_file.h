// Reading a user's file whole (a BIOS, an option ROM, a kernel, an initrd) without trusting it: only
// a regular file (a FIFO would block the open, /dev/zero would never end), its size checked before
// a byte is read (a 3 GiB sparse file costs nothing), and checked again while reading (it may grow).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pc386 {

// The bytes of `path`, at most `max_bytes`. Throws ConfigError with a one-line message naming
// `what` and the path; for a file over the limit, the message ends with `too_big(size)`.
std::vector<uint8_t> read_bounded_file(const std::string& path, const char* what, size_t max_bytes,
                                       const std::function<std::string(uint64_t size)>& too_big);

}  // namespace pc386
