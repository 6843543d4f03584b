// Linear -> physical: the 386's two-level paging behind a host-pointer TLB.
//
// A linear address (paging on) splits 10/10/12:
//
//    31          22 21          12 11           0
//   +--------------+--------------+--------------+
//   |  directory   |    table     |    offset    |
//   +--------------+--------------+--------------+
//   CR3 -> page directory[dir] -> page table[table] -> 4 KiB frame + offset
//
// The TLB is direct-mapped by linear page, one array per (user/supervisor) x (read/write/fetch).
// An entry holds a tag and an addend such that host = addend + linear, so a hit is one compare
// (tag, plus a page-crossing test) and a host load. The tag is the linear page with the TLB's
// generation in its low 12 bits: a flush (every CR3 load) only moves to the next generation, O(1),
// and the entries of older generations no longer match (all are cleared once per 4,095 flushes,
// when the generation wraps). The 486 has no global pages (PGE came with the Pentium Pro), so a
// flush drops every entry. Entries exist only for RAM/ROM pages: MMIO, page-crossing accesses, the
// first write to a clean page (to set D) and writes to pages holding fetched code all take the
// slow path (the bus tracks which pages those are).
//
// A miss walks the tables through host pointers when the directory and table pages are plain RAM
// (the bus says so with one byte per page; tables in ROM or MMIO go through the bus), sets A and D
// in place, and hands the data page's host address back so the access that missed completes
// without another lookup. As the 386 caches one translation per page, a read's walk fills the
// write entry too when a write could not fault and D is set, and a write's walk the read entry
// (fill_sibling): reading a page and then writing it walks once. The MMU never calls the CPU: a failed
// translation raises a page fault through the FaultUnwinder it holds (guest_fault.h), which the CPU catches
// at the instruction boundary.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "base/event_log.h"
#include "base/state_archive.h"
#include "mmu/access_heat.h"
#include "mmu/cr0_bits.h"
#include "mmu/guest_fault.h"
#include "mmu/mmu_stats.h"
#include "mmu/physical_bus.h"
#include "mmu/watchpoints.h"

namespace pc386 {

// One run of a page-table walk, for tools: `length` bytes of linear space from `linear` mapped
// contiguously to `physical` with the same flags.
struct Mapping {
    uint32_t linear = 0;
    uint32_t physical = 0;
    uint32_t length = 0;
    bool writable = false;  // R/W of both levels
    bool user = false;      // U/S of both levels
    bool accessed = false;  // PTE A
    bool dirty = false;     // PTE D
};

class Mmu : public CodeWriteObserver {
  public:
    explicit Mmu(PhysicalBus& bus);
    ~Mmu() override;
    Mmu(const Mmu&) = delete;
    Mmu& operator=(const Mmu&) = delete;
    PhysicalBus& bus() { return bus_; }
    // The machine's one way from a fault to the instruction boundary (guest_fault.h). The MMU holds
    // it because most faults are found here; the CPU raises its own exceptions through it too.
    FaultUnwinder& faults() { return faults_; }

    // CR0 and CR3 live here and nowhere else: paging reads them on every walk, the CPU reads them
    // through (Cpu::cr0(), Cpu::cr3()) and checks what a guest may write before set_cr0. PG (with
    // PE) turns paging on; WP (486) makes supervisor writes to read-only pages fault too; a change
    // of either flushes the TLB. Every CR3 load flushes it (the 386 and 486 have no global pages).
    void set_cr0(uint32_t value);
    uint32_t cr0() const { return cr0_; }
    void set_cr3(uint32_t value);
    uint32_t cr3() const { return cr3_; }
    bool paging() const { return paging_; }
    bool write_protect() const { return write_protect_; }
    // For a bare MMU (its tests, the benchmarks): CR0 with PG and PE both set or PG clear, or WP.
    void set_paging(bool enabled);
    void set_write_protect(bool enabled);
    void flush_tlb();
    void invalidate_page(uint32_t linear);  // INVLPG: every cached translation of this linear page
    // The A20 gate changes what physical pages the TLB's entries point at: the machine calls this.
    void a20_changed() { flush_tlb(); }
    // A machine snapshot: CR0, CR3 and the counters. Loading empties the TLB (what it
    // cached is not architectural state a snapshot needs to keep; QEMU does not keep it either).
    void transfer_state(StateArchive& ar);

