// Intel 8254 programmable interval timer: three 16-bit counters clocked at 1.193182 MHz, computed
// from virtual time rather than ticked (a counter is its reload value, mode and the tick at which
// it started). Channel 0 drives IRQ 0; channel 2's gate and output appear in port 0x61 (with the
// speaker enable and the DRAM refresh toggle that BIOS delay loops poll).
#pragma once

#include <array>
#include <cstdint>

#include "base/interrupt_line.h"
#include "base/io_bus.h"
#include "base/virtual_time.h"
#include "devices/device.h"

namespace pc386 {

class Pit8254 : public Device, public PortHandler {
  public:
    static constexpr uint16_t kPorts = 0x40;  // 0x40-0x43
    static constexpr uint16_t kSystemControlPort = 0x61;
    static constexpr uint64_t kHz = 1193182;
    static constexpr unsigned kIrq = 0;

    // `irq_line`: the line OUT0 drives (IRQ 0 on a PC; the machine says so).
    explicit Pit8254(IrqSink& irq, unsigned irq_line = kIrq) : irq_(irq), irq_line_(irq_line) { reset(); }

    // Claims 0x40-0x43 and 0x61.
    void map(IoBus& io);
    // Where port accesses read the current time (the machine's clock); without one the device
    // uses the time of the last advance().
    void set_clock(const Clock* clock) { clock_ = clock; }

    const char* name() const override { return "pit"; }
    void reset() override;
    void transfer_state(StateArchive& ar) override;
    void advance(VirtualNs now) override;
    VirtualNs next_event() const override;

    uint32_t port_read(uint16_t port, unsigned size) override;
    void port_write(uint16_t port, unsigned size, uint32_t value) override;

    // Views for tests and the debugger.
    bool output(unsigned channel) const { return out_at(channels_[channel], ticks(current_time())); }
    uint16_t count(unsigned channel) const { return count_at(channels_[channel], ticks(current_time())); }
    void set_gate(unsigned channel, bool level);

    // Tick <-> nanosecond conversions (floor and ceiling, so ticks(ns_at(t)) == t).
    static uint64_t ticks(VirtualNs ns);
    static VirtualNs ns_at(uint64_t tick);

  private:
    struct Channel {
        uint8_t mode = 0;
        uint8_t access = 3;  // 1 LSB, 2 MSB, 3 LSB then MSB
        bool bcd = false;
        bool gate = true;
        bool has_count = false;  // a count has been written since the control word
        bool armed = false;      // counting (modes 1/5: after the gate's trigger)
        bool paused = false;     // gate low in modes 0/2/3/4: counting stopped
        uint64_t paused_elapsed = 0;
        bool null_count = true;
        uint32_t reload = 0x10000;  // binary, 1..65536
        uint64_t start = 0;         // tick at which counting (re)started
        // Writes: the low byte waiting for its high byte.
        bool write_high_next = false;
        uint8_t pending_low = 0;
        // Reads: the latched count/status and the LSB/MSB flip-flop.
        bool count_latched = false;
        uint16_t latched_count = 0;
        bool status_latched = false;
        uint8_t latched_status = 0;
        bool read_high_next = false;
        bool initial_out = false;  // output before the count is armed
    };

    VirtualNs current_time() const { return clock_ ? clock_->now() : now_; }
    bool out_at(const Channel& c, uint64_t tick) const;
    uint16_t count_at(const Channel& c, uint64_t tick) const;
    // The first tick after `tick` at which the output changes, or UINT64_MAX.
    uint64_t next_transition(const Channel& c, uint64_t tick) const;
    uint64_t rising_edges(const Channel& c, uint64_t from, uint64_t to) const;
    void write_control(uint8_t value);
    void latch_count(Channel& c, uint64_t tick);
    void write_counter(unsigned index, uint8_t value);
    uint8_t read_counter(Channel& c);
    void load(unsigned index, uint16_t raw);
    void update_irq_line(uint64_t tick);
    uint64_t elapsed(const Channel& c, uint64_t tick) const {
        return c.paused ? c.paused_elapsed : (tick > c.start ? tick - c.start : 0);
    }
    // Brings the device to the clock's time before a port access changes or reads it.
    void sync();

    IrqSink& irq_;
    unsigned irq_line_;
    const Clock* clock_ = nullptr;
    std::array<Channel, 3> channels_{};
    VirtualNs now_ = 0;
    uint64_t last_tick_ = 0;  // tick of the last advance()
    bool irq_level_ = false;
    bool speaker_data_ = false;
    uint8_t port61_low_ = 0;  // bits 2-3 (parity check enables) as written
};

}  // namespace pc386
