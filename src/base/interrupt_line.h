// The wires between interrupt sources, the interrupt controller and the CPU.
#pragma once

#include <cstdint>

namespace pc386 {

// What a device sees: numbered IRQ lines (0-15 on a PC) it can raise and lower. The PIC pair
// implements it; devices never see the CPU.
class IrqSink {
  public:
    virtual ~IrqSink() = default;
    virtual void set_irq(unsigned line, bool level) = 0;
    void raise(unsigned line) { set_irq(line, true); }
    void lower(unsigned line) { set_irq(line, false); }
};

// What the CPU sees: the INTR pin and the interrupt-acknowledge cycle. `intr` and `nmi` are plain
// fields the controller keeps up to date; after changing them it calls lines_changed(), which
// raises the flag the CPU tests once per instruction (set by watch_lines), so the CPU looks at the
// lines at its next instruction boundary and not at every one.
class InterruptController {
  public:
    virtual ~InterruptController() = default;
    // Called by the CPU when it accepts INTR (IF=1): returns the vector and updates ISR/IRR.
    virtual uint8_t acknowledge() = 0;
    bool intr = false;                 // INTR pin level
    bool nmi = false;                  // NMI edge latched, cleared by the CPU when it takes it
    uint8_t acknowledged_line = 0xFF;  // the IRQ line of the last acknowledge() (for the event stream)

    // The CPU's attention flag (nullptr: none).
    void watch_lines(bool* attention) { attention_ = attention; }
    void lines_changed() {
        if (attention_ && (intr || nmi)) *attention_ = true;
    }

  private:
    bool* attention_ = nullptr;
};

}  // namespace pc386
