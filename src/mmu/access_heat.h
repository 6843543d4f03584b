// Access heat for the debug window's heat map: reads, writes and instruction fetches per physical
// frame, counted once per TLB fill (the MMU's slow path), not per access: a page the TLB keeps is
// counted again only when it is filled again (after a flush, a CR3 load or an eviction). That is
// what makes it cheap, and it still shows which frames a program works in. The MMU counts only
// while a tool has attached one (Mmu::set_access_heat); otherwise it costs one untaken branch per
// fill.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace pc386 {

class AccessHeat {
  public:
    enum Access : unsigned { kRead = 0, kWrite = 1, kFetch = 2 };  // the MMU's Kind values
    using Counts = std::array<uint32_t, 3>;

    explicit AccessHeat(uint32_t frames) : counts_(frames) {}

    void note(uint32_t frame, unsigned access) {
        if (frame < counts_.size() && access < 3) ++counts_[frame][access];
    }
    // The counts since the last take(), per frame; starts counting afresh.
    std::vector<Counts> take() {
        std::vector<Counts> out(counts_.size());
        out.swap(counts_);
        return out;
    }

  private:
    std::vector<Counts> counts_;
};

}  // namespace pc386
