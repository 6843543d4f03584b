// Machine snapshots in files (a script's `snapshot write`, `pc386 run --restore FILE`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pc386 {

class Machine;

// The most bytes a snapshot of `machine` can have: its RAM, every sector of its disks (all written
// in --snapshot mode) and room for the chips. A bigger file is refused before it is read.
uint64_t snapshot_size_limit(const Machine& machine);

// Reads a snapshot file for `machine` (at most snapshot_size_limit). Throws ConfigError with one
// line for a missing, unreadable, non-regular or oversized file; the contents are checked by
// Machine::load_snapshot.
std::vector<uint8_t> read_snapshot_file(const std::string& path, const Machine& machine);

// Writes the bytes whole or returns false (and leaves no partial file behind).
bool write_snapshot_file(const std::string& path, const std::vector<uint8_t>& bytes);

}  // namespace pc386
