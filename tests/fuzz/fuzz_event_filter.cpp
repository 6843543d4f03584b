// libFuzzer target: the event filter parser (EventFilter::parse, --events-filter, --break-on, a
// script's wait-event). A filter that parses must match events without trouble.
#include <cstdint>
#include <string>

#include "base/event.h"
#include "base/event_filter.h"

using namespace pc386;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::string why;
    const auto filter = EventFilter::parse(text, why);
    if (!filter) {
        if (why.empty()) __builtin_trap();  // a rejected filter says why
        return 0;
    }
    Event e{};
    for (unsigned kind = 0; kind < kEventKindCount; ++kind) {
        e.kind = static_cast<EventKind>(kind);
        e.a = e.b = e.c = kind * 0x01010101u;
        (void)filter->matches(e);
    }
    return 0;
}
