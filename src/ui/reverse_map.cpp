#include "ui/reverse_map.h"

#include <fmt/format.h>

#include <array>
#include <set>

namespace pc386 {

FrameUses find_frame_uses(const PhysicalMemoryView& memory, const std::vector<KnownAddressSpace>& spaces,
                          uint32_t frame, size_t max_mappings) {
    FrameUses uses;
    std::set<uint32_t> seen;
    std::array<uint32_t, 1024> directory{}, table{};
    for (const KnownAddressSpace& space : spaces) {
        const uint32_t dir_frame = space.cr3 >> 12;
        if (!seen.insert(dir_frame).second) continue;
        if (!memory.peek(dir_frame << 12, directory.data(), sizeof directory)) continue;
        if (dir_frame == frame) uses.roles.push_back("page directory of " + space.owner);
        for (uint32_t d = 0; d < 1024; ++d) {
            const uint32_t pde = directory[d];
            if (!(pde & 1)) continue;
            if (pde >> 12 == frame)
                uses.roles.push_back(fmt::format("page table for {:08x}-{:08x} of {}", d << 22,
                                                 (d << 22) | 0x3FFFFF, space.owner));
            if (!memory.peek(pde & 0xFFFFF000u, table.data(), sizeof table)) continue;
            for (uint32_t t = 0; t < 1024; ++t) {
                const uint32_t pte = table[t];
                if (!(pte & 1) || pte >> 12 != frame) continue;
                if (uses.mappings.size() >= max_mappings) return uses;
                uses.mappings.push_back({.owner = space.owner,
                                         .cr3 = space.cr3,
                                         .linear = d << 22 | t << 12,
                                         .pte = pte,
                                         .user = (pde & pte & 4) != 0,
                                         .writable = (pde & pte & 2) != 0});
            }
        }
    }
    return uses;
}

}  // namespace pc386
