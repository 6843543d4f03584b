#include "machine/snapshot_file.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "machine/bounded_file.h"
#include "machine/machine.h"

namespace pc386 {

uint64_t snapshot_size_limit(const Machine& machine) {
    const MachineConfig& config = machine.config();
    uint64_t limit = uint64_t{config.mem_mb} << 20;
    limit += limit / 4096 + (uint64_t{64} << 20);  // a flag per RAM page; the chips, queues, buffers
    for (const DiskConfig* disk : {&config.hda, &config.hdb}) {
        if (disk->path.empty()) continue;
        std::error_code ec;
        const uint64_t size = std::filesystem::file_size(disk->path, ec);
        if (!ec) limit += size + size / 512 * 8;  // every sector written, with its number
    }
    return limit;
}

std::vector<uint8_t> read_snapshot_file(const std::string& path, const Machine& machine) {
    const uint64_t limit = snapshot_size_limit(machine);
    return read_bounded_file(path, "snapshot", static_cast<size_t>(limit), [&](uint64_t size) {
        return fmt::format(
            "size {} bytes; a snapshot of this machine ({} MiB of RAM and its disks) has at most {}", size,
            machine.config().mem_mb, limit);
    });
}

bool write_snapshot_file(const std::string& path, const std::vector<uint8_t>& bytes) {
    // Into a new file beside it, then renamed over it: a full disk leaves the old file (or none),
    // never half a snapshot under the name a later --restore would read.
    const std::string temporary = path + ".partial";
    std::FILE* f = std::fopen(temporary.c_str(), "wb");
    if (!f) return false;
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    ok = std::fclose(f) == 0 && ok;
    std::error_code ec;
    if (ok) std::filesystem::rename(temporary, path, ec);
    if (!ok || ec) {
        std::filesystem::remove(temporary, ec);
        return false;
    }
    return true;
}

}  // namespace pc386
