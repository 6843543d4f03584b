#include "base/log.h"

#include <map>
#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace pc386::log {
namespace {

struct Registry {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<spdlog::logger>, std::less<>> loggers;
    std::map<std::string, spdlog::level::level_enum, std::less<>> overrides;
    spdlog::level::level_enum level = spdlog::level::warn;
    spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
};

Registry& registry() {
    static Registry r;
    return r;
}

}  // namespace

spdlog::logger& get(std::string_view subsystem) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    auto it = r.loggers.find(subsystem);
    if (it != r.loggers.end()) return *it->second;
    auto logger = std::make_shared<spdlog::logger>(std::string(subsystem), r.sink);
    logger->set_pattern("[%n] %l: %v");
    auto o = r.overrides.find(subsystem);
    logger->set_level(o != r.overrides.end() ? o->second : r.level);
    return *r.loggers.emplace(std::string(subsystem), std::move(logger)).first->second;
}

void set_level(spdlog::level::level_enum level) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    r.level = level;
    r.overrides.clear();
    for (auto& [name, logger] : r.loggers) logger->set_level(level);
}

void set_level(std::string_view subsystem, spdlog::level::level_enum level) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    r.overrides[std::string(subsystem)] = level;
    auto it = r.loggers.find(subsystem);
    if (it != r.loggers.end()) it->second->set_level(level);
}

const std::vector<std::string>& subsystems() {
    static const std::vector<std::string> names = {
        "machine", "cpu",  "mmu",      "pic",    "pit",  "cmos", "kbc",   "uart",   "ide",   "fdc",
        "vga",     "bios", "debugcon", "port92", "post", "ui",   "debug", "script", "events"};
    return names;
}

}  // namespace pc386::log
