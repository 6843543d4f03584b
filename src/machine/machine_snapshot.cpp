// Machine snapshots. The bytes are an envelope and the parts of the machine in a fixed order:
//
//   "PC386-SNAPSHOT\n\0" (16 bytes), format version (u32), payload size (u64), FNV-1a hash of the
//   payload (u64), then the payload: the machine's clock and counters, the CPU, the MMU, RAM,
//   then every device in the machine's device order, each part starting with its tag.
//
// The hash turns a damaged file into one clear line before any part is read. Numbers are in the
// host's byte order: a snapshot is for the same build on the same kind of host (like QEMU's savevm
// across versions, it is not promised to travel further).
#include <cstring>

#include "base/fnv1a.h"
#include "cpu/cpu.h"
#include "devices/device.h"
#include "machine/machine.h"
#include "machine/machine_chips.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"

namespace pc386 {
namespace {

constexpr char kMagic[16] = "PC386-SNAPSHOT\n";
constexpr uint32_t kFormatVersion = 2;  // 2: CR0 and CR3 in the MMU's part, which comes first
constexpr size_t kEnvelopeSize = sizeof kMagic + 4 + 8 + 8;
// Host input waiting for COM1 is bounded by what a script or a person can send in one go.
constexpr size_t kMaxPendingSerial = size_t{16} << 20;

template <typename T>
void put(std::vector<uint8_t>& out, size_t offset, T value) {
    std::memcpy(out.data() + offset, &value, sizeof value);
}

template <typename T>
T get(std::span<const uint8_t> in, size_t offset) {
    T value;
    std::memcpy(&value, in.data() + offset, sizeof value);
    return value;
}

}  // namespace

void Machine::transfer_state(StateArchive& ar) {
    Chips& c = *chips_;
    ar.section("machine");
    ar.field(now_);
    ar.field(instructions_);
    ar.field(resets_);
    ar.field(idle_skips_);
    ar.field(exit_status_);
    ar.field(exit_requested_);
    ar.field(reset_requested_);
    std::vector<uint8_t> pending(c.pending_serial.begin(), c.pending_serial.end());
    ar.byte_vector(pending, kMaxPendingSerial);
    c.mmu.transfer_state(ar);  // before the CPU, whose mode and alignment check read its CR0
    c.cpu.transfer_state(ar);
    c.bus.transfer_state(ar);
    for (Device* device : c.devices) device->transfer_state(ar);
    if (!ar.loading()) return;
    c.pending_serial.assign(pending.begin(), pending.end());
    guest_info_address_ = c.guest_info.address();
    // A run resumes from here: no stop of the old timeline is still pending, and pacing restarts
    // from the host's clock now.
    hang_reason_.clear();
    break_hit_ = false;
    break_event_.reset();
    watch_pending_ = false;
    watch_hit_.reset();
    stopped_at_breakpoint_ = false;
    pace_started_ = false;
    pacing_started_ = false;
}

std::vector<uint8_t> Machine::save_snapshot() {
    StateArchive ar = StateArchive::for_saving();
    transfer_state(ar);
    std::vector<uint8_t> payload = ar.take();
    std::vector<uint8_t> out(kEnvelopeSize + payload.size());
    std::memcpy(out.data(), kMagic, sizeof kMagic);
    put(out, sizeof kMagic, kFormatVersion);
    put(out, sizeof kMagic + 4, static_cast<uint64_t>(payload.size()));
    put(out, sizeof kMagic + 12, Fnv1a().add(payload).value());
    std::memcpy(out.data() + kEnvelopeSize, payload.data(), payload.size());
    return out;
}

void Machine::load_snapshot(std::span<const uint8_t> snapshot) {
    if (snapshot.size() < kEnvelopeSize || std::memcmp(snapshot.data(), kMagic, sizeof kMagic) != 0)
        throw SnapshotError("not a pc386 snapshot (no PC386-SNAPSHOT header)");
    const auto version = get<uint32_t>(snapshot, sizeof kMagic);
    if (version != kFormatVersion)
        throw SnapshotError("a snapshot of format version " + std::to_string(version) +
                            "; this pc386 reads version " + std::to_string(kFormatVersion));
    const auto size = get<uint64_t>(snapshot, sizeof kMagic + 4);
    const auto hash = get<uint64_t>(snapshot, sizeof kMagic + 12);
    const std::span<const uint8_t> payload = snapshot.subspan(kEnvelopeSize);
    if (size != payload.size()) throw SnapshotError("the snapshot is truncated (or has bytes after its end)");
    if (Fnv1a().add(payload).value() != hash)
        throw SnapshotError("the snapshot is damaged (its checksum does not match)");

    // Loading writes parts as it goes; a part that does not fit (another RAM size, another BIOS)
    // puts the machine back as it was, so a failed load loses nothing.
    std::vector<uint8_t> before = save_snapshot();
    try {
        StateArchive ar = StateArchive::for_loading(payload);
        transfer_state(ar);
        ar.finish();
    } catch (const SnapshotError&) {
        StateArchive undo =
            StateArchive::for_loading(std::span<const uint8_t>(before).subspan(kEnvelopeSize));
        transfer_state(undo);
        throw;
    }
}

}  // namespace pc386