    uint8_t read8(uint32_t lin, bool user) {
        const Entry& e = tlb_[slot(user, kRead)][index(lin)];
        if (e.tag == tag_of(lin)) return hit8(e, lin);
        return static_cast<uint8_t>(read_slow(lin, 1, user, kRead));
    }
    uint16_t read16(uint32_t lin, bool user) {
        const Entry& e = tlb_[slot(user, kRead)][index(lin)];
        if (e.tag == tag_of(lin) && (lin & 0xFFF) <= 0xFFE) return hit<uint16_t>(e, lin);
        return static_cast<uint16_t>(read_slow(lin, 2, user, kRead));
    }
    uint32_t read32(uint32_t lin, bool user) {
        const Entry& e = tlb_[slot(user, kRead)][index(lin)];
        if (e.tag == tag_of(lin) && (lin & 0xFFF) <= 0xFFC) return hit<uint32_t>(e, lin);
        return read_slow(lin, 4, user, kRead);
    }
    uint8_t fetch8(uint32_t lin, bool user) {
        const Entry& e = tlb_[slot(user, kFetch)][index(lin)];
        if (e.tag == tag_of(lin)) return hit8(e, lin);
        return static_cast<uint8_t>(read_slow(lin, 1, user, kFetch));
    }
    uint16_t fetch16(uint32_t lin, bool user) {
        const Entry& e = tlb_[slot(user, kFetch)][index(lin)];
        if (e.tag == tag_of(lin) && (lin & 0xFFF) <= 0xFFE) return hit<uint16_t>(e, lin);
        return static_cast<uint16_t>(read_slow(lin, 2, user, kFetch));
    }
    uint32_t fetch32(uint32_t lin, bool user) {
        const Entry& e = tlb_[slot(user, kFetch)][index(lin)];
        if (e.tag == tag_of(lin) && (lin & 0xFFF) <= 0xFFC) return hit<uint32_t>(e, lin);
        return read_slow(lin, 4, user, kFetch);
    }
    void write8(uint32_t lin, uint8_t v, bool user) {
        const Entry& e = tlb_[slot(user, kWrite)][index(lin)];
        if (e.tag == tag_of(lin)) return put(e, lin, v);
        write_slow(lin, 1, v, user);
    }
    void write16(uint32_t lin, uint16_t v, bool user) {
        const Entry& e = tlb_[slot(user, kWrite)][index(lin)];
        if (e.tag == tag_of(lin) && (lin & 0xFFF) <= 0xFFE) return put(e, lin, v);
        write_slow(lin, 2, v, user);
    }
    void write32(uint32_t lin, uint32_t v, bool user) {
        const Entry& e = tlb_[slot(user, kWrite)][index(lin)];
        if (e.tag == tag_of(lin) && (lin & 0xFFF) <= 0xFFC) return put(e, lin, v);
        write_slow(lin, 4, v, user);
    }

    // The host address of `bytes` at `lin` when the TLB already holds a fast-path entry for
    // them (plain RAM/ROM; for a write a dirty page with no fetched code and no watchpoint), else
    // nullptr; never walks, never faults. `accesses` is how many guest accesses the caller makes
    // through it (counted as TLB hits). For REP string instructions within a page.
    uint8_t* cached_host(uint32_t lin, uint32_t bytes, bool user, bool write, uint32_t accesses) {
        const Entry& e = tlb_[slot(user, write ? kWrite : kRead)][index(lin)];
        if (e.tag != tag_of(lin) || (lin & 0xFFF) + bytes > 0x1000) return nullptr;
        hits_ += accesses;
        return reinterpret_cast<uint8_t*>(e.addend + lin);
    }

    // Fault now (raise a page fault) if a write/read of `len` bytes at `lin` could fault later: lets
    // instructions that write several places check them all before changing anything.
    void probe_write(uint32_t lin, unsigned len, bool user);
    void probe_read(uint32_t lin, unsigned len, bool user);

    // Debugger watchpoints (watchpoints.h); nullptr: none. Call again after changing the set: the
    // TLB is flushed so that watched pages lose their fast-path entries.
    void set_watchpoints(const Watchpoints* watchpoints) {
        watches_ = watchpoints && !watchpoints->empty() ? watchpoints : nullptr;
        flush_tlb();
    }

    // Counting accesses per frame at each TLB fill (access_heat.h, the window's heat map);
    // nullptr: off.
    void set_access_heat(AccessHeat* heat) { heat_ = heat; }

    // The event stream (TLB flushes, INVLPG); nullptr: none.
    void set_event_log(EventLog* log) { events_ = log; }

    // The CPU's pre-decoded instruction cache. Without one, code pages are not tracked at all.
    void set_code_write_observer(CodeWriteObserver* observer) { observer_ = observer; }
    void code_page_written(uint32_t phys_page) override;  // from the bus

    // For the pre-decoded instruction cache: the host page holding linear `lin` for an instruction
    // fetch (translated and checked as a fetch is, and marked as code), or nullptr when that page
    // is not plain RAM/ROM. May raise a page fault. Valid while translation_epoch() is unchanged.
    const uint8_t* fetch_page(uint32_t lin, bool user);
    // Changes whenever a translation may have changed or a code page was written: TLB flushes,
    // INVLPG, code writes.
    uint64_t translation_epoch() const { return epoch_; }
    // A flag raised whenever translation_epoch() changes (the CPU's attention flag: its threaded
    // loop follows records within one code page without testing the epoch); nullptr: none.
    void watch_translations(bool* changed) { translations_changed_ = changed; }

