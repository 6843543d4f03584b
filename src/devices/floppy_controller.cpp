#include "devices/floppy_controller.h"

#include <algorithm>

#include "base/log.h"

namespace pc386 {
namespace {

spdlog::logger& logger() {
    return log::get("fdc");
}

// Commands (the low five bits of the first byte; MT, MFM and SK ride in the top three).
enum Command : uint8_t {
    kSpecify = 0x03,
    kSenseDriveStatus = 0x04,
    kWriteData = 0x05,
    kReadData = 0x06,
    kRecalibrate = 0x07,
    kSenseInterrupt = 0x08,
    kReadId = 0x0A,
    kFormatTrack = 0x0D,
    kDumpReg = 0x0E,
    kSeek = 0x0F,
    kVersion = 0x10,
    kPerpendicular = 0x12,
    kConfigure = 0x13,
    kLock = 0x14,
};
constexpr uint8_t kMultiTrack = 0x80;

// Bytes in each command (1 for the invalid ones: they are answered at once).
size_t command_length(uint8_t first) {
    switch (first & 0x1F) {
        case kSpecify: return 3;
        case kSenseDriveStatus: return 2;
        case kWriteData: return 9;
        case kReadData: return 9;
        case kRecalibrate: return 2;
        case kReadId: return 2;
        case kFormatTrack: return 6;
        case kSeek: return 3;
        case kPerpendicular: return 2;
        case kConfigure: return 4;
        default: return 1;
    }
}

// Status register 0-3 bits.
constexpr uint8_t kSt0AbnormalEnd = 0x40, kSt0Invalid = 0x80, kSt0SeekEnd = 0x20, kSt0ReadyChange = 0xC0;
constexpr uint8_t kSt1EndOfCylinder = 0x80, kSt1DataError = 0x20, kSt1NoData = 0x04, kSt1NotWritable = 0x02,
                  kSt1MissingMark = 0x01;
constexpr uint8_t kSt2DataErrorInField =
    0x20;  // with ST1's data error: the image could not be read or written
constexpr uint8_t kSt3WriteProtected = 0x40, kSt3Ready = 0x20, kSt3Track0 = 0x10, kSt3TwoSided = 0x08;
constexpr uint8_t kVersion82077 = 0x90;
constexpr uint8_t kSizeCode512 = 2;

}  // namespace

FloppyController::FloppyController(IrqSink& irq, Dma8237& dma, unsigned irq_line, unsigned dma_channel)
    : irq_(irq), dma_(dma), irq_line_(irq_line), dma_channel_(dma_channel) {
    dma_.set_ready_callback(dma_channel_, [this] {
        if (phase_ == Phase::Execution && xfer_.op != Op::None) run_transfer();
    });
    reset();
}

void FloppyController::map(IoBus& io) {
    io.map(kBase + 2, kBase + 5, this, false, "fdc");
    io.map(kBase + 7, kBase + 7, this, false, "fdc-dir");  // 3F6h is the IDE control port
}

void FloppyController::attach(unsigned unit, std::unique_ptr<FloppyDrive> drive) {
    if (unit < 2) drives_[unit] = std::move(drive);
}

bool FloppyController::flush() {
    bool ok = true;
    for (auto& d : drives_)
        if (d) ok = d->image().flush() && ok;
    return ok;
}

void FloppyController::reset() {
    for (auto& d : drives_)
        if (d) d->reset();
    locked_ = false;
    specify1_ = specify2_ = 0;
    perpendicular_ = 0;
    data_rate_ = 0;
    tdr_ = 0;
    dor_ = kDorNotReset | kDorDmaGate;
    pcn_.fill(0);
    controller_reset();
    reset_irq_at_ = kNever;  // a power-on brings no interrupt: nothing left reset
    reset_senses_ = 0;
}

// What the chip's reset (DOR bit 2 low, DSR bit 7) clears. LOCK keeps CONFIGURE's FIFO settings
// and the precompensation track.
void FloppyController::controller_reset() {
    phase_ = Phase::Command;
    command_.clear();
    command_length_ = 0;
    result_.clear();
    result_pos_ = 0;
    xfer_ = Transfer{};
    result_at_ = kNever;
    seek_ended_.fill(false);
    seek_done_at_.fill(kNever);
    if (!locked_) {
        config_ = 0x20;  // FIFO off, polling on, threshold 1
        pretrk_ = 0;
    }
    perpendicular_ &= 0x3C;  // a reset clears GAP and WGATE, keeps the per-drive bits
    interrupt_ = false;
    update_irq();
    // Leaving reset, the drive polling finds all four drives "ready changed": one interrupt, four senses.
    reset_senses_ = 4;
    reset_irq_at_ = now() + kSettleNs;
}

uint8_t FloppyController::main_status() const {
    if (in_reset()) return 0;
    uint8_t msr = 0;
    for (unsigned u = 0; u < 4; ++u)
        if (seek_done_at_[u] != kNever) msr |= static_cast<uint8_t>(1u << u);  // drive busy seeking
    switch (phase_) {
        case Phase::Command:
            msr |= kMsrRqm;
            if (!command_.empty()) msr |= kMsrBusy;
            break;
        case Phase::Execution: msr |= kMsrBusy; break;
        case Phase::Result: msr |= kMsrRqm | kMsrDio | kMsrBusy; break;
    }
    return msr;
}

uint32_t FloppyController::port_read(uint16_t port, unsigned /*size*/) {
    switch (port - kBase) {
        case 2: return dor_;
        case 3: return tdr_;
        case 4: return main_status();
        case 5: return read_fifo();
        case 7: {  // DIR: bit 7 is the selected drive's disk change line
            const FloppyDrive* d = drive(dor_ & 3);
            return d && d->disk_changed() ? 0x80 : 0x00;
        }
        default: return 0xFF;
    }
}

void FloppyController::port_write(uint16_t port, unsigned /*size*/, uint32_t value) {
    const uint8_t v = static_cast<uint8_t>(value);
    switch (port - kBase) {
        case 2: {
            const bool was_reset = in_reset();
            dor_ = v;
            if (in_reset() && !was_reset) {
                controller_reset();
                reset_irq_at_ = kNever;  // held in reset: the interrupt comes when it is released
            } else if (!in_reset() && was_reset) {
                reset_irq_at_ = now() + kSettleNs;
            }
            update_irq();
            if (phase_ == Phase::Execution && xfer_.op != Op::None)
                run_transfer();  // the DMA gate may have opened
            break;
        }
        case 3: tdr_ = v & 0x03; break;
        case 4:  // DSR: bit 7 resets (and clears itself), bits 1-0 the data rate
            data_rate_ = v & 0x03;
            if (v & 0x80) controller_reset();
            break;
        case 5: write_fifo(v); break;
        case 7:  // CCR
            data_rate_ = v & 0x03;
            break;
        default: break;
    }
}

void FloppyController::write_fifo(uint8_t value) {
    if (in_reset() || phase_ != Phase::Command) {
        logger().debug("fdc: data byte {:02x} ignored (not in the command phase)", value);
        return;
    }
    if (command_.empty()) command_length_ = command_length(value);
    command_.push_back(value);
    if (command_.size() == command_length_) execute();
}

uint8_t FloppyController::read_fifo() {
    if (in_reset() || phase_ != Phase::Result || result_pos_ >= result_.size()) return 0xFF;
    if (result_pos_ == 0 && result_interrupt_) lower_interrupt();  // reading the result clears its interrupt
    const uint8_t byte = result_[result_pos_++];
    if (result_pos_ == result_.size()) {
        phase_ = Phase::Command;
        result_.clear();
        result_pos_ = 0;
    }
    return byte;
}

void FloppyController::execute() {
    const std::vector<uint8_t> cmd = std::move(command_);
    command_.clear();
    const uint8_t op = cmd[0] & 0x1F;
    logger().debug("fdc: command {:02x} ({} bytes)", cmd[0], cmd.size());
    switch (op) {
        case kSpecify:
            specify1_ = cmd[1];
            specify2_ = cmd[2];
            break;
        case kConfigure:
            config_ = cmd[2];
            pretrk_ = cmd[3];
            break;
        case kPerpendicular:
            if (cmd[1] & 0x80)
                perpendicular_ = cmd[1] & 0x7F;
            else
                perpendicular_ = static_cast<uint8_t>((perpendicular_ & 0x3C) | (cmd[1] & 0x03));
            break;
        case kVersion: result({kVersion82077}, false); break;
        case kLock:
            locked_ = cmd[0] & 0x80;
            result({static_cast<uint8_t>(locked_ ? 0x10 : 0x00)}, false);
            break;
        case kDumpReg:
            result({pcn_[0], pcn_[1], pcn_[2], pcn_[3], specify1_, specify2_, 0 /* SC/EOT */,
                    static_cast<uint8_t>((locked_ ? 0x80 : 0) | (perpendicular_ & 0x7F)), config_, pretrk_},
                   false);
            break;
        case kSenseDriveStatus: {
            const unsigned unit = cmd[1] & 3, head = (cmd[1] >> 2) & 1;
            uint8_t st3 = static_cast<uint8_t>(head << 2 | unit);
            if (const FloppyDrive* d = drive(unit)) {
                st3 |= kSt3Ready | kSt3TwoSided;
                if (d->write_protected()) st3 |= kSt3WriteProtected;
                if (d->cylinder() == 0) st3 |= kSt3Track0;
            } else if (pcn_[unit] == 0) {
                st3 |= kSt3Track0;
            }
            result({st3}, false);
            break;
        }
        case kSenseInterrupt: {
            lower_interrupt();
            if (reset_senses_ > 0) {
                const unsigned unit = 4 - reset_senses_--;
                result({static_cast<uint8_t>(kSt0ReadyChange | unit), pcn_[unit]}, false);
                break;
            }
            reset_senses_ = 0;
            for (unsigned unit = 0; unit < 4; ++unit) {
                if (!seek_ended_[unit]) continue;
                seek_ended_[unit] = false;
                result({seek_st0_[unit], pcn_[unit]}, false);
                if (std::any_of(seek_ended_.begin(), seek_ended_.end(), [](bool b) { return b; }))
                    raise_interrupt();
                return;
            }
            result({kSt0Invalid}, false);
            break;
        }
        case kRecalibrate: start_seek(cmd[1] & 3, 0); break;
        case kSeek: start_seek(cmd[1] & 3, cmd[2]); break;
        case kReadData:
        case kWriteData:
        case kFormatTrack:
            start_transfer(op == kReadData ? Op::Read : op == kWriteData ? Op::Write : Op::Format, cmd);
            break;
        case kReadId: start_read_id(cmd); break;
        default:
            logger().debug("fdc: invalid command {:02x}", cmd[0]);
            result({kSt0Invalid}, false);
            break;
    }
}

// Seeks overlap with other commands: the controller takes the next command at once and the
// drive's busy bit shows in the MSR until the seek ends with an interrupt.
void FloppyController::start_seek(unsigned unit, unsigned cylinder) {
    seek_target_[unit] = cylinder;
    seek_done_at_[unit] = now() + kSettleNs;
}

void FloppyController::advance(VirtualNs now) {
    if (reset_irq_at_ != kNever && now >= reset_irq_at_) {
        reset_irq_at_ = kNever;
        if (!in_reset()) raise_interrupt();
    }
    for (unsigned unit = 0; unit < 4; ++unit) {
        if (seek_done_at_[unit] == kNever || now < seek_done_at_[unit]) continue;
        seek_done_at_[unit] = kNever;
        uint8_t st0 = static_cast<uint8_t>(kSt0SeekEnd | unit);
        if (FloppyDrive* d = drive(unit)) {
            d->seek(seek_target_[unit]);
            pcn_[unit] = static_cast<uint8_t>(d->cylinder());
        } else {
            // No drive: no track 0 signal; the chip gives up with "equipment check".
            st0 |= kSt0AbnormalEnd | 0x10;
            pcn_[unit] = static_cast<uint8_t>(seek_target_[unit]);
        }
        seek_st0_[unit] = st0;
        seek_ended_[unit] = true;
        raise_interrupt();
    }
    if (result_at_ != kNever && now >= result_at_) {
        result_at_ = kNever;
        phase_ = Phase::Result;
        if (result_interrupt_) raise_interrupt();
    }
}

VirtualNs FloppyController::next_event() const {
    VirtualNs next = std::min(result_at_, reset_irq_at_);
    for (VirtualNs t : seek_done_at_) next = std::min(next, t);
    return next;
}

// The result bytes; the result phase (and the interrupt, for the commands that end with one)
// begins at once for the quick commands, after kSettleNs for the data commands.
void FloppyController::result(std::initializer_list<uint8_t> bytes, bool interrupt) {
    result_.assign(bytes);
    result_pos_ = 0;
    phase_ = Phase::Result;
    result_interrupt_ = interrupt;
    if (interrupt) raise_interrupt();
}

void FloppyController::enter_result_later(bool interrupt) {
    phase_ = Phase::Execution;
    result_interrupt_ = interrupt;
    result_at_ = now() + kSettleNs;
}

void FloppyController::start_transfer(Op op, const std::vector<uint8_t>& cmd) {
    xfer_ = Transfer{};
    xfer_.op = op;
    xfer_.unit = cmd[1] & 3;
    xfer_.head = (cmd[1] >> 2) & 1;
    xfer_.multi_track = (cmd[0] & kMultiTrack) && op != Op::Format;
    phase_ = Phase::Execution;
    FloppyDrive* d = drive(xfer_.unit);
    if (op == Op::Format) {
        xfer_.n = cmd[2];
        xfer_.format_sectors = cmd[3];
        xfer_.format_filler = cmd[5];
        xfer_.c = d ? static_cast<uint8_t>(d->cylinder()) : 0;
        xfer_.h = static_cast<uint8_t>(xfer_.head);
    } else {
        xfer_.c = cmd[2];
        xfer_.h = cmd[3];
        xfer_.r = cmd[4];
        xfer_.n = cmd[5];
        xfer_.eot = cmd[6];
    }
    const uint8_t base = st0_base(xfer_.unit, xfer_.head);
    if (!d) {  // no diskette: no index pulses, no address marks
        finish_transfer(base | kSt0AbnormalEnd, kSt1MissingMark, 0);
        return;
    }
    if (op != Op::Read && d->write_protected()) {
        finish_transfer(base | kSt0AbnormalEnd, kSt1NotWritable, 0);
        return;
    }
    if (op != Op::Format) {
        // The implied seek; the drive steps only when the cylinder differs.
        d->seek(xfer_.c);
        pcn_[xfer_.unit] = static_cast<uint8_t>(d->cylinder());
    }
    if (xfer_.n != kSizeCode512) {  // every sector on our diskettes is 512 bytes: no ID matches
        finish_transfer(base | kSt0AbnormalEnd, kSt1NoData, 0);
        return;
    }
    if (op == Op::Format) {
        xfer_.buffer.assign(4, 0);  // the four ID bytes of the next sector, from DMA
    } else if (op == Op::Read) {
        if (!load_sector()) return;
    } else {
        xfer_.buffer.assign(DiskImage::kSectorSize, 0);
    }
    if (auto lba = d->lba(xfer_.c, xfer_.head, xfer_.r)) xfer_.first_lba = *lba;
    run_transfer();
}

// Moves data through DMA until the command ends (terminal count, end of track, an error) or the
// channel is masked (then the DMA controller calls back when it is unmasked).
void FloppyController::run_transfer() {
    while (xfer_.op != Op::None && phase_ == Phase::Execution && result_at_ == kNever) {
        if (!(dor_ & kDorDmaGate)) return;  // DOR bit 3 gates DREQ too: resumed when it is set
        std::span<uint8_t> rest(xfer_.buffer.data() + xfer_.pos, xfer_.buffer.size() - xfer_.pos);
        dma_.set_request(dma_channel_, true);
        const size_t moved = dma_.transfer(dma_channel_, rest);
        xfer_.pos += moved;
        const bool tc = dma_.terminal_count(dma_channel_);
        if (!tc && xfer_.pos < xfer_.buffer.size()) return;  // waiting for the channel
        dma_.set_request(dma_channel_, false);
        if (xfer_.op == Op::Format) {
            FloppyDrive& d = *drive(xfer_.unit);
            const uint8_t r = xfer_.buffer[2];
            if (auto lba = d.lba(d.cylinder(), xfer_.head, r)) {
                std::vector<uint8_t> fill(DiskImage::kSectorSize, xfer_.format_filler);
                d.image().write(*lba, 1, fill.data());
                xfer_.sectors++;
            }
            xfer_.r = r;
            xfer_.pos = 0;
            if (tc || ++xfer_.format_done == xfer_.format_sectors) {
                finish_transfer(st0_base(xfer_.unit, xfer_.head), 0, 0);
                return;
            }
            continue;
        }
        if (xfer_.op == Op::Write && !store_sector()) return;
        xfer_.sectors++;
        const bool more = next_sector();
        if (tc) {
            finish_transfer(st0_base(xfer_.unit, xfer_.head), 0, 0);
            return;
        }
        if (!more) {  // past EOT without terminal count: "end of cylinder"
            finish_transfer(st0_base(xfer_.unit, xfer_.head) | kSt0AbnormalEnd, kSt1EndOfCylinder, 0);
            return;
        }
        if (xfer_.op == Op::Read) {
            if (!load_sector()) return;
        } else {
            xfer_.pos = 0;
        }
    }
}

// The LBA of the sector at (c, h, r) on the current drive; nullopt, with the command ended (No
// Data), when the command's C/H do not match where the head is or there is no such sector.
std::optional<uint64_t> FloppyController::locate_sector() {
    FloppyDrive& d = *drive(xfer_.unit);
    const auto lba = d.lba(d.cylinder(), xfer_.head, xfer_.r);
    if (!lba || xfer_.h != xfer_.head || xfer_.c != d.cylinder()) {
        finish_transfer(st0_base(xfer_.unit, xfer_.head) | kSt0AbnormalEnd, kSt1NoData, 0);
        return std::nullopt;
    }
    return lba;
}

// The image could not be read or written: the command ends with a data error.
void FloppyController::end_with_data_error() {
    finish_transfer(st0_base(xfer_.unit, xfer_.head) | kSt0AbnormalEnd, kSt1DataError, kSt2DataErrorInField);
}

// The sector at (c, h, r) of the current drive into the buffer; false (and the command ended) if
// there is no such sector.
bool FloppyController::load_sector() {
    const auto lba = locate_sector();
    if (!lba) return false;
    xfer_.buffer.resize(DiskImage::kSectorSize);
    xfer_.pos = 0;
    if (!drive(xfer_.unit)->image().read(*lba, 1, xfer_.buffer.data())) {
        end_with_data_error();
        return false;
    }
    return true;
}

// The buffer to the sector at (c, h, r); false (and the command ended) if there is no such sector.
bool FloppyController::store_sector() {
    const auto lba = locate_sector();
    if (!lba) return false;
    if (xfer_.pos < xfer_.buffer.size())  // terminal count inside the sector: the rest is zeros
        std::fill(xfer_.buffer.begin() + static_cast<long>(xfer_.pos), xfer_.buffer.end(), 0);
    if (!drive(xfer_.unit)->image().write(*lba, 1, xfer_.buffer.data())) {
        end_with_data_error();
        return false;
    }
    return true;
}

// Steps (c, h, r) to the sector after the one just done, as the result bytes report it; false
// when the track (or, multi-track, the cylinder's second side) has ended.
bool FloppyController::next_sector() {
    if (xfer_.r < xfer_.eot) {
        ++xfer_.r;
        return true;
    }
    xfer_.r = 1;
    if (xfer_.multi_track && xfer_.head == 0) {  // on to the cylinder's second side
        xfer_.head = 1;
        xfer_.h = 1;
        return true;
    }
    if (xfer_.multi_track) xfer_.h = 0;  // the result names the next cylinder's first side
    ++xfer_.c;
    return false;
}

void FloppyController::finish_transfer(uint8_t st0, uint8_t st1, uint8_t st2) {
    record_event();
    result_.assign({st0, st1, st2, xfer_.c, xfer_.h, xfer_.r, xfer_.n});
    result_pos_ = 0;
    xfer_.op = Op::None;
    enter_result_later(true);
}

void FloppyController::start_read_id(const std::vector<uint8_t>& cmd) {
    const unsigned unit = cmd[1] & 3, head = (cmd[1] >> 2) & 1;
    const uint8_t base = st0_base(unit, head);
    phase_ = Phase::Execution;
    const FloppyDrive* d = drive(unit);
    if (!d || d->cylinder() >= d->format().cylinders) {
        result_.assign({static_cast<uint8_t>(base | kSt0AbnormalEnd), kSt1MissingMark, 0, pcn_[unit],
                        static_cast<uint8_t>(head), 1, kSizeCode512});
    } else {
        uint8_t& r = next_id_sector_[unit & 1];
        result_.assign(
            {base, 0, 0, static_cast<uint8_t>(d->cylinder()), static_cast<uint8_t>(head), r, kSizeCode512});
        r = static_cast<uint8_t>(r % d->format().sectors_per_track + 1);
    }
    result_pos_ = 0;
    enter_result_later(true);
}

void FloppyController::record_event() {
    if (!events_ || !events_->on() || xfer_.sectors == 0 || xfer_.op == Op::None) return;
    events_->record(xfer_.op == Op::Read ? EventKind::DiskRead : EventKind::DiskWrite,
                    kEventDriveBase + xfer_.unit, static_cast<uint32_t>(xfer_.first_lba), xfer_.sectors);
}

void FloppyController::raise_interrupt() {
    interrupt_ = true;
    update_irq();
}

void FloppyController::lower_interrupt() {
    interrupt_ = false;
    update_irq();
}

// DOR bit 3 gates the IRQ (and DMA request) lines onto the bus.
void FloppyController::update_irq() {
    const bool level = interrupt_ && (dor_ & kDorDmaGate) && !in_reset();
    if (level != irq_level_) {
        irq_level_ = level;
        irq_.set_irq(irq_line_, level);
    }
}

}  // namespace pc386

