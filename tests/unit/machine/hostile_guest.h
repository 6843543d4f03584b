// Shared helpers for the whole-machine hostility tests: a deterministic RNG, scratch files, a tiny
// real-mode/32-bit code emitter for generated BIOS ROMs, and a runner that drives a Machine the way
// the command line does (run_for until something stops it) and records how it ended.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "machine/machine.h"
#include "machine/stop_reason.h"

namespace pc386::hostile {

struct Rng {
    uint64_t state;
    uint32_t next() {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<uint32_t>(state >> 33);
    }
    uint32_t below(uint32_t n) { return next() % n; }
    uint8_t byte() { return static_cast<uint8_t>(next()); }
};

// A scratch directory removed at the end of the test.
class ScratchDir {
  public:
    ScratchDir() {
        static std::atomic<unsigned> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("pc386-hostile-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

inline void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

inline std::vector<uint8_t> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Machine code, appended byte by byte. Real mode unless noted (0x66 switches to 32-bit operands).
struct Code {
    std::vector<uint8_t> b;
    Code& raw(std::initializer_list<uint8_t> bytes) {
        b.insert(b.end(), bytes);
        return *this;
    }
    Code& imm16(uint32_t v) { return raw({static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8)}); }
    Code& imm32(uint32_t v) { return imm16(v).imm16(v >> 16); }
    Code& mov_dx(uint16_t v) { return raw({0xBA}).imm16(v); }
    Code& mov_al(uint8_t v) { return raw({0xB0, v}); }
    Code& mov_ax(uint16_t v) { return raw({0xB8}).imm16(v); }
    Code& mov_eax(uint32_t v) { return raw({0x66, 0xB8}).imm32(v); }
    Code& mov_cx(uint16_t v) { return raw({0xB9}).imm16(v); }
    Code& mov_ecx(uint32_t v) { return raw({0x66, 0xB9}).imm32(v); }
    Code& mov_di(uint16_t v) { return raw({0xBF}).imm16(v); }
    Code& mov_si(uint16_t v) { return raw({0xBE}).imm16(v); }
    Code& mov_es_ax() { return raw({0x8E, 0xC0}); }
    Code& mov_ds_ax() { return raw({0x8E, 0xD8}); }
    Code& out(unsigned size) { return size == 1 ? raw({0xEE}) : size == 2 ? raw({0xEF}) : raw({0x66, 0xEF}); }
    Code& in(unsigned size) { return size == 1 ? raw({0xEC}) : size == 2 ? raw({0xED}) : raw({0x66, 0xED}); }
    // OUT of `size` bytes of `value` to `port`.
    Code& out_port(uint16_t port, unsigned size, uint32_t value) {
        mov_dx(port);
        if (size == 1)
            mov_al(static_cast<uint8_t>(value));
        else if (size == 2)
            mov_ax(static_cast<uint16_t>(value));
        else
            mov_eax(value);
        return out(size);
    }
    Code& in_port(uint16_t port, unsigned size) { return mov_dx(port).in(size); }
    Code& cli() { return raw({0xFA}); }
    Code& hlt() { return raw({0xF4}); }
    size_t size() const { return b.size(); }
};

// A 64 KiB BIOS ROM: `code` at F000:0000, the rest `fill`, and a far jump to F000:entry at the reset
// vector (F000:FFF0).
inline std::vector<uint8_t> make_rom(const std::vector<uint8_t>& code, uint8_t fill = 0xF4,
                                     uint16_t entry = 0) {
    std::vector<uint8_t> rom(65536, fill);
    std::copy(code.begin(), code.end(), rom.begin());
    const uint8_t jump[] = {0xEA, static_cast<uint8_t>(entry), static_cast<uint8_t>(entry >> 8), 0x00, 0xF0};
    std::copy(std::begin(jump), std::end(jump), rom.begin() + 0xFFF0);
    return rom;
}

inline MachineConfig quiet_config(const std::string& bios_path, uint32_t mem_mb = 4) {
    MachineConfig config;
    config.mem_mb = mem_mb;
    config.bios_path = bios_path;
    config.serial = CharTarget{CharTarget::Kind::None, {}};
    config.debugcon = CharTarget{CharTarget::Kind::None, {}};
    return config;
}

struct RunOutcome {
    uint64_t instructions = 0;
    uint64_t hung = 0;    // times the CPU halted with nothing to wake it (we reset and go on)
    bool exited = false;  // the guest wrote port 0xF4
    int exit_status = 0;
};

// Runs up to `instructions` more instructions in UI-frame-sized slices. A hung machine (HLT with
// interrupts off) is reset, as a user would, so a wild guest keeps being exercised; a guest exit
// ends the run. Any exception escaping run_for fails the test.
inline RunOutcome run_hostile(Machine& m, uint64_t instructions, bool reset_when_hung = true) {
    RunOutcome out;
    const uint64_t start = m.instructions();
    const uint64_t end = start + instructions;
    unsigned idle_slices = 0;
    while (m.instructions() < end) {
        const uint64_t before = m.instructions();
        StopReason reason = StopReason::None;
        try {
            reason = m.run_for(std::min<uint64_t>(200000, end - m.instructions()));
        } catch (const std::exception& e) {
            ADD_FAILURE() << "exception escaped run_for: " << e.what();
            break;
        }
        if (reason == StopReason::GuestExit) {
            out.exited = true;
            out.exit_status = m.exit_status();
            break;
        }
        if (reason == StopReason::Hung) {
            ++out.hung;
            if (!reset_when_hung) break;
            m.reset();
        } else if (reason != StopReason::None) {
            ADD_FAILURE() << "unexpected stop: " << to_string(reason);
            break;
        }
        // A machine that makes no progress at all must still return (it did), but don't spin forever.
        idle_slices = m.instructions() == before ? idle_slices + 1 : 0;
        if (idle_slices > 1000) break;
    }
    out.instructions = m.instructions() - start;
    return out;
}

}  // namespace pc386::hostile
