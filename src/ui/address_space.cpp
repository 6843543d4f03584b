#include "ui/address_space.h"

#include <fmt/format.h>

#include <array>

namespace pc386 {
namespace {

constexpr uint32_t kP = 0x001, kW = 0x002, kU = 0x004, kA = 0x020, kD = 0x040;

// Whether `next` continues `last` (same kind and flags, the next page, the next frame or slot).
bool extends(const VmRun& last, const VmRun& next) {
    if (last.kind != next.kind || last.linear + uint64_t(last.pages) * 4096 != next.linear) return false;
    if (last.user != next.user || last.writable != next.writable || last.accessed != next.accessed ||
        last.dirty != next.dirty || last.cow != next.cow || last.swap_cached != next.swap_cached)
        return false;
    switch (last.kind) {
        case VmRun::Kind::Present: return last.value + uint64_t(last.pages) * 4096 == next.value;
        case VmRun::Kind::Swapped: return last.value + uint64_t(last.pages) == next.value;
        case VmRun::Kind::NotPresent: return true;
    }
    return false;
}

}  // namespace

AddressSpaceView read_address_space(const PhysicalMemoryView& memory, uint32_t cr3, bool guest_bits,
                                    const FrameSharingLookup& sharing) {
    AddressSpaceView space;
    space.cr3 = cr3;
    std::array<uint32_t, 1024> directory{}, table{};
    if (!memory.peek(cr3 & 0xFFFFF000u, directory.data(), sizeof directory)) return space;
    space.readable = true;
    uint32_t last_kernel_end = 0;
    for (uint32_t d = 0; d < 1024; ++d) {
        const uint32_t pde = directory[d];
        if (!(pde & kP)) continue;
        if (!memory.peek(pde & 0xFFFFF000u, table.data(), sizeof table)) continue;  // outside RAM
        ++space.page_tables;
        for (uint32_t t = 0; t < 1024; ++t) {
            const uint32_t pte = table[t];
            if (pte == 0) continue;
            const uint32_t linear = d << 22 | t << 12;
            const bool user = (pde & pte & kU) != 0;
            if ((pte & kP) && !user) {  // the kernel part: counted, not listed
                if (space.kernel_pages == 0) space.kernel_first = linear;
                if (space.kernel_pages == 0 || linear != last_kernel_end) ++space.kernel_runs;
                ++space.kernel_pages;
                space.kernel_last = linear + 0xFFF;
                last_kernel_end = linear + 0x1000;
                continue;
            }
            if (!(pde & kU)) continue;  // not-present entries of kernel tables: not the process's
            VmRun run{.linear = linear, .pages = 1};
            if (pte & kP) {
                run.kind = VmRun::Kind::Present;
                run.value = pte & 0xFFFFF000u;
                run.user = true;
                run.writable = (pde & pte & kW) != 0;
                run.accessed = (pte & kA) != 0;
                run.dirty = (pte & kD) != 0;
                if (guest_bits && !run.writable && (pte & kGuestPteCow)) {
                    const auto shared = sharing ? sharing(pte >> 12) : std::nullopt;
                    run.swap_cached = shared && shared->in_swap_cache && shared->mappings <= 1;
                    run.cow = !run.swap_cached;
                }
                ++space.present;
                if (run.cow) ++space.cow;
                if (run.swap_cached) ++space.swap_cached;
            } else if (guest_bits && (pte & kGuestPteSwap)) {
                run.kind = VmRun::Kind::Swapped;
                run.value = pte >> 12;
                ++space.swapped;
            } else {
                run.kind = VmRun::Kind::NotPresent;
                run.value = pte;
                ++space.not_present;
            }
            if (!space.runs.empty() && extends(space.runs.back(), run))
                ++space.runs.back().pages;
            else
                space.runs.push_back(run);
        }
    }
    return space;
}

std::string describe_vm_run(const VmRun& run) {
    const uint64_t end = uint64_t(run.linear) + uint64_t(run.pages) * 4096 - 1;
    std::string range = fmt::format("{:08x}-{:08x} {:5}p", run.linear, end, run.pages);
    switch (run.kind) {
        case VmRun::Kind::Present:
            return fmt::format("{} -> {:08x}  {} {} {} {}{}", range, run.value, run.user ? 'U' : 'S',
                               run.writable ? 'W' : 'R', run.accessed ? 'A' : '-', run.dirty ? 'D' : '-',
                               run.cow           ? "  CoW"
                               : run.swap_cached ? "  swap cache"
                                                 : "");
        case VmRun::Kind::Swapped:
            return run.pages == 1 ? fmt::format("{} swapped out, slot {}", range, run.value)
                                  : fmt::format("{} swapped out, slots {}-{}", range, run.value,
                                                uint64_t(run.value) + run.pages - 1);
        case VmRun::Kind::NotPresent: return fmt::format("{} not present (PTE {:08x})", range, run.value);
    }
    return range;
}

std::string describe_kernel_part(const AddressSpaceView& space) {
    if (space.kernel_pages == 0) return "kernel part: none mapped";
    return fmt::format("kernel part: {} pages in {} run{}, {:08x}-{:08x}, supervisor only",
                       space.kernel_pages, space.kernel_runs, space.kernel_runs == 1 ? "" : "s",
                       space.kernel_first, space.kernel_last);
}

}  // namespace pc386
