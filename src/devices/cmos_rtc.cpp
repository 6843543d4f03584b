#include "devices/cmos_rtc.h"

#include <algorithm>
#include <chrono>

namespace pc386 {
namespace {

constexpr VirtualNs kSecondNs = 1'000'000'000;
constexpr VirtualNs kUipWindowNs = 244'000;  // UIP rises this long before each update

struct CivilTime {
    int64_t year;
    unsigned month, day, hour, minute, second, weekday;  // weekday 0 = Sunday
};

// Days since 1970-01-01 <-> proleptic Gregorian date (H. Hinnant's algorithms).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilTime civil_from_unix(int64_t t) {
    int64_t days = t / 86400;
    int64_t secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        --days;
    }
    CivilTime c{};
    c.hour = static_cast<unsigned>(secs / 3600);
    c.minute = static_cast<unsigned>(secs / 60 % 60);
    c.second = static_cast<unsigned>(secs % 60);
    c.weekday = static_cast<unsigned>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
    const int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    c.day = doy - (153 * mp + 2) / 5 + 1;
    c.month = mp < 10 ? mp + 3 : mp - 9;
    c.year = static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2);
    return c;
}

int64_t unix_from_civil(const CivilTime& c) {
    return days_from_civil(c.year, c.month, c.day) * 86400 + c.hour * 3600 + c.minute * 60 + c.second;
}

}  // namespace

CmosRtc::CmosRtc(IrqSink& irq, int64_t start_unix_seconds, unsigned irq_line)
    : irq_(irq), irq_line_(irq_line), base_seconds_(start_unix_seconds) {
    ram_[kStatusA] = 0x26;    // 32.768 kHz time base, 1024 Hz periodic rate
    ram_[kStatusB] = 0x02;    // 24-hour, BCD, no interrupts
    ram_[kStatusD] = 0x80;    // valid RAM and time
    ram_[kBootFlags] = 0x20;  // boot from the hard disk first (Bochs BIOS, legacy flag)
    ram_[kBootOrder] = 0x02;  // boot sequence: hard disk (Bochs BIOS)
    update_checksum();
    reset();
}

void CmosRtc::map(IoBus& io) {
    io.map(kPorts, kPorts + 1, this, false, "cmos");
}

void CmosRtc::set_start_time(int64_t unix_seconds) {
    base_seconds_ = unix_seconds;
}

int64_t CmosRtc::host_unix_time() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int64_t CmosRtc::unix_time() const {
    return base_seconds_ + static_cast<int64_t>(current_time() / kSecondNs);
}

// The RESET pin clears the interrupt enables and flags; RAM and the time are battery-backed.
void CmosRtc::reset() {
    ram_[kStatusB] &= ~0x78;  // PIE, AIE, UIE, SQWE
    ram_[kStatusC] = 0;
    last_second_ = static_cast<int64_t>(now_ / kSecondNs);
    const VirtualNs period = periodic_ns();
    next_periodic_ = period ? (now_ / period + 1) * period : kNever;
    update_irq();
}

void CmosRtc::update_checksum() {
    unsigned sum = 0;
    for (unsigned i = 0x10; i <= 0x2D; ++i) sum += ram_[i];
    ram_[kChecksumHigh] = static_cast<uint8_t>(sum >> 8);
    ram_[kChecksumLow] = static_cast<uint8_t>(sum);
}

void CmosRtc::set_byte(uint8_t index, uint8_t value) {
    index &= 0x7F;
    ram_[index] = value;
    if (index >= 0x10 && index <= 0x2D) update_checksum();
}

void CmosRtc::set_memory_size(uint32_t ram_bytes) {
    ram_[kBaseMemLow] = 0x80;  // 640 KiB
    ram_[kBaseMemHigh] = 0x02;
    const uint64_t ext_kib = ram_bytes > 0x100000 ? (ram_bytes - 0x100000) / 1024 : 0;
    const uint16_t ext = static_cast<uint16_t>(std::min<uint64_t>(ext_kib, 0xFFFF));
    ram_[kExtMemLow] = ram_[kExtMem2Low] = static_cast<uint8_t>(ext);
    ram_[kExtMemHigh] = ram_[kExtMem2High] = static_cast<uint8_t>(ext >> 8);
    const uint64_t above16 = ram_bytes > 0x1000000 ? (ram_bytes - 0x1000000) / 0x10000 : 0;
    const uint16_t blocks = static_cast<uint16_t>(std::min<uint64_t>(above16, 0xFFFF));
    ram_[kMemAbove16MLow] = static_cast<uint8_t>(blocks);
    ram_[kMemAbove16MHigh] = static_cast<uint8_t>(blocks >> 8);
    update_checksum();
}

