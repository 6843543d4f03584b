#include "devices/pic8259.h"

namespace pc386 {

void Pic8259::reset() {
    *this = Pic8259{};
}

void Pic8259::set_input(unsigned line, bool level) {
    const uint8_t mask = static_cast<uint8_t>(1u << (line & 7));
    const bool was = levels_ & mask;
    if (level) {
        levels_ |= mask;
        if (level_triggered_ || !was) irr_ |= mask;
    } else {
        levels_ &= ~mask;
        irr_ &= ~mask;  // the request vanished before INTA
    }
}

// Highest-priority pending unmasked request that outranks every in-service line, or -1. In
// special mask mode the ISR blocks nothing: every unmasked level not in service is enabled.
int Pic8259::highest_request() const {
    uint8_t pending = irr_ & ~imr_;
    if (special_mask_) pending &= ~isr_;
    if (!pending) return -1;
    const uint8_t blocking = special_mask_ ? 0 : isr_;
    for (unsigned r = 0; r < 8; ++r) {
        const unsigned line = (lowest_priority_ + 1 + r) & 7;
        if (blocking & (1u << line)) return -1;
        if (pending & (1u << line)) return static_cast<int>(line);
    }
    return -1;
}

int Pic8259::acknowledge() {
    const int line = highest_request();
    if (line < 0) return -1;
    const uint8_t mask = static_cast<uint8_t>(1u << line);
    if (!level_triggered_) irr_ &= ~mask;
    if (auto_eoi_) {
        if (rotate_on_auto_eoi_) lowest_priority_ = static_cast<unsigned>(line);
    } else {
        isr_ |= mask;
    }
    return line;
}

void Pic8259::non_specific_eoi(bool rotate) {
    // The highest-priority line in service is the one being finished.
    for (unsigned r = 0; r < 8; ++r) {
        const unsigned line = (lowest_priority_ + 1 + r) & 7;
        if (isr_ & (1u << line)) {
            specific_eoi(line, rotate);
            return;
        }
    }
}

void Pic8259::specific_eoi(unsigned line, bool rotate) {
    isr_ &= ~(1u << line);
    if (rotate) lowest_priority_ = line;
}

void Pic8259::write(bool a0, uint8_t value) {
    if (a0)
        write_data(value);
    else
        write_command(value);
}

void Pic8259::write_command(uint8_t value) {
    if (value & 0x10) {  // ICW1: restart initialisation
        irr_ = isr_ = imr_ = 0;
        levels_ = 0;  // the edge detector is reset: a line must go low and high again
        lowest_priority_ = 7;
        special_mask_ = false;
        read_isr_ = false;
        poll_pending_ = false;
        auto_eoi_ = false;
        rotate_on_auto_eoi_ = false;
        need_icw4_ = value & 0x01;
        single_ = value & 0x02;
        level_triggered_ = value & 0x08;
        init_step_ = 2;
        return;
    }
    if (value & 0x08) {  // OCW3
        if (value & 0x04) poll_pending_ = true;
        if ((value & 0x02)) read_isr_ = value & 0x01;
        if (value & 0x40) special_mask_ = value & 0x20;
        return;
    }
    // OCW2: R SL EOI in bits 7-5, level in bits 2-0.
    const unsigned level = value & 7;
    switch (value >> 5) {
        case 1: non_specific_eoi(false); break;
        case 3: specific_eoi(level, false); break;
        case 5: non_specific_eoi(true); break;
        case 7: specific_eoi(level, true); break;
        case 4: rotate_on_auto_eoi_ = true; break;
        case 0: rotate_on_auto_eoi_ = false; break;
        case 6: lowest_priority_ = level; break;
        default: break;  // 2: no operation
    }
}

void Pic8259::write_data(uint8_t value) {
    switch (init_step_) {
        case 2:
            vector_base_ = value & 0xF8;
            init_step_ = single_ ? (need_icw4_ ? 4 : 0) : 3;
            return;
        case 3:
            icw3_ = value;
            init_step_ = need_icw4_ ? 4 : 0;
            return;
        case 4:
            auto_eoi_ = value & 0x02;
            init_step_ = 0;
            return;
        default: imr_ = value; return;  // OCW1
    }
}

uint8_t Pic8259::read(bool a0) {
    if (poll_pending_) {
        // Poll: acknowledge like INTA and report "interrupt, level" in one byte.
        poll_pending_ = false;
        const int line = acknowledge();
        return line < 0 ? 0x00 : static_cast<uint8_t>(0x80 | line);
    }
    if (a0) return imr_;
    return read_isr_ ? isr_ : irr_;
}

}  // namespace pc386

namespace pc386 {

void Pic8259::transfer_state(StateArchive& ar) {
    for (uint8_t* r : {&irr_, &isr_, &imr_, &levels_, &vector_base_, &icw3_}) ar.field(*r);
    ar.field(lowest_priority_);
    ar.field(init_step_);
    for (bool* b : {&need_icw4_, &single_, &level_triggered_, &auto_eoi_, &rotate_on_auto_eoi_, &special_mask_,
                    &read_isr_, &poll_pending_})
        ar.field(*b);
}

}  // namespace pc386
