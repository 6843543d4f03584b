// What the heat map's counting costs the MMU (mmu/access_heat.h): it counts at each TLB fill, so
// a TLB hit pays nothing and a miss pays one array increment. Side by side in one run: the same
// sweep of 16 MiB (4x the TLB, so every access to a new page misses) with CR3 reloads, and the
// same hot loop on one page, with the counter detached and attached. Run it under
// `valgrind --tool=callgrind` for exact instruction counts on a busy machine:
//   bench_mmu_access_heat [OPS [off|on]]   (one mode only: compare the two runs' totals).
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "identity_paging.h"
#include "mmu/mmu.h"

using namespace pc386;
using namespace pc386::bench;

namespace {

volatile uint32_t sink;

}  // namespace

int main(int argc, char** argv) {
    PhysicalBus bus(64 << 20);
    build_page_tables(bus, 64);
    Mmu mmu(bus);
    mmu.set_cr3(kDir);
    mmu.set_paging(true);
    AccessHeat heat((64 << 20) >> 12);

    const uint64_t kOps = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
    if (argc > 2) {  // one mode, once: for callgrind
        const bool on = std::strcmp(argv[2], "on") == 0;
        mmu.set_access_heat(on ? &heat : nullptr);
        uint32_t acc = 0;
        for (uint64_t i = 0; i < kOps; ++i) {
            acc += mmu.read32(0x400000 + static_cast<uint32_t>((i * 4100) & 0xFFFFFC), false);
            if (i % 1000 == 0) mmu.set_cr3(kDir);
        }
        sink = acc;
        std::printf("%s: %llu accesses\n", on ? "on" : "off", static_cast<unsigned long long>(kOps));
        return 0;
    }
    auto sweep = [&] {  // a new page every access, a CR3 reload every 1000: mostly misses
        return ns_per_op(kOps, [&] {
            uint32_t acc = 0;
            for (uint64_t i = 0; i < kOps; ++i) {
                acc += mmu.read32(0x400000 + static_cast<uint32_t>((i * 4100) & 0xFFFFFC), false);
                if (i % 1000 == 0) mmu.set_cr3(kDir);
            }
            sink = acc;
        });
    };
    auto hot = [&] {  // one page: hits
        return ns_per_op(kOps, [&] {
            uint32_t acc = 0;
            for (uint64_t i = 0; i < kOps; ++i) acc += mmu.read32(0x400000 + ((i * 4) & 0xFFF), false);
            sink = acc;
        });
    };
    std::printf("%-44s %12s %12s %8s\n", "ns per access", "heat off", "heat on", "on/off");
    for (int rep = 0; rep < 3; ++rep) {
        mmu.set_access_heat(nullptr);
        const double sweep_off = sweep(), hot_off = hot();
        mmu.set_access_heat(&heat);
        const double sweep_on = sweep(), hot_on = hot();
        mmu.set_access_heat(nullptr);
        std::printf("run %d\n", rep + 1);
        std::printf("  %-42s %12.2f %12.2f %8.3f\n", "16 MiB sweep, CR3 reload every 1000 (misses)",
                    sweep_off, sweep_on, sweep_on / sweep_off);
        std::printf("  %-42s %12.2f %12.2f %8.3f\n", "one page (TLB hits)", hot_off, hot_on,
                    hot_on / hot_off);
    }
    uint64_t fills = 0;
    for (const AccessHeat::Counts& c : heat.take()) fills += c[0] + c[1] + c[2];
    std::printf("\nfills counted while on: %llu\n", static_cast<unsigned long long>(fills));
    return 0;
}
