// pc386: a 386 PC emulator. The command line is a thin shell around the machine: parse, validate,
// build the machine, run it, turn the outcome into an exit status.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "app/disasm_command.h"
#include "app/exit_codes.h"
#include "app/qemu_args.h"
#include "app/run_command.h"
#include "base/quote.h"
#include "machine/machine_error.h"

int main(int argc, char** argv) {
    using namespace pc386;
    CLI::App app{
        "pc386: a full-system Intel 386 PC emulator with its own BIOS and guest OS.\n"
        "Without a command, runs 'pc386 run': 'pc386' alone boots the built-in guest OS, "
        "'pc386 IMAGE' boots IMAGE.",
        "pc386"};
    app.set_version_flag("--version", "pc386 " PC386_VERSION);
    app.require_subcommand(1);
    app.fallthrough(false);

    RunOptions run_options;
    CLI::App* run = app.add_subcommand("run", "Boot a disk image (default: the built-in guest OS)");
    add_run_options(*run, run_options);

    DisasmOptions disasm_options;
    CLI::App* disasm = app.add_subcommand("disasm", "Disassemble a file, or guest memory after running a while");
    add_disasm_options(*disasm, disasm_options);

    // `run` by default, QEMU's spellings translated: what the user typed, as CLI11 reads it.
    std::vector<std::string> args;
    try {
        args = translate_args(std::vector<std::string>(argv + 1, argv + argc), *run);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "pc386: %s\n", e.what());
        return exit_code::kUsage;
    }
    std::vector<char*> translated{argv[0]};
    for (std::string& arg : args) translated.push_back(arg.data());

    try {
        app.parse(static_cast<int>(translated.size()), translated.data());
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        // CLI11 repeats what was typed: keep it one short printable line.
        std::fprintf(stderr, "pc386: %s (see 'pc386 run --help')\n", printable(e.what(), 400).c_str());
        return exit_code::kUsage;
    }

    // 0 would mean "no limit" inside the machine: as an explicit --max-insns it is a mistake.
    if (*run && run->get_option("--max-insns")->count() && run_options.max_insns == 0) {
        std::fprintf(stderr, "pc386: --max-insns 0: the instruction limit must be at least 1\n");
        return exit_code::kUsage;
    }

    try {
        if (*run) return run_command(run_options);
        if (*disasm) return disasm_command(disasm_options);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "pc386: %s\n", e.what());
        return exit_code::kUsage;
    } catch (const ConfigError& e) {
        std::fprintf(stderr, "pc386: %s\n", e.what());
        return exit_code::kInput;
    } catch (const OutputError& e) {
        std::fprintf(stderr, "pc386: %s\n", e.what());
        return exit_code::kOutput;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "pc386: internal error: %s\n", e.what());
        return exit_code::kInternal;
    }
    return exit_code::kUsage;
}
