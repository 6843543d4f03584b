// The PC: builds the chips from a MachineConfig, wires ports, memory and interrupt lines, owns
// virtual time, and runs the CPU in slices between device events. Tools (the window, the debugger,
// scripts, the CLI) read it through the inspection calls at the end and act through its commands;
// they never reach into the CPU's state while it runs.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/virtual_time.h"
#include "machine/machine_config.h"
#include "machine/stop_reason.h"

namespace pc386 {

class Cpu;
class Mmu;
class PhysicalBus;
class IoBus;
class TraceHook;
class VgaText;
class Kbc8042;
class Uart16550;
class PicPair;

class Machine {
public:
    // Builds and powers on the PC. Throws ConfigError (a one-line message) for bad input: RAM size
    // out of range, a missing/unreadable/truncated BIOS or disk image.
    explicit Machine(const MachineConfig& config);
    ~Machine();  // flushes the disks
    // The same checks of the configuration's files and sizes as the constructor, without building
    // anything (so a tool can report every bad option before it resolves defaults).
    static void validate(const MachineConfig& config);
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    // Runs until the guest exits, the instruction limit, request_stop() or a breakpoint.
    StopReason run();
    // Runs for at most `host_budget_instructions` instructions (a UI frame's worth), then returns
    // StopReason::None if nothing else stopped it.
    StopReason run_slice(uint64_t host_budget_instructions);
    // Asks a running machine to stop at the next slice boundary (thread-safe).
    void request_stop();

    // Hardware reset (also what the guest triggers through 0xFE on the 8042, port 0x92 or a triple fault).
    void reset();

    // The guest's exit status through the debug-exit port: (value << 1) | 1; valid after GuestExit.
    int exit_status() const { return exit_status_; }

    // Host input: bytes into COM1's receive FIFO; text typed on the keyboard.
    void serial_input(const std::string& bytes);
    void keyboard_type(const std::string& text);
    // Listeners for what the guest prints on COM1 and on the 0xE9 debug console (the CLI's sinks,
    // scripts waiting for output, the window's console pane). Empty functions are ignored.
    void add_serial_listener(std::function<void(uint8_t)> listener);
    void add_debugcon_listener(std::function<void(uint8_t)> listener);

    // Instruction tracing (the debug layer's tracer); nullptr turns it off.
    void set_trace_hook(TraceHook* hook);

    // --- inspection (read-only views for tools) ---
    VirtualNs now() const { return now_; }
    uint64_t instructions() const { return instructions_; }
    uint64_t resets() const { return resets_; }
    const MachineConfig& config() const { return config_; }
    Cpu& cpu();
    Mmu& mmu();
    PhysicalBus& bus();
    IoBus& io();
    VgaText& vga();
    // Linear address of CS:EIP and the code segment's default size (16 or 32), for disassembly.
    uint32_t current_code_address();
    unsigned current_code_bits();
    // Guest-info descriptor address the guest published through port 0xEA (0 = none).
    uint32_t guest_info_address() const { return guest_info_address_; }
    // Human-readable counters: instructions, virtual time, TLB and fault counters, disk traffic.
    std::string stats_report() const;

private:
    struct Chips;
    void build_chips();
    void load_firmware();
    void attach_disk(unsigned unit, const DiskConfig& disk);
    void advance_devices();
    void feed_serial_input();
    void pace_to_host_clock();
    VirtualNs next_device_event() const;

    MachineConfig config_;
    std::unique_ptr<Chips> chips_;
    VirtualNs now_ = 0;
    uint64_t instructions_ = 0;
    uint64_t resets_ = 0;
    int exit_status_ = 0;
    bool exit_requested_ = false;
    bool reset_requested_ = false;
    uint32_t guest_info_address_ = 0;
    std::vector<std::function<void(uint8_t)>> serial_listeners_, debugcon_listeners_;
    std::atomic<bool> stop_requested_{false};
    bool pacing_started_ = false;
    std::chrono::steady_clock::time_point pacing_host_origin_;
    VirtualNs pacing_virtual_origin_ = 0;
};

}  // namespace pc386
