// Motorola MC146818 real-time clock and 128 bytes of CMOS RAM, as on the PC/AT: index port 0x70
// (bit 7 masks NMI), data port 0x71. The time is computed from a start time (a fixed epoch by
// default, so runs are repeatable, or the host's clock when asked) plus virtual time; the guest
// can set it. Status A (divider, rate, UIP), B (SET, PIE/AIE/UIE, binary/BCD, 24/12 h), C (flags,
// cleared on read) and D (valid RAM); periodic, alarm and update interrupts on IRQ 8. The
// machine fills in the BIOS configuration bytes (memory sizes, disks, equipment) and checksum.
#pragma once

#include <array>
#include <cstdint>

#include "base/interrupt_line.h"
#include "base/io_bus.h"
#include "base/virtual_time.h"
#include "devices/device.h"

namespace pc386 {

class CmosRtc : public Device, public PortHandler {
  public:
    static constexpr uint16_t kPorts = 0x70;  // 0x70-0x71
    static constexpr unsigned kIrq = 8;
    // 2024-01-01 00:00:00 UTC: the default start time, so that every run sees the same clock.
    static constexpr int64_t kDefaultEpoch = 1704067200;

    // Register indexes the BIOS and tests use.
    enum Register : uint8_t {
        kSeconds = 0x00,
        kSecondsAlarm = 0x01,
        kMinutes = 0x02,
        kMinutesAlarm = 0x03,
        kHours = 0x04,
        kHoursAlarm = 0x05,
        kDayOfWeek = 0x06,
        kDayOfMonth = 0x07,
        kMonth = 0x08,
        kYear = 0x09,
        kStatusA = 0x0A,
        kStatusB = 0x0B,
        kStatusC = 0x0C,
        kStatusD = 0x0D,
        kShutdownStatus = 0x0F,
        kFloppyTypes = 0x10,
        kHardDiskTypes = 0x12,
        kEquipment = 0x14,
        kBaseMemLow = 0x15,
        kBaseMemHigh = 0x16,
        kExtMemLow = 0x17,
        kExtMemHigh = 0x18,
        kDisk0ExtType = 0x19,
        kDisk1ExtType = 0x1A,
        kDisk0Params = 0x1B,
        kDisk1Params = 0x24,
        kBootFlags = 0x2D,
        kChecksumHigh = 0x2E,
        kChecksumLow = 0x2F,
        kExtMem2Low = 0x30,
        kExtMem2High = 0x31,
        kCentury = 0x32,
        kMemAbove16MLow = 0x34,
        kMemAbove16MHigh = 0x35,
        kBootOrder = 0x3D,
    };

    // `irq_line`: the line the RTC's IRQ output drives (IRQ 8 on a PC; the machine says so).
    explicit CmosRtc(IrqSink& irq, int64_t start_unix_seconds = kDefaultEpoch, unsigned irq_line = kIrq);

    // Claims 0x70-0x71.
    void map(IoBus& io);
    void set_clock(const Clock* clock) { clock_ = clock; }
    // The wall-clock time at virtual time 0 (seconds since 1970, UTC).
    void set_start_time(int64_t unix_seconds);
    // The host's current time, for the machine's "RTC follows the host" option.
    static int64_t host_unix_time();

    // BIOS configuration bytes (each updates the checksum at 0x2E/0x2F).
    // RAM: 640 KiB base; extended KiB above 1 MiB (0x17/0x18, 0x30/0x31, capped at 0xFFFF); 64 KiB
    // blocks above 16 MiB (0x34/0x35).
    void set_memory_size(uint32_t ram_bytes);
    void set_equipment(uint8_t value);
    // Hard disk `unit` (0 or 1) as type 47 with its CHS geometry (0 cylinders = no disk).
    void set_hard_disk(unsigned unit, unsigned cylinders, unsigned heads, unsigned sectors_per_track);
    // Raw access to a configuration byte (recomputes the checksum when index is in 0x10-0x2D).
    void set_byte(uint8_t index, uint8_t value);
    uint8_t byte(uint8_t index) const { return ram_[index & 0x7F]; }

    bool nmi_masked() const { return nmi_masked_; }
    // The wall-clock time the guest sees now (seconds since 1970).
    int64_t unix_time() const;

    const char* name() const override { return "cmos"; }
    void reset() override;
    void transfer_state(StateArchive& ar) override;
    void advance(VirtualNs now) override;
    VirtualNs next_event() const override;

    uint32_t port_read(uint16_t port, unsigned size) override;
    void port_write(uint16_t port, unsigned size, uint32_t value) override;

  private:
    VirtualNs current_time() const { return clock_ && clock_->now() > now_ ? clock_->now() : now_; }
    void update_checksum();
    uint8_t read_register(uint8_t index);
    void write_register(uint8_t index, uint8_t value);
    // Time field <-> register encoding per status B (BCD/binary, 12/24 h).
    uint8_t encode(unsigned value) const;
    unsigned decode(uint8_t value) const;
    uint8_t encode_hour(unsigned hour) const;
    unsigned decode_hour(uint8_t value) const;
    // Periodic interrupt period from status A (0 = off).
    VirtualNs periodic_ns() const;
    // Sets PF/UF/AF for everything due up to `now` and updates IRQ 8.
    void update_flags(VirtualNs now);
    void update_irq();
    bool alarm_matches(int64_t t) const;

    IrqSink& irq_;
    unsigned irq_line_;
    const Clock* clock_ = nullptr;
    std::array<uint8_t, 128> ram_{};
    int64_t base_seconds_;  // wall-clock seconds at virtual time 0 (moves when the guest sets the time)
    VirtualNs now_ = 0;
    VirtualNs next_periodic_ = kNever;  // virtual time of the next periodic flag
    int64_t last_second_ = 0;           // the wall-clock second last examined for UF/AF
    uint8_t index_ = 0;
    bool nmi_masked_ = false;
    bool irq_level_ = false;
};

}  // namespace pc386
