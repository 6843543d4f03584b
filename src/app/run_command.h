// `pc386 run`: boot a disk image (or the built-in guest OS) and run until the guest exits.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "machine/machine_config.h"

namespace pc386 {

struct RunOptions {
    std::string image;  // positional IMAGE: the first IDE disk
    std::string hda, hdb;
    std::string fda, fdb;  // diskette images for floppy drives A: and B:
    std::string boot;      // "a" or "c"; empty: a when there is a floppy and no hard disk, else c
    std::string bios, vga_bios;
    std::string kernel, initrd, append;  // --kernel bzImage, --initrd FILE, --append CMDLINE
    uint32_t mem_mb = 16;
    std::string cpu = "386";
    bool snapshot = false;
    bool headless = false;
    std::string serial = "stdio";
    std::string debugcon = "none";
    std::string log_level = "warn";
    std::string log_subsystems;
    std::string trace_file;
    std::string script_file;
    std::string junit_file;                   // --junit FILE: the script's checks as JUnit XML
    uint64_t max_insns = 0;
    bool realtime = false;
    bool stats = false;
    std::string events_file;                  // --events FILE
    std::string events_format = "jsonl";      // jsonl | chrome
    std::string events_filter;                // --events-filter FILTER (default: all)
    std::vector<std::string> break_on;        // --break-on FILTER (repeatable)
    std::string pace;                         // --pace N[k|M] instructions per second
    double pace_events = 0;                   // --pace-events N: pause 1/N s after each event
    std::string gdb;                          // --gdb [HOST:]PORT
    bool wait_gdb = false;                    // --wait-gdb: stopped until gdb attaches and continues
    std::string screenshot;                   // --screenshot FILE.png: the debug window's picture at exit
    std::vector<std::string> window;          // --window REQUEST (repeatable): what the window shows
    std::string restore;                      // --restore FILE: start from a snapshot (script `snapshot write`)
    std::string guest_symbols;                // --guest-symbols System.map: Linux's frames in the window
};

void add_run_options(CLI::App& cmd, RunOptions& options);
// The machine configuration the options describe, every value and file checked (UsageError,
// ConfigError), without building the machine: run_command's first step, and the fuzzer's seam.
MachineConfig make_config(const RunOptions& options);
int run_command(const RunOptions& options);

}  // namespace pc386
