// The primary IDE channel of a PC: the ATA command block at 0x1F0-0x1F7 (data, error/features,
// sector count, sector number, cylinder low/high, drive/head, status/command), the control block
// at 0x3F6 (device control with nIEN and SRST; reads give the alternate status) and IRQ 14, with a
// master and a slave AtaDrive. PIO commands: IDENTIFY DEVICE, READ/WRITE SECTORS, READ/WRITE
// MULTIPLE, SET MULTIPLE MODE, READ VERIFY, INITIALIZE DEVICE PARAMETERS, SET FEATURES, FLUSH
// CACHE, EXECUTE DEVICE DIAGNOSTIC, RECALIBRATE, SEEK, CHECK POWER MODE and the idle/standby
// family, in LBA28 or CHS addressing. Commands complete at once (BSY is never seen); the interrupt
// comes per sector or per multiple block as the ATA PIO protocol says.
//
// Absent drives: with one drive attached, selecting the other one reads status and alternate
// status 0x00 (what ATA specifies for a missing device 1) and commands to it are ignored; with no
// drive at all, every register reads 0xFF (a floating bus).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/event_log.h"
#include "base/interrupt_line.h"
#include "base/io_bus.h"
#include "devices/ata_drive.h"
#include "devices/device.h"
#include "devices/disk_image.h"

namespace pc386 {

class IdeController : public Device, public PortHandler {
  public:
    static constexpr uint16_t kPrimaryBase = 0x1F0;     // 0x1F0-0x1F7
    static constexpr uint16_t kPrimaryControl = 0x3F6;  // device control / alternate status
    static constexpr unsigned kPrimaryIrq = 14;

    // Status and error register bits.
    static constexpr uint8_t kBsy = 0x80, kDrdy = 0x40, kDf = 0x20, kDsc = 0x10, kDrq = 0x08, kErr = 0x01;
    static constexpr uint8_t kAbrt = 0x04, kIdnf = 0x10, kUnc = 0x40;

    explicit IdeController(IrqSink& irq, uint16_t base = kPrimaryBase, uint16_t control = kPrimaryControl,
                           unsigned irq_line = kPrimaryIrq);
    ~IdeController() override;  // flushes the images

    // Claims base (wide: 16/32-bit data transfers), base+1 .. base+7 and the control port.
    void map(IoBus& io);
    // Attaches an image as unit 0 (master) or 1 (slave), replacing any previous one.
    void attach(unsigned unit, std::unique_ptr<DiskImage> image);
    AtaDrive* drive(unsigned unit) { return drives_[unit & 1].get(); }

    // The event stream (a disk-read/disk-write per command); nullptr: none.
    void set_event_log(EventLog* log) { events_ = log; }

    // Flushes every attached image (the machine calls it at exit and on request).
    bool flush();

    const char* name() const override { return "ide"; }
    void reset() override;
    void transfer_state(StateArchive& ar) override;

    uint32_t port_read(uint16_t port, unsigned size) override;
    void port_write(uint16_t port, unsigned size, uint32_t value) override;

    // Views for tests and the debugger.
    bool interrupt_pending() const { return intrq_; }
    unsigned selected_unit() const { return (drive_head_ >> 4) & 1; }

  private:
    enum class Transfer { None, Read, Write };
    EventLog* events_ = nullptr;

    AtaDrive* selected() { return drives_[selected_unit()].get(); }
    bool any_drive() const { return drives_[0] || drives_[1]; }
    uint8_t& status() { return status_[selected_unit()]; }

    void execute(uint8_t command);
    // The starting sector from the task file (LBA28 or CHS), or nullopt if CHS is out of range.
    std::optional<uint64_t> task_file_lba(AtaDrive& drive) const;
    void set_task_file_lba(AtaDrive& drive, uint64_t lba);
    uint32_t task_file_count() const { return sector_count_ ? sector_count_ : 256; }
    void start_transfer(Transfer kind, uint32_t block);
    void load_read_block();
    void finish_block();
    void complete(uint8_t status_bits = 0);
    void fail(uint8_t error);
    void set_signature();
    void software_reset();
    void raise_interrupt();
    void update_irq();
    uint32_t read_data(unsigned size);
    void write_data(unsigned size, uint32_t value);

    IrqSink& irq_;
    uint16_t base_, control_port_;
    unsigned irq_line_;
    std::array<std::unique_ptr<AtaDrive>, 2> drives_;
    std::array<uint8_t, 2> status_{};
    std::array<uint8_t, 2> error_{};
    // The task file (both drives latch every write).
    uint8_t features_ = 0, sector_count_ = 0, sector_number_ = 0, cylinder_low_ = 0, cylinder_high_ = 0;
    uint8_t drive_head_ = 0;
    uint8_t device_control_ = 0;
    bool intrq_ = false;
    bool irq_level_ = false;
    // The PIO transfer in progress.
    Transfer transfer_ = Transfer::None;
    std::vector<uint8_t> buffer_;
    size_t buffer_pos_ = 0;
    uint64_t transfer_lba_ = 0;
    uint32_t transfer_remaining_ = 0;  // sectors not yet through the buffer
    uint32_t transfer_block_ = 1;      // sectors per DRQ block
    uint32_t block_sectors_ = 0;       // sectors in the current buffer
    bool identify_transfer_ = false;
};

}  // namespace pc386
