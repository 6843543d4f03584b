// libFuzzer target: a whole Machine (CPU, MMU, every device) running random code from random
// machine state. The input gives the mode (real, protected, paged; 386 or 486), the registers and
// EFLAGS, descriptor tables (GDT entries, IDT), page-table entries, port writes to the devices
// before the run, and the code itself. Each input runs a bounded number of instructions; anything
// the guest does must end in a stop reason, never a crash, a sanitizer report or an escaping
// exception.
#include <fuzzer/FuzzedDataProvider.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "base/io_bus.h"
#include "base/log.h"
#include "cpu/cpu.h"
#include "machine/machine.h"
#include "mmu/physical_bus.h"
#include "support/flat_segments.h"

using namespace pc386;

namespace {

constexpr uint32_t kGdt = 0x800;   // 16 descriptors: null, flat code 08, flat data 10, 13 random
constexpr uint32_t kIdt = 0x1000;  // 256 gates (real mode: the IVT at 0)
constexpr uint32_t kPageDir = 0x2000;
constexpr uint32_t kPageTable = 0x3000;  // identity-maps the first 4 MiB
constexpr uint32_t kCode = 0x10000;
constexpr uint64_t kInstructions = 4'000;  // per input: depth traded for executions

std::string g_bios;

// A 64 KiB BIOS of HLTs whose reset vector jumps to F000:0000 (the state is set by hand anyway).
std::string make_bios() {
    std::vector<char> rom(65536, static_cast<char>(0xF4));
    const char jump[] = {'\xEA', 0, 0, 0, '\xF0'};
    std::copy(jump, jump + 5, rom.begin() + 0xFFF0);
    std::string path = "/tmp/pc386-fuzz-bios-" + std::to_string(::getpid()) + ".bin";
    std::ofstream(path, std::ios::binary).write(rom.data(), static_cast<std::streamsize>(rom.size()));
    return path;
}

void put64(PhysicalBus& bus, uint32_t at, uint64_t v) {
    bus.write32(at, static_cast<uint32_t>(v));
    bus.write32(at + 4, static_cast<uint32_t>(v >> 32));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    log::set_level(spdlog::level::off);
    g_bios = make_bios();
    std::atexit([] { std::remove(g_bios.c_str()); });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider in(data, size);
    MachineConfig config;
    config.mem_mb = 1;  // the least: every input builds a fresh machine
    config.bios_path = g_bios;
    config.serial = CharTarget{CharTarget::Kind::None, {}};
    config.debugcon = CharTarget{CharTarget::Kind::None, {}};
    const uint8_t mode = in.ConsumeIntegral<uint8_t>();
    config.cpu = (mode & 4) ? CpuModel::i486 : CpuModel::i386;
    Machine m(config);
    Cpu& cpu = m.cpu();
    PhysicalBus& bus = m.bus();
    CpuState& s = cpu.state();

    for (uint32_t& r : s.regs) r = in.ConsumeIntegral<uint32_t>();
    const uint32_t eflags = in.ConsumeIntegral<uint32_t>();

    // Descriptor tables: flat ring-0 code and data, then random descriptors and gates.
    put64(bus, kGdt + 8, 0x00CF9B000000FFFFull);
    put64(bus, kGdt + 16, 0x00CF93000000FFFFull);
    for (uint32_t i = 3; i < 16; ++i) put64(bus, kGdt + 8 * i, in.ConsumeIntegral<uint64_t>());
    s.gdtr = TableRegister{kGdt, static_cast<uint16_t>(in.ConsumeIntegralInRange<uint16_t>(0, 16 * 8 - 1))};
    const unsigned gates = in.ConsumeIntegralInRange<unsigned>(0, 32);
    for (unsigned i = 0; i < gates; ++i)
        put64(bus, kIdt + 8 * in.ConsumeIntegral<uint8_t>(), in.ConsumeIntegral<uint64_t>());
    // Page tables: identity, then random entries anywhere in the directory or the table.
    put64(bus, kPageDir, 0);
    bus.write32(kPageDir, kPageTable | 7);
    for (uint32_t i = 0; i < 1024; ++i) bus.write32(kPageTable + 4 * i, (i << 12) | 7);
    const unsigned ptes = in.ConsumeIntegralInRange<unsigned>(0, 16);
    for (unsigned i = 0; i < ptes; ++i)
        bus.write32(kPageDir + 4 * in.ConsumeIntegralInRange<uint32_t>(0, 2047),
                    in.ConsumeIntegral<uint32_t>());

    if (mode & 1) {  // protected mode (flat ring 0), maybe paged, then segments the input chooses
        s.idtr = TableRegister{kIdt, in.ConsumeIntegral<uint16_t>()};
        load_flat_ring0_segments(s);
        cpu.set_cr3(kPageDir);
        cpu.set_cr0(cr0::PE | ((mode & 2) ? cr0::PG : 0) | (in.ConsumeIntegral<uint8_t>() & 0x2E));
        s.eip = kCode;
        cpu.set_eflags((eflags & ~flag::VM) | flag::kReserved1);
        for (SegReg seg : {ES, DS, FS, GS}) {
            if (!in.ConsumeBool()) continue;
            const uint16_t selector = in.ConsumeIntegral<uint16_t>();
            cpu.load_segment(seg, selector);  // a bad one just faults, undelivered
        }
    } else {  // real mode: CS = 1000h
        s.idtr = TableRegister{0, in.ConsumeIntegral<uint16_t>()};
        cpu.load_real_mode_segment(CS, kCode >> 4);
        for (SegReg seg : {ES, SS, DS, FS, GS})
            cpu.load_real_mode_segment(seg, in.ConsumeIntegral<uint16_t>());
        s.eip = 0;
        cpu.set_eflags((eflags & ~flag::VM) | flag::kReserved1);
    }

    // Port writes to the devices (PIC, PIT, RTC, UART, IDE, 8042, VGA, ...) before the run.
    const unsigned writes = in.ConsumeIntegralInRange<unsigned>(0, 12);
    for (unsigned i = 0; i < writes; ++i) {
        const uint16_t port = in.ConsumeIntegral<uint16_t>();
        const unsigned bytes = 1u << in.ConsumeIntegralInRange<unsigned>(0, 2);
        m.io().write(port, bytes, in.ConsumeIntegral<uint32_t>());
    }

    const std::vector<uint8_t> code = in.ConsumeRemainingBytes<uint8_t>();
    for (size_t i = 0; i < code.size() && i < 0x4000; ++i)
        bus.write8(kCode + static_cast<uint32_t>(i), code[i]);
    cpu.flush_decode_cache();

    // Bounded: slices until the budget is spent or the machine stops (exit, hung, ...).
    for (int slice = 0; slice < 64 && m.instructions() < kInstructions; ++slice) {
        const uint64_t before = m.instructions();
        if (m.run_for(1'000) != StopReason::None) break;
        if (m.instructions() == before && cpu.halted()) break;  // idle: only time goes on
    }
    return 0;
}
