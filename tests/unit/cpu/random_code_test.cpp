// Random bytes as code, in real mode and in 32-bit protected mode with paging: whatever the guest
// runs becomes guest exceptions (or a shutdown), never a host crash, a hang or undefined behaviour
// (this test is most useful under ASan+UBSan). Deterministic: a fixed seed.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "base/io_bus.h"
#include "base/log.h"
#include "cpu/cpu.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"
#include "support/flat_segments.h"

namespace pc386 {
namespace {

struct Rng {
    uint64_t state;
    uint32_t next() {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<uint32_t>(state >> 33);
    }
};

// 2 MiB of RAM filled with random bytes: code, IVT/IDT, descriptor tables and page tables are all
// garbage, so every path a wild guest can take is open.
void run_random(bool protected_mode, uint64_t seed, int rounds) {
    log::set_level("cpu", spdlog::level::err);  // wild code triple-faults a lot: no warning per shutdown
    PhysicalBus bus(2 << 20);
    Mmu mmu(bus);
    IoBus io;
    Cpu cpu(mmu, io, nullptr);
    Rng rng{seed};
    for (int round = 0; round < rounds; ++round) {
        uint8_t* ram = bus.ram();
        for (uint32_t a = 0; a < (2u << 20); a += 4) {
            const uint32_t v = rng.next();
            std::memcpy(ram + a, &v, 4);
        }
        mmu.flush_tlb();
        cpu.reset();
        cpu.flush_decode_cache();  // the code was written past the bus
        CpuState& s = cpu.state();
        for (unsigned r = 0; r < 8; ++r) s.regs[r] = rng.next() & (protected_mode ? 0x1FFFFF : 0xFFFF);
        if (protected_mode) {
            s.gdtr = {rng.next() & 0x1FFFFF, static_cast<uint16_t>(rng.next())};
            s.idtr = {rng.next() & 0x1FFFFF, static_cast<uint16_t>(rng.next())};
            load_flat_ring0_segments(s);
            cpu.set_cr3(rng.next() & 0x1FF000);
            cpu.set_cr0(cr0::PE | cr0::ET | ((rng.next() & 1) ? cr0::PG : 0));
            s.eip = rng.next() & 0x1FFFFF;
        } else {
            for (SegReg seg : {ES, CS, SS, DS, FS, GS})
                cpu.load_real_mode_segment(seg, static_cast<uint16_t>(rng.next()));
            s.eip = rng.next() & 0xFFFF;
        }
        cpu.set_eflags(rng.next() & ~(flag::TF | flag::VM));
        cpu.run(2000);  // halts, shuts down or runs out of budget: all fine
    }
}

TEST(RandomCode, RealModeNeverCrashesTheHost) {
    run_random(false, 386, 120);
}
TEST(RandomCode, ProtectedModeNeverCrashesTheHost) {
    run_random(true, 80386, 120);
}

}  // namespace
}  // namespace pc386
