// National Semiconductor 16550A UART, as COM1 (0x3F8, IRQ 4) on a PC: receive/transmit holding
// registers with 16-byte FIFOs, the divisor latch, interrupt enable and identification with the
// chip's priorities (line status > received data / character timeout > transmitter empty > modem
// status), line and modem control (OUT2 gates the interrupt onto the ISA line, as on PC boards;
// loopback), line and modem status, scratch. Transmission is instant: each byte goes straight to
// the output sink. Host input enters the receive FIFO through receive().
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string_view>

#include "base/interrupt_line.h"
#include "base/io_bus.h"
#include "devices/device.h"

namespace pc386 {

class Uart16550 : public Device, public PortHandler {
  public:
    static constexpr uint16_t kCom1Base = 0x3F8;
    static constexpr unsigned kCom1Irq = 4;
    static constexpr size_t kFifoSize = 16;

    explicit Uart16550(IrqSink& irq, uint16_t base = kCom1Base, unsigned irq_line = kCom1Irq)
        : irq_(irq), base_(base), irq_line_(irq_line) {
        reset();
    }

    // Claims base .. base+7.
    void map(IoBus& io);
    // Where transmitted bytes go (not in loopback mode). Empty: dropped.
    void set_output(std::function<void(uint8_t)> sink) { output_ = std::move(sink); }

    // Host input: queues as many bytes as the receive FIFO has room for (1 without FIFOs) and
    // returns how many it took; the caller keeps the rest for later (see rx_space()).
    size_t receive(std::string_view bytes);
    size_t receive(const uint8_t* data, size_t size) {
        return receive(std::string_view(reinterpret_cast<const char*>(data), size));
    }
    size_t rx_space() const;

    const char* name() const override { return "uart"; }
    void reset() override;
    void transfer_state(StateArchive& ar) override;
    void advance(VirtualNs now) override;
    VirtualNs next_event() const override { return timeout_at_; }

    uint32_t port_read(uint16_t port, unsigned size) override;
    void port_write(uint16_t port, unsigned size, uint32_t value) override;

    // Views for tests and the debugger.
    uint16_t divisor() const { return divisor_; }
    uint8_t line_control() const { return lcr_; }
    uint8_t modem_control() const { return mcr_; }

  private:
    bool fifo_enabled() const { return fcr_ & 0x01; }
    size_t rx_trigger() const;
    // Nanoseconds to send four characters at the programmed rate (the character timeout).
    VirtualNs timeout_ns() const;
    void push_rx(uint8_t byte);
    void transmit(uint8_t byte);
    uint8_t interrupt_id() const;
    void update_irq();

    IrqSink& irq_;
    uint16_t base_;
    unsigned irq_line_;
    std::function<void(uint8_t)> output_;
    std::deque<uint8_t> rx_;
    uint16_t divisor_ = 12;  // 9600 baud
    uint8_t ier_ = 0, lcr_ = 0, mcr_ = 0, fcr_ = 0, scr_ = 0;
    uint8_t lsr_errors_ = 0;  // OE/PE/FE/BI, cleared by reading LSR
    uint8_t msr_deltas_ = 0;
    bool thr_interrupt_ = false;  // THRE interrupt pending (cleared by IIR read or THR write)
    bool timeout_interrupt_ = false;
    VirtualNs now_ = 0;
    VirtualNs timeout_at_ = kNever;
    bool irq_level_ = false;
};

}  // namespace pc386
