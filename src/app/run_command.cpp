#include "app/run_command.h"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "app/cli_values.h"
#include "app/exit_codes.h"
#include "app/file_roles.h"
#include "app/host_paths.h"
#include "base/log.h"
#include "base/quote.h"
#include "debug/event_writer.h"
#include "debug/gdb_stub.h"
#include "debug/junit_report.h"
#include "debug/script.h"
#include "debug/tracer.h"
#include "debug/window_command.h"
#include "machine/machine.h"
#include "machine/machine_error.h"
#include "machine/snapshot_file.h"
#include "mmu/mmu.h"
#ifdef PC386_HAVE_UI
#include "ui/debug_window.h"
#include "ui/linux_frame_table.h"
#include "ui/window_requests.h"
#endif

namespace pc386 {
namespace {

Machine* g_running_machine = nullptr;

// Ctrl-C asks the machine to stop at the next slice so disks are flushed and stats printed.
void on_signal(int) {
    if (g_running_machine) g_running_machine->request_stop();
}

CharTarget parse_target(const std::string& text, const char* option) {
    auto target = CharTarget::parse(text);
    if (!target)
        throw UsageError(fmt::format("{}: expected stdio, none or file:PATH, got {}", option, quote(text)));
    return *target;
}

// Where a CharTarget's bytes go: stdout or a file (opened now, so a bad path fails before booting).
// A write that fails (a full disk) is reported once on stderr; the rest of the stream is dropped and
// the run ends with exit status 14 (see finish()).
class OutputSink {
  public:
    OutputSink(std::FILE* file, bool owned, const char* option, std::string name)
        : file_(file), owned_(owned), option_(option), name_(std::move(name)) {}
    ~OutputSink() {
        if (owned_) std::fclose(file_);
    }
    OutputSink(const OutputSink&) = delete;
    OutputSink& operator=(const OutputSink&) = delete;

    void put(uint8_t byte) {
        if (failed_) return;
        if (std::fputc(byte, file_) == EOF || (byte == '\n' && std::fflush(file_) != 0)) fail();
    }
    // Writes out what is buffered; false if any write failed.
    bool finish() {
        if (!failed_ && std::fflush(file_) != 0) fail();
        return !failed_;
    }

  private:
    void fail() {
        const int error = errno;
        failed_ = true;
        std::fprintf(stderr, "pc386: %s: cannot write to %s: %s; the rest of its output is dropped\n",
                     option_, name_.c_str(), std::strerror(error));
    }

