#include "app/qemu_args.h"

#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <map>

#include "base/quote.h"
#include "machine/machine_error.h"

namespace pc386 {
namespace {

// QEMU's spelling -> ours. All but -snapshot take a value, as they do in QEMU.
const std::map<std::string, std::string>& qemu_options() {
    static const std::map<std::string, std::string> map = {
        {"-hda", "--hda"},
        {"-hdb", "--hdb"},
        {"-fda", "--fda"},
        {"-fdb", "--fdb"},
        {"-boot", "--boot"},
        {"-m", "--mem"},
        {"-serial", "--serial"},
        {"-debugcon", "--debugcon"},
        {"-bios", "--bios"},
        {"-snapshot", "--snapshot"},
        {"-nographic", "--headless"},
        {"-kernel", "--kernel"},
        {"-initrd", "--initrd"},
        {"-append", "--append"},
    };
    return map;
}

// QEMU options a user may well try, with what to do instead.
const std::map<std::string, std::string>& qemu_hints() {
    static const std::map<std::string, std::string> map = {
        {"-drive", "give a raw image as IMAGE, --hda FILE or --hdb FILE"},
        {"-hdc", "pc386 has two IDE disks: --hda FILE and --hdb FILE"},
        {"-hdd", "pc386 has two IDE disks: --hda FILE and --hdb FILE"},
        {"-cdrom", "pc386 has no CD-ROM drive: --hda FILE and --hdb FILE are IDE disks"},
        {"-no-reboot", "pc386 resets on a triple fault as a PC does; use --max-insns N to bound a run"},
        {"-monitor", "pc386 has no monitor; --stats prints counters on exit"},
        {"-enable-kvm", "pc386 is an emulator: there is no accelerator to enable"},
        {"-accel", "pc386 is an emulator: there is no accelerator to choose"},
        {"-smp", "pc386 emulates one 386 CPU"},
        {"-vga", "pc386 has a VGA text display; --vga-bios FILE loads an option ROM"},
    };
    return map;
}

bool is_command(const std::string& word) {
    return word == "run" || word == "disasm";
}

// A mistyped command ("rnu") rather than an image: no path separator, no extension, no such file.
bool looks_like_command(const std::string& word) {
    std::error_code ec;
    return word.find_first_of("/.") == std::string::npos && !std::filesystem::exists(word, ec);
}

bool takes_value(const CLI::App& run, const std::string& name) {
    const CLI::Option* opt = run.get_option_no_throw(name);
    return opt && opt->get_expected_max() != 0;  // flags expect no value
}

// Rewrites run's arguments from `i` on.
std::vector<std::string> translate_run(std::vector<std::string> args, size_t i, const CLI::App& run) {
    while (i < args.size()) {
        std::string& arg = args[i];
        if (arg == "--") break;  // everything after is positional
        if (arg.rfind("--", 0) == 0) {
            // Our own long option: its value is not an option, whatever it looks like.
            i += (arg.find('=') == std::string::npos && takes_value(run, arg)) ? 2 : 1;
            continue;
        }
        if (arg.size() < 2 || arg[0] != '-' || arg == "-h") {
            ++i;
            continue;
        }
        if (arg == "-boot" && i + 1 < args.size() && args[i + 1].rfind("order=", 0) == 0)
            args[i + 1].erase(0, 6);  // QEMU's -boot order=a is -boot a
        if (auto it = qemu_options().find(arg); it != qemu_options().end()) {
            arg = it->second;
            i += takes_value(run, arg) ? 2 : 1;
            continue;
        }
        if (arg == "-s") {  // QEMU's gdb server on port 1234
            arg = "--gdb";
            args.insert(args.begin() + static_cast<long>(i) + 1, "1234");
            i += 2;
            continue;
        }
        if (arg == "-S") {  // stopped until gdb continues
            arg = "--wait-gdb";
            ++i;
            continue;
        }
        if (arg == "-gdb") {  // QEMU's -gdb tcp::PORT
            arg = "--gdb";
            i += 2;
            continue;
        }
        if (arg == "-display") {
            const std::string value = i + 1 < args.size() ? args[i + 1] : std::string();
            if (value == "none") {
                args.erase(args.begin() + static_cast<long>(i) + 1);
                arg = "--headless";
                ++i;
                continue;
            }
            if (value == "sdl" || value == "gtk" || value == "default") {  // the window is the default
                args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
                continue;
            }
            throw UsageError(fmt::format("-display {}: pc386 has 'none' (= --headless) or its window (sdl)",
                                         quote(value)));
        }
        if (auto it = qemu_hints().find(arg); it != qemu_hints().end())
            throw UsageError(fmt::format("{}: {}", arg, it->second));
        if (arg.size() > 2 && arg[1] != '-' && !std::isdigit(static_cast<unsigned char>(arg[1]))) {
            const size_t eq = arg.find('=');
            const std::string name = arg.substr(1, eq == std::string::npos ? std::string::npos : eq - 1);
            if (run.get_option_no_throw("--" + name))
                throw UsageError(fmt::format("unknown option {}: did you mean --{}?", quote(arg), name));
            throw UsageError(fmt::format(
                "unknown option {} (pc386 run takes --long options; see 'pc386 run --help')", quote(arg)));
        }
        ++i;  // -x and negative numbers: CLI11 judges them
    }
    return args;
}

}  // namespace

std::vector<std::string> translate_args(const std::vector<std::string>& args, const CLI::App& run) {
    if (args.empty()) return {"run"};
    const std::string& first = args[0];
    if (first == "--help" || first == "-h" || first == "--help-all" || first == "--version") return args;
    if (is_command(first)) return first == "run" ? translate_run(args, 1, run) : args;
    if (!first.empty() && first[0] != '-' && looks_like_command(first))
        throw UsageError(fmt::format(
            "unknown command {} (commands: run, disasm; an IMAGE to boot must exist)", quote(first)));
    std::vector<std::string> with_run{"run"};
    with_run.insert(with_run.end(), args.begin(), args.end());
    return translate_run(std::move(with_run), 1, run);
}

}  // namespace pc386
