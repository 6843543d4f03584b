// The one shape every chip has: a name, a reset, and virtual time. Port and MMIO access come from
// PortHandler (base/io_bus.h) and MmioHandler (base/mmio.h); interrupts go out through an IrqSink.
#pragma once

#include "base/state_archive.h"
#include "base/virtual_time.h"

namespace pc386 {

class Device {
public:
    virtual ~Device() = default;
    virtual const char* name() const = 0;
    // Power-on / hardware reset state.
    virtual void reset() = 0;
    // Brings the device's state up to virtual time `now` (fires timers, raises IRQs due by then).
    virtual void advance(VirtualNs now) {}
    // The absolute time at which the device next needs advance(), or kNever. The machine runs the
    // CPU no further than the earliest of these before calling advance().
    virtual VirtualNs next_event() const { return kNever; }
    // Saves or loads (ar.loading()) every field the device's behaviour depends on, for a machine
    // snapshot taken at an instruction boundary. Wiring (IRQ sinks, callbacks, the clock) is not
    // state: the machine that loads has the same wiring.
    virtual void transfer_state(StateArchive& ar) = 0;
};

}  // namespace pc386
