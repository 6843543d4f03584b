// One ATA hard disk behind the IDE channel: its image, its CHS geometry (the default one it
// reports and the current one INITIALIZE DEVICE PARAMETERS sets), its READ/WRITE MULTIPLE block
// size, and its IDENTIFY DEVICE data. The register protocol lives in IdeController.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "devices/disk_image.h"

namespace pc386 {

struct ChsGeometry {
    uint32_t cylinders = 0;
    uint32_t heads = 0;
    uint32_t sectors_per_track = 0;
};

class AtaDrive {
  public:
    static constexpr uint32_t kMaxMultiple = 16;  // sectors per READ/WRITE MULTIPLE block
    static constexpr uint64_t kLba28Limit = 0x0FFFFFFF;

    // `serial` distinguishes the drives in IDENTIFY (e.g. "PC386-HD0").
    AtaDrive(std::unique_ptr<DiskImage> image, std::string serial);

    DiskImage& image() { return *image_; }
    const DiskImage& image() const { return *image_; }
    uint64_t sectors() const { return image_->sector_count(); }
    // Sectors a guest can address with LBA28.
    uint64_t addressable_sectors() const { return sectors() < kLba28Limit ? sectors() : kLba28Limit; }

    // Default geometry: 16 heads x 63 sectors, as many cylinders as fit (1 .. 16383).
    const ChsGeometry& default_geometry() const { return default_geometry_; }
    const ChsGeometry& current_geometry() const { return current_geometry_; }
    // INITIALIZE DEVICE PARAMETERS. False (the command aborts) for 0 sectors or more than 16 heads.
    bool set_translation(uint32_t heads, uint32_t sectors_per_track);
    // CHS (sector numbered from 1) -> LBA under the current geometry; nullopt when out of range.
    std::optional<uint64_t> chs_to_lba(uint32_t cylinder, uint32_t head, uint32_t sector) const;
    // LBA -> CHS under the current geometry (for the task file after a transfer).
    void lba_to_chs(uint64_t lba, uint32_t& cylinder, uint32_t& head, uint32_t& sector) const;

    // SET MULTIPLE MODE: 0 disables; else a power of two up to kMaxMultiple. False = abort.
    bool set_multiple(uint32_t count);
    uint32_t multiple() const { return multiple_; }

    // Power-on / hardware reset: default translation, multiple mode off.
    void reset();
    // Geometry, multiple mode and the image's in-memory writes (see DiskImage::transfer_state).
    void transfer_state(StateArchive& ar);

    // The 256 little-endian words IDENTIFY DEVICE returns.
    std::array<uint16_t, 256> identify() const;

  private:
    std::unique_ptr<DiskImage> image_;
    std::string serial_;
    ChsGeometry default_geometry_, current_geometry_;
    uint32_t multiple_ = 0;
};

}  // namespace pc386
