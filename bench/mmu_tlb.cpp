// What the TLB buys: nanoseconds per access on a TLB hit, on a miss (two-level walk), the cost of
// a full flush, and throughput over a working set larger than the TLB with and without CR3 reloads.
// Side by side in one run, so the ratios are comparable on a noisy machine.
#include <cstdio>
#include <vector>

#include "identity_paging.h"
#include "mmu/mmu.h"

using namespace pc386;
using namespace pc386::bench;

namespace {

volatile uint32_t sink;

}  // namespace

int main() {
    PhysicalBus bus(64 << 20);
    build_page_tables(bus, 64);
    Mmu mmu(bus);
    mmu.set_cr3(kDir);
    mmu.set_paging(true);

    constexpr uint64_t kOps = 20'000'000;
    std::printf("%-52s %10s\n", "measurement", "ns/op");
    for (int rep = 0; rep < 3; ++rep) {
        double hit = ns_per_op(kOps, [&] {
            uint32_t acc = 0;
            for (uint64_t i = 0; i < kOps; ++i) acc += mmu.read32(0x400000 + ((i * 4) & 0xFFF), false);
            sink = acc;
        });
        double miss = ns_per_op(kOps / 10, [&] {
            uint32_t acc = 0;
            for (uint64_t i = 0; i < kOps / 10; ++i) {
                mmu.invalidate_page(0x400000);
                acc += mmu.read32(0x400000, false);
            }
            sink = acc;
        });
        // A full flush after touching 256 pages (a typical live set).
        double flush = ns_per_op(10'000, [&] {
            for (int i = 0; i < 10'000; ++i) {
                for (uint32_t p = 0; p < 256; ++p) sink = mmu.read8(0x400000 + p * 0x1000, false);
                mmu.flush_tlb();
            }
        });
        // Sweep 16 MiB (4096 pages, 4x the TLB) with and without a CR3 reload every 1000 accesses.
        auto sweep = [&](bool reload) {
            uint64_t n = kOps / 2;
            return ns_per_op(n, [&] {
                uint32_t acc = 0;
                for (uint64_t i = 0; i < n; ++i) {
                    acc += mmu.read32(0x400000 + static_cast<uint32_t>((i * 4100) & 0xFFFFFC), false);
                    if (reload && i % 1000 == 0) mmu.set_cr3(kDir);
                }
                sink = acc;
            });
        };
        double sweep_plain = sweep(false);
        double sweep_reload = sweep(true);
        std::printf("run %d\n", rep + 1);
        std::printf("  %-50s %10.2f\n", "TLB hit (read32, same page)", hit);
        std::printf("  %-50s %10.2f\n", "TLB miss (read32 after invalidate: walk + fill)", miss);
        std::printf("  %-50s %10.2f\n", "touch 256 pages + full flush (per round, /256 = per page)", flush);
        std::printf("  %-50s %10.2f\n", "16 MiB sweep, no CR3 reloads", sweep_plain);
        std::printf("  %-50s %10.2f\n", "16 MiB sweep, CR3 reload every 1000 accesses", sweep_reload);
        std::printf("  %-50s %10.1fx\n", "miss / hit", miss / hit);
    }
    const MmuStats& s = mmu.stats();
    std::printf("\n%s", s.format().c_str());
    return 0;
}