namespace pc386 {

void FloppyController::transfer_state(StateArchive& ar) {
    ar.section("fdc");
    for (unsigned unit = 0; unit < 2; ++unit) {
        ar.expect(drives_[unit] != nullptr, unit ? "a diskette in B:" : "a diskette in A:");
        if (drives_[unit]) drives_[unit]->transfer_state(ar, unit ? "fdb" : "fda");
    }
    // Bounds: the longest command (9 bytes) and result (DUMPREG's 10), a sector of 16 KiB (N = 7).
    constexpr size_t kMaxBytes = 16, kMaxSector = 128u << 7;
    for (uint8_t* r : {&dor_, &tdr_, &data_rate_, &specify1_, &specify2_, &config_, &pretrk_, &perpendicular_})
        ar.field(*r);
    uint8_t phase = static_cast<uint8_t>(phase_), op = static_cast<uint8_t>(xfer_.op);
    ar.field(phase);
    ar.field(op);
    if (phase > static_cast<uint8_t>(Phase::Result) || op > static_cast<uint8_t>(Op::Format))
        ar.fail("a controller phase or operation that does not exist");
    phase_ = static_cast<Phase>(phase);
    xfer_.op = static_cast<Op>(op);
    ar.byte_vector(command_, kMaxBytes);
    ar.field(command_length_);
    ar.byte_vector(result_, kMaxBytes);
    ar.field(result_pos_);
    if (result_pos_ > result_.size() || command_length_ > kMaxBytes) ar.fail("a command or result beyond its bytes");
    ar.field(interrupt_);
    ar.field(irq_level_);
    ar.field(pcn_);
    ar.field(locked_);
    ar.field(reset_senses_);
    for (bool& ended : seek_ended_) ar.field(ended);
    ar.field(seek_st0_);
    ar.field(seek_done_at_);
    ar.field(seek_target_);
    ar.field(result_at_);
    ar.field(result_interrupt_);
    ar.field(reset_irq_at_);
    ar.field(next_id_sector_);
    ar.field(xfer_.unit);
    ar.field(xfer_.head);
    for (uint8_t* r : {&xfer_.c, &xfer_.h, &xfer_.r, &xfer_.n, &xfer_.eot, &xfer_.format_sectors, &xfer_.format_filler,
                       &xfer_.format_done})
        ar.field(*r);
    ar.field(xfer_.multi_track);
    ar.byte_vector(xfer_.buffer, kMaxSector);
    ar.field(xfer_.pos);
    ar.field(xfer_.sectors);
    ar.field(xfer_.first_lba);
    if (xfer_.pos > xfer_.buffer.size() || xfer_.unit > 3) ar.fail("a transfer beyond its sector");
}

}  // namespace pc386
