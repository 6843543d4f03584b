// Debugger breakpoints on instructions (the gdb stub's Z0/Z1), by linear address: the CPU stops
// *before* an instruction whose CS:EIP is in the set, without writing guest memory (so the guest's
// code, checksums and the decode cache never see an INT3). The check costs one pointer test per
// instruction while no debugger has set any (Cpu::set_code_breakpoints(nullptr)).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace pc386 {

class CodeBreakpoints {
  public:
    void add(uint32_t linear) {
        if (!contains(linear)) addrs_.push_back(linear);
    }
    void remove(uint32_t linear) { std::erase(addrs_, linear); }
    bool contains(uint32_t linear) const {
        return std::find(addrs_.begin(), addrs_.end(), linear) != addrs_.end();
    }
    bool empty() const { return addrs_.empty(); }
    const std::vector<uint32_t>& addresses() const { return addrs_; }

    // Resuming from a breakpoint: the instruction at `linear` runs once before the set applies
    // again to it (otherwise a continue would stop where it stands).
    void skip_once(uint32_t linear) { skip_ = linear, skipping_ = true; }
    // The CPU asks before each instruction.
    bool stops_at(uint32_t linear) {
        if (skipping_) {
            skipping_ = false;
            if (linear == skip_) return false;
        }
        return contains(linear);
    }

  private:
    std::vector<uint32_t> addrs_;  // a handful: a linear scan beats a set
    uint32_t skip_ = 0;
    bool skipping_ = false;
};

}  // namespace pc386
