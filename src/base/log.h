// One named spdlog logger per subsystem ("cpu", "mmu", "pic", "pit", "ide", "uart", "bios", ...).
// The command line sets levels; nothing logs per instruction unless tracing is on.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>

namespace pc386::log {

// The logger for `subsystem`, created on first use (stderr sink, shared by all loggers).
spdlog::logger& get(std::string_view subsystem);

// Sets the level of every logger (existing and future).
void set_level(spdlog::level::level_enum level);
// Sets the level of one subsystem (e.g. from --log cpu,ide => debug for those).
void set_level(std::string_view subsystem, spdlog::level::level_enum level);

// The subsystems the project defines (for --help and validation of --log).
const std::vector<std::string>& subsystems();

}  // namespace pc386::log
