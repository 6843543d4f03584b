// One Intel 8259A programmable interrupt controller: eight request inputs, the IRR/ISR/IMR
// registers, ICW1-4 initialisation, OCW1-3 operation commands, fully nested priorities with
// rotation, edge or level triggering, auto-EOI, special mask mode and the poll command.
// It knows nothing about ports or the CPU: PicPair decodes the ports and runs the INTA cycle.
#pragma once

#include <cstdint>

#include "base/state_archive.h"

namespace pc386 {

class Pic8259 {
  public:
    // Power-on state: not initialised, vector base 0, everything clear.
    void reset();
    void transfer_state(StateArchive& ar);

    // A command/data register access; `a0` is address line 0 (port 0x20 -> false, 0x21 -> true).
    void write(bool a0, uint8_t value);
    uint8_t read(bool a0);

    // Drives request input `line` (0-7). In edge mode a low-to-high transition latches IRR; a
    // request that goes low before it is acknowledged is withdrawn (as on the real chip, whose IRR
    // latch follows the input until INTA).
    void set_input(unsigned line, bool level);

    // The INT output: a pending unmasked request outranks everything in service.
    bool int_output() const { return highest_request() >= 0; }

    // The first INTA pulse: the line being acknowledged (moved from IRR to ISR, or cleared right
    // away in auto-EOI mode), or -1 when the request vanished (the caller then reports IRQ 7).
    int acknowledge();
    // Vector the chip puts on the bus for `line` (ICW2 base + line).
    uint8_t vector(unsigned line) const { return static_cast<uint8_t>(vector_base_ | (line & 7)); }

    // ICW3 as the master sees it: the inputs that have a slave behind them (0 in single mode).
    uint8_t slave_inputs() const { return single_ ? 0 : icw3_; }

    // Register views for tests and the debugger.
    uint8_t irr() const { return irr_; }
    uint8_t isr() const { return isr_; }
    uint8_t imr() const { return imr_; }
    uint8_t vector_base() const { return vector_base_; }
    bool auto_eoi() const { return auto_eoi_; }

  private:
    int highest_request() const;
    // Rank of `line` under the current rotation: 0 is the highest priority.
    unsigned rank(unsigned line) const { return (line - lowest_priority_ - 1) & 7; }
    void non_specific_eoi(bool rotate);
    void specific_eoi(unsigned line, bool rotate);
    void write_command(uint8_t value);
    void write_data(uint8_t value);

    uint8_t irr_ = 0, isr_ = 0, imr_ = 0;
    uint8_t levels_ = 0;  // current input pin levels
    uint8_t vector_base_ = 0;
    uint8_t icw3_ = 0;
    unsigned lowest_priority_ = 7;  // rotation: the line with the lowest priority
    unsigned init_step_ = 0;        // 0 = operational, else the ICW expected next (2, 3, 4)
    bool need_icw4_ = false;
    bool single_ = false;
    bool level_triggered_ = false;
    bool auto_eoi_ = false;
    bool rotate_on_auto_eoi_ = false;
    bool special_mask_ = false;
    bool read_isr_ = false;      // OCW3 RR/RIS: what a read of A0=0 returns
    bool poll_pending_ = false;  // OCW3 P: the next A0=0 read is a poll
};

}  // namespace pc386
