// Debugger watchpoints (the gdb stub's Z2/Z3/Z4) on linear addresses, kept by page protection in
// the TLB: the MMU never fills a fast-path entry for a watched page, so every data access to it
// takes the slow path, where check() compares it with the watched ranges. Unwatched pages keep
// their one-compare hit path. A hit is reported through the callback, in the middle of the
// instruction (the machine asks the CPU to stop after it: watchpoints are traps).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

namespace pc386 {

struct Watchpoint {
    enum class Kind : uint8_t { Write, Read, Access };  // Z2, Z3, Z4
    uint32_t addr = 0;
    uint32_t len = 1;
    Kind kind = Kind::Write;
    friend bool operator==(const Watchpoint&, const Watchpoint&) = default;
};

class Watchpoints {
  public:
    using Callback = std::function<void(const Watchpoint& which, uint32_t addr, bool write)>;
    void set_callback(Callback callback) { callback_ = std::move(callback); }

    void add(const Watchpoint& w) {
        if (std::find(list_.begin(), list_.end(), w) == list_.end()) list_.push_back(w);
    }
    bool remove(const Watchpoint& w) { return std::erase(list_, w) > 0; }
    bool empty() const { return list_.empty(); }
    const std::vector<Watchpoint>& list() const { return list_; }

    // Whether any watched range touches the 4 KiB linear page at `page` (its TLB entries stay empty).
    bool watches_page(uint32_t page) const {
        for (const Watchpoint& w : list_)
            if (overlaps(w, page, 0x1000)) return true;
        return false;
    }
    // An access of `size` bytes at `lin` that completed: reports the first watchpoint it hits.
    void check(uint32_t lin, unsigned size, bool write) const {
        for (const Watchpoint& w : list_) {
            if (!overlaps(w, lin, size)) continue;
            if (w.kind == Watchpoint::Kind::Write && !write) continue;
            if (w.kind == Watchpoint::Kind::Read && write) continue;
            if (callback_) callback_(w, lin, write);
            return;
        }
    }

  private:
    static bool overlaps(const Watchpoint& w, uint32_t lin, uint32_t size) {
        const uint64_t a0 = w.addr, a1 = uint64_t{w.addr} + std::max<uint32_t>(w.len, 1);
        const uint64_t b0 = lin, b1 = uint64_t{lin} + size;
        return a0 < b1 && b0 < a1;
    }

    std::vector<Watchpoint> list_;
    Callback callback_;
};

}  // namespace pc386
