#include "devices/floppy_drive.h"

#include <fmt/format.h>

#include <array>

#include "base/quote.h"

namespace pc386 {
namespace {

constexpr std::array<FloppyFormat, 5> kFormats{{
    {"360K", 40, 2, 9, 1},
    {"720K", 80, 2, 9, 3},
    {"1.2M", 80, 2, 15, 2},
    {"1.44M", 80, 2, 18, 4},
    {"2.88M", 80, 2, 36, 5},
}};
constexpr unsigned kLastTrack = 83;  // how far a drive's head can step (80-track drives; a few spare)

}  // namespace

std::optional<FloppyFormat> floppy_format_for_size(uint64_t bytes) {
    for (const FloppyFormat& f : kFormats)
        if (f.bytes() == bytes) return f;
    return std::nullopt;
}

const char* floppy_format_list() {
    return "360K (368640 bytes), 720K (737280), 1.2M (1228800), 1.44M (1474560) or 2.88M (2949120)";
}

FloppyDrive::FloppyDrive(std::unique_ptr<DiskImage> image) : image_(std::move(image)) {
    const uint64_t bytes = image_->sector_count() * DiskImage::kSectorSize;
    const auto format = floppy_format_for_size(bytes);
    if (!format)
        throw DiskImageError(
            fmt::format("floppy image {}: size {} bytes is no diskette format; a floppy image is {}",
                        quote(image_->path()), bytes, floppy_format_list()));
    format_ = *format;
}

void FloppyDrive::seek(unsigned cylinder) {
    cylinder = std::min(cylinder, kLastTrack);
    if (cylinder != cylinder_) disk_changed_ = false;
    cylinder_ = cylinder;
}

std::optional<uint64_t> FloppyDrive::lba(unsigned cylinder, unsigned head, unsigned sector) const {
    if (cylinder >= format_.cylinders || head >= format_.heads || sector < 1 ||
        sector > format_.sectors_per_track)
        return std::nullopt;
    return (uint64_t{cylinder} * format_.heads + head) * format_.sectors_per_track + sector - 1;
}

void FloppyDrive::reset() {
    cylinder_ = 0;
    disk_changed_ = true;
}

}  // namespace pc386

namespace pc386 {

void FloppyDrive::transfer_state(StateArchive& ar, const char* drive) {
    ar.field(cylinder_);
    ar.field(disk_changed_);
    if (image_) image_->transfer_state(ar, drive);
}

}  // namespace pc386
