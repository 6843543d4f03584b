#include "devices/pit8254.h"

#include <algorithm>
#include <limits>

namespace pc386 {
namespace {

constexpr uint64_t kNoTick = std::numeric_limits<uint64_t>::max();
constexpr VirtualNs kRefreshHalfPeriodNs = 15085;  // the 0x61 bit 4 toggle (66 kHz refresh)

uint16_t to_bcd(uint32_t value) {
    value %= 10000;
    return static_cast<uint16_t>((value % 10) | ((value / 10 % 10) << 4) | ((value / 100 % 10) << 8) |
                                 ((value / 1000) << 12));
}

uint32_t from_bcd(uint16_t value) {
    return (value & 0xF) + ((value >> 4) & 0xF) * 10 + ((value >> 8) & 0xF) * 100 +
           ((value >> 12) & 0xF) * 1000;
}

}  // namespace

uint64_t Pit8254::ticks(VirtualNs ns) {
    return static_cast<uint64_t>(static_cast<unsigned __int128>(ns) * kHz / 1'000'000'000u);
}

VirtualNs Pit8254::ns_at(uint64_t tick) {
    const unsigned __int128 ns = (static_cast<unsigned __int128>(tick) * 1'000'000'000u + kHz - 1) / kHz;
    return ns >= kNever ? kNever - 1 : static_cast<VirtualNs>(ns);
}

void Pit8254::map(IoBus& io) {
    io.map(kPorts, kPorts + 3, this, false, "pit");
    io.map(kSystemControlPort, kSystemControlPort, this, false, "pit-port61");
}

void Pit8254::reset() {
    channels_ = {};
    for (Channel& c : channels_) c.initial_out = false;
    speaker_data_ = false;
    port61_low_ = 0;
    last_tick_ = ticks(now_);
    if (irq_level_) irq_.set_irq(irq_line_, false);
    irq_level_ = false;
}

bool Pit8254::out_at(const Channel& c, uint64_t tick) const {
    if (!c.armed) return c.initial_out;
    const uint64_t n = c.reload;
    const uint64_t d = elapsed(c, tick);
    switch (c.mode) {
        case 0:
        case 1: return d >= n;
        case 2: return !c.gate || n < 2 || d % n != n - 1;
        case 3: return !c.gate || d % n < (n + 1) / 2;
        default: return d != n;  // modes 4 and 5: one clock low when the count expires
    }
}

uint16_t Pit8254::count_at(const Channel& c, uint64_t tick) const {
    uint64_t value;
    if (!c.armed) {
        value = c.reload;
    } else {
        const uint64_t n = c.reload;
        const uint64_t d = elapsed(c, tick);
        switch (c.mode) {
            case 2: value = n - d % n; break;
            case 3: value = n - (2 * d) % n; break;
            default: value = (n - d) & 0xFFFF; break;  // one-shots wrap and keep counting
        }
    }
    return c.bcd ? to_bcd(static_cast<uint32_t>(value)) : static_cast<uint16_t>(value);
}

uint64_t Pit8254::next_transition(const Channel& c, uint64_t tick) const {
    if (!c.armed || c.paused) return kNoTick;
    const uint64_t n = c.reload;
    const uint64_t d = elapsed(c, tick);
    const uint64_t period_start = c.start + d / n * n;
    switch (c.mode) {
        case 0:
        case 1: return d < n ? c.start + n : kNoTick;
        case 2:
            if (!c.gate) return kNoTick;
            return d % n < n - 1 ? period_start + n - 1 : period_start + n;
        case 3:
            if (!c.gate) return kNoTick;
            return d % n < (n + 1) / 2 ? period_start + (n + 1) / 2 : period_start + n;
        default:
            if (d < n) return c.start + n;
            return d == n ? c.start + n + 1 : kNoTick;
    }
}

// Rising edges of the output in the tick interval (from, to].
uint64_t Pit8254::rising_edges(const Channel& c, uint64_t from, uint64_t to) const {
    if (!c.armed || c.paused || to <= from) return 0;
    const uint64_t n = c.reload;
    auto in_window = [&](uint64_t t) { return from < t && t <= to; };
    switch (c.mode) {
        case 0:
        case 1: return in_window(c.start + n) ? 1 : 0;
        case 2:
        case 3: {
            if (!c.gate) return 0;
            auto periods = [&](uint64_t t) { return t > c.start ? (t - c.start) / n : 0; };
            return periods(to) - periods(from);
        }
        default: return in_window(c.start + n + 1) ? 1 : 0;
    }
}

void Pit8254::advance(VirtualNs now) {
    if (now < now_) return;
    now_ = now;
    const uint64_t tick = ticks(now);
    const Channel& c0 = channels_[0];
    const uint64_t edges = rising_edges(c0, last_tick_, tick);
    last_tick_ = tick;
    if (edges > 0) {
        // Pulse so that the PIC latches a fresh edge. The line stays high until the next
        // advance even if the output already fell again, so a late advance loses no tick.
        if (irq_level_) irq_.set_irq(irq_line_, false);
        irq_.set_irq(irq_line_, true);
        irq_level_ = true;
        return;
    }
    update_irq_line(tick);
}

// Channel 0's transitions drive IRQ 0; channel 2's are included so that a guest polling its
// output in port 0x61 sees it change on time even when the machine's clock only moves between
// device events.
VirtualNs Pit8254::next_event() const {
    const uint64_t t =
        std::min(next_transition(channels_[0], last_tick_), next_transition(channels_[2], last_tick_));
    return t == kNoTick ? kNever : ns_at(t);
}

void Pit8254::update_irq_line(uint64_t tick) {
    const bool level = out_at(channels_[0], tick);
    if (level != irq_level_) {
        irq_level_ = level;
        irq_.set_irq(irq_line_, level);
    }
}

void Pit8254::sync() {
    if (clock_) advance(clock_->now());
}

void Pit8254::set_gate(unsigned channel, bool level) {
    sync();
    Channel& c = channels_[channel];
    if (c.gate == level) return;
    const uint64_t tick = ticks(current_time());
    c.gate = level;
    switch (c.mode) {
        case 1:
        case 5:
            if (level && c.has_count) {  // trigger: (re)start the one-shot
                c.armed = true;
                c.start = tick;
                c.null_count = false;
            }
            break;
        case 2:
        case 3:
            if (c.armed) {  // low: stop with the output high; high: reload and restart
                c.paused = !level;
                c.paused_elapsed = 0;
                c.start = tick;
            }
            break;
        default:  // modes 0 and 4: the gate suspends counting
            if (c.armed) {
                if (!level) {
                    c.paused_elapsed = elapsed(c, tick);
                    c.paused = true;
                } else {
                    c.start = tick - c.paused_elapsed;
                    c.paused = false;
                }
            }
            break;
    }
    if (channel == 0) update_irq_line(tick);
}

void Pit8254::latch_count(Channel& c, uint64_t tick) {
    if (c.count_latched) return;  // a second latch before the read is ignored
    c.latched_count = count_at(c, tick);
    c.count_latched = true;
}

void Pit8254::write_control(uint8_t value) {
    const uint64_t tick = ticks(current_time());
    const unsigned select = value >> 6;
    if (select == 3) {  // read-back: bit 5 low latches counts, bit 4 low latches status
        for (unsigned i = 0; i < 3; ++i) {
            if (!(value & (2u << i))) continue;
            Channel& c = channels_[i];
            if (!(value & 0x20)) latch_count(c, tick);
            if (!(value & 0x10) && !c.status_latched) {
                c.latched_status =
                    static_cast<uint8_t>((out_at(c, tick) ? 0x80 : 0) | (c.null_count ? 0x40 : 0) |
                                         (c.access << 4) | (c.mode << 1) | (c.bcd ? 1 : 0));
                c.status_latched = true;
            }
        }
        return;
    }
    Channel& c = channels_[select];
    const unsigned access = (value >> 4) & 3;
    if (access == 0) {
        latch_count(c, tick);
        return;
    }
    uint8_t mode = (value >> 1) & 7;
    if (mode >= 6) mode -= 4;  // 6 and 7 are aliases of 2 and 3
    const bool gate = c.gate;
    c = Channel{};
    c.gate = gate;
    c.mode = mode;
    c.access = static_cast<uint8_t>(access);
    c.bcd = value & 1;
    c.initial_out = mode != 0;
    if (select == 0) update_irq_line(tick);
}

void Pit8254::load(unsigned index, uint16_t raw) {
    Channel& c = channels_[index];
    const uint64_t tick = ticks(current_time());
    uint32_t n = c.bcd ? from_bcd(raw) : raw;
    if (n == 0) n = c.bcd ? 10000 : 0x10000;
    c.reload = n;
    c.has_count = true;
    if (c.mode == 1 || c.mode == 5) {
        c.null_count = true;  // loaded at the next gate trigger
    } else {
        // Reprogramming takes effect at once (the chip waits for the end of the current period in
        // modes 2 and 3; nothing the PC software relies on).
        c.armed = true;
        c.null_count = false;
        c.start = tick;
        c.paused = !c.gate;
        c.paused_elapsed = 0;
    }
    if (index == 0) update_irq_line(tick);
}

void Pit8254::write_counter(unsigned index, uint8_t value) {
    Channel& c = channels_[index];
    switch (c.access) {
        case 1: load(index, value); break;
        case 2: load(index, static_cast<uint16_t>(value << 8)); break;
        default:
            if (!c.write_high_next) {
                c.pending_low = value;
                c.write_high_next = true;
                if (c.mode == 0) {  // mode 0 stops counting at the first byte of a new count
                    c.armed = false;
                    c.initial_out = false;
                    if (index == 0) update_irq_line(ticks(current_time()));
                }
            } else {
                c.write_high_next = false;
                load(index, static_cast<uint16_t>(c.pending_low | (value << 8)));
            }
            break;
    }
}

uint8_t Pit8254::read_counter(Channel& c) {
    if (c.status_latched) {
        c.status_latched = false;
        return c.latched_status;
    }
    const uint16_t value = c.count_latched ? c.latched_count : count_at(c, ticks(current_time()));
    uint8_t byte;
    switch (c.access) {
        case 1:
            byte = value & 0xFF;
            c.count_latched = false;
            break;
        case 2:
            byte = value >> 8;
            c.count_latched = false;
            break;
        default:
            byte = c.read_high_next ? (value >> 8) : (value & 0xFF);
            if (c.read_high_next) c.count_latched = false;
            c.read_high_next = !c.read_high_next;
            break;
    }
    return byte;
}

uint32_t Pit8254::port_read(uint16_t port, unsigned) {
    sync();
    if (port == kSystemControlPort) {
        const VirtualNs now = current_time();
        const bool refresh = (now / kRefreshHalfPeriodNs) & 1;
        return (channels_[2].gate ? 0x01 : 0) | (speaker_data_ ? 0x02 : 0) | port61_low_ |
               (refresh ? 0x10 : 0) | (output(2) ? 0x20 : 0);
    }
    const unsigned index = port - kPorts;
    if (index == 3) return 0xFF;  // the control word register is write-only
    return read_counter(channels_[index]);
}

void Pit8254::port_write(uint16_t port, unsigned, uint32_t value) {
    sync();
    const uint8_t byte = static_cast<uint8_t>(value);
    if (port == kSystemControlPort) {
        speaker_data_ = byte & 0x02;
        port61_low_ = byte & 0x0C;
        set_gate(2, byte & 0x01);
        return;
    }
    const unsigned index = port - kPorts;
    if (index == 3)
        write_control(byte);
    else
        write_counter(index, byte);
}

}  // namespace pc386

namespace pc386 {

void Pit8254::transfer_state(StateArchive& ar) {
    ar.section("pit");
    for (Channel& c : channels_) {
        for (uint8_t* r : {&c.mode, &c.access, &c.pending_low, &c.latched_status}) ar.field(*r);
        for (bool* b : {&c.bcd, &c.gate, &c.has_count, &c.armed, &c.paused, &c.null_count, &c.write_high_next,
                        &c.count_latched, &c.status_latched, &c.read_high_next, &c.initial_out})
            ar.field(*b);
        ar.field(c.paused_elapsed);
        ar.field(c.reload);
        ar.field(c.start);
        ar.field(c.latched_count);
        if (c.reload == 0 || c.reload > 0x10000 || c.mode > 5 || c.access == 0 || c.access > 3)
            ar.fail("a counter in a state the 8254 cannot be in");
    }
    ar.field(now_);
    ar.field(last_tick_);
    ar.field(irq_level_);
    ar.field(speaker_data_);
    ar.field(port61_low_);
}

}  // namespace pc386
