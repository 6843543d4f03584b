// The PC/AT's two cascaded 8259As: the master at ports 0x20/0x21 (IRQ 0-7), the slave at
// 0xA0/0xA1 (IRQ 8-15) with its INT output on the master's input 2. Devices raise lines through
// IrqSink; the CPU sees `intr` (kept current after every change) and runs acknowledge().
#pragma once

#include <cstdint>

#include "base/interrupt_line.h"
#include "base/io_bus.h"
#include "devices/device.h"
#include "devices/pic8259.h"

namespace pc386 {

class PicPair : public Device, public PortHandler, public IrqSink, public InterruptController {
  public:
    static constexpr uint16_t kMasterPorts = 0x20;  // 0x20-0x21
    static constexpr uint16_t kSlavePorts = 0xA0;   // 0xA0-0xA1
    static constexpr unsigned kCascadeLine = 2;

    PicPair() { reset(); }

    // Claims 0x20-0x21 and 0xA0-0xA1.
    void map(IoBus& io);

    const char* name() const override { return "pic"; }
    void reset() override;
    void transfer_state(StateArchive& ar) override;

    uint32_t port_read(uint16_t port, unsigned size) override;
    void port_write(uint16_t port, unsigned size, uint32_t value) override;

    // IRQ 0-15 (2 is the cascade: requests for it are taken as IRQ 9, as the AT wiring does).
    void set_irq(unsigned line, bool level) override;

    // INTA: the vector of the highest-priority request (the slave's when the master picks input
    // 2), or the spurious vector (master base + 7, or slave base + 7) when the request vanished.
    uint8_t acknowledge() override;

    const Pic8259& master() const { return master_; }
    const Pic8259& slave() const { return slave_; }

  private:
    // Propagates the slave's INT to master input 2 and the master's INT to the CPU.
    void update();

    Pic8259 master_, slave_;
};

}  // namespace pc386
