#include "devices/uart16550.h"

#include <algorithm>

namespace pc386 {
namespace {

constexpr uint8_t kIerRx = 0x01, kIerThr = 0x02, kIerLine = 0x04, kIerModem = 0x08;
constexpr uint8_t kLsrDataReady = 0x01, kLsrOverrun = 0x02, kLsrThrEmpty = 0x20, kLsrTxEmpty = 0x40,
                  kLsrFifoError = 0x80;
constexpr uint8_t kMcrOut2 = 0x08, kMcrLoop = 0x10;
constexpr uint8_t kLcrDlab = 0x80;

}  // namespace

void Uart16550::map(IoBus& io) {
    io.map(base_, base_ + 7, this, false, "uart");
}

void Uart16550::reset() {
    rx_.clear();
    ier_ = lcr_ = mcr_ = fcr_ = 0;
    lsr_errors_ = 0;
    msr_deltas_ = 0;
    thr_interrupt_ = false;
    timeout_interrupt_ = false;
    timeout_at_ = kNever;
    update_irq();
}

size_t Uart16550::rx_trigger() const {
    static constexpr size_t kLevels[4] = {1, 4, 8, 14};
    return fifo_enabled() ? kLevels[fcr_ >> 6] : 1;
}

size_t Uart16550::rx_space() const {
    const size_t capacity = fifo_enabled() ? kFifoSize : 1;
    return rx_.size() >= capacity ? 0 : capacity - rx_.size();
}

VirtualNs Uart16550::timeout_ns() const {
    // 10 bits per character at 115200 / divisor baud.
    const uint64_t divisor = divisor_ ? divisor_ : 65536;
    return 4 * 10 * 1'000'000'000ull * divisor / 115200;
}

void Uart16550::push_rx(uint8_t byte) {
    const size_t capacity = fifo_enabled() ? kFifoSize : 1;
    if (rx_.size() >= capacity) {
        lsr_errors_ |= kLsrOverrun;  // the byte in the shift register is lost
        return;
    }
    rx_.push_back(byte);
    timeout_interrupt_ = false;
    timeout_at_ = fifo_enabled() && rx_.size() < rx_trigger() ? now_ + timeout_ns() : kNever;
}

size_t Uart16550::receive(std::string_view bytes) {
    const size_t n = std::min(bytes.size(), rx_space());
    for (size_t i = 0; i < n; ++i) push_rx(static_cast<uint8_t>(bytes[i]));
    update_irq();
    return n;
}

void Uart16550::advance(VirtualNs now) {
    now_ = now;
    if (now >= timeout_at_) {
        timeout_at_ = kNever;
        if (!rx_.empty()) timeout_interrupt_ = true;
        update_irq();
    }
}

void Uart16550::transmit(uint8_t byte) {
    if (mcr_ & kMcrLoop) {
        push_rx(byte);
    } else if (output_) {
        output_(byte);
    }
    thr_interrupt_ = true;  // the holding register is empty again at once
}

// IIR bits 3-0 for the highest-priority pending interrupt (1 = none).
uint8_t Uart16550::interrupt_id() const {
    if ((ier_ & kIerLine) && (lsr_errors_ & 0x1E)) return 0x06;
    if ((ier_ & kIerRx) && !rx_.empty()) {
        if (rx_.size() >= rx_trigger()) return 0x04;
        if (timeout_interrupt_) return 0x0C;
    }
    if ((ier_ & kIerThr) && thr_interrupt_) return 0x02;
    if ((ier_ & kIerModem) && msr_deltas_) return 0x00;
    return 0x01;
}

void Uart16550::update_irq() {
    const bool level = (mcr_ & kMcrOut2) && !(interrupt_id() & 0x01);
    if (level != irq_level_) {
        irq_level_ = level;
        irq_.set_irq(irq_line_, level);
    }
}

uint32_t Uart16550::port_read(uint16_t port, unsigned) {
    uint8_t value = 0xFF;
    switch (port - base_) {
        case 0:
            if (lcr_ & kLcrDlab) {
                value = static_cast<uint8_t>(divisor_);
            } else {
                value = 0;
                if (!rx_.empty()) {
                    value = rx_.front();
                    rx_.pop_front();
                }
                timeout_interrupt_ = false;
                timeout_at_ = fifo_enabled() && !rx_.empty() ? now_ + timeout_ns() : kNever;
            }
            break;
        case 1: value = (lcr_ & kLcrDlab) ? static_cast<uint8_t>(divisor_ >> 8) : ier_; break;
        case 2:
            value = interrupt_id();
            if (fifo_enabled()) value |= 0xC0;
            if (value == 0x02 || value == 0xC2) thr_interrupt_ = false;  // reading IIR clears THRE
            break;
        case 3: value = lcr_; break;
        case 4: value = mcr_; break;
        case 5: {
            value = kLsrThrEmpty | kLsrTxEmpty | lsr_errors_;
            if (!rx_.empty()) value |= kLsrDataReady;
            if (lsr_errors_ & 0x1E) value |= fifo_enabled() ? kLsrFifoError : 0;
            lsr_errors_ = 0;
            break;
        }
        case 6:
            if (mcr_ & kMcrLoop) {
                // Loopback: CTS = RTS, DSR = DTR, RI = OUT1, DCD = OUT2.
                value = static_cast<uint8_t>(((mcr_ & 0x02) << 3) | ((mcr_ & 0x01) << 5) |
                                             ((mcr_ & 0x04) << 4) | ((mcr_ & 0x08) << 4));
            } else {
                value = 0xB0;  // a connected terminal: CTS, DSR, DCD
            }
            value |= msr_deltas_;
            msr_deltas_ = 0;
            break;
        case 7: value = scr_; break;
        default: break;
    }
    update_irq();
    return value;
}

void Uart16550::port_write(uint16_t port, unsigned, uint32_t value) {
    const uint8_t byte = static_cast<uint8_t>(value);
    switch (port - base_) {
        case 0:
            if (lcr_ & kLcrDlab) {
                divisor_ = static_cast<uint16_t>((divisor_ & 0xFF00) | byte);
            } else {
                thr_interrupt_ = false;
                transmit(byte);
            }
            break;
        case 1:
            if (lcr_ & kLcrDlab) {
                divisor_ = static_cast<uint16_t>((divisor_ & 0x00FF) | (byte << 8));
            } else {
                // Enabling ETBEI while the holding register is empty raises THRE at once.
                if ((byte & kIerThr) && !(ier_ & kIerThr)) thr_interrupt_ = true;
                ier_ = byte & 0x0F;
            }
            break;
        case 2:
            if ((byte & 0x01) != (fcr_ & 0x01)) rx_.clear();  // switching FIFO mode empties them
            fcr_ = byte & 0xC9;
            if (byte & 0x02) {
                rx_.clear();
                timeout_interrupt_ = false;
                timeout_at_ = kNever;
            }
            break;
        case 3: lcr_ = byte; break;
        case 4: mcr_ = byte & 0x1F; break;
        case 7: scr_ = byte; break;
        default: break;  // LSR and MSR are read-only
    }
    update_irq();
}

}  // namespace pc386

namespace pc386 {

void Uart16550::transfer_state(StateArchive& ar) {
    ar.section("uart");
    ar.fifo(rx_, kFifoSize);
    ar.field(divisor_);
    for (uint8_t* r : {&ier_, &lcr_, &mcr_, &fcr_, &scr_, &lsr_errors_, &msr_deltas_}) ar.field(*r);
    ar.field(thr_interrupt_);
    ar.field(timeout_interrupt_);
    ar.field(now_);
    ar.field(timeout_at_);
    ar.field(irq_level_);
}

}  // namespace pc386
