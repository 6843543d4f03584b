// A raw disk image file seen as an array of 512-byte sectors. Three modes: read-write (guest writes
// go straight to the file, flush() also syncs it to the disk), read-only (writes are refused), and
// snapshot (writes stay in memory, copy-on-write per sector; the file is never modified).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/state_archive.h"

namespace pc386 {

// A disk image that cannot be used: a one-line message naming the file and the reason.
class DiskImageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class DiskImage {
  public:
    static constexpr uint32_t kSectorSize = 512;
    enum class Mode { ReadWrite, ReadOnly, Snapshot };

    // Opens `path`. Throws DiskImageError if the file is missing or unreadable (or not writable in
    // ReadWrite mode), empty, or not a whole number of sectors.
    DiskImage(const std::string& path, Mode mode);
    ~DiskImage();  // flushes
    DiskImage(const DiskImage&) = delete;
    DiskImage& operator=(const DiskImage&) = delete;

    const std::string& path() const { return path_; }
    Mode mode() const { return mode_; }
    uint64_t sector_count() const { return sectors_; }
    bool writable() const { return mode_ != Mode::ReadOnly; }

    // Whole sectors. Both return false (and log) for a range beyond the end, a refused write, or a
    // host I/O error; nothing is partially done on a range error.
    bool read(uint64_t lba, uint32_t count, uint8_t* out);
    bool write(uint64_t lba, uint32_t count, const uint8_t* in);
    // Makes every completed write durable in the file (fsync); no-op for read-only and snapshot.
    bool flush();
    // For a machine snapshot: the image's size (which must match), and in snapshot mode the sectors
    // written so far. A read-write image cannot be snapshotted (its file moves on and a restore
    // could not take it back): saving fails with a line that says to use --snapshot.
    void transfer_state(StateArchive& ar, const char* drive);

    // Traffic counters (for the machine's statistics).
    uint64_t sectors_read() const { return sectors_read_; }
    uint64_t sectors_written() const { return sectors_written_; }

  private:
    std::string path_;
    Mode mode_;
    int fd_ = -1;
    uint64_t sectors_ = 0;
    bool dirty_ = false;
    std::unordered_map<uint64_t, std::vector<uint8_t>> overlay_;  // snapshot: written sectors
    uint64_t sectors_read_ = 0, sectors_written_ = 0;
};

}  // namespace pc386
