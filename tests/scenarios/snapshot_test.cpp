// Machine snapshots on the built-in guest. Boot to the shell prompt, save, type `cowtest`, and run a
// fixed number of instructions. Loading the snapshot and running the same instructions again must
// give the same output and, byte for byte, the same machine: in the machine that saved it and in a
// fresh machine (so that nothing the guest depends on lives outside the snapshot). Then the ways a
// load can fail, each with its one line and with the machine left exactly as it was.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/log.h"
#include "base/state_archive.h"
#include "machine/machine.h"
#include "mmu/mmu_stats.h"

namespace pc386 {
namespace {

MachineConfig guest_config(unsigned mem_mb = 8) {
    MachineConfig c;
    c.mem_mb = mem_mb;
    c.bios_path = PC386_BINARY_DIR "/bios.bin";
    c.hda.path = PC386_BINARY_DIR "/guestos.img";
    c.hda.snapshot = true;
    c.serial = CharTarget{CharTarget::Kind::None, {}};
    return c;
}

struct Guest {
    Machine machine;
    std::string output;

    explicit Guest(const MachineConfig& config = guest_config()) : machine(config) {
        machine.add_serial_listener([this](uint8_t b) { output += char(b); });
    }
    bool run_until(const std::string& text) {
        for (int i = 0; i < 1000 && output.find(text) == std::string::npos; ++i) machine.run_for(1'000'000);
        return output.find(text) != std::string::npos;
    }
    // Exactly `n` instructions in fixed slices (the same slices every time).
    void run_exactly(uint64_t n) {
        while (n) {
            const uint64_t before = machine.instructions();
            machine.run_for(std::min<uint64_t>(n, 100'000));
            n -= std::min(n, machine.instructions() - before);
        }
    }
};

// Two snapshots of the same machine. Everything must be equal but the MMU's TLB counters: a restore
// starts with an empty TLB (its contents are not architectural state), so the run after it refills
// the TLB and counts misses that the first run did not have. Those counters follow the MMU part's
// tag, CR0 and CR3 fields: the hit count, then MmuStats; the envelope's checksum covers them too.
bool same_machine(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
    if (a.size() != b.size()) return false;
    const char tag[16] = "mmu";
    const auto at = std::search(a.begin(), a.end(), tag, tag + sizeof tag) - a.begin();
    const size_t counters = static_cast<size_t>(at) + sizeof tag + 4 + 4;
    const size_t after_counters = counters + sizeof(uint64_t) + sizeof(MmuStats);
    if (size_t(at) >= a.size() || after_counters > a.size()) return false;
    const size_t payload = 36;  // after the envelope, whose checksum covers the counters too
    return std::equal(a.begin() + payload, a.begin() + counters, b.begin() + payload) &&
           std::equal(a.begin() + after_counters, a.end(), b.begin() + after_counters);
}

// What typing `cowtest` at the prompt and 3 M instructions of it give.
struct Continuation {
    std::string output;
    std::vector<uint8_t> state;
};

Continuation continue_with_cowtest(Guest& g) {
    g.output.clear();
    g.machine.serial_input("cowtest\n");
    g.run_exactly(3'000'000);
    return {g.output, g.machine.save_snapshot()};
}

class Snapshot : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        log::set_level(spdlog::level::off);
        Guest g;
        ASSERT_TRUE(g.run_until("$ ")) << g.output;
        at_prompt_ = new std::vector<uint8_t>(g.machine.save_snapshot());
        first_ = new Continuation(continue_with_cowtest(g));
    }
    static void TearDownTestSuite() {
        delete at_prompt_;
        delete first_;
        log::set_level(spdlog::level::warn);
    }
    static std::vector<uint8_t>* at_prompt_;
    static Continuation* first_;
};
std::vector<uint8_t>* Snapshot::at_prompt_ = nullptr;
Continuation* Snapshot::first_ = nullptr;

TEST_F(Snapshot, TheRunAfterTheSnapshotIsTheRunThatWasSaved) {
    ASSERT_NE(first_->output.find("cowtest"), std::string::npos) << "the guest did not take the command";
    Guest g;
    g.machine.load_snapshot(*at_prompt_);
    const Continuation again = continue_with_cowtest(g);
    EXPECT_EQ(again.output, first_->output);
    EXPECT_TRUE(same_machine(again.state, first_->state))
        << "same instructions from the same snapshot, different machine";
}

TEST_F(Snapshot, RestoringRewindsAMachineThatRanOn) {
    Guest g;
    g.machine.load_snapshot(*at_prompt_);
    g.run_exactly(5'000'000);  // somewhere else entirely
    g.machine.serial_input("memhog\n");
    g.run_exactly(2'000'000);
    g.machine.load_snapshot(*at_prompt_);
    EXPECT_TRUE(g.machine.save_snapshot() == *at_prompt_);
    const Continuation again = continue_with_cowtest(g);
    EXPECT_EQ(again.output, first_->output);
    EXPECT_TRUE(same_machine(again.state, first_->state));
}

// Each bad load says why in one line and leaves the machine as it was.
void expect_refused(Machine& m, std::span<const uint8_t> bytes, const std::string& why) {
    const std::vector<uint8_t> before = m.save_snapshot();
    try {
        m.load_snapshot(bytes);
        ADD_FAILURE() << "loaded; expected: " << why;
    } catch (const SnapshotError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find(why), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
    EXPECT_TRUE(m.save_snapshot() == before) << "a refused load changed the machine";
}

TEST_F(Snapshot, ASnapshotOfAnotherMachineIsRefusedAndChangesNothing) {
    Guest bigger(guest_config(16));
    bigger.run_exactly(1'000'000);
    expect_refused(bigger.machine, *at_prompt_,
                   "RAM size in bytes: the snapshot has 8388608, this machine 16777216");
}

TEST_F(Snapshot, DamagedTruncatedAndForeignBytesAreRefused) {
    Guest g;
    g.run_exactly(1'000'000);
    std::vector<uint8_t> damaged = *at_prompt_;
    damaged[damaged.size() / 2] ^= 0x40;
    expect_refused(g.machine, damaged, "damaged");
    std::vector<uint8_t> truncated(at_prompt_->begin(), at_prompt_->end() - 100);
    expect_refused(g.machine, truncated, "truncated");
    const std::string text = "this is not a snapshot at all, just some text in a file";
    expect_refused(g.machine, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
                   "not a pc386 snapshot");
}

TEST_F(Snapshot, AReadWriteDiskCannotBeSnapshotted) {
    const auto copy = std::filesystem::temp_directory_path() / "pc386-snapshot-test-rw.img";
    std::filesystem::copy_file(PC386_BINARY_DIR "/guestos.img", copy,
                               std::filesystem::copy_options::overwrite_existing);
    MachineConfig config = guest_config();
    config.hda.path = copy.string();
    config.hda.snapshot = false;
    {
        Guest g(config);
        g.run_exactly(100'000);
        try {
            g.machine.save_snapshot();
            ADD_FAILURE() << "saved a machine whose disk file moves on";
        } catch (const SnapshotError& e) {
            EXPECT_NE(std::string(e.what()).find("--snapshot"), std::string::npos) << e.what();
        }
    }
    std::filesystem::remove(copy);
}

}  // namespace
}  // namespace pc386
