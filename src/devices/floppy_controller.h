// An 82077AA-compatible floppy disk controller in PC-AT mode at 0x3F0-0x3F7 (DOR 3F2h, TDR 3F3h,
// MSR/DSR 3F4h, FIFO 3F5h, DIR/CCR 3F7h), IRQ 6 and DMA channel 2, with up to two FloppyDrives.
// Commands: SPECIFY, RECALIBRATE, SEEK, SENSE INTERRUPT STATUS, SENSE DRIVE STATUS, READ DATA,
// WRITE DATA (both multi-track), READ ID, FORMAT TRACK, CONFIGURE, VERSION (90h: an 82077AA),
// DUMPREG, LOCK and PERPENDICULAR MODE; anything else is invalid (ST0 80h).
//
// Timing: seeks end, and data commands enter their result phase, kSettleNs after the command (the
// data moves at once, through the DMA controller); the interrupt comes then. Leaving reset (DOR
// bit 2, or DSR bit 7) raises an interrupt, and the next four SENSE INTERRUPT STATUS commands
// report the drives' ready change (ST0 C0h-C3h), as the chip's drive polling does and as BIOSes
// and Linux expect.
//
// Simplifications, none visible to the BIOSes and OSes tried: the data rate is recorded but not
// checked against the medium; the head moves to the command's cylinder before a read or write
// (an implied seek, as on Bochs and QEMU, whatever CONFIGURE's EIS says); the motor need not be on;
// non-DMA (PIO) transfers are not implemented (SPECIFY's ND bit is kept and reported, data then
// does not move).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "base/event_log.h"
#include "base/interrupt_line.h"
#include "base/io_bus.h"
#include "base/virtual_time.h"
#include "devices/device.h"
#include "devices/dma8237.h"
#include "devices/floppy_drive.h"

namespace pc386 {

class FloppyController : public Device, public PortHandler {
  public:
    static constexpr uint16_t kBase = 0x3F0;
    static constexpr unsigned kIrq = 6;
    static constexpr VirtualNs kSettleNs = 20'000;  // 20 us from command to interrupt
    // Main status register bits.
    static constexpr uint8_t kMsrRqm = 0x80, kMsrDio = 0x40, kMsrNonDma = 0x20, kMsrBusy = 0x10;
    // DOR bits.
    static constexpr uint8_t kDorNotReset = 0x04, kDorDmaGate = 0x08;
    // Event-stream drive number of floppy unit 0 (unit 1 is one more): IDE units are 0 and 1.
    static constexpr uint32_t kEventDriveBase = 0x100;

    FloppyController(IrqSink& irq, Dma8237& dma, unsigned irq_line = kIrq,
                     unsigned dma_channel = Dma8237::kFloppyChannel);

    void map(IoBus& io);
    void set_clock(const Clock* clock) { clock_ = clock; }
    void set_event_log(EventLog* log) { events_ = log; }
    // Puts a diskette (image) in drive 0 or 1; nullptr empties the drive.
    void attach(unsigned unit, std::unique_ptr<FloppyDrive> drive);
    FloppyDrive* drive(unsigned unit) { return unit < 2 ? drives_[unit].get() : nullptr; }
    const FloppyDrive* drive(unsigned unit) const { return unit < 2 ? drives_[unit].get() : nullptr; }
    bool flush();

    const char* name() const override { return "fdc"; }
    void reset() override;  // a hardware reset (DOR 0Ch afterwards: out of reset, DMA and IRQ on)
    void transfer_state(StateArchive& ar) override;
    void advance(VirtualNs now) override;
    VirtualNs next_event() const override;

    uint32_t port_read(uint16_t port, unsigned size) override;
    void port_write(uint16_t port, unsigned size, uint32_t value) override;

    // Views for tests and the debugger.
    bool interrupt_pending() const { return interrupt_; }
    uint8_t main_status() const;
    uint8_t dor() const { return dor_; }

  private:
    enum class Phase { Command, Execution, Result };
    enum class Op { None, Read, Write, Format };
    // A data command in its execution phase.
    struct Transfer {
        Op op = Op::None;
        unsigned unit = 0, head = 0;
        uint8_t c = 0, h = 0, r = 0, n = 0, eot = 0;
        bool multi_track = false;
        uint8_t format_sectors = 0, format_filler = 0, format_done = 0;
        std::vector<uint8_t> buffer;  // the sector (or format ID) moving through DMA
        size_t pos = 0;
        uint32_t sectors = 0;  // done, for the event stream
        uint64_t first_lba = 0;
    };

    VirtualNs now() const { return clock_ ? clock_->now() : 0; }
    bool in_reset() const { return !(dor_ & kDorNotReset); }
    void controller_reset();
    void write_fifo(uint8_t value);
    uint8_t read_fifo();
    void execute();
    void start_seek(unsigned unit, unsigned cylinder);
    void start_transfer(Op op, const std::vector<uint8_t>& cmd);
    void start_read_id(const std::vector<uint8_t>& cmd);
    void run_transfer();
    std::optional<uint64_t> locate_sector();
    void end_with_data_error();
    bool load_sector();
    bool store_sector();
    bool next_sector();
    void finish_transfer(uint8_t st0, uint8_t st1, uint8_t st2);
    void result(std::initializer_list<uint8_t> bytes, bool interrupt);
    void enter_result_later(bool interrupt);
    void raise_interrupt();
    void lower_interrupt();
    void update_irq();
    uint8_t st0_base(unsigned unit, unsigned head) const {
        return static_cast<uint8_t>((head & 1) << 2 | (unit & 3));
    }
    void record_event();

    IrqSink& irq_;
    Dma8237& dma_;
    unsigned irq_line_, dma_channel_;
    const Clock* clock_ = nullptr;
    EventLog* events_ = nullptr;
    std::array<std::unique_ptr<FloppyDrive>, 2> drives_;

    uint8_t dor_ = kDorNotReset | kDorDmaGate;
    uint8_t tdr_ = 0;
    uint8_t data_rate_ = 0;  // DSR/CCR bits 1-0
    Phase phase_ = Phase::Command;
    std::vector<uint8_t> command_;
    size_t command_length_ = 0;
    std::vector<uint8_t> result_;
    size_t result_pos_ = 0;
    bool interrupt_ = false;
    bool irq_level_ = false;

    // Registers the commands set (DUMPREG shows them).
    std::array<uint8_t, 4> pcn_{};         // present cylinder number per drive
    uint8_t specify1_ = 0, specify2_ = 0;  // SRT/HUT, HLT/ND
    uint8_t config_ = 0x20, pretrk_ = 0;   // CONFIGURE: EIS, EFIFO, POLL, FIFOTHR; precompensation track
    uint8_t perpendicular_ = 0;
    bool locked_ = false;

    // Interrupt sources waiting for SENSE INTERRUPT STATUS.
    unsigned reset_senses_ = 0;  // after a reset: drives 0-3, one per sense
    std::array<bool, 4> seek_ended_{};
    std::array<uint8_t, 4> seek_st0_{};
    std::array<VirtualNs, 4> seek_done_at_{kNever, kNever, kNever, kNever};
    std::array<unsigned, 4> seek_target_{};
    VirtualNs result_at_ = kNever;  // when the pending result phase (and interrupt) begins
    bool result_interrupt_ = false;
    VirtualNs reset_irq_at_ = kNever;              // when the interrupt for leaving reset comes
    std::array<uint8_t, 2> next_id_sector_{1, 1};  // READ ID: the sector passing under the head

    Transfer xfer_;
};

}  // namespace pc386
