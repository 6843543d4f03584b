#include "devices/pic_pair.h"

namespace pc386 {

void PicPair::map(IoBus& io) {
    io.map(kMasterPorts, kMasterPorts + 1, this, false, "pic-master");
    io.map(kSlavePorts, kSlavePorts + 1, this, false, "pic-slave");
}

void PicPair::reset() {
    master_.reset();
    slave_.reset();
    nmi = false;
    update();
}

void PicPair::update() {
    master_.set_input(kCascadeLine, slave_.int_output());
    intr = master_.int_output();
    lines_changed();
}

uint32_t PicPair::port_read(uint16_t port, unsigned) {
    Pic8259& pic = (port & 0x80) ? slave_ : master_;
    const uint8_t value = pic.read(port & 1);
    update();  // a poll read acknowledges
    return value;
}

void PicPair::port_write(uint16_t port, unsigned, uint32_t value) {
    Pic8259& pic = (port & 0x80) ? slave_ : master_;
    pic.write(port & 1, static_cast<uint8_t>(value));
    update();
}

void PicPair::set_irq(unsigned line, bool level) {
    if (line == kCascadeLine) line = 9;  // the AT routes the XT's IRQ 2 pin to IRQ 9
    if (line < 8)
        master_.set_input(line, level);
    else if (line < 16)
        slave_.set_input(line - 8, level);
    update();
}

uint8_t PicPair::acknowledge() {
    uint8_t vector;
    const int line = master_.acknowledge();
    if (line < 0) {
        vector = master_.vector(7);  // spurious
        acknowledged_line = 7;
    } else if (master_.slave_inputs() & (1u << line)) {
        const int slave_line = slave_.acknowledge();
        vector = slave_.vector(slave_line < 0 ? 7 : static_cast<unsigned>(slave_line));
        acknowledged_line = static_cast<uint8_t>(8 + (slave_line < 0 ? 7 : slave_line));
    } else {
        vector = master_.vector(static_cast<unsigned>(line));
        acknowledged_line = static_cast<uint8_t>(line);
    }
    update();
    return vector;
}

}  // namespace pc386

namespace pc386 {

void PicPair::transfer_state(StateArchive& ar) {
    ar.section("pic");
    master_.transfer_state(ar);
    slave_.transfer_state(ar);
}

}  // namespace pc386