void CmosRtc::set_equipment(uint8_t value) {
    set_byte(kEquipment, value);
}

void CmosRtc::set_hard_disk(unsigned unit, unsigned cylinders, unsigned heads, unsigned sectors_per_track) {
    unit &= 1;
    const bool present = cylinders != 0;
    uint8_t types = ram_[kHardDiskTypes];
    const uint8_t nibble = present ? 0xF : 0x0;  // 0xF: the type is in 0x19/0x1A
    types = unit == 0 ? static_cast<uint8_t>((types & 0x0F) | (nibble << 4))
                      : static_cast<uint8_t>((types & 0xF0) | nibble);
    ram_[kHardDiskTypes] = types;
    ram_[unit == 0 ? kDisk0ExtType : kDisk1ExtType] = present ? 47 : 0;  // 47: user-defined
    // The user-defined type's parameters (AMI/Award layout, as the Bochs BIOS reads them).
    uint8_t* p = &ram_[unit == 0 ? kDisk0Params : kDisk1Params];
    const unsigned cyl = present ? std::min(cylinders, 0xFFFFu) : 0;
    p[0] = static_cast<uint8_t>(cyl);
    p[1] = static_cast<uint8_t>(cyl >> 8);
    p[2] = present ? static_cast<uint8_t>(heads) : 0;
    p[3] = 0xFF;  // write precompensation: none
    p[4] = 0xFF;
    p[5] = present ? static_cast<uint8_t>(heads > 8 ? 0xC8 : 0xC0) : 0;  // control byte
    p[6] = static_cast<uint8_t>(cyl);                                    // landing zone
    p[7] = static_cast<uint8_t>(cyl >> 8);
    p[8] = present ? static_cast<uint8_t>(sectors_per_track) : 0;
    if (!present) std::fill(p, p + 9, 0);
    update_checksum();
}

uint8_t CmosRtc::encode(unsigned value) const {
    if (ram_[kStatusB] & 0x04) return static_cast<uint8_t>(value);
    return static_cast<uint8_t>(((value / 10) << 4) | (value % 10));
}

unsigned CmosRtc::decode(uint8_t value) const {
    if (ram_[kStatusB] & 0x04) return value;
    return (value >> 4) * 10 + (value & 0xF);
}

uint8_t CmosRtc::encode_hour(unsigned hour) const {
    if (ram_[kStatusB] & 0x02) return encode(hour);
    const unsigned h12 = hour % 12 == 0 ? 12 : hour % 12;
    return static_cast<uint8_t>(encode(h12) | (hour >= 12 ? 0x80 : 0));
}

unsigned CmosRtc::decode_hour(uint8_t value) const {
    if (ram_[kStatusB] & 0x02) return decode(value) % 24;
    const unsigned h12 = decode(value & 0x7F) % 12;
    return h12 + ((value & 0x80) ? 12 : 0);
}

VirtualNs CmosRtc::periodic_ns() const {
    const uint8_t a = ram_[kStatusA];
    if (((a >> 4) & 7) != 2) return 0;  // divider not running at 32.768 kHz
    unsigned rate = a & 0x0F;
    if (rate == 0) return 0;
    if (rate < 3) rate += 7;  // rates 1 and 2 repeat 8 and 9 (256 and 128 Hz)
    return (kSecondNs << (rate - 1)) / 32768;
}

bool CmosRtc::alarm_matches(int64_t t) const {
    const CivilTime c = civil_from_unix(t);
    auto match = [](uint8_t alarm, uint8_t now) { return alarm >= 0xC0 || alarm == now; };
    return match(ram_[kSecondsAlarm], encode(c.second)) && match(ram_[kMinutesAlarm], encode(c.minute)) &&
           match(ram_[kHoursAlarm], encode_hour(c.hour));
}

void CmosRtc::update_flags(VirtualNs now) {
    if (next_periodic_ != kNever && now >= next_periodic_) {
        ram_[kStatusC] |= 0x40;  // PF
        const VirtualNs period = periodic_ns();
        next_periodic_ = period ? (now / period + 1) * period : kNever;
    }
    const int64_t second = static_cast<int64_t>(now / kSecondNs);
    if (second > last_second_) {
        last_second_ = second;
        if (!(ram_[kStatusB] & 0x80)) {                                         // SET stops the update cycle
            ram_[kStatusC] |= 0x10;                                             // UF
            if (alarm_matches(base_seconds_ + second)) ram_[kStatusC] |= 0x20;  // AF
        }
    }
    update_irq();
}

