// sst_runner DIR [--filter OPCODE] [--prefix P] [--require-all] [--verbose N]
// Runs the 286 single-step tests (one gzipped JSON file per opcode, ../shared/tests/README.md) on
// our CPU in real mode: registers and RAM from "initial", run until the HLT that follows the
// instruction (or sits at the exception handler), compare registers and RAM with "final". The
// 286-versus-386 differences are the explicit list in sst_differences.cpp; nothing else loosens
// the comparison (the upper halves of the 32-bit registers must stay 0, segment bases must be
// selector x 16, a test with an exception must end in the handler the IVT names for its vector).
// Prints the pass rate per opcode file and ends with "N passed, N failed"; --require-all makes
// any failure an exit status of 1 (ctest).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/io_bus.h"
#include "cpu/cpu.h"
#include "base/mmio.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"
#include "sst_data.h"
#include "sst_differences.h"

namespace fs = std::filesystem;
using namespace pc386;
using namespace pc386::sst;

namespace {

constexpr uint32_t kRamBytes = 16u << 20;  // the 286's 24-bit physical space
// The instruction, its exception entry and the HLT take 2-3 steps; a REP string instruction takes
// one per element, up to 64 Ki of them. Anything longer has gone astray.
constexpr uint64_t kMaxSteps = 65536 + 64;

// The PC bus leaves 0xA0000-0xFFFFF to video memory and ROMs; the tests treat the whole 16 MiB as
// RAM, so plain memory answers there too (as an MMIO region: slower, but only there).
class HoleRam : public MmioHandler {
  public:
    static constexpr uint32_t kBase = 0xA0000, kSize = 0x60000;
    uint8_t bytes[kSize] = {};
    uint32_t mmio_read(uint32_t off, unsigned size) override {
        uint32_t v = 0;
        for (unsigned i = 0; i < size; ++i) v |= uint32_t{bytes[(off + i) % kSize]} << (8 * i);
        return v;
    }
    void mmio_write(uint32_t off, unsigned size, uint32_t value) override {
        for (unsigned i = 0; i < size; ++i) bytes[(off + i) % kSize] = static_cast<uint8_t>(value >> (8 * i));
    }
};

// The handler of a fault the difference list expects where the 286 had none: a HLT at 0x9FFF0,
// a spot the test's RAM must not use (checked).
constexpr uint16_t kHandlerSeg = 0x9FFF;

constexpr int kGpr[kRegCount] = {EAX, EBX, ECX, EDX, -1, -1, -1, -1, ESP, EBP, ESI, EDI, -1, -1};
constexpr int kSeg[kRegCount] = {-1, -1, -1, -1, CS, SS, DS, ES, -1, -1, -1, -1, -1, -1};

// One CPU and one 16 MiB bus for the whole run; each test clears the bytes it touched.
class Harness {
  public:
    Harness() : bus_(kRamBytes), mmu_(bus_), cpu_(mmu_, io_, nullptr) {
        bus_.set_a20(true);
        hole_ = std::make_unique<HoleRam>();
        bus_.map_mmio(HoleRam::kBase, HoleRam::kSize, hole_.get());
    }

    // Returns an empty string on a pass, else what differed. Each test runs twice: decoded from
    // memory, then again from the pre-decoded instruction cache's record of that first run (the
    // second setup writes the same bytes back, untracked, so the record stays valid).
    std::string run_test(const Test& t, const Difference& d) {
        cpu_.flush_decode_cache();  // the bytes are poked straight into RAM, past the cache's tracking
        std::string diff = run_once(t, d);
        if (!diff.empty()) return diff;
        const uint64_t replays = cpu_.decode_cache_stats().replays;
        diff = run_once(t, d);
        if (!diff.empty()) return " (replayed from the decode cache)" + diff;
        if (cpu_.decode_cache_stats().replays != replays) ++replayed_;
        return diff;
    }
    // Tests whose second run replayed a record (the rest faulted before completing, or ran off
    // the end of their page).
    uint64_t replayed() const { return replayed_; }

