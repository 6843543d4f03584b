// The byte format of a machine snapshot, and the one way each part of the machine writes and reads
// it. Every chip has a single transfer_state(StateArchive&) that names its fields once: the same
// function saves (the archive appends) and loads (the archive reads back), so the two directions
// cannot disagree. Sections carry a tag, so a snapshot from another build or machine fails with
// "snapshot does not match at 'pit'" instead of loading garbage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace pc386 {

// A snapshot that cannot be taken or loaded: one line for the user (what and why).
class SnapshotError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class StateArchive {
  public:
    // An archive that appends what it is given.
    static StateArchive for_saving() { return StateArchive(); }
    // An archive that reads `data` back (the span must outlive the archive).
    static StateArchive for_loading(std::span<const uint8_t> data) { return StateArchive(data); }

    bool loading() const { return loading_; }

    // A scalar, enum (of a fixed underlying type) or array of them, copied byte for byte. Structs
    // with bools go field by field (a bool must never load as anything but 0 or 1).
    template <typename T>
    void field(T& value) {
        static_assert(std::is_trivially_copyable_v<T>, "transfer plain data only");
        bytes(&value, sizeof value);
    }
    // A bool travels as one byte; any non-zero byte loads as true (never an invalid bool).
    void field(bool& value) {
        uint8_t b = value;
        bytes(&b, 1);
        value = b != 0;
    }
    void bytes(void* data, size_t size);
    // A byte vector of at most `max_size` bytes (a bad length is an error, never a huge allocation).
    void byte_vector(std::vector<uint8_t>& v, size_t max_size);
    // A FIFO of plain records, at most `max_size` of them.
    template <typename T>
    void fifo(std::deque<T>& q, size_t max_size) {
        uint64_t n = q.size();
        field(n);
        if (!loading_) {
            for (T& item : q) field(item);
            return;
        }
        if (n > max_size) fail("a queue longer than the device holds");
        q.clear();
        for (uint64_t i = 0; i < n; ++i) {
            T item{};
            field(item);
            q.push_back(item);
        }
    }
    // A value the loaded snapshot must have (RAM size, CPU model, disk size): saving writes it,
    // loading compares and fails with `what` when the running machine differs.
    void expect(uint64_t value, const char* what);
    // Starts the named part (a device): written when saving, checked when loading.
    void section(const char* tag);

    // Saving: the bytes so far (the archive is left empty).
    std::vector<uint8_t> take() { return std::move(out_); }
    // Loading: fails unless every byte was read.
    void finish();

    [[noreturn]] void fail(const std::string& why) const;

  private:
    StateArchive() = default;
    explicit StateArchive(std::span<const uint8_t> data) : loading_(true), in_(data) {}

    bool loading_ = false;
    std::vector<uint8_t> out_;
    std::span<const uint8_t> in_;
    size_t pos_ = 0;
    std::string section_ = "header";
};

}  // namespace pc386
