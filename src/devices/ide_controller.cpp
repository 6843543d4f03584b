#include "devices/ide_controller.h"

#include <algorithm>
#include <cstring>

#include "base/log.h"

namespace pc386 {
namespace {

spdlog::logger& logger() {
    return log::get("ide");
}

constexpr uint8_t kDevControlNien = 0x02, kDevControlSrst = 0x04;
constexpr uint8_t kDriveHeadLba = 0x40;

}  // namespace

IdeController::IdeController(IrqSink& irq, uint16_t base, uint16_t control, unsigned irq_line)
    : irq_(irq), base_(base), control_port_(control), irq_line_(irq_line) {
    reset();
}

IdeController::~IdeController() {
    flush();
}

void IdeController::map(IoBus& io) {
    io.map(base_, base_, this, true, "ide-data");
    io.map(base_ + 1, base_ + 7, this, false, "ide");
    io.map(control_port_, control_port_, this, false, "ide-control");
}

void IdeController::attach(unsigned unit, std::unique_ptr<DiskImage> image) {
    unit &= 1;
    if (!image) {
        drives_[unit].reset();
    } else {
        drives_[unit] = std::make_unique<AtaDrive>(std::move(image), unit == 0 ? "PC386-HD0" : "PC386-HD1");
    }
    reset();
}

bool IdeController::flush() {
    bool ok = true;
    for (auto& d : drives_)
        if (d) ok = d->image().flush() && ok;
    return ok;
}

void IdeController::reset() {
    for (auto& d : drives_)
        if (d) d->reset();
    device_control_ = 0;
    features_ = 0;
    software_reset();
    intrq_ = false;
    update_irq();
}

// The state both SRST and power-on leave: signature in the task file, diagnostic code 01h, device
// 0 selected, no transfer.
void IdeController::software_reset() {
    transfer_ = Transfer::None;
    buffer_.clear();
    buffer_pos_ = 0;
    set_signature();
    drive_head_ = 0;
    for (unsigned u = 0; u < 2; ++u) {
        status_[u] = drives_[u] ? (kDrdy | kDsc) : 0;
        error_[u] = 0x01;
    }
}

void IdeController::set_signature() {
    sector_count_ = 1;
    sector_number_ = 1;
    cylinder_low_ = 0;
    cylinder_high_ = 0;  // ATA device (a packet device would show 14h EBh)
}

void IdeController::raise_interrupt() {
    intrq_ = true;
    update_irq();
}

void IdeController::update_irq() {
    const bool level = intrq_ && !(device_control_ & kDevControlNien);
    if (level != irq_level_) {
        irq_level_ = level;
        irq_.set_irq(irq_line_, level);
    }
}

std::optional<uint64_t> IdeController::task_file_lba(AtaDrive& drive) const {
    if (drive_head_ & kDriveHeadLba) {
        return (static_cast<uint64_t>(drive_head_ & 0x0F) << 24) |
               (static_cast<uint64_t>(cylinder_high_) << 16) | (static_cast<uint64_t>(cylinder_low_) << 8) |
               sector_number_;
    }
    return drive.chs_to_lba(static_cast<uint32_t>(cylinder_high_ << 8 | cylinder_low_), drive_head_ & 0x0F,
                            sector_number_);
}

// After a transfer the task file holds the address of the last sector processed.
void IdeController::set_task_file_lba(AtaDrive& drive, uint64_t lba) {
    if (drive_head_ & kDriveHeadLba) {
        sector_number_ = static_cast<uint8_t>(lba);
        cylinder_low_ = static_cast<uint8_t>(lba >> 8);
        cylinder_high_ = static_cast<uint8_t>(lba >> 16);
        drive_head_ = static_cast<uint8_t>((drive_head_ & 0xF0) | ((lba >> 24) & 0x0F));
        return;
    }
    uint32_t c, h, s;
    drive.lba_to_chs(lba, c, h, s);
    sector_number_ = static_cast<uint8_t>(s);
    cylinder_low_ = static_cast<uint8_t>(c);
    cylinder_high_ = static_cast<uint8_t>(c >> 8);
    drive_head_ = static_cast<uint8_t>((drive_head_ & 0xF0) | (h & 0x0F));
}

void IdeController::complete(uint8_t status_bits) {
    status() = kDrdy | kDsc | status_bits;
    error_[selected_unit()] = 0;
    raise_interrupt();
}

void IdeController::fail(uint8_t error) {
    transfer_ = Transfer::None;
    status() = kDrdy | kDsc | kErr;
    error_[selected_unit()] = error;
    raise_interrupt();
}

void IdeController::start_transfer(Transfer kind, uint32_t block) {
    AtaDrive& drive = *selected();
    const auto lba = task_file_lba(drive);
    const uint32_t count = task_file_count();
    if (!lba || *lba + count > drive.addressable_sectors()) {
        fail(kIdnf);
        return;
    }
    if (kind == Transfer::Write && !drive.image().writable()) {
        fail(kAbrt);  // a read-only image refuses writes
        return;
    }
    if (events_ && events_->on())
        events_->record(kind == Transfer::Read ? EventKind::DiskRead : EventKind::DiskWrite, selected_unit(),
                        static_cast<uint32_t>(*lba), count);
    transfer_ = kind;
    transfer_lba_ = *lba;
    transfer_remaining_ = count;
    transfer_block_ = block;
    identify_transfer_ = false;
    if (kind == Transfer::Read) {
        load_read_block();
    } else {
        // The host sends the first block without waiting for an interrupt.
        block_sectors_ = std::min(transfer_block_, transfer_remaining_);
        buffer_.assign(static_cast<size_t>(block_sectors_) * DiskImage::kSectorSize, 0);
        buffer_pos_ = 0;
        error_[selected_unit()] = 0;
        status() = kDrdy | kDsc | kDrq;
    }
}

void IdeController::load_read_block() {
    AtaDrive& drive = *selected();
    block_sectors_ = std::min(transfer_block_, transfer_remaining_);
    buffer_.resize(static_cast<size_t>(block_sectors_) * DiskImage::kSectorSize);
    buffer_pos_ = 0;
    if (!drive.image().read(transfer_lba_, block_sectors_, buffer_.data())) {
        set_task_file_lba(drive, transfer_lba_);
        fail(kUnc);
        return;
    }
    error_[selected_unit()] = 0;
    status() = kDrdy | kDsc | kDrq;
    raise_interrupt();
}

// The host has moved the whole buffer: account for the block and start the next one.
void IdeController::finish_block() {
    AtaDrive& drive = *selected();
    if (identify_transfer_) {
        transfer_ = Transfer::None;
        status() = kDrdy | kDsc;
        return;
    }
    if (transfer_ == Transfer::Write && !drive.image().write(transfer_lba_, block_sectors_, buffer_.data())) {
        set_task_file_lba(drive, transfer_lba_);
        fail(kAbrt);
        return;
    }
    transfer_lba_ += block_sectors_;
    transfer_remaining_ -= block_sectors_;
    sector_count_ = static_cast<uint8_t>(transfer_remaining_);
    set_task_file_lba(drive, transfer_lba_ - 1);
    if (transfer_remaining_ == 0) {
        const bool was_write = transfer_ == Transfer::Write;
        transfer_ = Transfer::None;
        buffer_.clear();
        buffer_pos_ = 0;
        if (was_write)
            complete();  // the write's final interrupt
        else
            status() = kDrdy | kDsc;
        return;
    }
    if (transfer_ == Transfer::Read) {
        load_read_block();
    } else {
        block_sectors_ = std::min(transfer_block_, transfer_remaining_);
        buffer_.assign(static_cast<size_t>(block_sectors_) * DiskImage::kSectorSize, 0);
        buffer_pos_ = 0;
        status() = kDrdy | kDsc | kDrq;
        raise_interrupt();
    }
}

void IdeController::execute(uint8_t command) {
    AtaDrive* drive = selected();
    intrq_ = false;
    update_irq();
    if (command == 0x90) {  // EXECUTE DEVICE DIAGNOSTIC: both devices, device 0 reports
        if (!drives_[0] && !drives_[1]) return;
        transfer_ = Transfer::None;
        set_signature();
        drive_head_ &= ~0x10;
        for (unsigned u = 0; u < 2; ++u) {
            status_[u] = drives_[u] ? (kDrdy | kDsc) : 0;
            error_[u] = 0x01;  // device 0 passed, device 1 passed or absent
        }
        raise_interrupt();
        return;
    }
    if (!drive) return;  // the selected device is not there: nobody executes it
    transfer_ = Transfer::None;
    switch (command) {
        case 0xEC: {  // IDENTIFY DEVICE
            const auto words = drive->identify();
            buffer_.resize(DiskImage::kSectorSize);
            for (unsigned i = 0; i < 256; ++i) {
                buffer_[2 * i] = static_cast<uint8_t>(words[i]);
                buffer_[2 * i + 1] = static_cast<uint8_t>(words[i] >> 8);
            }
            buffer_pos_ = 0;
            transfer_ = Transfer::Read;
            identify_transfer_ = true;
            error_[selected_unit()] = 0;
            status() = kDrdy | kDsc | kDrq;
            raise_interrupt();
            return;
        }
        case 0x20:
        case 0x21: start_transfer(Transfer::Read, 1); return;
        case 0x30:
        case 0x31: start_transfer(Transfer::Write, 1); return;
        case 0xC4:
        case 0xC5:
            if (drive->multiple() == 0) {
                fail(kAbrt);  // multiple mode not enabled
                return;
            }
            start_transfer(command == 0xC4 ? Transfer::Read : Transfer::Write, drive->multiple());
            return;
        case 0xC6:  // SET MULTIPLE MODE
            if (drive->set_multiple(sector_count_))
                complete();
            else
                fail(kAbrt);
            return;
        case 0x40:
        case 0x41: {  // READ VERIFY SECTORS
            const auto lba = task_file_lba(*drive);
            const uint32_t count = task_file_count();
            if (!lba || *lba + count > drive->addressable_sectors()) {
                fail(kIdnf);
                return;
            }
            set_task_file_lba(*drive, *lba + count - 1);
            sector_count_ = 0;
            complete();
            return;
        }
        case 0x91:  // INITIALIZE DEVICE PARAMETERS: heads from drive/head, sectors from the count
            if (drive->set_translation((drive_head_ & 0x0F) + 1u, sector_count_))
                complete();
            else
                fail(kAbrt);
            return;
        case 0xE7:  // FLUSH CACHE
            if (drive->image().flush())
                complete();
            else
                fail(kAbrt);
            return;
        case 0xEF:  // SET FEATURES: transfer modes, caches... all accepted
            complete();
            return;
        case 0xE5:
        case 0x98:  // CHECK POWER MODE: active/idle
            sector_count_ = 0xFF;
            complete();
            return;
        case 0xE0:
        case 0xE1:
        case 0xE2:
        case 0xE3:
        case 0x94:
        case 0x95:
        case 0x96:
        case 0x97:  // standby/idle (immediate or with timer): nothing to spin down
            complete();
            return;
        default:
            if ((command & 0xF0) == 0x10 || (command & 0xF0) == 0x70) {  // RECALIBRATE, SEEK
                complete();
                return;
            }
            logger().debug("unsupported ATA command {:#04x}", command);
            fail(kAbrt);
            return;
    }
}

uint32_t IdeController::read_data(unsigned size) {
    if (transfer_ != Transfer::Read || !(status() & kDrq)) return 0;
    uint32_t value = 0;
    for (unsigned i = 0; i < size && buffer_pos_ < buffer_.size(); ++i)
        value |= static_cast<uint32_t>(buffer_[buffer_pos_++]) << (8 * i);
    if (buffer_pos_ >= buffer_.size()) finish_block();
    return value;
}

void IdeController::write_data(unsigned size, uint32_t value) {
    if (transfer_ != Transfer::Write || !(status() & kDrq)) return;
    for (unsigned i = 0; i < size && buffer_pos_ < buffer_.size(); ++i)
        buffer_[buffer_pos_++] = static_cast<uint8_t>(value >> (8 * i));
    if (buffer_pos_ >= buffer_.size()) finish_block();
}

uint32_t IdeController::port_read(uint16_t port, unsigned size) {
    const uint32_t all_ones = size == 4 ? 0xFFFFFFFFu : (size == 2 ? 0xFFFFu : 0xFFu);
    if (!any_drive()) return all_ones;
    const bool present = selected() != nullptr;
    if (port == control_port_) return present ? status() : 0x00;
    switch (port - base_) {
        case 0: return present ? read_data(size) : all_ones;
        case 1: return present ? error_[selected_unit()] : 0x00;
        case 2: return sector_count_;
        case 3: return sector_number_;
        case 4: return cylinder_low_;
        case 5: return cylinder_high_;
        case 6: return drive_head_ | 0xA0;
        case 7:
            if (!present) return 0x00;
            intrq_ = false;  // reading the status acknowledges the interrupt
            update_irq();
            return status();
        default: return all_ones;
    }
}

void IdeController::port_write(uint16_t port, unsigned size, uint32_t value) {
    const uint8_t byte = static_cast<uint8_t>(value);
    if (port == control_port_) {
        const bool was_reset = device_control_ & kDevControlSrst;
        device_control_ = byte;
        if (byte & kDevControlSrst) {
            transfer_ = Transfer::None;
            for (unsigned u = 0; u < 2; ++u)
                if (drives_[u]) status_[u] = kBsy;
        } else if (was_reset) {
            software_reset();  // SRST released: the drives come back with their signature
        }
        update_irq();
        return;
    }
    switch (port - base_) {
        case 0:
            if (selected()) write_data(size, value);
            return;
        case 1: features_ = byte; return;
        case 2: sector_count_ = byte; return;
        case 3: sector_number_ = byte; return;
        case 4: cylinder_low_ = byte; return;
        case 5: cylinder_high_ = byte; return;
        case 6: drive_head_ = byte; return;
        case 7:
            if (device_control_ & kDevControlSrst) return;  // in reset
            execute(byte);
            return;
        default: return;
    }
}

}  // namespace pc386

