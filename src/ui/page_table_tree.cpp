#include "ui/page_table_tree.h"

#include <fmt/format.h>

#include <array>

#include "ui/address_space.h"

namespace pc386 {
namespace {

constexpr uint32_t kP = 0x001, kW = 0x002, kU = 0x004, kPwt = 0x008, kPcd = 0x010, kA = 0x020, kD = 0x040,
                   kPs = 0x080, kG = 0x100;
constexpr uint32_t kFlagBits = 0xFFF;

// Consecutive present entries that map consecutive frames with the same flags fold into one line
// from this many on (a kernel table of 1024 identical entries is one line, not 1024).
constexpr uint32_t kFoldFrom = 3;

std::string software_bits(uint32_t entry, bool guest_bits) {
    std::string out;
    if (guest_bits && (entry & kP) && (entry & kGuestPteCow)) out += "  CoW";
    const uint32_t avl = (entry >> 9) & 7;
    if (!guest_bits && avl) out += fmt::format("  avl={}", avl);
    return out;
}

// A table entry's line after its index and address.
std::string describe_pte(uint32_t pte, bool guest_bits, bool is486) {
    if (pte & kP)
        return fmt::format("-> {:08x}  {}{}", pte & 0xFFFFF000u, decode_entry_flags(pte, false, is486),
                           software_bits(pte, guest_bits));
    if (guest_bits && (pte & kGuestPteSwap))
        return fmt::format("   swapped out, slot {} (PTE {:08x})", pte >> 12, pte);
    return fmt::format("   not present (PTE {:08x})", pte);
}

}  // namespace

std::string decode_entry_flags(uint32_t entry, bool directory, bool is486) {
    std::string out = entry & kP ? "P" : "-";
    out += entry & kW ? " W" : " R";
    out += entry & kU ? " U" : " S";
    out += entry & kA ? " A" : " -";
    if (!directory) out += entry & kD ? " D" : " -";
    if (is486) {
        if (entry & kPwt) out += " PWT";
        if (entry & kPcd) out += " PCD";
    } else if (entry & (kPwt | kPcd)) {
        out += " (PWT/PCD set: no cache on a 386)";
    }
    if (directory && (entry & kPs)) out += " (PS set: no 4 MiB pages here)";
    if (entry & kG) out += " (G set: no global pages here)";
    return out;
}

std::vector<TreeLine> page_table_tree(const PhysicalMemoryView& memory, uint32_t cr3,
                                      const std::set<uint32_t>& expanded, bool guest_bits, bool is486) {
    using S = PaneLine::Style;
    std::vector<TreeLine> lines;
    std::array<uint32_t, 1024> directory{}, table{};
    const uint32_t dir_at = cr3 & 0xFFFFF000u;
    if (!memory.peek(dir_at, directory.data(), sizeof directory)) {
        lines.push_back({{fmt::format("page directory {:08x}: not in RAM", dir_at), S::Warning}, {}});
        return lines;
    }
    uint32_t present = 0;
    for (uint32_t e : directory) present += e & kP;
    lines.push_back(
        {{fmt::format("Page directory at {:08x}: {} of 1024 entries present (click one: its table)", dir_at,
                      present),
          S::Title},
         {}});
    lines.push_back(
        {{"P present  W/R writable/read-only  U/S user/kernel only  A accessed  D dirty", S::Dim}, {}});
    for (uint32_t d = 0; d < 1024; ++d) {
        const uint32_t pde = directory[d];
        if (!(pde & kP)) continue;
        const bool open = expanded.count(d) != 0;
        const uint32_t base = d << 22;
        const bool readable = memory.peek(pde & 0xFFFFF000u, table.data(), sizeof table);
        std::string counts = "table outside RAM";
        if (readable) {
            uint32_t mapped = 0, swapped = 0, other = 0;
            for (uint32_t e : table) {
                if (e & kP)
                    ++mapped;
                else if (guest_bits && (e & kGuestPteSwap))
                    ++swapped;
                else if (e)
                    ++other;
            }
            counts = fmt::format("{} present", mapped);
            if (swapped) counts += fmt::format(", {} swapped", swapped);
            if (other) counts += fmt::format(", {} other", other);
        }
        lines.push_back(
            {{fmt::format("{} PDE {:03x} {:08x}-{:08x} -> table {:08x}  {}  ({})", open ? '-' : '+', d, base,
                          base + 0x3FFFFF, pde & 0xFFFFF000u, decode_entry_flags(pde, true, is486), counts),
              open ? S::Highlight : S::Text},
             d});
        if (!open || !readable) continue;
        for (uint32_t t = 0; t < 1024;) {
            const uint32_t pte = table[t];
            if (pte == 0) {
                ++t;
                continue;
            }
            uint32_t run = 1;  // present entries onto the next frames with the same flags
            if (pte & kP)
                while (t + run < 1024 && (table[t + run] & kFlagBits) == (pte & kFlagBits) &&
                       (table[t + run] & 0xFFFFF000u) == (pte & 0xFFFFF000u) + run * 0x1000)
                    ++run;
            if (run < kFoldFrom) run = 1;
            const uint32_t linear = base | t << 12;
            const S style = (pte & kP)                              ? S::Text
                            : (guest_bits && (pte & kGuestPteSwap)) ? S::Highlight
                                                                    : S::Warning;
            if (run == 1) {
                lines.push_back({{fmt::format("    PTE {:03x} {:08x} {}", t, linear,
                                              describe_pte(pte, guest_bits, is486)),
                                  style},
                                 {}});
            } else {
                const uint32_t frame = pte & 0xFFFFF000u;
                lines.push_back({{fmt::format("    PTE {:03x}-{:03x} {:08x}-{:08x} -> {:08x}-{:08x}  {}{}", t,
                                              t + run - 1, linear, linear + run * 0x1000 - 1, frame,
                                              frame + run * 0x1000 - 1, decode_entry_flags(pte, false, is486),
                                              software_bits(pte, guest_bits)),
                                  style},
                                 {}});
            }
            t += run;
        }
    }
    return lines;
}

}  // namespace pc386