    std::FILE* file_;
    bool owned_;
    const char* option_;
    std::string name_;
    bool failed_ = false;
};

std::shared_ptr<OutputSink> open_sink(const CharTarget& target, const char* option) {
    switch (target.kind) {
        case CharTarget::Kind::None: return {};
        case CharTarget::Kind::Stdio: return std::make_shared<OutputSink>(stdout, false, option, "stdout");
        case CharTarget::Kind::File: {
            std::FILE* file = open_output_file(target.path);
            if (!file)
                throw ConfigError(fmt::format("{}: cannot open {} for writing", option, quote(target.path)));
            return std::make_shared<OutputSink>(file, true, option, quote(target.path));
        }
    }
    return {};
}

std::function<void(uint8_t)> listener_for(const std::shared_ptr<OutputSink>& sink) {
    if (!sink) return {};
    return [sink](uint8_t byte) { sink->put(byte); };
}

spdlog::level::level_enum parse_level(const std::string& text) {
    auto level = spdlog::level::from_str(text);
    if (level == spdlog::level::off && text != "off")
        throw UsageError(
            fmt::format("--log-level: unknown level {} (trace, debug, info, warn, error, off)", quote(text)));
    return level;
}

void configure_logging(const RunOptions& o) {
    log::set_level(parse_level(o.log_level));
    if (o.log_subsystems.empty()) return;
    const auto& known = log::subsystems();
    size_t start = 0;
    while (start <= o.log_subsystems.size()) {
        size_t comma = o.log_subsystems.find(',', start);
        std::string name = o.log_subsystems.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!name.empty()) {
            if (name == "all") {
                log::set_level(spdlog::level::debug);
            } else if (std::find(known.begin(), known.end(), name) == known.end()) {
                throw UsageError(fmt::format("--log: unknown subsystem {} (known: {})", quote(name),
                                             fmt::join(known, ",")));
            } else {
                log::set_level(name, spdlog::level::debug);
            }
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
}

}  // namespace

// The configuration from the options, every file and value checked. The built-in guest image is
// looked up last, so that a bad option is reported as itself even where no guest OS was built.
MachineConfig make_config(const RunOptions& o) {
    MachineConfig config;
    config.mem_mb = o.mem_mb;
    config.cpu = parse_cpu_model(o.cpu).value_or(CpuModel::i386);  // CLI11 has checked the value
    if (!o.image.empty() && !o.hda.empty())
        throw UsageError("give the first disk either as IMAGE or with --hda, not both");
    config.hda.path = !o.image.empty() ? o.image : o.hda;
    config.hda.snapshot = o.snapshot;
    config.hdb.path = o.hdb;
    config.hdb.snapshot = o.snapshot;
    config.fda.path = o.fda;
    config.fda.snapshot = o.snapshot;
    config.fdb.path = o.fdb;
    config.fdb.snapshot = o.snapshot;
    if (o.boot == "a" && o.fda.empty())
        throw UsageError("--boot a: there is no floppy in drive A: (give --fda IMG)");
    // With a floppy and no hard disk, the floppy boots (and the built-in guest stays out).
    const bool floppy_only = !o.fda.empty() && config.hda.path.empty() && o.kernel.empty();
    config.boot = o.boot == "a" || (o.boot.empty() && floppy_only) ? MachineConfig::BootDevice::Floppy
                                                                   : MachineConfig::BootDevice::HardDisk;
    config.bios_path = o.bios.empty() ? builtin_bios_image() : o.bios;
    config.vga_bios_path = o.vga_bios;
    config.serial = parse_target(o.serial, "--serial");
    config.debugcon = parse_target(o.debugcon, "--debugcon");
    config.max_instructions = o.max_insns;
    config.realtime = o.realtime;
    if (o.kernel.empty() && (!o.initrd.empty() || !o.append.empty()))
        throw UsageError("--initrd and --append need --kernel");
    config.kernel = o.kernel;
    config.initrd = o.initrd;
    config.append = o.append;
    Machine::validate(config);
    if (config.hda.path.empty() && config.kernel.empty() && !floppy_only) {
        // No image: the built-in guest OS, always in snapshot mode so every run starts the same.
        config.hda.path = builtin_guest_image();
        config.hda.snapshot = true;
        // Measured with our BIOS; another (a bare test ROM) may never boot the guest at all.
        if (o.bios.empty() && config.mem_mb < kBuiltinGuestMinMemMb)
            throw UsageError(fmt::format("--mem {}: the built-in guest OS needs at least {} MiB",
                                         config.mem_mb, kBuiltinGuestMinMemMb));
    }
    // One file as two disks: the two drives' writes would corrupt it.
    if (!config.hdb.path.empty() && same_file(config.hda.path, config.hdb.path) &&
        !(config.hda.snapshot && config.hdb.snapshot))
        throw UsageError(
            fmt::format("{} is both the first and the second disk; give two images, or --snapshot",
                        quote(config.hdb.path)));
    if (!config.fdb.path.empty() && same_file(config.fda.path, config.fdb.path) && !o.snapshot)
        throw UsageError(fmt::format("{} is in both floppy drives; give two images, or --snapshot",
                                     quote(config.fdb.path)));
    return config;
}

namespace {

// Every file the run reads, and every file it writes: no output may name an input.
std::vector<NamedPath> input_files(const RunOptions& o, const MachineConfig& config) {
    return {{o.image.empty() ? "--hda" : "IMAGE", config.hda.path},
            {"--hdb", config.hdb.path},
            {"--fda", config.fda.path},
            {"--fdb", config.fdb.path},
            {"--bios", config.bios_path},
            {"--vga-bios", config.vga_bios_path},
            {"--kernel", config.kernel},
            {"--initrd", config.initrd},
            {"--script", o.script_file},
            {"--restore", o.restore},
            {"--guest-symbols", o.guest_symbols}};
}

std::vector<NamedPath> output_files(const RunOptions& o, const MachineConfig& config) {
    auto file_of = [](const CharTarget& t) {
        return t.kind == CharTarget::Kind::File ? t.path : std::string();
    };
    return {{"--trace", o.trace_file},
            {"--serial", file_of(config.serial)},
            {"--debugcon", file_of(config.debugcon)},
            {"--events", o.events_file},
            {"--junit", o.junit_file},
            {"--screenshot", o.screenshot},
            {"--screenshot's text",
             o.screenshot.empty() ? std::string()
                                  : std::filesystem::path(o.screenshot).replace_extension(".txt").string()}};
}

// Feeds whatever stdin has ready (without blocking) into COM1; false once stdin is closed.
bool pump_stdin(Machine& machine) {
    char buffer[256];
    pollfd pfd{STDIN_FILENO, POLLIN, 0};
    while (poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLIN | POLLHUP))) {
        ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) return false;
        machine.serial_input(std::string(buffer, static_cast<size_t>(n)));
    }
    return true;
}