void CmosRtc::update_irq() {
    const uint8_t enabled = ram_[kStatusB] & 0x70;  // PIE, AIE, UIE line up with PF, AF, UF
    if (ram_[kStatusC] & enabled & 0x70)
        ram_[kStatusC] |= 0x80;
    else
        ram_[kStatusC] &= 0x7F;
    const bool level = ram_[kStatusC] & 0x80;
    if (level != irq_level_) {
        irq_level_ = level;
        irq_.set_irq(irq_line_, level);
    }
}

void CmosRtc::advance(VirtualNs now) {
    if (now < now_) return;
    now_ = now;
    update_flags(now);
}

VirtualNs CmosRtc::next_event() const {
    VirtualNs next = kNever;
    const uint8_t b = ram_[kStatusB];
    if (b & 0x40) next = next_periodic_;
    if (b & 0x30) next = std::min(next, static_cast<VirtualNs>(last_second_ + 1) * kSecondNs);
    return next;
}

uint8_t CmosRtc::read_register(uint8_t index) {
    const VirtualNs now = current_time();
    switch (index) {
        case kSeconds:
        case kMinutes:
        case kHours:
        case kDayOfWeek:
        case kDayOfMonth:
        case kMonth:
        case kYear:
        case kCentury: {
            const CivilTime c = civil_from_unix(unix_time());
            switch (index) {
                case kSeconds: return encode(c.second);
                case kMinutes: return encode(c.minute);
                case kHours: return encode_hour(c.hour);
                case kDayOfWeek: return encode(c.weekday + 1);
                case kDayOfMonth: return encode(c.day);
                case kMonth: return encode(c.month);
                case kYear: return encode(static_cast<unsigned>(c.year % 100));
                default: return encode(static_cast<unsigned>(c.year / 100));
            }
        }
        case kStatusA: {
            const bool uip = !(ram_[kStatusB] & 0x80) && now % kSecondNs >= kSecondNs - kUipWindowNs;
            return static_cast<uint8_t>((ram_[kStatusA] & 0x7F) | (uip ? 0x80 : 0));
        }
        case kStatusC: {
            update_flags(now);
            const uint8_t value = ram_[kStatusC];
            ram_[kStatusC] = 0;
            update_irq();
            return value;
        }
        case kStatusD: return 0x80;
        default: return ram_[index];
    }
}

void CmosRtc::write_register(uint8_t index, uint8_t value) {
    switch (index) {
        case kSeconds:
        case kMinutes:
        case kHours:
        case kDayOfMonth:
        case kMonth:
        case kYear:
        case kCentury: {
            // Setting one field: recompute the start time so the clock reads back what was written.
            CivilTime c = civil_from_unix(unix_time());
            switch (index) {
                case kSeconds: c.second = std::min(decode(value), 59u); break;
                case kMinutes: c.minute = std::min(decode(value), 59u); break;
                case kHours: c.hour = decode_hour(value); break;
                case kDayOfMonth: c.day = std::clamp(decode(value), 1u, 31u); break;
                case kMonth: c.month = std::clamp(decode(value), 1u, 12u); break;
                case kYear: c.year = c.year / 100 * 100 + decode(value) % 100; break;
                default: c.year = static_cast<int64_t>(decode(value)) * 100 + c.year % 100; break;
            }
            base_seconds_ = unix_from_civil(c) - static_cast<int64_t>(current_time() / kSecondNs);
            return;
        }
        case kDayOfWeek: return;  // derived from the date
        case kStatusA: {
            ram_[kStatusA] = value & 0x7F;
            const VirtualNs period = periodic_ns();
            const VirtualNs now = current_time();
            next_periodic_ = period ? (now / period + 1) * period : kNever;
            return;
        }
        case kStatusB:
            if (value & 0x80) value &= ~0x10;  // SET clears UIE
            ram_[kStatusB] = value;
            update_irq();
            return;
        case kStatusC:
        case kStatusD: return;  // read-only
        default: ram_[index] = value; return;
    }
}

uint32_t CmosRtc::port_read(uint16_t port, unsigned) {
    if (port == kPorts) return 0xFF;  // the index register is write-only
    return read_register(index_);
}

void CmosRtc::port_write(uint16_t port, unsigned, uint32_t value) {
    if (port == kPorts) {
        index_ = value & 0x7F;
        nmi_masked_ = value & 0x80;
        return;
    }
    write_register(index_, static_cast<uint8_t>(value));
}

}  // namespace pc386

namespace pc386 {

void CmosRtc::transfer_state(StateArchive& ar) {
    ar.section("cmos");
    ar.field(ram_);
    ar.field(base_seconds_);  // the guest's clock continues from where it was, not from the host's
    ar.field(now_);
    ar.field(next_periodic_);
    ar.field(last_second_);
    ar.field(index_);
    index_ &= 0x7F;
    ar.field(nmi_masked_);
    ar.field(irq_level_);
}

}  // namespace pc386
