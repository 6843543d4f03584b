#include "mmu/physical_bus.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>

#include "base/fnv1a.h"

namespace pc386 {

PhysicalBus::PhysicalBus(uint32_t ram_bytes)
    : ram_size_(ram_bytes),
      ram_(static_cast<uint8_t*>(std::calloc(ram_bytes ? ram_bytes : 1, 1))),
      page_bits_((uint64_t{ram_bytes} + 4095) >> 12, 0) {
    if (!ram_) throw std::bad_alloc();
    shadow_ram(0xA0000, 0x60000);                              // the PC hole
    if (ram_bytes & 0xFFF) page_bits_.back() |= kNotPlainRam;  // a partial last page
}

void PhysicalBus::shadow_ram(uint32_t base, uint64_t size) {
    const uint64_t end = std::min<uint64_t>((uint64_t{base} + size + 0xFFF) >> 12, page_bits_.size());
    for (uint64_t pfn = base >> 12; pfn < end; ++pfn) page_bits_[pfn] |= kNotPlainRam;
}

void PhysicalBus::map_rom(uint32_t base, std::vector<uint8_t> image) {
    if (image.empty() || uint64_t{base} + image.size() > 0x100000000ull)
        throw std::invalid_argument("ROM region outside the 4 GiB address space");
    uint32_t size = static_cast<uint32_t>(image.size());
    shadow_ram(base, size);
    roms_.insert(roms_.begin(), Rom{base, size, std::move(image)});
}

void PhysicalBus::map_mmio(uint32_t base, uint32_t size, MmioHandler* handler) {
    if (size == 0 || uint64_t{base} + size > 0x100000000ull)
        throw std::invalid_argument("MMIO region outside the 4 GiB address space");
    shadow_ram(base, size);
    mmios_.insert(mmios_.begin(), Mmio{base, size, handler});
}

const PhysicalBus::Rom* PhysicalBus::find_rom(uint32_t phys) const {
    for (const Rom& r : roms_)
        if (phys - r.base < r.size) return &r;
    return nullptr;
}

const PhysicalBus::Mmio* PhysicalBus::find_mmio(uint32_t phys) const {
    for (const Mmio& m : mmios_)
        if (phys - m.base < m.size) return &m;
    return nullptr;
}

uint8_t PhysicalBus::read8(uint32_t phys) {
    phys &= a20_mask_;
    if (const Mmio* m = find_mmio(phys))
        return static_cast<uint8_t>(m->handler->mmio_read(phys - m->base, 1));
    if (const Rom* r = find_rom(phys)) return r->data[phys - r->base];
    if (is_ram(phys)) return ram_[phys];
    return 0xFF;
}

// Wider accesses: whole when the access lies inside one region of one kind, else byte by byte
// (so an access straddling RAM and a hole gets each byte from where it lives).
uint16_t PhysicalBus::read16(uint32_t phys) {
    uint32_t p = phys & a20_mask_;
    if (is_ram(p) && is_ram(p + 1)) {
        uint16_t v;
        std::memcpy(&v, &ram_[p], 2);
        return v;
    }
    if (const Mmio* m = find_mmio(p); m && p + 1 - m->base < m->size)
        return static_cast<uint16_t>(m->handler->mmio_read(p - m->base, 2));
    return static_cast<uint16_t>(read8(phys) | read8(phys + 1) << 8);
}

uint32_t PhysicalBus::read32(uint32_t phys) {
    uint32_t p = phys & a20_mask_;
    if (is_ram(p) && is_ram(p + 3)) {
        uint32_t v;
        std::memcpy(&v, &ram_[p], 4);
        return v;
    }
    if (const Mmio* m = find_mmio(p); m && p + 3 - m->base < m->size)
        return m->handler->mmio_read(p - m->base, 4);
    return uint32_t{read16(phys)} | uint32_t{read16(phys + 2)} << 16;
}

void PhysicalBus::write8(uint32_t phys, uint8_t value) {
    phys &= a20_mask_;
    if (const Mmio* m = find_mmio(phys)) return m->handler->mmio_write(phys - m->base, 1, value);
    if (find_rom(phys)) return;  // ROM ignores writes
    if (is_ram(phys)) {
        note_write(phys);
        ram_[phys] = value;
    }
}

void PhysicalBus::write16(uint32_t phys, uint16_t value) {
    uint32_t p = phys & a20_mask_;
    if (const Mmio* m = find_mmio(p); m && p + 1 - m->base < m->size)
        return m->handler->mmio_write(p - m->base, 2, value);
    if (is_ram(p) && is_ram(p + 1) && !find_rom(p) && !find_rom(p + 1)) {
        note_write(p);
        note_write(p + 1);
        std::memcpy(&ram_[p], &value, 2);
        return;
    }
    write8(phys, static_cast<uint8_t>(value));
    write8(phys + 1, static_cast<uint8_t>(value >> 8));
}

void PhysicalBus::write32(uint32_t phys, uint32_t value) {
    uint32_t p = phys & a20_mask_;
    if (const Mmio* m = find_mmio(p); m && p + 3 - m->base < m->size)
        return m->handler->mmio_write(p - m->base, 4, value);
    if (is_ram(p) && is_ram(p + 3) && !find_rom(p) && !find_rom(p + 3)) {
        note_write(p);
        note_write(p + 3);
        std::memcpy(&ram_[p], &value, 4);
        return;
    }
    write16(phys, static_cast<uint16_t>(value));
    write16(phys + 2, static_cast<uint16_t>(value >> 16));
}

uint8_t* PhysicalBus::host_page_for_read(uint32_t page) {
    if (uint8_t* ram = plain_ram_page(page, false)) return ram;
    for (const Mmio& m : mmios_)
        if (page < m.base + m.size && m.base < page + 4096) return nullptr;
    for (Rom& r : roms_) {
        if (page < r.base + r.size && r.base < page + 4096) {
            // A ROM page is fast only when the ROM covers it whole.
            return (page >= r.base && page + 4096 <= r.base + r.size) ? r.data.data() + (page - r.base)
                                                                      : nullptr;
        }
    }
    if (is_ram(page) && is_ram(page + 4095)) return &ram_[page];
    return nullptr;
}

bool PhysicalBus::peek(uint32_t phys, void* out, size_t len) const {
    auto* dst = static_cast<uint8_t*>(out);
    bool all_memory = true;
    for (size_t i = 0; i < len; ++i) {
        uint32_t p = (phys + static_cast<uint32_t>(i)) & a20_mask_;
        if (find_mmio(p)) {
            dst[i] = 0xFF;
            all_memory = false;
        } else if (const Rom* r = find_rom(p)) {
            dst[i] = r->data[p - r->base];
        } else if (is_ram(p)) {
            dst[i] = ram_[p];
        } else {
            dst[i] = 0xFF;
            all_memory = false;
        }
    }
    return all_memory;
}

// Page by page (a kernel image is megabytes): a page the page map says is plain RAM is checked and
// copied whole; one that a ROM or MMIO mapping covers in part, or the hole, byte by byte. Nothing
// is written unless every byte is RAM.
bool PhysicalBus::poke(uint32_t phys, const void* in, size_t len) {
    for (size_t i = 0; i < len;) {
        const uint32_t p = (phys + static_cast<uint32_t>(i)) & a20_mask_;
        const size_t chunk = std::min<size_t>(len - i, 0x1000 - (p & 0xFFF));
        if (!plain_ram_page(p, false)) {
            for (size_t k = 0; k < chunk; ++k) {
                const uint32_t b = (p + static_cast<uint32_t>(k)) & a20_mask_;
                if (!is_ram(b) || find_rom(b) || find_mmio(b)) return false;
            }
        }
        i += chunk;
    }
    const auto* src = static_cast<const uint8_t*>(in);
    for (size_t i = 0; i < len;) {
        const uint32_t p = (phys + static_cast<uint32_t>(i)) & a20_mask_;
        const size_t chunk = std::min<size_t>(len - i, 0x1000 - (p & 0xFFF));
        note_write(p);
        std::memcpy(ram_.get() + p, src + i, chunk);
        i += chunk;
    }
    return true;
}

void PhysicalBus::code_page_written(uint32_t pfn) {
    page_bits_[pfn] &= ~kCode;
    if (code_observer_) code_observer_->code_page_written(pfn);
}

}  // namespace pc386