// While the guest owns a terminal on COM1 (like QEMU's -serial stdio): keys go to it one at a time
// and the guest echoes them, so the terminal's own line editing and echo are off. Ctrl-C still
// stops the emulator. The terminal's settings come back when this goes out of scope.
class GuestTerminal {
  public:
    GuestTerminal() {
        if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_) != 0) return;
        termios raw = saved_;
        raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        active_ = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
    }
    ~GuestTerminal() {
        if (active_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
    }
    GuestTerminal(const GuestTerminal&) = delete;
    GuestTerminal& operator=(const GuestTerminal&) = delete;

  private:
    termios saved_{};
    bool active_ = false;
};

#ifdef PC386_HAVE_UI
bool display_available() {
    return std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY") ||
           (std::getenv("SDL_VIDEODRIVER") && std::string(std::getenv("SDL_VIDEODRIVER")) != "dummy");
}
#endif

int status_for(StopReason reason, const Machine& machine) {
    switch (reason) {
        case StopReason::GuestExit: return machine.exit_status();
        case StopReason::InstructionLimit: return exit_code::kInstructionLimit;
        case StopReason::Hung: return exit_code::kGuestHung;
        case StopReason::EventBreak: return exit_code::kEventBreak;
        default: return exit_code::kOk;
    }
}

EventFilter parse_filter(const std::string& text, const char* option) {
    std::string why;
    auto filter = EventFilter::parse(text, why);
    if (!filter) throw ConfigError(fmt::format("{}: {}", option, why));
    return *filter;
}

