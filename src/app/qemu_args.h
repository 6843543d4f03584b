// The command line a QEMU user types: `pc386` alone or `pc386 IMAGE ...` means `pc386 run ...`,
// and QEMU's single-dash spellings of the common options (-hda, -m 8, -display none, ...) are
// rewritten to pc386's own before CLI11 parses them (CLI11 would read -hda as -h -d -a: help).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace pc386 {

// `args` without argv[0]; `run` is the run command, asked which long options take a value (so a
// value such as `--trace -out` is never rewritten). Throws UsageError, with a hint, for a QEMU
// option pc386 does not have and for a word that is neither a command nor an image.
std::vector<std::string> translate_args(const std::vector<std::string>& args, const CLI::App& run);

}  // namespace pc386