namespace pc386 {

void PhysicalBus::transfer_state(StateArchive& ar) {
    ar.section("ram");
    ar.expect(ram_size_, "RAM size in bytes");
    Fnv1a rom_hash;  // every ROM's place and contents
    for (const Rom& rom : roms_) rom_hash.add_le32(rom.base).add_le32(rom.size).add(rom.data);
    ar.expect(rom_hash.value(), "the BIOS (a hash of the ROMs)");
    ar.field(a20_mask_);
    if (a20_mask_ != 0xFFFFFFFFu && a20_mask_ != 0xFFEFFFFFu)
        ar.fail("an A20 gate that is neither on nor off");
    static constexpr uint8_t kZeros[4096] = {};
    for (uint64_t offset = 0; offset < ram_size_; offset += sizeof kZeros) {
        const size_t size = static_cast<size_t>(std::min<uint64_t>(sizeof kZeros, ram_size_ - offset));
        uint8_t* page = ram_.get() + offset;
        bool nonzero = std::memcmp(page, kZeros, size) != 0;
        ar.field(nonzero);
        if (nonzero)
            ar.bytes(page, size);
        else if (ar.loading())
            std::memset(page, 0, size);
    }
    if (ar.loading())
        for (uint8_t& bits : page_bits_) bits &= ~kCode;
}

}  // namespace pc386
