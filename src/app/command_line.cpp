#include "app/command_line.h"

#include "app/qemu_args.h"
#include "machine/machine_error.h"

namespace pc386 {

CommandLine::CommandLine()
    : app_{
          "pc386: a full-system Intel 386 PC emulator with its own BIOS and guest OS.\n"
          "Without a command, runs 'pc386 run': 'pc386' alone boots the built-in guest OS, "
          "'pc386 IMAGE' boots IMAGE.",
          "pc386"} {
    app_.set_version_flag("--version", "pc386 " PC386_VERSION);
    app_.require_subcommand(1);
    app_.fallthrough(false);
    run_ = app_.add_subcommand("run", "Boot a disk image (default: the built-in guest OS)");
    add_run_options(*run_, run_options_);
    disasm_ = app_.add_subcommand("disasm", "Disassemble a file, or guest memory after running a while");
    add_disasm_options(*disasm_, disasm_options_);
}

void CommandLine::parse(const std::vector<std::string>& args) {
    // `run` by default, QEMU's spellings translated: what the user typed, as CLI11 reads it.
    std::vector<std::string> translated = translate_args(args, *run_);
    std::vector<char*> argv{const_cast<char*>("pc386")};
    for (std::string& arg : translated) argv.push_back(arg.data());
    app_.parse(static_cast<int>(argv.size()), argv.data());
    // 0 would mean "no limit" inside the machine: as an explicit --max-insns it is a mistake.
    if (run_chosen() && run_->get_option("--max-insns")->count() && run_options_.max_insns == 0)
        throw UsageError("--max-insns 0: the instruction limit must be at least 1");
}

}  // namespace pc386
