#include "base/state_archive.h"

#include <fmt/format.h>

namespace pc386 {

void StateArchive::bytes(void* data, size_t size) {
    if (!loading_) {
        const auto* p = static_cast<const uint8_t*>(data);
        out_.insert(out_.end(), p, p + size);
        return;
    }
    if (size > in_.size() - pos_) fail("the snapshot is truncated");
    std::memcpy(data, in_.data() + pos_, size);
    pos_ += size;
}

void StateArchive::byte_vector(std::vector<uint8_t>& v, size_t max_size) {
    uint64_t n = v.size();
    field(n);
    if (loading_) {
        if (n > max_size || n > in_.size() - pos_) fail("a buffer longer than the device holds");
        v.resize(n);
    }
    if (n) bytes(v.data(), n);
}

void StateArchive::expect(uint64_t value, const char* what) {
    uint64_t saved = value;
    field(saved);
    if (loading_ && saved != value)
        fail(fmt::format("{}: the snapshot has {}, this machine {}", what, saved, value));
}

void StateArchive::section(const char* tag) {
    char name[16] = {};
    std::strncpy(name, tag, sizeof name - 1);
    char saved[16];
    std::memcpy(saved, name, sizeof saved);
    section_ = tag;
    bytes(saved, sizeof saved);
    if (loading_ && std::memcmp(saved, name, sizeof name) != 0)
        fail("it was written by another build of pc386 or is damaged");
}

void StateArchive::finish() {
    if (loading_ && pos_ != in_.size()) fail("it has bytes after the last part");
}

void StateArchive::fail(const std::string& why) const {
    if (loading_) throw SnapshotError(fmt::format("snapshot does not load at '{}': {}", section_, why));
    throw SnapshotError(fmt::format("cannot take a snapshot of '{}': {}", section_, why));
}

}  // namespace pc386
