// Interpreter speed in millions of instructions per second on CPU-bound loops of ALU, memory and
// branch instructions: one in 32-bit protected mode with paging on (flat segments, identity-mapped
// 16 MiB), one in real mode (16-bit code). A plain report; run it by hand:
//   build/bench/bench_cpu_mips [iterations]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <vector>

#include "base/io_bus.h"
#include "cpu/cpu.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"
#include "support/flat_segments.h"

using namespace pc386;
using Clock = std::chrono::steady_clock;

namespace {

constexpr uint32_t kRam = 16u << 20;
constexpr uint32_t kDir = 0x1000;    // page directory; tables follow
constexpr uint32_t kCode = 0x10000;  // both loops' code
constexpr uint32_t kBuffer = 0x100000;

void put(PhysicalBus& bus, uint32_t at, std::initializer_list<uint8_t> bytes) {
    for (uint8_t b : bytes) bus.write8(at++, b);
}
void put32(PhysicalBus& bus, uint32_t at, uint32_t v) {
    bus.write32(at, v);
}

// ECX iterations of 12 instructions: load, add, xor, store, pointer step and wrap, shift, compare,
// a conditional branch taken about half the time, and the loop branch.
void protected_mode_loop(PhysicalBus& bus, uint32_t iterations) {
    uint32_t a = kCode;
    put(bus, a, {0xB9}), put32(bus, a + 1, iterations), a += 5;  // mov ecx, N
    put(bus, a, {0xBE}), put32(bus, a + 1, kBuffer), a += 5;     // mov esi, buffer
    const uint32_t loop = a;
    put(bus, a, {0x8B, 0x06}), a += 2;                                       // mov eax, [esi]
    put(bus, a, {0x01, 0xC8}), a += 2;                                       // add eax, ecx
    put(bus, a, {0x31, 0xC2}), a += 2;                                       // xor edx, eax
    put(bus, a, {0x89, 0x46, 0x04}), a += 3;                                 // mov [esi+4], eax
    put(bus, a, {0x83, 0xC6, 0x08}), a += 3;                                 // add esi, 8
    put(bus, a, {0x81, 0xE6}), put32(bus, a + 2, kBuffer | 0xFFFF), a += 6;  // and esi, 10FFFFh
    put(bus, a, {0xC1, 0xE0, 0x03}), a += 3;                                 // shl eax, 3
    put(bus, a, {0x39, 0xD0}), a += 2;                                       // cmp eax, edx
    put(bus, a, {0x7A, 0x01}), a += 2;                                       // jp +1
    put(bus, a, {0x43}), a += 1;                                             // inc ebx
    put(bus, a, {0x49}), a += 1;                                             // dec ecx
    put(bus, a, {0x75, static_cast<uint8_t>(loop - (a + 2))}), a += 2;       // jnz loop
    put(bus, a, {0xF4});                                                     // hlt
}

// The same loop in 16-bit real-mode code (DS = 1000, the buffer at 10000h + 8000h).
void real_mode_loop(PhysicalBus& bus, uint16_t iterations) {
    uint32_t a = kCode;
    put(bus, a, {0xB9, static_cast<uint8_t>(iterations), static_cast<uint8_t>(iterations >> 8)}),
        a += 3;                               // mov cx, N
    put(bus, a, {0xBE, 0x00, 0x80}), a += 3;  // mov si, 8000h
    const uint32_t loop = a;
    put(bus, a, {0x8B, 0x04}), a += 2;                                  // mov ax, [si]
    put(bus, a, {0x01, 0xC8}), a += 2;                                  // add ax, cx
    put(bus, a, {0x31, 0xC2}), a += 2;                                  // xor dx, ax
    put(bus, a, {0x89, 0x44, 0x02}), a += 3;                            // mov [si+2], ax
    put(bus, a, {0x83, 0xC6, 0x04}), a += 3;                            // add si, 4
    put(bus, a, {0x81, 0xE6, 0xFF, 0xBF}), a += 4;                      // and si, 0BFFFh
    put(bus, a, {0x81, 0xCE, 0x00, 0x80}), a += 4;                      // or si, 8000h
    put(bus, a, {0xD1, 0xE0}), a += 2;                                  // shl ax, 1
    put(bus, a, {0x39, 0xD0}), a += 2;                                  // cmp ax, dx
    put(bus, a, {0x7A, 0x01}), a += 2;                                  // jp +1
    put(bus, a, {0x43}), a += 1;                                        // inc bx
    put(bus, a, {0x49}), a += 1;                                        // dec cx
    put(bus, a, {0x75, static_cast<uint8_t>(loop - (a + 2))}), a += 2;  // jnz loop
    put(bus, a, {0xF4});                                                // hlt
}

struct Result {
    uint64_t instructions;
    double seconds;
    double mips() const { return static_cast<double>(instructions) / seconds / 1e6; }
};

Result run_to_halt(Cpu& cpu) {
    const uint64_t before = cpu.instructions();
    const auto start = Clock::now();
    while (!cpu.halted() && !cpu.shutdown()) cpu.run(1'000'000);
    const double secs = std::chrono::duration<double>(Clock::now() - start).count();
    return {cpu.instructions() - before, secs};
}

Result protected_mode(uint32_t iterations, bool decode_cache) {
    PhysicalBus bus(kRam);
    IoBus io;
    Mmu mmu(bus);
    Cpu cpu(mmu, io, nullptr);
    cpu.set_decode_cache(decode_cache);
    // Identity-map 16 MiB: four page tables after the directory.
    for (uint32_t d = 0; d < 4; ++d) {
        const uint32_t table = kDir + 0x1000 * (d + 1);
        bus.write32(kDir + d * 4, table | 3);
        for (uint32_t t = 0; t < 1024; ++t) bus.write32(table + t * 4, (d << 22 | t << 12) | 3);
    }
    protected_mode_loop(bus, iterations);
    // Flat 4 GiB ring-0 segments, as a loader leaves them after its far jump.
    CpuState& s = cpu.state();
    load_flat_ring0_segments(s);
    cpu.set_cr3(kDir);
    cpu.set_cr0(cr0::PE | cr0::PG | cr0::ET);
    s.eip = kCode;
    s.regs[ESP] = 0x80000;
    return run_to_halt(cpu);
}

Result real_mode(uint16_t iterations, int repeats, bool decode_cache) {
    PhysicalBus bus(kRam);
    IoBus io;
    Mmu mmu(bus);
    Cpu cpu(mmu, io, nullptr);
    cpu.set_decode_cache(decode_cache);
    real_mode_loop(bus, iterations);
    Result total{0, 0};
    for (int i = 0; i < repeats; ++i) {
        cpu.reset();
        cpu.load_real_mode_segment(CS, kCode >> 4);
        cpu.load_real_mode_segment(DS, 0x1000);
        cpu.load_real_mode_segment(SS, 0x2000);
        cpu.state().eip = 0;
        cpu.state().regs[ESP] = 0xFFF0;
        const Result r = run_to_halt(cpu);
        total.instructions += r.instructions;
        total.seconds += r.seconds;
    }
    return total;
}

}  // namespace

