// The AT keyboard controller (Intel 8042) with a PS/2 keyboard behind it: data port 0x60, status
// and command port 0x64. Implements the controller commands PC BIOSes and Linux use (command byte,
// self and interface tests, output port with the A20 gate and the reset line, pulse reset 0xFE)
// and the keyboard's commands (reset, LEDs, scanning, identify, scancode set, typematic). Keys
// from the host arrive as scancode set 1 bytes (what the controller delivers with translation on);
// they raise IRQ 1 while the command byte enables it. A20 and reset reach the machine through
// callbacks. A PS/2 mouse (ps2_mouse.h) sits on the auxiliary port: command 0xD4 hands it a byte,
// its answers (and motion packets) come back with the status register's AUX bit and raise IRQ 12
// while the command byte enables it; 0xA7/0xA8 disable and enable the port, 0xA9 tests it.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string_view>

#include "base/interrupt_line.h"
#include "base/io_bus.h"
#include "devices/device.h"
#include "devices/ps2_mouse.h"

namespace pc386 {

class Kbc8042 : public Device, public PortHandler {
  public:
    static constexpr uint16_t kDataPort = 0x60;
    static constexpr uint16_t kCommandPort = 0x64;
    static constexpr unsigned kKeyboardIrq = 1;
    static constexpr unsigned kAuxIrq = 12;

    // Status register bits.
    static constexpr uint8_t kStatusOutputFull = 0x01, kStatusInputFull = 0x02, kStatusSystem = 0x04,
                             kStatusCommand = 0x08, kStatusUnlocked = 0x10, kStatusAuxData = 0x20;
    // Command byte bits.
    static constexpr uint8_t kCmdKbdInterrupt = 0x01, kCmdAuxInterrupt = 0x02, kCmdSystem = 0x04,
                             kCmdKbdDisabled = 0x10, kCmdAuxDisabled = 0x20, kCmdTranslate = 0x40;

    // The keyboard and AUX ports' IRQ lines (1 and 12 on a PC; the machine says so).
    explicit Kbc8042(IrqSink& irq, unsigned keyboard_irq = kKeyboardIrq, unsigned aux_irq = kAuxIrq)
        : irq_(irq), keyboard_irq_(keyboard_irq), aux_irq_(aux_irq) {
        reset();
    }

    // Claims 0x60 and 0x64.
    void map(IoBus& io);
    // The output port's A20 line changed (true = enabled).
    void set_a20_callback(std::function<void(bool)> callback) { on_a20_ = std::move(callback); }
    // The controller pulsed the CPU's reset line (0xFE, or output port bit 0 written low).
    void set_reset_callback(std::function<void()> callback) { on_reset_ = std::move(callback); }

    const char* name() const override { return "kbc"; }
    void reset() override;
    void transfer_state(StateArchive& ar) override;

    uint32_t port_read(uint16_t port, unsigned size) override;
    void port_write(uint16_t port, unsigned size, uint32_t value) override;

    // Host input. press_key queues one set-1 byte (a make code, a break code = make | 0x80, or the
    // 0xE0 prefix); tap_key queues make then break; type_text converts ASCII (letters, digits,
    // punctuation, '\n', '\t', '\b', ESC) to make/break sequences with Shift as needed and returns
    // the number of characters it could not map (they are skipped). Keys are dropped while the
    // keyboard has scanning disabled.
    void press_key(uint8_t scancode);
    void tap_key(uint8_t make_code);
    size_t type_text(std::string_view text);
    // Host mouse motion (see Ps2Mouse::motion): a packet on the aux port while the mouse reports.
    void mouse_motion(int dx, int dy, uint8_t buttons);

    // State views for tests and the debugger.
    uint8_t command_byte() const { return command_byte_; }
    uint8_t output_port() const { return output_port_; }
    bool a20() const { return output_port_ & 0x02; }
    uint8_t leds() const { return leds_; }
    bool scanning() const { return scanning_; }
    const Ps2Mouse& mouse() const { return mouse_; }

  private:
    enum class Source : uint8_t { Controller, Keyboard, Aux };
    struct Byte {
        uint8_t value;
        Source source;
    };

    void controller_command(uint8_t command);
    void controller_data(uint8_t value);
    void keyboard_command(uint8_t value);
    void write_output_port(uint8_t value);
    void queue(uint8_t value, Source source);
    // Moves the next byte into the output buffer when it is empty, and updates IRQ 1/12.
    void refill();
    void update_irq();

    IrqSink& irq_;
    unsigned keyboard_irq_, aux_irq_;
    std::function<void(bool)> on_a20_;
    std::function<void()> on_reset_;
    std::deque<Byte> controller_queue_, keyboard_queue_, aux_queue_;
    bool output_full_ = false;
    Byte output_{0, Source::Controller};
    uint8_t command_byte_ = 0;
    uint8_t output_port_ = 0;
    uint8_t pending_command_ = 0;      // controller command waiting for its data byte
    uint8_t pending_kbd_command_ = 0;  // keyboard command waiting for its argument
    uint8_t last_write_was_command_ = 0;
    uint8_t ram_[32] = {};
    uint8_t leds_ = 0;
    uint8_t scancode_set_ = 2;
    bool scanning_ = true;
    bool kbd_irq_level_ = false, aux_irq_level_ = false;
    Ps2Mouse mouse_;
};

}  // namespace pc386
