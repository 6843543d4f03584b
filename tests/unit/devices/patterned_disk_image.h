// A scratch disk image for the drive tests (IDE, floppy): sector i is filled with the byte i & 0xFF
// except its first 4 bytes, which hold i little endian, so every sector read or written can be
// recognised. The file lives in the temp directory, named by `prefix`, the test and the pid.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace pc386 {

class PatternedDiskImage {
  public:
    PatternedDiskImage(uint64_t sectors, const std::string& prefix, const std::string& tag) {
        path_ = std::filesystem::temp_directory_path() /
                (prefix + "_" + tag + "_" + std::to_string(::getpid()) + ".img");
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        for (uint64_t i = 0; i < sectors; ++i)
            out.write(reinterpret_cast<const char*>(pattern(i).data()), 512);
    }
    ~PatternedDiskImage() { std::filesystem::remove(path_); }
    PatternedDiskImage(const PatternedDiskImage&) = delete;
    PatternedDiskImage& operator=(const PatternedDiskImage&) = delete;

    static std::vector<uint8_t> pattern(uint64_t lba) {
        std::vector<uint8_t> s(512, static_cast<uint8_t>(lba));
        for (int i = 0; i < 4; ++i) s[i] = static_cast<uint8_t>(lba >> (8 * i));
        return s;
    }
    std::string path() const { return path_.string(); }
    // What the file holds now (what the device wrote through to it).
    std::vector<uint8_t> file_sector(uint64_t lba) const {
        std::ifstream in(path_, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(lba * 512));
        std::vector<uint8_t> s(512);
        in.read(reinterpret_cast<char*>(s.data()), 512);
        return s;
    }

  private:
    std::filesystem::path path_;
};

}  // namespace pc386
