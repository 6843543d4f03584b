// pc386: a 386 PC emulator. The command line is a thin shell around the machine: parse, validate,
// build the machine, run it, turn the outcome into an exit status.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "app/command_line.h"
#include "app/exit_codes.h"
#include "base/quote.h"
#include "machine/machine_error.h"

int main(int argc, char** argv) {
    using namespace pc386;
    CommandLine command_line;
    try {
        command_line.parse(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const CLI::CallForHelp& e) {
        return command_line.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return command_line.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return command_line.exit(e);
    } catch (const CLI::ParseError& e) {
        // CLI11 repeats what was typed: keep it one short printable line.
        std::fprintf(stderr, "pc386: %s (see 'pc386 run --help')\n", printable(e.what(), 400).c_str());
        return exit_code::kUsage;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "pc386: %s\n", e.what());
        return exit_code::kUsage;
    }

    try {
        if (command_line.run_chosen()) return run_command(command_line.run_options());
        if (command_line.disasm_chosen()) return disasm_command(command_line.disasm_options());
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