    const MmuStats& stats() const {
        stats_.tlb_hits = hits_;
        return stats_;
    }
    void reset_stats() {
        stats_ = {};
        hits_ = 0;
    }

    // Introspection for tools: no A/D updates, no faults, no counters.
    std::optional<uint32_t> translate(uint32_t lin, uint32_t cr3, bool paging) const;
    std::vector<Mapping> walk(uint32_t cr3) const;
    bool read_linear(uint32_t lin, void* out, size_t len) const;
    // Writes through the current page tables (a debugger's poke): no A/D updates, no faults, no
    // protection checks; a write to a fetched code page is reported like any other. False (some
    // bytes may be written) when a byte is unmapped or outside RAM.
    bool write_linear(uint32_t lin, const void* in, size_t len);

  private:
    static constexpr unsigned kTlbSize = 1024;  // entries per array (4 MiB of linear space)
    enum Kind : unsigned { kRead = 0, kWrite = 1, kFetch = 2 };
    // Generation 0 is never current, so a cleared tag (0) matches nothing.
    static constexpr uint32_t kInvalidTag = 0, kGenerations = 0x1000;

    struct Entry {
        uint32_t tag = kInvalidTag;  // linear page (bits 31-12) | generation (bits 11-0)
        uintptr_t addend = 0;        // host address = addend + linear
    };
    // What a walk found for one access: the physical address, and the host address of the same
    // byte when the access may touch it directly (plain memory; for a write, a page without
    // fetched code), else nullptr: the access goes through the bus.
    struct Translation {
        uint32_t phys;
        uint8_t* host;
    };

    static unsigned index(uint32_t lin) { return (lin >> 12) & (kTlbSize - 1); }
    uint32_t tag_of(uint32_t lin) const { return (lin & 0xFFFFF000u) | generation_; }
    bool live(const Entry& e) const { return (e.tag & (kGenerations - 1)) == generation_; }
    static unsigned slot(bool user, Kind kind) { return (user ? 3u : 0u) + kind; }

    uint8_t hit8(const Entry& e, uint32_t lin) {
        ++hits_;
        return *reinterpret_cast<const uint8_t*>(e.addend + lin);
    }
    template <typename T>
    T hit(const Entry& e, uint32_t lin) {
        ++hits_;
        T v;
        std::memcpy(&v, reinterpret_cast<const void*>(e.addend + lin), sizeof v);
        return v;
    }
    template <typename T>
    void put(const Entry& e, uint32_t lin, T v) {
        ++hits_;
        std::memcpy(reinterpret_cast<void*>(e.addend + lin), &v, sizeof v);
    }

    // Translates one access that lies within one page: checks protection, sets A (and D on a
    // write) and fills the TLB when the page allows it. With `commit` false it only checks (probe).
    // Raises a page fault.
    Translation translate_access(uint32_t lin, bool user, Kind kind, bool commit = true);
    // A page-table entry's new A/D bits, written where the entry lives: in place when its page is
    // plain RAM holding no fetched code, else through the bus.
    void update_entry(uint8_t* table_page, uint32_t entry_phys, uint32_t value);
    [[noreturn]] void fault(uint32_t lin, uint32_t error_code, Kind kind);
    void count_miss() {
        ++stats_.tlb_misses;
        if (!paging_) ++stats_.misses_paging_off;
    }
    uint32_t read_slow(uint32_t lin, unsigned size, bool user, Kind kind);
    void write_slow(uint32_t lin, unsigned size, uint32_t value, bool user);
    // Returns the host page for this access (nullptr: use the bus) and fills the TLB with it.
    uint8_t* fill(uint32_t lin, uint32_t phys_page, bool user, Kind kind);
    void fill_sibling(uint32_t lin, uint32_t phys_page, bool user, Kind kind, bool write_ok);
    void invalidate_host_page(unsigned first_slot, unsigned last_slot, const uint8_t* host);
    void mark_code_page(uint32_t phys_page);

    PhysicalBus& bus_;
    FaultUnwinder faults_;
    uint32_t cr0_ = cr0::ET;
    uint32_t cr3_ = 0;
    bool paging_ = false;         // CR0.PG and PE, kept by set_cr0 for the walk's one test
    bool write_protect_ = false;  // CR0.WP, likewise
    std::array<std::array<Entry, kTlbSize>, 6> tlb_{};
    uint32_t generation_ = 1;  // 1 .. kGenerations - 1
    uint32_t live_ = 0;        // entries filled in this generation and not invalidated since
    uint64_t epoch_ = 0;
    bool* translations_changed_ = nullptr;
    void new_epoch() {
        ++epoch_;
        if (translations_changed_) *translations_changed_ = true;
    }
    CodeWriteObserver* observer_ = nullptr;
    EventLog* events_ = nullptr;
    const Watchpoints* watches_ = nullptr;
    AccessHeat* heat_ = nullptr;
    uint64_t hits_ = 0;
    mutable MmuStats stats_;
};

}  // namespace pc386
