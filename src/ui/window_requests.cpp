#include "ui/window_requests.h"

#include <fmt/format.h>

#include "machine/machine.h"
#include "mmu/mmu.h"
#include "ui/machine_snapshot.h"
#include "ui/timeline.h"

namespace pc386 {

WindowRequests::WindowRequests(Machine& machine) : machine_(machine) {}

WindowRequests::~WindowRequests() {
    set_heat(false);
}

void WindowRequests::set_heat(bool on) {
    if (on == (heat_ != nullptr)) return;
    if (!on) {
        machine_.mmu().set_access_heat(nullptr);
        heat_.reset();
        return;
    }
    heat_ = std::make_unique<AccessHeat>(uint32_t(machine_.config().mem_mb * 256u));
    machine_.mmu().set_access_heat(heat_.get());
}

bool WindowRequests::request(const WindowCommand& command, const std::optional<Event>& event,
                             std::string& why) {
    if (!check(command, event, why)) return false;
    entries_.push_back({command, event});
    if (command.kind == WindowCommand::Kind::Heat) set_heat(command.on);  // counting starts now
    return true;
}

void WindowRequests::request_at_start(const WindowCommand& command) {
    entries_.push_back({command, std::nullopt});
    if (command.kind == WindowCommand::Kind::Heat) set_heat(command.on);
    if (command.kind == WindowCommand::Kind::SelectPid) selected_pid_ = command.value;
}

// Selections must name something that is there now; the view's other requests always can be met.
bool WindowRequests::check(const WindowCommand& command, const std::optional<Event>& event,
                           std::string& why) {
    using Kind = WindowCommand::Kind;
    if (command.kind != Kind::SelectPid && command.kind != Kind::SelectFrame &&
        command.kind != Kind::SelectPage && command.kind != Kind::SelectEvent)
        return true;
    MachineSnapshot snapshot(machine_);
    MemoryView memory;
    std::vector<CounterValue> guest_counters;
    snapshot.read_memory(memory, guest_counters);
    auto listed = [&](uint32_t pid) {
        for (const ProcessView& p : memory.processes)
            if (p.pid == pid) return true;
        return false;
    };
    switch (command.kind) {
        case Kind::SelectPid: {
            if (listed(command.value)) break;
            std::string pids;
            for (const ProcessView& p : memory.processes) pids += fmt::format(" {} {}", p.pid, p.name);
            why = memory.processes.empty() ? "the guest publishes no process list"
                                           : fmt::format("no process {} (listed:{})", command.value, pids);
            return false;
        }
        case Kind::SelectFrame:
            if (command.value < memory.frames.size()) return true;
            why = fmt::format("no frame {} (RAM has frames 0..{})", command.value, memory.frames.size() - 1);
            return false;
        case Kind::SelectPage: {
            const AddressSpaceView space = snapshot.address_space(memory, selected_pid_);
            const uint32_t page = command.value & 0xFFFFF000u;
            for (const VmRun& run : space.runs)
                if (run.kind == VmRun::Kind::Present && page >= run.linear &&
                    uint64_t(page) < uint64_t(run.linear) + uint64_t(run.pages) * 4096u)
                    return true;
            why = fmt::format("no present page at {:08x} in the address space of {}", page, space.owner);
            return false;
        }
        case Kind::SelectEvent:
            if (!event) {
                why = "no event to select";
                return false;
            }
            if (auto pid = event_subject(*event).pid; pid && listed(*pid)) selected_pid_ = pid;
            return true;
        default: return true;
    }
    selected_pid_ = command.value;  // SelectPid
    return true;
}

}  // namespace pc386