  private:
    std::string run_once(const Test& t, const Difference& d) {
        Cpu& c = cpu_;
        CpuState& s = c.state();
        c.reset();
        const MachineState& in = t.initial;
        for (unsigned i = 0; i < kRegCount; ++i) {
            if (kGpr[i] >= 0) s.regs[kGpr[i]] = in.regs[i];
            if (kSeg[i] >= 0) c.load_real_mode_segment(static_cast<SegReg>(kSeg[i]), in.regs[i]);
        }
        s.eip = in.regs[IP];
        c.set_eflags(in.regs[FLAGS]);
        if (d.preload_fs >= 0) c.load_real_mode_segment(FS, static_cast<uint16_t>(d.preload_fs));
        if (d.preload_gs >= 0) c.load_real_mode_segment(GS, static_cast<uint16_t>(d.preload_gs));
        for (const auto& [addr, value] : in.ram) poke(addr, value);
        scratch_.clear();
        if (t.has_exception && d.vector != t.exception_number) {
            // Entry 3 of the difference list: the 386 raises another vector; give it the data's handler.
            for (uint32_t k = 0; k < 4; ++k)
                scratch_write(d.vector * 4 + k, *byte_at(t.exception_number * 4 + k));
        }
        if (d.expect_fault >= 0) {
            // A handler (a HLT) at kHandlerSeg:0000 for the fault the 386 raises here.
            const uint32_t vector = uint32_t{kHandlerSeg} << 16;  // IP 0, CS kHandlerSeg
            for (uint32_t k = 0; k < 4; ++k)
                scratch_write(static_cast<uint32_t>(d.expect_fault) * 4 + k,
                              static_cast<uint8_t>(vector >> (8 * k)));
            for (const auto& [addr, value] : in.ram) {
                if (addr == uint32_t{kHandlerSeg} << 4) {
                    cleanup(t, d);
                    return " (the handler's HLT collides with the test's RAM)";
                }
            }
            scratch_write(uint32_t{kHandlerSeg} << 4, 0xF4);
        }
        const uint64_t exceptions_before = c.exceptions_delivered();
        if (d.expect_execute) {
            c.run(1);
            std::string diff;
            if (c.exceptions_delivered() != exceptions_before || c.shutdown())
                diff += " (faulted: a 386 runs it)";
            const uint32_t end = in.regs[IP] + static_cast<uint32_t>(t.bytes.size()) - 1;  // the HLT's offset
            if (!d.control_transfer && (s.eip & 0xFFFF) != (end & 0xFFFF))
                diff += fmt(" ip=%04x want %04x", s.eip, end);
            cleanup(t, d);
            return diff;
        }

        uint64_t steps = 0;
        while (!c.halted() && !c.shutdown() && steps < kMaxSteps) steps += c.run(kMaxSteps - steps);

        std::string diff;
        if (c.shutdown())
            diff += " (shutdown)";
        else if (!c.halted())
            diff += " (no HLT reached)";
        if (d.expect_fault >= 0)
            compare_fault(t, d, diff);
        else
            compare(t, d, diff);
        cleanup(t, d);
        return diff;
    }

  private:
    uint8_t* byte_at(uint32_t addr) {
        addr &= kRamBytes - 1;
        if (addr - HoleRam::kBase < HoleRam::kSize) return &hole_->bytes[addr - HoleRam::kBase];
        return &bus_.ram()[addr];
    }
    void poke(uint32_t addr, uint8_t v) { *byte_at(addr) = v; }
    void cleanup(const Test& t, const Difference& d) {
        for (const auto& [addr, value] : d.expected.ram) poke(addr, 0);
        for (const auto& [addr, value] : t.initial.ram) poke(addr, 0);
        for (const auto& [addr, value] : t.final.ram) poke(addr, 0);
        for (uint32_t addr : scratch_) poke(addr, 0);
    }
    void scratch_write(uint32_t addr, uint8_t v) {
        poke(addr, v);
        scratch_.push_back(addr);
    }
    uint16_t peek16(uint32_t addr) { return static_cast<uint16_t>(*byte_at(addr) | *byte_at(addr + 1) << 8); }

