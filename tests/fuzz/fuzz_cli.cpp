// libFuzzer target: the command line, without booting. The input is the argument list (split at
// NUL bytes or newlines); it goes through what main() does before run_command builds the machine:
// the one CommandLine (QEMU spellings translated, CLI11's parse of every run/disasm option), then
// the MachineConfig made and validated (make_config: values, files, sizes). Any outcome but a crash
// is fine: a UsageError or ConfigError is the one-line error the user would see.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "app/command_line.h"
#include "app/run_command.h"
#include "base/log.h"
#include "machine/machine_error.h"

using namespace pc386;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    log::set_level(spdlog::level::off);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 4096) return 0;
    std::vector<std::string> args(1);
    for (size_t i = 0; i < size; ++i) {
        if (data[i] == 0 || data[i] == '\n') {
            if (args.size() == 32) break;
            args.emplace_back();
        } else {
            args.back() += static_cast<char>(data[i]);
        }
    }
    try {
        CommandLine command_line;
        command_line.parse(args);
        if (command_line.run_chosen()) make_config(command_line.run_options());
    } catch (const CLI::Error&) {
    } catch (const ConfigError&) {  // also UsageError
    }
    return 0;
}
