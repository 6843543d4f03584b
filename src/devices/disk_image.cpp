#include "devices/disk_image.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/log.h"
#include "base/quote.h"

namespace pc386 {
namespace {

spdlog::logger& logger() {
    return log::get("ide");
}

bool pread_all(int fd, uint8_t* out, size_t len, uint64_t offset) {
    while (len > 0) {
        const ssize_t n = ::pread(fd, out, len, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        out += n;
        len -= static_cast<size_t>(n);
        offset += static_cast<uint64_t>(n);
    }
    return true;
}

bool pwrite_all(int fd, const uint8_t* in, size_t len, uint64_t offset) {
    while (len > 0) {
        const ssize_t n = ::pwrite(fd, in, len, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        in += n;
        len -= static_cast<size_t>(n);
        offset += static_cast<uint64_t>(n);
    }
    return true;
}

}  // namespace

DiskImage::DiskImage(const std::string& path, Mode mode) : path_(path), mode_(mode) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below); it has no
    // effect on the regular files that pass.
    const int flags = (mode == Mode::ReadWrite ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NONBLOCK;
    fd_ = ::open(path.c_str(), flags);
    if (fd_ < 0)
        throw DiskImageError(fmt::format("disk image {}: cannot open{}: {}", quote(path),
                                         mode == Mode::ReadWrite ? " for writing" : "",
                                         std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd_);
        throw DiskImageError(fmt::format("disk image {}: not a regular file", quote(path)));
    }
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    if (size == 0 || size % kSectorSize != 0) {
        ::close(fd_);
        throw DiskImageError(size == 0 ? fmt::format("disk image {}: the file is empty", quote(path))
                                       : fmt::format("disk image {}: size {} is not a multiple of {} bytes",
                                                     quote(path), size, kSectorSize));
    }
    sectors_ = size / kSectorSize;
}

DiskImage::~DiskImage() {
    flush();
    if (fd_ >= 0) ::close(fd_);
}

bool DiskImage::read(uint64_t lba, uint32_t count, uint8_t* out) {
    if (lba > sectors_ || count > sectors_ - lba) return false;
    for (uint32_t i = 0; i < count; ++i) {
        uint8_t* dst = out + static_cast<size_t>(i) * kSectorSize;
        if (mode_ == Mode::Snapshot) {
            auto it = overlay_.find(lba + i);
            if (it != overlay_.end()) {
                std::memcpy(dst, it->second.data(), kSectorSize);
                continue;
            }
        }
        if (!pread_all(fd_, dst, kSectorSize, (lba + i) * kSectorSize)) {
            logger().error("disk image {}: read error at sector {}: {}", quote(path_), lba + i,
                           std::strerror(errno));
            return false;
        }
    }
    sectors_read_ += count;
    return true;
}

bool DiskImage::write(uint64_t lba, uint32_t count, const uint8_t* in) {
    if (lba > sectors_ || count > sectors_ - lba || mode_ == Mode::ReadOnly) return false;
    if (mode_ == Mode::Snapshot) {
        for (uint32_t i = 0; i < count; ++i) {
            const uint8_t* src = in + static_cast<size_t>(i) * kSectorSize;
            overlay_[lba + i].assign(src, src + kSectorSize);
        }
    } else if (!pwrite_all(fd_, in, static_cast<size_t>(count) * kSectorSize, lba * kSectorSize)) {
        logger().error("disk image {}: write error at sector {}: {}", quote(path_), lba,
                       std::strerror(errno));
        return false;
    } else {
        dirty_ = true;
    }
    sectors_written_ += count;
    return true;
}

bool DiskImage::flush() {
    if (mode_ != Mode::ReadWrite || !dirty_ || fd_ < 0) return true;
    if (::fsync(fd_) != 0) {
        logger().error("disk image {}: flush failed: {}", quote(path_), std::strerror(errno));
        return false;
    }
    dirty_ = false;
    return true;
}

}  // namespace pc386

namespace pc386 {

void DiskImage::transfer_state(StateArchive& ar, const char* drive) {
    if (!ar.loading() && mode_ == Mode::ReadWrite)
        ar.fail(fmt::format("{} ({}) is read-write: a restore could not take its file back; run with --snapshot",
                            drive, path_));
    ar.expect(sectors_, fmt::format("the sector count of {}", drive).c_str());
    ar.expect(static_cast<uint64_t>(mode_), "the disk mode (--snapshot or read-only)");
    if (mode_ != Mode::Snapshot) return;  // read-only: nothing can have changed
    std::vector<uint64_t> written;
    for (const auto& [lba, data] : overlay_) written.push_back(lba);
    std::sort(written.begin(), written.end());  // the same machine gives the same bytes
    uint64_t count = written.size();
    ar.field(count);
    if (!ar.loading()) {
        for (uint64_t lba : written) {
            ar.field(lba);
            ar.bytes(overlay_[lba].data(), kSectorSize);
        }
        return;
    }
    if (count > sectors_) ar.fail("more written sectors than the disk has");
    overlay_.clear();
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t lba = 0;
        ar.field(lba);
        if (lba >= sectors_) ar.fail("a written sector beyond the end of the disk");
        auto& sector = overlay_[lba];
        sector.resize(kSectorSize);
        ar.bytes(sector.data(), kSectorSize);
    }
}

}  // namespace pc386
