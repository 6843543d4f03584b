#include "devices/kbc8042.h"

#include <array>

#include "base/log.h"

namespace pc386 {
namespace {

spdlog::logger& logger() {
    return log::get("kbc");
}

constexpr uint8_t kAck = 0xFA;
constexpr uint8_t kResend = 0xFE;
constexpr uint8_t kLeftShift = 0x2A;

// US-layout set-1 make code for each printable ASCII character, with bit 7 meaning "with Shift".
constexpr std::array<uint8_t, 128> make_ascii_table() {
    std::array<uint8_t, 128> t{};
    constexpr uint8_t kShift = 0x80;
    const char* row_digits = "1234567890-=";
    const char* row_digits_shift = "!@#$%^&*()_+";
    for (int i = 0; i < 12; ++i) {
        t[static_cast<uint8_t>(row_digits[i])] = static_cast<uint8_t>(0x02 + i);
        t[static_cast<uint8_t>(row_digits_shift[i])] = static_cast<uint8_t>((0x02 + i) | kShift);
    }
    const char* row_q = "qwertyuiop[]";
    const char* row_q_shift = "QWERTYUIOP{}";
    for (int i = 0; i < 12; ++i) {
        t[static_cast<uint8_t>(row_q[i])] = static_cast<uint8_t>(0x10 + i);
        t[static_cast<uint8_t>(row_q_shift[i])] = static_cast<uint8_t>((0x10 + i) | kShift);
    }
    const char* row_a = "asdfghjkl;'`";
    const char* row_a_shift = "ASDFGHJKL:\"~";
    for (int i = 0; i < 12; ++i) {
        t[static_cast<uint8_t>(row_a[i])] = static_cast<uint8_t>(0x1E + i);
        t[static_cast<uint8_t>(row_a_shift[i])] = static_cast<uint8_t>((0x1E + i) | kShift);
    }
    t['\\'] = 0x2B;
    t['|'] = 0x2B | kShift;
    const char* row_z = "zxcvbnm,./";
    const char* row_z_shift = "ZXCVBNM<>?";
    for (int i = 0; i < 10; ++i) {
        t[static_cast<uint8_t>(row_z[i])] = static_cast<uint8_t>(0x2C + i);
        t[static_cast<uint8_t>(row_z_shift[i])] = static_cast<uint8_t>((0x2C + i) | kShift);
    }
    t[' '] = 0x39;
    t['\n'] = 0x1C;
    t['\r'] = 0x1C;
    t['\t'] = 0x0F;
    t['\b'] = 0x0E;
    t[0x1B] = 0x01;  // Escape
    return t;
}

constexpr std::array<uint8_t, 128> kAsciiToSet1 = make_ascii_table();

}  // namespace

void Kbc8042::map(IoBus& io) {
    io.map(kDataPort, kDataPort, this, false, "kbc-data");
    io.map(kCommandPort, kCommandPort, this, false, "kbc-command");
}

// Power-on: A20 enabled (as QEMU and Bochs start; the machine powers on with A20 on to match),
// reset line inactive, keyboard interrupt and translation on, the system flag clear until the
// BIOS runs the self test.
void Kbc8042::reset() {
    controller_queue_.clear();
    keyboard_queue_.clear();
    aux_queue_.clear();
    output_full_ = false;
    output_ = {0, Source::Controller};
    command_byte_ = kCmdKbdInterrupt | kCmdTranslate;
    output_port_ = 0xCF;  // bit 0 reset inactive, bit 1 A20 on, bits 2-3 and 6-7 idle high
    pending_command_ = 0;
    pending_kbd_command_ = 0;
    last_write_was_command_ = 0;
    leds_ = 0;
    scancode_set_ = 2;
    scanning_ = true;
    mouse_.reset();
    update_irq();
}

void Kbc8042::queue(uint8_t value, Source source) {
    switch (source) {
        case Source::Controller: controller_queue_.push_back({value, source}); break;
        case Source::Keyboard: keyboard_queue_.push_back({value, source}); break;
        case Source::Aux: aux_queue_.push_back({value, source}); break;
    }
    refill();
}

void Kbc8042::refill() {
    if (!output_full_) {
        if (!controller_queue_.empty()) {
            output_ = controller_queue_.front();
            controller_queue_.pop_front();
            output_full_ = true;
        } else if (!keyboard_queue_.empty() && !(command_byte_ & kCmdKbdDisabled)) {
            output_ = keyboard_queue_.front();
            keyboard_queue_.pop_front();
            output_full_ = true;
        } else if (!aux_queue_.empty() && !(command_byte_ & kCmdAuxDisabled)) {
            output_ = aux_queue_.front();
            aux_queue_.pop_front();
            output_full_ = true;
        }
    }
    update_irq();
}

void Kbc8042::update_irq() {
    const bool aux = output_.source == Source::Aux;
    const bool kbd_level = output_full_ && !aux && (command_byte_ & kCmdKbdInterrupt);
    const bool aux_level = output_full_ && aux && (command_byte_ & kCmdAuxInterrupt);
    if (kbd_level != kbd_irq_level_) {
        kbd_irq_level_ = kbd_level;
        irq_.set_irq(keyboard_irq_, kbd_level);
    }
    if (aux_level != aux_irq_level_) {
        aux_irq_level_ = aux_level;
        irq_.set_irq(aux_irq_, aux_level);
    }
}

uint32_t Kbc8042::port_read(uint16_t port, unsigned) {
    if (port == kCommandPort) {
        uint8_t status = kStatusUnlocked;
        if (output_full_) status |= kStatusOutputFull;
        if (output_full_ && output_.source == Source::Aux) status |= kStatusAuxData;
        if (command_byte_ & kCmdSystem) status |= kStatusSystem;
        if (last_write_was_command_) status |= kStatusCommand;
        return status;
    }
    const uint8_t value = output_.value;  // an empty buffer reads the last byte again
    if (output_full_) {
        output_full_ = false;
        update_irq();  // drop the line so the next byte makes a fresh edge
        refill();
    }
    return value;
}

void Kbc8042::port_write(uint16_t port, unsigned, uint32_t value) {
    const uint8_t byte = static_cast<uint8_t>(value);
    if (port == kCommandPort) {
        last_write_was_command_ = 1;
        pending_command_ = 0;
        controller_command(byte);
        return;
    }
    last_write_was_command_ = 0;
    if (pending_command_) {
        controller_data(byte);
    } else {
        keyboard_command(byte);
    }
}

void Kbc8042::controller_command(uint8_t command) {
    if (command >= 0x20 && command <= 0x3F) {  // read controller RAM (0x20: the command byte)
        queue(command == 0x20 ? command_byte_ : ram_[command & 0x1F], Source::Controller);
        return;
    }
    if ((command >= 0x60 && command <= 0x7F) || command == 0xD1 || command == 0xD2 || command == 0xD3 ||
        command == 0xD4) {
        pending_command_ = command;  // the data byte follows on port 0x60
        return;
    }
    if (command >= 0xF0) {  // pulse output port bits 0-3 low for those whose bit is 0
        if (!(command & 0x01) && on_reset_) on_reset_();
        return;
    }
    switch (command) {
        case 0xA4: queue(0xF1, Source::Controller); break;  // no password installed
        case 0xA7: command_byte_ |= kCmdAuxDisabled; break;
        case 0xA8:
            command_byte_ &= ~kCmdAuxDisabled;
            refill();
            break;
        case 0xA9: queue(0x00, Source::Controller); break;  // aux interface test: no error
        case 0xAA:                                          // self test
            command_byte_ |= kCmdSystem;
            queue(0x55, Source::Controller);
            break;
        case 0xAB: queue(0x00, Source::Controller); break;  // keyboard interface test: no error
        case 0xAD: command_byte_ |= kCmdKbdDisabled; break;
        case 0xAE:
            command_byte_ &= ~kCmdKbdDisabled;
            refill();
            break;
        case 0xC0: queue(0x80, Source::Controller); break;  // input port: keyboard not inhibited
        case 0xD0: {
            uint8_t out = output_port_ & 0xCF;
            if (output_full_ && output_.source != Source::Aux) out |= 0x10;
            if (output_full_ && output_.source == Source::Aux) out |= 0x20;
            queue(out, Source::Controller);
            break;
        }
        case 0xDD: write_output_port(output_port_ & ~0x02); break;  // A20 off (HP "fast A20")
        case 0xDF: write_output_port(output_port_ | 0x02); break;   // A20 on
        case 0xE0: queue(0x00, Source::Controller); break;          // test inputs
        default: logger().debug("unhandled 8042 command {:#04x}", command); break;
    }
}

void Kbc8042::controller_data(uint8_t value) {
    const uint8_t command = pending_command_;
    pending_command_ = 0;
    if (command >= 0x60 && command <= 0x7F) {
        if (command == 0x60) {
            command_byte_ = value;
            refill();  // interrupt enables and port disables may have changed
        } else {
            ram_[command & 0x1F] = value;
        }
        return;
    }
    switch (command) {
        case 0xD1: write_output_port(value); break;
        // The controller itself fills the buffer (so a disabled port does not hold the byte back),
        // marked as coming from that port: Linux's AUX loopback test checks the AUX status bit.
        case 0xD2:
            controller_queue_.push_back({value, Source::Keyboard});
            refill();
            break;
        case 0xD3:
            controller_queue_.push_back({value, Source::Aux});
            refill();
            break;
        case 0xD4:
            for (uint8_t b : mouse_.write(value)) queue(b, Source::Aux);
            break;
        default: break;
    }
}

void Kbc8042::write_output_port(uint8_t value) {
    const uint8_t old = output_port_;
    output_port_ = value | 0x01;  // the reset line is pulsed, not held
    if (((old ^ value) & 0x02) && on_a20_) on_a20_(value & 0x02);
    if (!(value & 0x01) && on_reset_) on_reset_();
}

void Kbc8042::keyboard_command(uint8_t value) {
    if (pending_kbd_command_) {
        const uint8_t command = pending_kbd_command_;
        pending_kbd_command_ = 0;
        switch (command) {
            case 0xED: leds_ = value & 7; break;
            case 0xF0:
                if (value == 0) {
                    queue(kAck, Source::Keyboard);
                    // With translation on, the controller translates the set number too.
                    static constexpr uint8_t kTranslated[4] = {0, 0x43, 0x41, 0x3F};
                    const uint8_t set = scancode_set_;
                    queue((command_byte_ & kCmdTranslate) ? kTranslated[set] : set, Source::Keyboard);
                    return;
                }
                if (value >= 1 && value <= 3) scancode_set_ = value;
                break;
            default: break;  // 0xF3 typematic rate: accepted
        }
        queue(kAck, Source::Keyboard);
        return;
    }
    switch (value) {
        case 0xED:
        case 0xF0:
        case 0xF3:
            pending_kbd_command_ = value;
            queue(kAck, Source::Keyboard);
            break;
        case 0xEE: queue(0xEE, Source::Keyboard); break;  // echo
        case 0xF2:                                        // identify: MF2 keyboard
            queue(kAck, Source::Keyboard);
            queue(0xAB, Source::Keyboard);
            queue((command_byte_ & kCmdTranslate) ? 0x41 : 0x83, Source::Keyboard);
            break;
        case 0xF4:
            scanning_ = true;
            queue(kAck, Source::Keyboard);
            break;
        case 0xF5:  // disable scanning and restore defaults
            scanning_ = false;
            queue(kAck, Source::Keyboard);
            break;
        case 0xF6:
            scanning_ = true;
            queue(kAck, Source::Keyboard);
            break;
        case 0xFF:  // reset: acknowledge, then the self-test passed code
            keyboard_queue_.clear();
            scanning_ = true;
            leds_ = 0;
            scancode_set_ = 2;
            queue(kAck, Source::Keyboard);
            queue(0xAA, Source::Keyboard);
            break;
        default:
            if (value >= 0xF7) {
                queue(kAck, Source::Keyboard);  // typematic/make-break modes, resend: accepted
            } else {
                queue(kResend, Source::Keyboard);  // not a keyboard command
            }
            break;
    }
}

void Kbc8042::press_key(uint8_t scancode) {
    if (!scanning_) return;
    queue(scancode, Source::Keyboard);
}

void Kbc8042::mouse_motion(int dx, int dy, uint8_t buttons) {
    for (uint8_t b : mouse_.motion(dx, dy, buttons)) queue(b, Source::Aux);
}

void Kbc8042::tap_key(uint8_t make_code) {
    press_key(make_code);
    press_key(static_cast<uint8_t>(make_code | 0x80));
}

size_t Kbc8042::type_text(std::string_view text) {
    size_t unmapped = 0;
    for (char ch : text) {
        const auto index = static_cast<unsigned char>(ch);
        const uint8_t entry = index < 128 ? kAsciiToSet1[index] : 0;
        if (entry == 0) {
            ++unmapped;
            continue;
        }
        const bool shift = entry & 0x80;
        const uint8_t make = entry & 0x7F;
        if (shift) press_key(kLeftShift);
        tap_key(make);
        if (shift) press_key(kLeftShift | 0x80);
    }
    return unmapped;
}

}  // namespace pc386

namespace pc386 {

void Kbc8042::transfer_state(StateArchive& ar) {
    ar.section("kbc");
    // A bound far above what is ever queued (a script may type a long text at once), so that a
    // damaged snapshot cannot ask for unbounded memory.
    constexpr size_t kMaxQueued = size_t{1} << 24;
    ar.fifo(controller_queue_, kMaxQueued);
    ar.fifo(keyboard_queue_, kMaxQueued);
    ar.fifo(aux_queue_, kMaxQueued);
    ar.field(output_full_);
    ar.field(output_);  // value and source: no bools
    for (uint8_t* r : {&command_byte_, &output_port_, &pending_command_, &pending_kbd_command_,
                       &last_write_was_command_, &leds_, &scancode_set_})
        ar.field(*r);
    ar.field(ram_);
    ar.field(scanning_);
    ar.field(kbd_irq_level_);
    ar.field(aux_irq_level_);
    mouse_.transfer_state(ar);
}

}  // namespace pc386
