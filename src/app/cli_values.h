// Option values checked strictly, the way QEMU users write them: RAM sizes with M/G suffixes,
// whole numbers that do not wrap past 2^64, and paths that name a file.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace pc386 {

// "8", "8M", "8MB", "8MiB" (MiB), "1G", "1GB", "1GiB" (GiB), any case, as QEMU's -m takes them;
// nullopt for anything else, or past 2^32 MiB.
std::optional<uint32_t> parse_mem_mib(const std::string& text);

// A whole number, decimal or 0x hex, below 2^64; nullopt for anything else ("-5", "1e3", "2^64").
std::optional<uint64_t> parse_whole_number(const std::string& text);

// CLI11 validators built on those: MemSize rewrites the value to plain MiB for the range check.
CLI::Validator mem_size_validator();
CLI::Validator whole_number_validator();
CLI::Validator non_empty_path_validator();

}  // namespace pc386