int main(int argc, char** argv) {
    const uint32_t iterations =
        argc > 1 ? static_cast<uint32_t>(std::strtoul(argv[1], nullptr, 0)) : 4'000'000;
    // Each workload with the pre-decoded instruction cache and without, side by side.
    std::printf("%-52s %14s %9s %8s\n", "workload", "instructions", "seconds", "MIPS");
    auto line = [](const char* name, bool cached, const Result& r) {
        std::printf("%-40s %-11s %14llu %9.3f %8.1f\n", name, cached ? "(cache)" : "(no cache)",
                    static_cast<unsigned long long>(r.instructions), r.seconds, r.mips());
    };
    for (int rep = 0; rep < 3; ++rep) {
        const Result p = protected_mode(iterations, true);
        const Result pn = protected_mode(iterations, false);
        line("protected mode, paging on, 32-bit loop", true, p);
        line("protected mode, paging on, 32-bit loop", false, pn);
        const int repeats = static_cast<int>(iterations / 0xFFFF) + 1;
        const Result r = real_mode(0xFFFF, repeats, true);
        const Result rn = real_mode(0xFFFF, repeats, false);
        line("real mode, 16-bit loop", true, r);
        line("real mode, 16-bit loop", false, rn);
        std::printf("decode cache speed-up: protected %.2fx, real %.2fx\n", p.mips() / pn.mips(),
                    r.mips() / rn.mips());
    }
    return 0;
}
