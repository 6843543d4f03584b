#include "devices/ata_drive.h"

#include <algorithm>

namespace pc386 {
namespace {

// ATA strings: space padded, two characters per word with the first in the high byte.
void put_string(std::array<uint16_t, 256>& words, unsigned first_word, unsigned word_count,
                const std::string& s) {
    for (unsigned i = 0; i < word_count; ++i) {
        const char hi = 2 * i < s.size() ? s[2 * i] : ' ';
        const char lo = 2 * i + 1 < s.size() ? s[2 * i + 1] : ' ';
        words[first_word + i] =
            static_cast<uint16_t>((static_cast<uint8_t>(hi) << 8) | static_cast<uint8_t>(lo));
    }
}

}  // namespace

AtaDrive::AtaDrive(std::unique_ptr<DiskImage> image, std::string serial)
    : image_(std::move(image)), serial_(std::move(serial)) {
    const uint64_t per_cylinder = 16 * 63;
    default_geometry_.heads = 16;
    default_geometry_.sectors_per_track = 63;
    default_geometry_.cylinders =
        static_cast<uint32_t>(std::clamp<uint64_t>(sectors() / per_cylinder, 1, 16383));
    reset();
}

void AtaDrive::reset() {
    current_geometry_ = default_geometry_;
    multiple_ = 0;
}

bool AtaDrive::set_translation(uint32_t heads, uint32_t sectors_per_track) {
    if (heads == 0 || heads > 16 || sectors_per_track == 0 || sectors_per_track > 255) return false;
    current_geometry_.heads = heads;
    current_geometry_.sectors_per_track = sectors_per_track;
    const uint64_t per_cylinder = static_cast<uint64_t>(heads) * sectors_per_track;
    current_geometry_.cylinders =
        static_cast<uint32_t>(std::clamp<uint64_t>(sectors() / per_cylinder, 1, 65535));
    return true;
}

std::optional<uint64_t> AtaDrive::chs_to_lba(uint32_t cylinder, uint32_t head, uint32_t sector) const {
    const ChsGeometry& g = current_geometry_;
    if (sector == 0 || sector > g.sectors_per_track || head >= g.heads || cylinder >= g.cylinders)
        return std::nullopt;
    return (static_cast<uint64_t>(cylinder) * g.heads + head) * g.sectors_per_track + (sector - 1);
}

void AtaDrive::lba_to_chs(uint64_t lba, uint32_t& cylinder, uint32_t& head, uint32_t& sector) const {
    const ChsGeometry& g = current_geometry_;
    sector = static_cast<uint32_t>(lba % g.sectors_per_track) + 1;
    const uint64_t track = lba / g.sectors_per_track;
    head = static_cast<uint32_t>(track % g.heads);
    cylinder = static_cast<uint32_t>(track / g.heads);
}

bool AtaDrive::set_multiple(uint32_t count) {
    if (count > kMaxMultiple || (count & (count - 1)) != 0) return false;
    multiple_ = count;
    return true;
}

std::array<uint16_t, 256> AtaDrive::identify() const {
    std::array<uint16_t, 256> w{};
    const ChsGeometry& d = default_geometry_;
    const ChsGeometry& c = current_geometry_;
    w[0] = 0x0040;  // fixed (non-removable) ATA device
    w[1] = static_cast<uint16_t>(d.cylinders);
    w[3] = static_cast<uint16_t>(d.heads);
    w[4] = static_cast<uint16_t>(512 * d.sectors_per_track);  // obsolete: bytes per track
    w[5] = 512;                                               // obsolete: bytes per sector
    w[6] = static_cast<uint16_t>(d.sectors_per_track);
    put_string(w, 10, 10, serial_);
    w[20] = 3;    // buffer type: dual-ported with read cache
    w[21] = 512;  // buffer size in sectors
    w[22] = 4;    // ECC bytes on READ/WRITE LONG
    put_string(w, 23, 4, "1.0");
    put_string(w, 27, 20, "PC386 HARDDISK");
    w[47] = 0x8000 | kMaxMultiple;
    w[49] = 0x0200;  // capabilities: LBA supported (no DMA)
    w[50] = 0x4000;
    w[51] = 0x0200;  // PIO timing mode 2
    w[53] = 0x0003;  // words 54-58 and 64-70 are valid
    w[54] = static_cast<uint16_t>(c.cylinders);
    w[55] = static_cast<uint16_t>(c.heads);
    w[56] = static_cast<uint16_t>(c.sectors_per_track);
    const uint64_t chs_capacity =
        std::min<uint64_t>(static_cast<uint64_t>(c.cylinders) * c.heads * c.sectors_per_track, sectors());
    w[57] = static_cast<uint16_t>(chs_capacity);
    w[58] = static_cast<uint16_t>(chs_capacity >> 16);
    w[59] = static_cast<uint16_t>(multiple_ ? (0x0100 | multiple_) : 0);
    const uint64_t lba = addressable_sectors();
    w[60] = static_cast<uint16_t>(lba);
    w[61] = static_cast<uint16_t>(lba >> 16);
    w[64] = 0x0003;                       // PIO modes 3 and 4
    w[65] = w[66] = w[67] = w[68] = 120;  // cycle times (ns)
    w[80] = 0x007E;                       // ATA-1 .. ATA-6
    w[82] = 0x4000;                       // NOP supported
    w[83] = 0x5000;                       // FLUSH CACHE supported (bit 12), word valid (bit 14); no LBA48
    w[84] = 0x4000;
    w[85] = 0x4000;
    w[86] = 0x1000;  // FLUSH CACHE enabled
    w[87] = 0x4000;
    // Integrity word: signature A5h, then a checksum making all 512 bytes sum to 0 (mod 256).
    w[255] = 0x00A5;
    unsigned sum = 0;
    for (unsigned i = 0; i < 256; ++i) sum += (w[i] & 0xFF) + (w[i] >> 8);
    w[255] = static_cast<uint16_t>(0x00A5 | (((256 - (sum & 0xFF)) & 0xFF) << 8));
    return w;
}

}  // namespace pc386

namespace pc386 {

void AtaDrive::transfer_state(StateArchive& ar) {
    ar.field(current_geometry_);
    ar.field(multiple_);
    image_->transfer_state(ar, serial_.c_str());
}

}  // namespace pc386