// --pace: instructions per host second, with an optional k or M (1k .. 1G).
uint64_t parse_pace(const std::string& text) {
    uint64_t scale = 1;
    std::string digits = text;
    if (!digits.empty() && (digits.back() == 'k' || digits.back() == 'K')) scale = 1'000, digits.pop_back();
    else if (!digits.empty() && digits.back() == 'M') scale = 1'000'000, digits.pop_back();
    uint64_t value = 0;
    size_t used = 0;
    try {
        if (!digits.empty() && std::isdigit(static_cast<unsigned char>(digits[0]))) value = std::stoull(digits, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != digits.size() || value == 0 || value > 1'000'000'000 / scale)
        throw ConfigError(fmt::format("--pace: expected instructions per second (1 .. 1G, e.g. 5000, 20k, 2M), got '{}'",
                                      text.substr(0, 40)));
    return value * scale;
}

}  // namespace

void add_run_options(CLI::App& cmd, RunOptions& o) {
    cmd.add_option("IMAGE", o.image,
                   "Raw disk image to boot as the first IDE disk (default: the built-in guest OS)")
        ->check(non_empty_path_validator());
    cmd.add_option("--mem", o.mem_mb,
                   "RAM size in MiB; M/MB/MiB or G/GB/GiB suffixes as with QEMU's -m (8, 8M, 1G)")
        ->transform(mem_size_validator())
        ->check(CLI::Range(MachineConfig::kMinMemMb, MachineConfig::kMaxMemMb))
        ->capture_default_str();
    cmd.add_option("--cpu", o.cpu, "CPU model: 386, or 486 (CPUID, BSWAP, CMPXCHG, XADD, INVLPG, CR0.WP, AC)")
        ->check(CLI::IsMember({"386", "486"}))
        ->capture_default_str();
    cmd.add_option("--hda", o.hda, "Raw image for the primary master IDE disk")
        ->check(non_empty_path_validator());
    cmd.add_option("--hdb", o.hdb, "Raw image for the primary slave IDE disk")
        ->check(non_empty_path_validator());
    cmd.add_option("--fda", o.fda,
                   "Diskette image for floppy drive A: (360K, 720K, 1.2M, 1.44M or 2.88M, told by its size)")
        ->check(non_empty_path_validator());
    cmd.add_option("--fdb", o.fdb, "Diskette image for floppy drive B:")->check(non_empty_path_validator());
    cmd.add_option("--boot", o.boot,
                   "Boot first from a (the floppy in A:) or c (the hard disk); default: a with --fda and no "
                   "hard disk, else c")
        ->check(CLI::IsMember({"a", "c"}));
    cmd.add_flag("--snapshot", o.snapshot, "Keep disk writes in memory; image files are never modified");
    cmd.add_option(
           "--bios", o.bios,
           "BIOS ROM image (64, 128, 192 or 256 KiB, ending at 1 MiB and mirrored at the top of 4 GiB; "
           "default: ours)")
        ->check(non_empty_path_validator());
    cmd.add_option("--vga-bios", o.vga_bios, "VGA option ROM loaded at 0xC0000 (e.g. for the Bochs BIOS)")
        ->check(non_empty_path_validator());
    cmd.add_option("--kernel", o.kernel,
                   "Boot this Linux bzImage directly (x86 boot protocol 2.02+; needs our BIOS)")
        ->check(non_empty_path_validator());
    cmd.add_option("--initrd", o.initrd, "With --kernel: the initial ramdisk")
        ->check(non_empty_path_validator());
    cmd.add_option("--append", o.append, "With --kernel: the kernel command line");
    cmd.add_flag("--headless", o.headless, "No window: the console is the terminal (serial on stdio)");
    cmd.add_option("--serial", o.serial, "COM1: stdio, file:PATH or none")->capture_default_str();
    cmd.add_option("--debugcon", o.debugcon, "Port 0xE9 debug console: stdio, file:PATH or none")->capture_default_str();
    cmd.add_option("--log-level", o.log_level, "Log level for every subsystem: trace, debug, info, warn, error, off")
        ->capture_default_str();
    cmd.add_option("--log", o.log_subsystems,
                   "Comma-separated subsystems to log at debug level (machine,cpu,mmu,pic,pit,cmos,kbc,uart,ide,"
                   "vga,bios,debugcon,port92,post,ui,debug,script,events) or 'all'");
    cmd.add_option("--trace", o.trace_file, "Write every executed instruction (disassembled) to FILE")
        ->check(non_empty_path_validator());
    cmd.add_option("--script", o.script_file,
                   "Scripted run: a file (at most 4 MiB) of 'expect TEXT', 'send TEXT', 'type TEXT', "
                   "'wait-exit [STATUS]' lines")
        ->check(non_empty_path_validator());
    cmd.add_option("--restore", o.restore,
                   "Start from a snapshot FILE (written by a script's 'snapshot write') instead of power-on; "
                   "the same --mem, --cpu, BIOS and disks as when it was taken")
        ->check(non_empty_path_validator());
    cmd.add_option("--junit", o.junit_file,
                   "With --script: write its checks (expect, wait-event, wait-exit, assert-*) as JUnit XML to FILE")
        ->check(non_empty_path_validator());
    cmd.add_option("--max-insns", o.max_insns,
                   "Stop after N instructions (exit status 6 if the guest has not exited)")
        ->check(whole_number_validator());
    cmd.add_flag("--realtime", o.realtime, "Pace virtual time to the host clock (default: as fast as possible)");
    cmd.add_flag("--stats", o.stats, "Print CPU, TLB and page-fault counters on exit");
    cmd.add_option("--events", o.events_file,
                   "Write the event stream (faults, interrupts, CR3 writes, disk transfers, the guest's fork/CoW/"
                   "swap events) to FILE as it happens")
        ->check(non_empty_path_validator());
    cmd.add_option("--events-format", o.events_format,
                   "jsonl (one JSON object per line) or chrome (trace-event JSON for ui.perfetto.dev)")
        ->check(CLI::IsMember({"jsonl", "chrome"}))
        ->capture_default_str();
    // Bad filters and paces are usage errors (exit 2), found while the options are parsed.
    const CLI::Validator filter_check(
        [](std::string& text) {
            std::string why;
            return EventFilter::parse(text, why) ? std::string() : why;
        },
        "FILTER");
    const CLI::Validator pace_check(
        [](std::string& text) {
            try {
                parse_pace(text);
            } catch (const ConfigError& e) {
                return std::string(e.what()).substr(8);  // without "--pace: "
            }
            return std::string();
        },
        "N");
    cmd.add_option("--events-filter", o.events_filter,
                   "Which events --events writes and --pace-events paces: KIND[,KIND..] [pid=N] [addr=LO-HI] "
                   "[frame=N] [vector=N] (kinds: pf, cow-copy, swap, proc, vm, machine, guest, all, ...)")
        ->check(filter_check);
    cmd.add_option("--break-on", o.break_on,
                   "Stop at the first event that matches FILTER (the window pauses instead); repeatable")
        ->allow_extra_args(false)
        ->check(filter_check);
    const CLI::Validator gdb_check(
        [](std::string& text) {
            std::string why;
            return GdbStub::parse_address(text, why) ? std::string() : why;
        },
        "[HOST:]PORT");
    cmd.add_option("--gdb", o.gdb,
                   "Wait for gdb on [HOST:]PORT (default host 127.0.0.1; QEMU's -s is --gdb 1234): "
                   "gdb guestos.elf -ex 'target remote :1234'")
        ->check(gdb_check);
    cmd.add_flag("--wait-gdb", o.wait_gdb, "With --gdb: stop before the first instruction until gdb continues (QEMU's -S)");
    cmd.add_option("--pace", o.pace, "Slow motion: at most N instructions per second (e.g. 2000, 50k, 1M)")
        ->check(pace_check);
    cmd.add_option("--pace-events", o.pace_events,
                   "Slow motion by events: pause 1/N s after each event (those of --events-filter, default: "
                   "the guest's memory and process events)")
        ->check(CLI::Range(0.01, 1000.0));
    cmd.add_option("--screenshot", o.screenshot,
                   "Write the debug window's picture to FILE (PNG if it ends in .png, else BMP) when the run "
                   "ends; drawn off screen with --headless or without a display");
    const CLI::Validator window_check(
        [](std::string& text) {
            std::string why;
            const auto request = parse_window_command(text, why);
            if (!request) return why;
            if (request->kind == WindowCommand::Kind::SelectEvent)
                return std::string(
                    "window select event: only a script's wait-event gives an event to select");
            return std::string();
        },
        "REQUEST");
    cmd.add_option(
           "--window", o.window,
           "What the debug window (and --screenshot) shows: 'lru on', 'heat on', 'tree on', 'tab swap', "
           "'timeline all', 'select pid N', 'select frame N'; repeatable")
        ->allow_extra_args(false)
        ->check(window_check);
    cmd.add_option("--guest-symbols", o.guest_symbols,
                   "A Linux kernel's System.map: the window colours Linux's frames from its struct pages "
                   "(buddy order, slab, anonymous, page cache, page table); Linux 6.1 i386 FLATMEM");
    cmd.footer(
        "QEMU's spellings work too: -hda, -hdb, -fda, -fdb, -boot a|c, -m, -bios, -serial, -debugcon, "
        "-snapshot, -kernel, -initrd,\n"
        "-append, -display none and\n"
        "-nographic (= --headless). Output files may not name an input. Exit status: odd = guest exit\n"
        "((V << 1) | 1), 0 stopped, 2 bad option, 4 bad file, 6 --max-insns reached, 8 script failed,\n"
        "10 internal error, 12 guest hung, 14 an output file could not be written,\n"
        "16 stopped at a --break-on event.");
}

int run_command(const RunOptions& o) {
    configure_logging(o);
    std::vector<ScriptLine> script_lines;
    if (!o.script_file.empty()) script_lines = Script::load(o.script_file);
    MachineConfig config = make_config(o);
    check_outputs_spare_inputs(input_files(o, config), output_files(o, config));
#ifdef PC386_HAVE_UI
    std::optional<LinuxFrameTable> linux_table;
    if (!o.guest_symbols.empty()) linux_table.emplace(LinuxSymbols::load(o.guest_symbols));
    const LinuxFrameTable* linux_frames = linux_table ? &*linux_table : nullptr;
#else
    if (!o.guest_symbols.empty())
        throw UsageError("--guest-symbols: this build of pc386 has no debug window (built without SDL)");
#endif
    Machine machine(config);
    if (!o.restore.empty()) {
        try {
            machine.load_snapshot(read_snapshot_file(o.restore, machine));
        } catch (const SnapshotError& e) {
            throw ConfigError(fmt::format("--restore {}: {}", quote(o.restore), e.what()));
        }
    }

    std::vector<std::shared_ptr<OutputSink>> sinks;
    sinks.push_back(open_sink(config.serial, "--serial"));
    machine.add_serial_listener(listener_for(sinks.back()));
    sinks.push_back(open_sink(config.debugcon, "--debugcon"));
    machine.add_debugcon_listener(listener_for(sinks.back()));

    std::unique_ptr<Tracer> tracer;
    if (!o.trace_file.empty()) {
        tracer = std::make_unique<Tracer>(o.trace_file, machine);
        machine.set_trace_hook(tracer.get());
    }
    std::unique_ptr<EventWriter> events;
    if (!o.events_file.empty()) {
        events = std::make_unique<EventWriter>(
            o.events_file, o.events_format == "chrome" ? EventFormat::Chrome : EventFormat::JsonLines,
            o.events_filter.empty() ? EventFilter::all() : parse_filter(o.events_filter, "--events-filter"),
            machine.events(), config.ns_per_instruction);
    }
    std::unique_ptr<Script> script;
    if (!o.script_file.empty()) script = std::make_unique<Script>(std::move(script_lines), machine);
    // --log events: every event of the stream as a debug line of the "events" logger.
    if (log::get("events").should_log(spdlog::level::debug)) {
        machine.events().subscribe(
            [&machine](const Event& e) { log::get("events").debug("{}", event_to_text(e, &machine.events())); });
    }

    if (o.pace.size()) machine.set_pace(parse_pace(o.pace));
    if (o.pace_events > 0) {
        machine.set_event_pace(o.pace_events,
                               parse_filter(o.events_filter.empty() ? "proc,vm" : o.events_filter, "--events-filter"));
    }
    for (const std::string& filter : o.break_on) machine.add_break(parse_filter(filter, "--break-on"));
    if (o.wait_gdb && o.gdb.empty()) throw ConfigError("--wait-gdb needs --gdb [HOST:]PORT");
    if (!o.junit_file.empty() && o.script_file.empty()) throw ConfigError("--junit needs --script FILE");
#ifndef PC386_HAVE_UI
    if (!o.screenshot.empty()) throw UsageError("--screenshot: this build of pc386 has no debug window (built without SDL)");
#endif
    std::unique_ptr<GdbStub> gdb;
    if (!o.gdb.empty()) gdb = std::make_unique<GdbStub>(machine, o.gdb);
#ifdef PC386_HAVE_UI
    // What --window and the script's `window` lines ask the window (and its pictures) to show.
    WindowRequests window_requests(machine);
    for (const std::string& text : o.window) {
        std::string why;
        window_requests.request_at_start(*parse_window_command(text, why));  // checked with the options
    }
    if (script && script->uses_window()) {
        prepare_offscreen_screenshot(machine);
        script->set_screenshot_writer([&machine, linux_frames, &window_requests](const std::string& path) {
            return write_offscreen_screenshot(machine, path, StopReason::None, linux_frames,
                                              &window_requests);
        });
        script->set_window_requester(
            [&window_requests](const WindowCommand& request, const std::optional<Event>& event,
                               std::string& why) { return window_requests.request(request, event, why); });
    }
#else
    if (!o.window.empty())
        throw UsageError("--window: this build of pc386 has no debug window (built without SDL)");
#endif

    g_running_machine = &machine;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    if (gdb && o.wait_gdb) gdb->wait_for_attach();

    StopReason reason = StopReason::None;
#ifdef PC386_HAVE_UI
    if (!o.headless && display_available()) {
        machine.set_idle_pacing(!script);  // a person at the window: an idle guest costs no CPU
        reason = run_debug_window(
            machine,
            {.screenshot = o.screenshot, .linux_frames = linux_frames, .requests = &window_requests});
    } else
#endif
    {
#ifdef PC386_HAVE_UI
        if (!o.screenshot.empty()) prepare_offscreen_screenshot(machine);  // the picture lists events
#endif
        bool stdin_open = config.serial.kind == CharTarget::Kind::Stdio && !script;
        std::optional<GuestTerminal> terminal;
        if (stdin_open) terminal.emplace();
        machine.set_idle_pacing(stdin_open);  // someone types: an idle guest costs no CPU
        machine.add_slice_hook([&](StopReason r) {
            if (stdin_open) stdin_open = pump_stdin(machine);
            std::fflush(stdout);  // a prompt without a newline ("$ ") shows now, not after the next line
            return r;
        });
        reason = machine.run();
#ifdef PC386_HAVE_UI
        if (!o.screenshot.empty())
            write_offscreen_screenshot(machine, o.screenshot, reason, linux_frames,
                                       &window_requests);  // logs failures
#endif
    }
    g_running_machine = nullptr;

    bool outputs_written = true;
    for (const auto& sink : sinks) {
        if (sink && !sink->finish()) outputs_written = false;
    }
    if (tracer) tracer->finish();

    if (o.stats) std::fprintf(stderr, "%s", machine.stats_report().c_str());
    log::get("machine").info("stopped: {}", to_string(reason));
    if (reason == StopReason::EventBreak && machine.break_event())
        std::fprintf(stderr, "pc386: stopped at a break-on event: %s\n",
                     event_stop_text(*machine.break_event(), &machine.events()).c_str());
    if (events && !events->close()) {
        std::fprintf(stderr, "pc386: %s\n", events->error().c_str());
        outputs_written = false;
    }
    if (script) {
        // The script stops the machine itself when done or failed; any other stop is checked
        // against the line it was waiting on (a wait-exit is satisfied by a guest exit).
        if (!script->stopped_at_break() && script->failure().empty() && !script->finished())
            script->machine_stopped(reason, machine.exit_status());
        std::string junit_error;
        if (!o.junit_file.empty() && !write_junit(o.junit_file, o.script_file, script->checks(), junit_error)) {
            std::fprintf(stderr, "pc386: %s\n", junit_error.c_str());
            outputs_written = false;
        }
        std::fprintf(stdout, "%s\n", script->summary().c_str());
        std::fflush(stdout);
        if (script->stopped_at_break()) return exit_code::kEventBreak;
        if (!script->finished()) {
            std::fprintf(stderr, "pc386: script: %s\n", script->failure().c_str());
            return exit_code::kScriptFailed;
        }
    }
    if (!outputs_written) return exit_code::kOutput;  // already said on stderr when it happened
    if (reason == StopReason::Hung) std::fprintf(stderr, "pc386: %s\n", machine.hang_reason().c_str());
    return status_for(reason, machine);
}

}  // namespace pc386
