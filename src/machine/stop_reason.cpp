#include "machine/stop_reason.h"

namespace pc386 {

const char* to_string(StopReason reason) {
    switch (reason) {
        case StopReason::None: return "running";
        case StopReason::GuestExit: return "guest exit";
        case StopReason::InstructionLimit: return "instruction limit";
        case StopReason::HostRequest: return "host request";
        case StopReason::Breakpoint: return "breakpoint";
        case StopReason::EventBreak: return "break on event";
        case StopReason::Hung: return "guest halted with no interrupt that could wake it";
    }
    return "?";
}

}  // namespace pc386
