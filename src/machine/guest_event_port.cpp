#include "machine/guest_event_port.h"

#include <cstring>
#include <string>

#include "guestos/abi/guest_events.h"
#include "mmu/physical_bus.h"

namespace pc386 {

void GuestEventPort::port_write(uint16_t port, unsigned size, uint32_t value) {
    if (port != kPort || size != 4 || !log_.on()) return;  // nobody listens: the OUT costs nothing more
    guest_event rec{};
    if (value >= bus_.ram_size() || bus_.ram_size() - value < sizeof rec) {
        ++rejected_;
        return;
    }
    std::memcpy(&rec, bus_.ram() + value, sizeof rec);
    if (rec.kind == 0 || rec.kind >= GEV_KIND_COUNT) {
        ++rejected_;
        return;
    }
    // GEV_* 1..22 are EventKind::ProcSwitch.. in the same order (event.h).
    const auto kind =
        static_cast<EventKind>(static_cast<unsigned>(EventKind::ProcSwitch) + rec.kind - GEV_SWITCH);
    if (kind == EventKind::Exec) {
        const size_t len = strnlen(rec.name, sizeof rec.name);
        std::string name(rec.name, len);
        for (char& c : name)
            if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) c = '?';
        log_.set_process_name(rec.a, std::move(name));
    }
    log_.record_for(rec.pid, kind, rec.a, rec.b, rec.c, rec.d);
}

}  // namespace pc386