    // The 386 faults (d.expect_fault) before the instruction changes anything. Expected: registers
    // as they were but CS:IP in the handler, SP 6 lower, IF and TF clear; the frame holds FLAGS, CS
    // and the IP of the instruction's first prefix; no other byte changed. With SP = 1, 3 or 5 a
    // push of the frame runs past offset FFFF: #SS, #DF, then shutdown.
    void compare_fault(const Test& t, const Difference& d, std::string& diff) {
        const Cpu& c = cpu_;
        const CpuState& s = c.state();
        const MachineState& in = t.initial;
        const uint16_t sp = in.regs[SP];
        if ((sp & 1) && sp <= 5) {
            if (!c.shutdown()) diff += " (expected a shutdown: the fault's frame overruns SS)";
            return;
        }
        std::array<uint16_t, kRegCount> want = in.regs;
        want[CS_] = kHandlerSeg;
        want[IP] = 1;
        want[SP] = static_cast<uint16_t>(sp - 6);
        constexpr uint16_t kIf = 1 << 9, kTf = 1 << 8;
        want[FLAGS] = static_cast<uint16_t>((in.regs[FLAGS] & ~(kIf | kTf) & 0x7FD7) | 2);
        for (unsigned i = 0; i < kRegCount; ++i) {
            uint32_t got = kGpr[i] >= 0   ? s.regs[kGpr[i]]
                           : kSeg[i] >= 0 ? s.seg[kSeg[i]].selector
                           : i == IP      ? s.eip
                                          : c.eflags();
            const uint32_t mask = i == FLAGS ? ~uint32_t{d.ignore_flags} : 0xFFFFFFFFu;
            if ((got & mask) != (want[i] & mask))
                diff += fmt(" %s=%04x want %04x (fault %d)", kRegNames[i], got, want[i], d.expect_fault);
        }
        const uint32_t ss = uint32_t{in.regs[SS_]} << 4;
        auto at = [&](uint16_t off) { return ss + off; };
        const uint16_t frame[3] = {in.regs[IP], in.regs[CS_],
                                   static_cast<uint16_t>(in.regs[FLAGS] & ~d.ignore_flags)};
        for (unsigned k = 0; k < 3; ++k) {
            const uint32_t a = at(static_cast<uint16_t>(sp - 6 + 2 * k));
            const uint16_t mask = k == 2 ? static_cast<uint16_t>(~d.ignore_flags & 0x7FD5) : 0xFFFF;
            if ((peek16(a) & mask) != (frame[k] & mask))
                diff += fmt(" [%06x]=%04x want %04x (frame)", a, peek16(a), frame[k]);
        }
        // The vector's IVT entry is the runner's (it points at the HLT): the test may hold its own
        // there (LOCK INT 6 does).
        const uint32_t ivt_entry = static_cast<uint32_t>(d.expect_fault) * 4;
        for (const auto& [addr, value] : in.ram) {
            bool in_frame = addr - ivt_entry < 4;
            for (unsigned k = 0; k < 6; ++k) in_frame |= addr == at(static_cast<uint16_t>(sp - 6 + k));
            if (!in_frame && *byte_at(addr) != value)
                diff += fmt(" [%06x]=%02x want %02x (untouched)", addr, *byte_at(addr), value);
        }
    }

    void compare(const Test& t, const Difference& d, std::string& diff) {
        const Cpu& c = cpu_;
        const CpuState& s = c.state();
        const MachineState& in = t.initial;
        const MachineState& out = d.use_expected ? d.expected : t.final;
        auto want = [&](unsigned i) -> uint16_t {
            if (d.final_regs[i] >= 0) return static_cast<uint16_t>(d.final_regs[i]);
            return (out.present >> i) & 1 ? out.regs[i] : in.regs[i];
        };
        for (unsigned i = 0; i < kRegCount; ++i) {
            uint32_t got = 0;
            uint32_t mask = 0xFFFFFFFFu;
            if (kGpr[i] >= 0)
                got = s.regs[kGpr[i]];
            else if (kSeg[i] >= 0)
                got = s.seg[kSeg[i]].selector;
            else if (i == IP)
                got = s.eip, mask = 0xFFFF;  // after a HLT at FFFF, EIP is 10000 (see Cpu::fetch8)
            else
                got = c.eflags(), mask = ~uint32_t{d.ignore_flags};
            if ((got & mask) != (want(i) & mask))
                diff += fmt(" %s=%04x want %04x", kRegNames[i], got, want(i));
            if (kSeg[i] >= 0 && s.seg[kSeg[i]].base != uint32_t{want(i)} << 4)
                diff += fmt(" %s.base=%08x", kRegNames[i], s.seg[kSeg[i]].base);
        }
        for (auto [addr, value] : out.ram) {
            if (d.frame_at >= 0 && addr >= d.frame_at && addr < d.frame_at + 6) addr += d.frame_shift;
            uint8_t ignore = 0;
            if (addr == d.flag_image) ignore = static_cast<uint8_t>(d.ignore_flags);
            if (addr == d.flag_image + 1) ignore = static_cast<uint8_t>(d.ignore_flags >> 8);
            const uint8_t got = *byte_at(addr);
            if ((got & ~ignore) != (value & ~ignore)) diff += fmt(" [%06x]=%02x want %02x", addr, got, value);
        }
        if (d.want_fs >= 0 && s.seg[FS].selector != d.want_fs)
            diff += fmt(" fs=%04x want %04x", s.seg[FS].selector, d.want_fs);
        if (d.want_gs >= 0 && s.seg[GS].selector != d.want_gs)
            diff += fmt(" gs=%04x want %04x", s.seg[GS].selector, d.want_gs);
        if (d.use_expected) {
            for (const auto& [addr, value] : in.ram) {  // nothing else written
                bool listed = false;
                for (const auto& [a, v] : out.ram) listed |= a == addr;
                if (!listed && *byte_at(addr) != value)
                    diff += fmt(" [%06x]=%02x want %02x (untouched)", addr, *byte_at(addr), value);
            }
        }
        if (t.has_exception && !d.use_expected) {
            // The vector: we must have entered the handler the IVT gives for it (HLT there, IP past it).
            const uint32_t entry = d.vector * 4;
            const uint16_t ip = static_cast<uint16_t>(*byte_at(entry) | *byte_at(entry + 1) << 8);
            const uint16_t cs = static_cast<uint16_t>(*byte_at(entry + 2) | *byte_at(entry + 3) << 8);
            if (s.seg[CS].selector != cs || s.eip != uint16_t(ip + 1))
                diff += fmt(" (not in the handler of vector %u at %04x:%04x)", d.vector, cs, ip);
        }
    }

