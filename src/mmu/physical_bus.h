// The physical address space: RAM, ROM regions, MMIO regions and the A20 gate. Everything the CPU
// reaches after paging goes through here (the TLB keeps host pointers into RAM/ROM pages so the
// common access skips it). Unmapped addresses read as all ones and ignore writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "base/mmio.h"
#include "base/state_archive.h"

namespace pc386 {

// Told when a write reaches a RAM page from which instructions were fetched (marked with
// PhysicalBus::mark_code_page), so that cached translations and pre-decoded instructions of that
// page can be dropped. The mark is cleared first: the next fetch from the page marks it again.
class CodeWriteObserver {
  public:
    virtual ~CodeWriteObserver() = default;
    virtual void code_page_written(uint32_t phys_page) = 0;
};

class PhysicalBus {
  public:
    // RAM of `ram_bytes` from address 0. The PC's hole at 0xA0000-0xFFFFF (VGA memory and ROMs)
    // shadows the RAM behind it, as on an AT.
    explicit PhysicalBus(uint32_t ram_bytes);

    uint32_t ram_size() const { return ram_size_; }
    uint8_t* ram() { return ram_.get(); }
    const uint8_t* ram() const { return ram_.get(); }

    // Read-only memory at [base, base + size); writes are ignored. Later mappings win over earlier ones.
    void map_rom(uint32_t base, std::vector<uint8_t> image);
    // A device answering [base, base + size). The handler gets offsets relative to base.
    void map_mmio(uint32_t base, uint32_t size, MmioHandler* handler);

    // A20 off: physical address bit 20 is forced to 0 (the 8086 wrap at 1 MiB).
    void set_a20(bool enabled) { a20_mask_ = enabled ? 0xFFFFFFFFu : 0xFFEFFFFFu; }
    bool a20() const { return a20_mask_ == 0xFFFFFFFFu; }
    uint32_t a20_mask() const { return a20_mask_; }

    uint8_t read8(uint32_t phys);
    uint16_t read16(uint32_t phys);
    uint32_t read32(uint32_t phys);
    void write8(uint32_t phys, uint8_t value);
    void write16(uint32_t phys, uint16_t value);
    void write32(uint32_t phys, uint32_t value);

    // What a page holds, for the TLB: a host pointer to the start of the 4 KiB page at `page`
    // (already A20-masked) if it is plain RAM or ROM covering the whole page (read-only), else
    // nullptr (MMIO, unmapped, or a page that mixes kinds).
    uint8_t* host_page_for_read(uint32_t page);
    // The O(1) case of the above, for the page walk and the TLB fill: a host pointer to the start
    // of the page holding `phys` (A20 applied by the caller) when that page is plain RAM (inside
    // RAM, outside the PC hole, under no ROM or MMIO mapping), else nullptr. With `for_write`, also
    // nullptr for a page holding fetched code: writes there must go through the bus, which reports
    // them. One byte looked up per call.
    uint8_t* plain_ram_page(uint32_t phys, bool for_write) {
        const uint32_t pfn = phys >> 12;
        if (pfn >= page_bits_.size() || (page_bits_[pfn] & (for_write ? kNotPlainRam | kCode : kNotPlainRam)))
            return nullptr;
        return ram_.get() + (phys & 0xFFFFF000u);
    }

    // Code tracking: every write into RAM here (the CPU's slow path, tools, poke) checks the page's
    // mark and tells the observer. The TLB's fast write path never points at a marked page.
    void set_code_write_observer(CodeWriteObserver* observer) { code_observer_ = observer; }

    // A machine snapshot: RAM (a page of zeros travels as one byte) and the A20 gate. The ROMs are
    // not saved, only checked: loading with another BIOS fails. Loading forgets which pages held
    // code (the CPU drops its decoded instructions at the same time).
    void transfer_state(StateArchive& ar);
    // Marks the RAM page `pfn` as holding fetched code; false if it already was (or is not RAM).
    bool mark_code_page(uint32_t pfn) {
        if (pfn >= page_bits_.size() || (page_bits_[pfn] & kCode)) return false;
        page_bits_[pfn] |= kCode;
        return true;
    }
    bool is_code_page(uint32_t pfn) const { return pfn < page_bits_.size() && (page_bits_[pfn] & kCode); }

    // Tools: copy out `len` bytes of physical memory with no device side effects (MMIO and
    // unmapped bytes read as 0xFF). False if any byte was not RAM or ROM.
    bool peek(uint32_t phys, void* out, size_t len) const;
    // Tools: write RAM only. False (and nothing written) if any byte is not RAM.
    bool poke(uint32_t phys, const void* in, size_t len);

  private:
    struct Rom {
        uint32_t base, size;
        std::vector<uint8_t> data;
    };
    struct Mmio {
        uint32_t base, size;
        MmioHandler* handler;
    };
    bool is_ram(uint32_t phys) const { return phys < ram_size_ && (phys < 0xA0000 || phys >= 0x100000); }
    const Rom* find_rom(uint32_t phys) const;
    const Mmio* find_mmio(uint32_t phys) const;
    // A write to RAM at `phys` (A20 applied): clears the page's code mark and reports it.
    void note_write(uint32_t phys) {
        if (is_code_page(phys >> 12)) code_page_written(phys >> 12);
    }
    void code_page_written(uint32_t pfn);
    // Marks the RAM pages that [base, base + size) overlaps as not plain RAM (a ROM or MMIO mapping).
    void shadow_ram(uint32_t base, uint64_t size);

    // calloc: the host gives zero pages lazily, so a large --mem costs only what the guest touches.
    struct FreeDeleter {
        void operator()(uint8_t* p) const { std::free(p); }
    };
    uint32_t ram_size_;
    std::unique_ptr<uint8_t[], FreeDeleter> ram_;
    std::vector<Rom> roms_;    // few: BIOS, its mirror, option ROMs
    std::vector<Mmio> mmios_;  // few: VGA
    uint32_t a20_mask_ = 0xFFFFFFFFu;
    // One byte per RAM page: kCode, instructions were fetched from it; kNotPlainRam, some of it is
    // not RAM (the PC hole, the end of a RAM size that is not a whole page, a ROM or MMIO mapping).
    static constexpr uint8_t kCode = 1, kNotPlainRam = 2;
    std::vector<uint8_t> page_bits_;
    CodeWriteObserver* code_observer_ = nullptr;
};

}  // namespace pc386
