// pc386: a 386 PC emulator. The command line is a thin shell around the machine: parse, validate,
// build the machine, run it, turn the outcome into an exit status.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>

#include "app/disasm_command.h"
#include "app/exit_codes.h"
#include "app/run_command.h"
#include "machine/machine_error.h"

int main(int argc, char** argv) {
    using namespace pc386;
    CLI::App app{"pc386: a full-system Intel 386 PC emulator with its own BIOS and guest OS.\n"
                 "Boots the built-in guest OS when run without an image.",
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

    // CLI11 reports a mistyped command as a missing one; name it instead.
    const std::string first = argc > 1 ? argv[1] : "";
    if (!first.empty() && first[0] != '-' &&
        app.get_subcommands([&](CLI::App* sub) { return sub->check_name(first); }).empty()) {
        std::fprintf(stderr, "pc386: unknown command '%s' (commands: run, disasm)\n", first.c_str());
        std::fprintf(stderr, "Run 'pc386 --help' for the options.\n");
        return exit_code::kUsage;
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "pc386: %s\n", e.what());
        std::fprintf(stderr, "Run 'pc386 --help' or 'pc386 run --help' for the options.\n");
        return exit_code::kUsage;
    }

    // 0 would mean "no limit" inside the machine: as an explicit --max-insns it is a mistake.
    const CLI::Option* max_insns = run->get_option("--max-insns");
    if (*run && max_insns->count() && !max_insns->results().empty() && !max_insns->results().front().empty() &&
        max_insns->results().front().front() == '-') {
        std::fprintf(stderr, "pc386: --max-insns %s: the instruction limit must be a positive number\n",
                     max_insns->results().front().c_str());
        return exit_code::kUsage;
    }
    if (*run && max_insns->count() && run_options.max_insns == 0) {
        std::fprintf(stderr, "pc386: --max-insns 0: the instruction limit must be at least 1\n");
        return exit_code::kUsage;
    }

    try {
        if (*run) return run_command(run_options);
        if (*disasm) return disasm_command(disasm_options);
    } catch (const ConfigError& e) {
        std::fprintf(stderr, "pc386: %s\n", e.what());
        return exit_code::kInput;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "pc386: internal error: %s\n", e.what());
        return exit_code::kInternal;
    }
    return exit_code::kUsage;
}
