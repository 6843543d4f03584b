// A 3.5" or 5.25" floppy drive with a diskette in it: the diskette's format, known from the image
// size (360K, 720K, 1.2M, 1.44M, 2.88M, all double-sided with 512-byte sectors), the head's
// cylinder, and the disk change line (set when a diskette goes in, cleared by the first step
// pulse with one inside, as the drive does). The drive type it reports (CMOS byte 10h) is the one
// the format needs.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "devices/disk_image.h"

namespace pc386 {

struct FloppyFormat {
    const char* name;  // "1.44M"
    uint8_t cylinders, heads, sectors_per_track;
    uint8_t cmos_type;  // drive type in CMOS 10h: 1 360K, 2 1.2M, 3 720K, 4 1.44M, 5 2.88M
    uint32_t bytes() const {
        return uint32_t{cylinders} * heads * sectors_per_track * DiskImage::kSectorSize;
    }
};

// The format of a diskette image of `bytes` bytes, or nullopt if no supported format has that size.
std::optional<FloppyFormat> floppy_format_for_size(uint64_t bytes);
// "360K (368640 bytes), 720K (...), ..." for error messages.
const char* floppy_format_list();

class FloppyDrive {
  public:
    // Throws DiskImageError (one line, naming the file) if the image's size is no diskette format.
    explicit FloppyDrive(std::unique_ptr<DiskImage> image);

    const FloppyFormat& format() const { return format_; }
    DiskImage& image() { return *image_; }
    const DiskImage& image() const { return *image_; }
    bool write_protected() const { return !image_->writable(); }

    unsigned cylinder() const { return cylinder_; }
    // Steps the head to `cylinder` (the drive stops at its last track); a step pulse clears the
    // disk change line. Stepping to the cylinder it is on sends no pulse.
    void seek(unsigned cylinder);
    bool disk_changed() const { return disk_changed_; }

    // The image's sector of a CHS address (sector from 1), or nullopt outside the format.
    std::optional<uint64_t> lba(unsigned cylinder, unsigned head, unsigned sector) const;

    // Power-on: head at cylinder 0, change line set (the drive has not stepped since).
    void reset();
    // The head's cylinder, the change line and the diskette's in-memory writes (DiskImage).
    void transfer_state(StateArchive& ar, const char* drive);

  private:
    std::unique_ptr<DiskImage> image_;
    FloppyFormat format_;
    unsigned cylinder_ = 0;
    bool disk_changed_ = true;
};

}  // namespace pc386