namespace pc386 {

void IdeController::transfer_state(StateArchive& ar) {
    ar.section("ide");
    for (unsigned unit = 0; unit < 2; ++unit) {
        ar.expect(drives_[unit] != nullptr, unit ? "a slave drive" : "a master drive");
        if (drives_[unit]) drives_[unit]->transfer_state(ar);
    }
    ar.field(status_);
    ar.field(error_);
    for (uint8_t* r : {&features_, &sector_count_, &sector_number_, &cylinder_low_, &cylinder_high_, &drive_head_,
                       &device_control_})
        ar.field(*r);
    ar.field(intrq_);
    ar.field(irq_level_);
    uint8_t transfer = static_cast<uint8_t>(transfer_);
    ar.field(transfer);
    if (transfer > static_cast<uint8_t>(Transfer::Write)) ar.fail("an unknown transfer");
    transfer_ = static_cast<Transfer>(transfer);
    ar.byte_vector(buffer_, AtaDrive::kMaxMultiple * DiskImage::kSectorSize);
    ar.field(buffer_pos_);
    if (buffer_pos_ > buffer_.size()) ar.fail("a buffer position beyond the buffer");
    ar.field(transfer_lba_);
    ar.field(transfer_remaining_);
    ar.field(transfer_block_);
    ar.field(block_sectors_);
    ar.field(identify_transfer_);
}

}  // namespace pc386