    template <typename... A>
    static std::string fmt(const char* f, A... a) {
        char buf[96];
        std::snprintf(buf, sizeof buf, f, a...);
        return buf;
    }

    IoBus io_;
    PhysicalBus bus_;
    Mmu mmu_;
    Cpu cpu_;
    uint64_t replayed_ = 0;
    std::unique_ptr<HoleRam> hole_;
    std::vector<uint32_t> scratch_;  // bytes the runner wrote beyond the test's own
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr,
                     "usage: sst_runner DIR [--filter OPCODE] [--prefix P] [--require-all] [--verbose N]\n");
        return 2;
    }
    const fs::path dir = argv[1];
    std::string filter, prefix;
    bool require_all = false;
    int verbose = 0;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--filter" && i + 1 < argc)
            filter = argv[++i];
        else if (a == "--prefix" && i + 1 < argc)
            prefix = argv[++i];
        else if (a == "--require-all")
            require_all = true;
        else if (a == "--verbose" && i + 1 < argc)
            verbose = std::atoi(argv[++i]);
        else {
            std::fprintf(stderr, "unknown argument %s\n", a.c_str());
            return 2;
        }
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (name.size() < 8 || name.substr(name.size() - 8) != ".json.gz") continue;
        const std::string op = name.substr(0, name.size() - 8);
        if (!filter.empty() && op != filter) continue;
        if (!prefix.empty() && op.rfind(prefix, 0) != 0) continue;
        files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::fprintf(stderr, "no test files in %s\n", dir.c_str());
        return 2;
    }

    const auto start = std::chrono::steady_clock::now();
    Harness h;
    uint64_t passed = 0, failed = 0, skipped = 0;
    uint64_t entry_uses[16] = {};
    for (const fs::path& f : files) {
        const std::string name = f.filename().string();
        const std::string op = name.substr(0, name.size() - 8);
        const std::vector<Test> tests = load_tests(f.string());
        uint64_t p = 0, n = 0, skip = 0;
        int shown = 0;
        for (const Test& t : tests) {
            const Difference d = difference_for(op, t);
            for (unsigned e = 0; e < 16; ++e) entry_uses[e] += (d.entries >> e) & 1;
            if (!d.skip.empty()) {
                ++skip;
                if (shown < verbose) {
                    ++shown;
                    std::printf("  SKIP %s #%d %s: %s\n", op.c_str(), t.idx, t.name.c_str(), d.skip.c_str());
                }
                continue;
            }
            ++n;
            const std::string diff = h.run_test(t, d);
            if (diff.empty()) {
                ++p;
            } else if (shown < verbose) {
                ++shown;
                std::printf("  FAIL %s #%d %s:%s\n", op.c_str(), t.idx, t.name.c_str(), diff.c_str());
            }
        }
        std::printf("%-8s %5.1f%% (%llu/%llu)", op.c_str(),
                    n ? 100.0 * static_cast<double>(p) / static_cast<double>(n) : 100.0,
                    static_cast<unsigned long long>(p), static_cast<unsigned long long>(n));
        if (skip)
            std::printf(" %llu skipped (see sst_differences.cpp)", static_cast<unsigned long long>(skip));
        std::printf("\n");
        passed += p;
        failed += n - p;
        skipped += skip;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("difference list (sst_differences.cpp), tests per entry:");
    for (unsigned e = 2; e < 16; ++e)
        if (entry_uses[e]) std::printf(" %u:%llu", e, static_cast<unsigned long long>(entry_uses[e]));
    std::printf(" (entry 1, FLAGS 12-15, applies to all)\n");
    std::printf("%llu skipped by the difference list, %.1f s\n", static_cast<unsigned long long>(skipped),
                secs);
    std::printf("%llu tests also passed replayed from the decode cache\n",
                static_cast<unsigned long long>(h.replayed()));
    std::printf("%llu passed, %llu failed\n", static_cast<unsigned long long>(passed),
                static_cast<unsigned long long>(failed));
    return require_all && failed ? 1 : 0;
}
