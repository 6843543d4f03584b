// libFuzzer target: the command line, without booting. The input is the argument list (split at
// NUL bytes or newlines); it goes through what main() does before run_command builds the machine:
// QEMU spellings translated (translate_args), CLI11's parse of every run/disasm option, then the
// MachineConfig made and validated (make_config: values, files, sizes). Any outcome but a crash
// is fine: a UsageError or ConfigError is the one-line error the user would see.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "app/disasm_command.h"
#include "app/qemu_args.h"
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
    CLI::App app{"pc386", "pc386"};
    app.require_subcommand(1);
    app.fallthrough(false);
    RunOptions run_options;
    CLI::App* run = app.add_subcommand("run", "run");
    add_run_options(*run, run_options);
    DisasmOptions disasm_options;
    CLI::App* disasm = app.add_subcommand("disasm", "disasm");
    add_disasm_options(*disasm, disasm_options);
    try {
        std::vector<std::string> translated = translate_args(args, *run);
        std::vector<char*> argv{const_cast<char*>("pc386")};
        for (std::string& a : translated) argv.push_back(a.data());
        app.parse(static_cast<int>(argv.size()), argv.data());
        if (*run) make_config(run_options);
    } catch (const CLI::Error&) {
    } catch (const ConfigError&) {  // also UsageError
    }
    return 0;
}
