#include "machine/machine.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/io_bus.h"
#include "base/log.h"
#include "base/quote.h"
#include "cpu/cpu.h"
#include "devices/disk_image.h"
#include "machine/bounded_file.h"
#include "machine/linux_loader.h"
#include "machine/machine_chips.h"
#include "machine/machine_error.h"
#include "mmu/mmu.h"
#include "mmu/physical_bus.h"

namespace pc386 {
namespace {

spdlog::logger& logger() { return log::get("machine"); }

// A ROM file, at most `max_bytes`; `size_rule` says what is allowed, for the error message.
std::vector<uint8_t> read_rom(const std::string& path, const char* what, size_t max_bytes,
                              const char* size_rule) {
    return read_bounded_file(path, what, max_bytes,
                             [&](uint64_t size) { return fmt::format("size {} bytes; {}", size, size_rule); });
}

// The BIOS image, checked: a multiple of 64 KiB up to 256 KiB (it must end at 1 MiB and below 4 GiB).
std::vector<uint8_t> read_bios_rom(const std::string& path) {
    constexpr const char* kRule = "a BIOS image must be 64, 128, 192 or 256 KiB (a multiple of 64 KiB)";
    std::vector<uint8_t> rom = read_rom(path, "BIOS", 256 * 1024, kRule);
    if (rom.empty() || rom.size() % 65536 != 0)
        throw ConfigError(fmt::format("BIOS {}: size {} bytes; {}", quote(path), rom.size(), kRule));
    return rom;
}

// A VGA option ROM, checked (55 AA signature, at most 64 KiB) and padded to its 2 KiB granule.
std::vector<uint8_t> read_vga_rom(const std::string& path) {
    constexpr const char* kRule = "a VGA option ROM has the 55 AA signature and at most 64 KiB";
    std::vector<uint8_t> vga = read_rom(path, "VGA BIOS", 64 * 1024, kRule);
    if (vga.size() < 512 || vga[0] != 0x55 || vga[1] != 0xAA)
        throw ConfigError(fmt::format("VGA BIOS {}: not an option ROM ({})", quote(path), kRule));
    vga.resize((vga.size() + 2047) / 2048 * 2048, 0);
    return vga;
}

ConfigError disk_error(unsigned unit, const DiskImageError& e) {
    return ConfigError(fmt::format("{}: {}", unit == 0 ? "hda" : "hdb", e.what()));
}

ConfigError floppy_error(unsigned unit, const DiskImageError& e) {
    return ConfigError(fmt::format("{}: {}", unit == 0 ? "fda" : "fdb", e.what()));
}

DiskImage::Mode image_mode(const DiskConfig& disk) {
    return disk.snapshot    ? DiskImage::Mode::Snapshot
           : disk.read_only ? DiskImage::Mode::ReadOnly
                            : DiskImage::Mode::ReadWrite;
}

void check_mem_size(const MachineConfig& config) {
    if (config.mem_mb < MachineConfig::kMinMemMb || config.mem_mb > MachineConfig::kMaxMemMb)
        throw ConfigError(fmt::format("--mem {}: RAM size must be {}..{} MiB", config.mem_mb,
                                      MachineConfig::kMinMemMb, MachineConfig::kMaxMemMb));
}

}  // namespace

void Machine::build_chips() {
    chips_ = std::make_unique<Chips>(config_.mem_mb * 1024u * 1024u, &now_, events_);
    Chips& c = *chips_;
    events_.set_context(this);
    c.cpu.set_event_log(&events_);
    c.mmu.set_event_log(&events_);
    c.ide.set_event_log(&events_);
    c.fdc.set_event_log(&events_);
    c.cpu.set_model(config_.cpu);
    c.clock.cpu = &c.cpu;
    c.clock.ns_per_instruction = config_.ns_per_instruction;
    c.pic.map(c.io);
    c.pit.map(c.io);
    c.pit.set_clock(&c.clock);
    c.cmos.map(c.io);
    c.cmos.set_clock(&c.clock);
    if (config_.rtc_host_time) c.cmos.set_start_time(CmosRtc::host_unix_time());
    c.cmos.set_memory_size(c.bus.ram_size());
    c.kbc.map(c.io);
    c.com1.map(c.io);
    c.ide.map(c.io);
    c.dma.map(c.io);
    c.fdc.map(c.io);
    c.fdc.set_clock(&c.clock);
    c.vga.map(c.io);
    c.bus.map_mmio(VgaText::kTextBase, VgaText::kTextSize, &c.vga);
    c.port92.map(c.io);
    c.post.map(c.io);
    c.debugcon.map(c.io);
    c.debug_exit.map(c.io);
    c.guest_info.map(c.io);
    c.guest_events.map(c.io);

    // The A20 gate has two masters on a PC (the 8042's output port and port 0x92); as on QEMU, the
    // last one to change it decides.
    auto set_a20 = [this](bool on) {
        if (on == chips_->bus.a20()) return;
        chips_->bus.set_a20(on);
        chips_->mmu.a20_changed();  // TLB entries point at the old physical pages
    };
    c.kbc.set_a20_callback(set_a20);
    c.port92.set_a20_callback(set_a20);
    c.kbc.set_reset_callback([this] { reset_requested_ = true; });
    c.port92.set_reset_callback([this] { reset_requested_ = true; });
    c.debug_exit.set_exit_callback([this](uint32_t status) {
        exit_status_ = static_cast<int>(status);
        exit_requested_ = true;
        if (events_.on()) events_.record(EventKind::GuestExit, status >> 1);  // the value written
        chips_->cpu.request_stop();
    });
    c.com1.set_output([this](uint8_t byte) {
        for (auto& l : serial_listeners_) l(byte);
    });
    c.debugcon.set_output([this](uint8_t byte) {
        for (auto& l : debugcon_listeners_) l(byte);
    });

    attach_disk(0, config_.hda);
    attach_disk(1, config_.hdb);
    attach_floppies();
    if (!config_.kernel.empty()) {  // the BIOS's INT 19h enters it through our option ROM (linux_loader.h)
        linux_ = std::make_unique<LinuxLoader>(config_.kernel, config_.initrd, config_.append,
                                               c.bus.ram_size());
        c.bus.map_rom(LinuxLoader::kOptionRomBase, LinuxLoader::option_rom());
    }
}

// The diskettes, and what the BIOS learns of them from the CMOS: the drive types (10h), the
// equipment byte (14h: drives present and their count) and the boot order (3Dh; 2Dh bit 5 for
// older Bochs BIOSes).
void Machine::attach_floppies() {
    const DiskConfig* disks[] = {&config_.fda, &config_.fdb};
    uint8_t types = 0;
    unsigned count = 0;
    for (unsigned unit = 0; unit < 2; ++unit) {
        if (disks[unit]->path.empty()) continue;
        try {
            auto image = std::make_unique<DiskImage>(disks[unit]->path, image_mode(*disks[unit]));
            auto drive = std::make_unique<FloppyDrive>(std::move(image));
            types |= static_cast<uint8_t>(drive->format().cmos_type << (unit == 0 ? 4 : 0));
            chips_->fdc.attach(unit, std::move(drive));
            ++count;
        } catch (const DiskImageError& e) {
            throw floppy_error(unit, e);
        }
    }
    CmosRtc& cmos = chips_->cmos;
    cmos.set_byte(CmosRtc::kFloppyTypes, types);
    if (count) cmos.set_equipment(static_cast<uint8_t>(0x01 | (count - 1) << 6));
    const bool floppy_first = config_.boot == MachineConfig::BootDevice::Floppy;
    cmos.set_byte(CmosRtc::kBootOrder, floppy_first ? 0x21 : 0x12);  // first device in the low nibble
    cmos.set_byte(CmosRtc::kBootFlags, floppy_first ? 0x00 : 0x20);
}

void Machine::attach_disk(unsigned unit, const DiskConfig& disk) {
    if (disk.path.empty()) return;
    auto mode = image_mode(disk);
    try {
        auto image = std::make_unique<DiskImage>(disk.path, mode);
        AtaDrive* placed = nullptr;
        chips_->ide.attach(unit, std::move(image));
        placed = chips_->ide.drive(unit);
        // The BIOS finds the geometry in the CMOS as well as through IDENTIFY.
        const auto& g = placed->default_geometry();
        chips_->cmos.set_hard_disk(unit, g.cylinders, g.heads, g.sectors_per_track);
    } catch (const DiskImageError& e) {
        throw disk_error(unit, e);
    }
}

// The BIOS ROM: 64 KiB at 0xF0000, or 128 KiB at 0xE0000 (any multiple of 64 KiB up to 256 KiB ends at
// 1 MiB), and always mirrored just below 4 GiB where the CPU starts. Optionally a VGA ROM at 0xC0000.
void Machine::load_firmware() {
    std::vector<uint8_t> rom = read_bios_rom(config_.bios_path);
    const uint32_t size = static_cast<uint32_t>(rom.size());
    chips_->bus.map_rom(0x100000 - size, rom);
    chips_->bus.map_rom(static_cast<uint32_t>(0x100000000ull - size), std::move(rom));
    if (!config_.vga_bios_path.empty()) chips_->bus.map_rom(0xC0000, read_vga_rom(config_.vga_bios_path));
}

void Machine::validate(const MachineConfig& config) {
    check_mem_size(config);
    read_bios_rom(config.bios_path);
    if (!config.vga_bios_path.empty()) read_vga_rom(config.vga_bios_path);
    if (!config.kernel.empty()) LinuxLoader(config.kernel, config.initrd, config.append, config.mem_mb << 20);
    const DiskConfig* disks[] = {&config.hda, &config.hdb};
    for (unsigned unit = 0; unit < 2; ++unit) {
        if (disks[unit]->path.empty()) continue;
        try {
            DiskImage probe(disks[unit]->path, DiskImage::Mode::ReadOnly);
        } catch (const DiskImageError& e) {
            throw disk_error(unit, e);
        }
    }
    const DiskConfig* floppies[] = {&config.fda, &config.fdb};
    for (unsigned unit = 0; unit < 2; ++unit) {
        if (floppies[unit]->path.empty()) continue;
        try {
            FloppyDrive probe(std::make_unique<DiskImage>(floppies[unit]->path, DiskImage::Mode::ReadOnly));
        } catch (const DiskImageError& e) {
            throw floppy_error(unit, e);
        }
    }
}

Machine::Machine(const MachineConfig& config) : config_(config) {
    check_mem_size(config_);
    build_chips();
    load_firmware();
    reset();
    resets_ = 0;
}

Machine::~Machine() = default;

void Machine::reset() {
    ++resets_;
    for (Device* d : chips_->devices) d->reset();
    chips_->bus.set_a20(true);  // as QEMU and Bochs power on; the BIOS may turn it off
    chips_->mmu.a20_changed();
    chips_->cpu.reset();
    if (linux_) linux_->place(chips_->bus);
    guest_info_address_ = 0;
    reset_requested_ = false;
    if (events_.on()) events_.record(EventKind::Reset, static_cast<uint32_t>(resets_));
}

void Machine::request_stop() { stop_requested_ = true; }

VirtualNs Machine::next_device_event() const {
    VirtualNs next = kNever;
    for (Device* d : chips_->devices) next = std::min(next, d->next_event());
    return next;
}

// Why a halted CPU (no NMI or unmasked request pending) can never wake up, or nullptr if it can.
// Only lines something in this PC raises count (PIT 0, keyboard 1, COM1 4, floppy 6, RTC 8, mouse
// 12, IDE 14), through both IMRs and the cascade; nothing here raises NMI. A guest idle with the keyboard
// or COM1 unmasked waits for host input and is not hung; a masked timer that ticks is no wake-up.
const char* Machine::why_nothing_can_wake(VirtualNs next) const {
    constexpr uint16_t kWiredIrqs =
        (1u << 0) | (1u << 1) | (1u << 4) | (1u << 6) | (1u << 8) | (1u << 12) | (1u << 14);
    if (!chips_->cpu.interrupts_enabled()) return "halted with interrupts disabled";
    const PicPair& pic = chips_->pic;
    uint16_t open = static_cast<uint8_t>(~pic.master().imr());
    if (open & (1u << PicPair::kCascadeLine)) open |= static_cast<uint16_t>(static_cast<uint8_t>(~pic.slave().imr()) << 8);
    if (!(open & kWiredIrqs)) return "halted with every interrupt masked";
    if (next == kNever) return "halted with no device event to come";
    return nullptr;
}

void Machine::advance_devices() {
    for (Device* d : chips_->devices) d->advance(now_);
    feed_serial_input();
    guest_info_address_ = chips_->guest_info.address();
}

// Host input arrives faster than a UART drains it: hold it here and hand it over as the receive
// FIFO has room, the way bytes would arrive one after another on a real line.
void Machine::feed_serial_input() {
    std::string& pending = chips_->pending_serial;
    if (pending.empty()) return;
    size_t taken = chips_->com1.receive(reinterpret_cast<const uint8_t*>(pending.data()), pending.size());
    pending.erase(0, taken);
}

void Machine::serial_input(const std::string& bytes) {
    chips_->pending_serial += bytes;
    feed_serial_input();
}

void Machine::keyboard_type(const std::string& text) { chips_->kbc.type_text(text); }

void Machine::add_serial_listener(std::function<void(uint8_t)> listener) {
    if (listener) serial_listeners_.push_back(std::move(listener));
}

void Machine::add_debugcon_listener(std::function<void(uint8_t)> listener) {
    if (listener) debugcon_listeners_.push_back(std::move(listener));
}

void Machine::set_trace_hook(TraceHook* hook) { chips_->cpu.set_trace_hook(hook); }

StopReason Machine::run() {
    for (;;) {
        // Slices of 200,000 instructions (about 4 ms of virtual time) between host hooks; in slow
        // motion a fiftieth of a second's worth, so input and the window stay responsive.
        const uint64_t slice = pace_ips_ ? std::clamp<uint64_t>(pace_ips_ / 50, 1, 200'000) : 200'000;
        StopReason reason = run_for(slice);
        if (reason != StopReason::None) return reason;
    }
}

StopReason Machine::run_for(uint64_t budget) {
    watch_hit_.reset();  // valid from a watchpoint stop until the next run
    if (slice_limit_) {
        budget = std::min(budget, slice_limit_);
        slice_limit_ = 0;
    }
    StopReason reason = run_slice(budget);
    for (SliceHook& hook : slice_hooks_) reason = hook(reason);
    return reason;
}

StopReason Machine::run_until_event(const EventFilter& filter, uint64_t budget) {
    const int id = add_break(filter);
    const uint64_t end = instructions_ + budget;
    StopReason reason = StopReason::None;
    while (reason == StopReason::None && instructions_ < end)
        reason = run_for(std::min<uint64_t>(end - instructions_, 200'000));
    remove_break(id);
    return reason;
}

void Machine::add_slice_hook(SliceHook hook) {
    if (hook) slice_hooks_.push_back(std::move(hook));
}

int Machine::add_break(const EventFilter& filter) {
    breaks_.push_back(Break{next_break_id_, filter});
    update_event_listener();
    return next_break_id_++;
}

void Machine::remove_break(int id) {
    std::erase_if(breaks_, [id](const Break& b) { return b.id == id; });
    update_event_listener();
}

void Machine::clear_breaks() {
    breaks_.clear();
    update_event_listener();
}

void Machine::set_event_pace(double events_per_second, const EventFilter& filter) {
    event_pace_eps_ = events_per_second > 0 ? events_per_second : 0;
    event_pace_filter_ = filter;
    update_event_listener();
}

// The machine listens to its own event stream only while a break or event pacing needs it.
void Machine::update_event_listener() {
    const bool needed = !breaks_.empty() || event_pace_eps_ > 0;
    if (needed && !event_listener_) {
        event_listener_ = events_.subscribe([this](const Event& e) { on_event(e); });
    } else if (!needed && event_listener_) {
        events_.unsubscribe(event_listener_);
        event_listener_ = 0;
    }
}

// Called in the middle of an instruction: only note the hit and ask the CPU to stop after it.
void Machine::on_event(const Event& e) {
    for (const Break& b : breaks_) {
        if (!b.filter.matches(e)) continue;
        if (!break_hit_) {  // the first one in the instruction is the one to show
            break_event_ = e;
            break_id_ = b.id;
        }
        break_hit_ = true;
        chips_->cpu.request_stop();
        return;
    }
    if (event_pace_eps_ > 0 && event_pace_filter_.matches(e)) {
        event_pace_hit_ = true;
        chips_->cpu.request_stop();
    }
}

void Machine::add_code_breakpoint(uint32_t linear) {
    code_breaks_.add(linear);
    chips_->cpu.set_code_breakpoints(&code_breaks_);
}

void Machine::remove_code_breakpoint(uint32_t linear) {
    code_breaks_.remove(linear);
    if (code_breaks_.empty()) chips_->cpu.set_code_breakpoints(nullptr);  // back to the fast path
}

void Machine::add_watchpoint(const Watchpoint& w) {
    watches_.add(w);
    watches_.set_callback([this](const Watchpoint& which, uint32_t addr, bool write) {
        if (!watch_pending_) watch_hit_ = WatchHit{which, addr, write};
        watch_pending_ = true;
        chips_->cpu.request_stop();
    });
    chips_->mmu.set_watchpoints(&watches_);
}

bool Machine::remove_watchpoint(const Watchpoint& w) {
    const bool removed = watches_.remove(w);
    chips_->mmu.set_watchpoints(&watches_);
    return removed;
}

void Machine::clear_debug_points() {
    for (uint32_t a : std::vector<uint32_t>(code_breaks_.addresses())) remove_code_breakpoint(a);
    for (const Watchpoint& w : std::vector<Watchpoint>(watches_.list())) watches_.remove(w);
    chips_->mmu.set_watchpoints(&watches_);
}

uint64_t Machine::event_icount() const { return instructions_ + chips_->cpu.retired_in_run(); }
uint32_t Machine::event_eip() const { return chips_->cpu.event_eip(); }
uint32_t Machine::event_cr3() const { return chips_->cpu.cr3(); }
uint8_t Machine::event_cpl() const { return static_cast<uint8_t>(chips_->cpu.state().cpl); }

// The heart of the machine: run the CPU up to the next device event, then let the devices catch
// up with virtual time. A halted CPU skips straight to the next event.
StopReason Machine::run_slice(uint64_t budget) {
    uint64_t done = 0;
    while (done < budget) {
        if (stop_requested_) {
            stop_requested_ = false;
            return StopReason::HostRequest;
        }
        if (break_hit_) {
            break_hit_ = false;
            return StopReason::EventBreak;
        }
        if (watch_pending_) {
            watch_pending_ = false;
            return StopReason::Breakpoint;
        }
        if (exit_requested_) return StopReason::GuestExit;
        if (reset_requested_) {
            logger().info("machine reset requested by the guest");
            reset();
        }
        if (config_.max_instructions && instructions_ >= config_.max_instructions) return StopReason::InstructionLimit;

        Cpu& cpu = chips_->cpu;
        VirtualNs next = next_device_event();
        // A halted CPU wakes for an NMI, or for INTR only with IF set (a pending IRQ under CLI
        // does not wake it: treating it as a wake-up would spin here without running anything).
        const bool wakes_now = chips_->pic.nmi || (chips_->pic.intr && cpu.interrupts_enabled());
        if (cpu.halted() && !wakes_now) {
            if (const char* why = why_nothing_can_wake(next)) {
                const CpuState& st = cpu.state();
                hang_reason_ = fmt::format("guest hung at {:04x}:{:08x}: {}", st.seg[CS].selector, st.eip, why);
                return StopReason::Hung;
            }
            // Nothing to do until a device raises an interrupt: skip virtual time to it.
            ++idle_skips_;
            // The skipped time uses the slice's budget as if instructions had run, so a slice
            // ends even when the wake-up never comes (e.g. a ticking timer whose IRQ is masked).
            const uint64_t idle = next > now_ ? (next - now_) / config_.ns_per_instruction : 0;
            done += std::clamp<uint64_t>(idle, 1, budget - done);
            // An interactive run waits out the guest's idle time on the host clock (at most 10 ms
            // at a time, so input and stop requests stay live) instead of racing through it.
            if (idle_pacing_ && next > now_)
                std::this_thread::sleep_for(std::chrono::nanoseconds(std::min<uint64_t>(next - now_, 10'000'000)));
            now_ = std::max(now_, next);
            advance_devices();
            if (config_.realtime) pace_to_host_clock();
            continue;
        }
        uint64_t until_event = next == kNever ? UINT64_MAX : (next > now_ ? (next - now_) / config_.ns_per_instruction : 0);
        uint64_t n = std::clamp<uint64_t>(until_event, 1, budget - done);
        if (config_.max_instructions) n = std::min(n, config_.max_instructions - instructions_);
        n = std::min<uint64_t>(n, 1'000'000);  // keep host input and stop requests responsive
        if (pace_ips_) n = std::min<uint64_t>(n, std::max<uint64_t>(1, pace_ips_ / 100));
        if (stopped_at_breakpoint_) {  // resuming: the instruction under the breakpoint runs first
            code_breaks_.skip_once(current_code_address());
            stopped_at_breakpoint_ = false;
        }
        uint64_t ran = cpu.run(n);
        instructions_ += ran;
        done += ran;
        now_ += ran * config_.ns_per_instruction;
        if (cpu.shutdown()) {
            logger().warn("triple fault: the CPU shut down; resetting the machine (as a PC does)");
            reset_requested_ = true;
        }
        advance_devices();
        if (cpu.breakpoint_hit()) {
            stopped_at_breakpoint_ = true;
            return StopReason::Breakpoint;
        }
        if (ran == 0) ++done;  // a CPU that made no progress still uses budget: the slice always ends
        if (config_.realtime) pace_to_host_clock();
        if (pace_ips_) pace_instructions();
        if (event_pace_hit_) {
            event_pace_hit_ = false;
            std::this_thread::sleep_for(std::chrono::duration<double>(1.0 / event_pace_eps_));
            pace_started_ = false;  // the pause is not made up for by racing afterwards
        }
    }
    if (break_hit_) {  // the break came in the slice's last instruction
        break_hit_ = false;
        return StopReason::EventBreak;
    }
    if (watch_pending_) {
        watch_pending_ = false;
        return StopReason::Breakpoint;
    }
    return StopReason::None;
}

// Slow motion: sleep off whatever ran ahead of `pace_ips_` instructions per host second.
void Machine::pace_instructions() {
    const auto host_now = std::chrono::steady_clock::now();
    if (!pace_started_) {
        pace_started_ = true;
        pace_host_origin_ = host_now;
        pace_insn_origin_ = instructions_;
        return;
    }
    const auto due = std::chrono::duration<double>(double(instructions_ - pace_insn_origin_) / double(pace_ips_));
    const auto elapsed = host_now - pace_host_origin_;
    if (due > elapsed) {
        // At most a tenth of a second at a time, so that request_stop() and the window stay live.
        std::this_thread::sleep_for(std::min<std::chrono::duration<double>>(due - elapsed, std::chrono::milliseconds(100)));
    } else if (elapsed - due > std::chrono::milliseconds(100)) {
        pace_host_origin_ = host_now;  // a slow host: do not race to catch up
        pace_insn_origin_ = instructions_;
    }
}

// --realtime: sleep off whatever virtual time ran ahead of the host clock since power-on (or
// since the host clock was last behind, so a slow stretch is not made up for by racing later).
void Machine::pace_to_host_clock() {
    auto host_now = std::chrono::steady_clock::now();
    if (!pacing_started_) {
        pacing_started_ = true;
        pacing_host_origin_ = host_now;
        pacing_virtual_origin_ = now_;
        return;
    }
    auto virtual_elapsed = std::chrono::nanoseconds(now_ - pacing_virtual_origin_);
    auto host_elapsed = host_now - pacing_host_origin_;
    if (virtual_elapsed > host_elapsed) {
        std::this_thread::sleep_for(virtual_elapsed - host_elapsed);
    } else if (host_elapsed - virtual_elapsed > std::chrono::milliseconds(100)) {
        pacing_host_origin_ = host_now;
        pacing_virtual_origin_ = now_;
    }
}

Cpu& Machine::cpu() { return chips_->cpu; }
Mmu& Machine::mmu() { return chips_->mmu; }
PhysicalBus& Machine::bus() { return chips_->bus; }
IoBus& Machine::io() { return chips_->io; }
VgaText& Machine::vga() { return chips_->vga; }

uint32_t Machine::current_code_address() {
    const CpuState& s = chips_->cpu.state();
    return s.seg[CS].base + s.eip;
}

unsigned Machine::current_code_bits() { return chips_->cpu.state().seg[CS].big ? 32 : 16; }

std::string Machine::stats_report() const {
    const Cpu& cpu = chips_->cpu;
    const double seconds = static_cast<double>(now_) / 1e9;
    std::string out = fmt::format(
        "instructions: {}  virtual time: {:.3f} s ({} idle skips)  resets: {}\n"
        "interrupts: {} hardware, {} exceptions delivered\n",
        instructions_, seconds, idle_skips_, resets_, cpu.interrupts_delivered(), cpu.exceptions_delivered());
    out += chips_->mmu.stats().format();
    const DecodeCacheStats& dc = cpu.decode_cache_stats();
    out += fmt::format(
        "decode cache: {} replayed, {} decoded and kept, {} page invalidations, {} pages, {} records ({} "
        "KiB)\n",
        dc.replays, dc.recorded, dc.invalidations, dc.pages, dc.records, cpu.decode_cache_bytes() / 1024);
    for (unsigned unit = 0; unit < 2; ++unit) {
        if (const AtaDrive* d = chips_->ide.drive(unit))
            out += fmt::format("disk {}: {} sectors read, {} written ({})\n", unit, d->image().sectors_read(),
                               d->image().sectors_written(), d->image().path());
    }
    for (unsigned unit = 0; unit < 2; ++unit) {
        if (const FloppyDrive* d = chips_->fdc.drive(unit))
            out += fmt::format("floppy {}: {} sectors read, {} written ({}, {})\n", unit,
                               d->image().sectors_read(), d->image().sectors_written(), d->format().name,
                               d->image().path());
    }
    return out;
}

}  // namespace pc386
