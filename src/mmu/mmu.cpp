#include "mmu/mmu.h"

#include <fmt/format.h>

namespace pc386 {
namespace {

constexpr uint32_t kPresent = 0x001, kWritable = 0x002, kUser = 0x004, kAccessed = 0x020, kDirty = 0x040;

// Guest memory through a host pointer (fixed sizes, so the compiler emits one move).
template <typename T>
T load(const uint8_t* at) {
    T v;
    std::memcpy(&v, at, sizeof v);
    return v;
}
template <typename T>
void store(uint8_t* at, T v) {
    std::memcpy(at, &v, sizeof v);
}

}  // namespace

Mmu::Mmu(PhysicalBus& bus) : bus_(bus) {
    bus_.set_code_write_observer(this);
}

Mmu::~Mmu() {
    bus_.set_code_write_observer(nullptr);
}

const uint8_t* Mmu::fetch_page(uint32_t lin, bool user) {
    const Entry* e = &tlb_[slot(user, kFetch)][index(lin)];
    if (e->tag == tag_of(lin)) {
        ++hits_;
    } else {
        count_miss();
        translate_access(lin, user, kFetch);
        if (e->tag != tag_of(lin)) return nullptr;  // MMIO or unmapped: no host page
    }
    return reinterpret_cast<const uint8_t*>(e->addend + (lin & 0xFFFFF000u));
}

void Mmu::set_cr0(uint32_t value) {
    cr0_ = value;
    const bool paging = (value & cr0::PG) && (value & cr0::PE);
    const bool write_protect = (value & cr0::WP) != 0;
    if (paging == paging_ && write_protect == write_protect_) return;
    paging_ = paging;
    write_protect_ = write_protect;
    flush_tlb();  // the entries were filled under the other rules
}

void Mmu::set_paging(bool enabled) {
    set_cr0(enabled ? cr0_ | cr0::PG | cr0::PE : cr0_ & ~cr0::PG);
}

void Mmu::set_write_protect(bool enabled) {
    set_cr0(enabled ? cr0_ | cr0::WP : cr0_ & ~cr0::WP);
}

void Mmu::set_cr3(uint32_t value) {
    cr3_ = value;
    flush_tlb();  // the 386 flushes the whole TLB on every CR3 write
}

// O(1): the next generation's tags match no entry filled before. When the generation wraps, the
// entries are cleared, or those of 4,095 flushes ago would match again.
void Mmu::flush_tlb() {
    ++stats_.tlb_flushes;
    new_epoch();
    if (events_ && events_->on()) events_->record(EventKind::TlbFlush, live_);
    live_ = 0;
    if (++generation_ == kGenerations) {
        generation_ = 1;
        for (auto& array : tlb_)
            for (Entry& e : array) e.tag = kInvalidTag;
    }
}

void Mmu::invalidate_page(uint32_t linear) {
    ++stats_.tlb_invlpg;
    new_epoch();
    if (events_ && events_->on()) events_->record(EventKind::Invlpg, linear);
    for (auto& array : tlb_) {
        Entry& e = array[index(linear)];
        if (e.tag == tag_of(linear)) {
            e.tag = kInvalidTag;
            --live_;
        }
    }
}

void Mmu::fault(uint32_t lin, uint32_t error_code, Kind kind) {
    const bool protection = error_code & pf_error::kPresent;
    switch (kind) {
        case kRead: ++(protection ? stats_.faults_protection_read : stats_.faults_not_present_read); break;
        case kWrite: ++(protection ? stats_.faults_protection_write : stats_.faults_not_present_write); break;
        case kFetch: ++(protection ? stats_.faults_protection_fetch : stats_.faults_not_present_fetch); break;
    }
    ++((error_code & pf_error::kUser) ? stats_.faults_user : stats_.faults_supervisor);
    faults_.raise(GuestFault{kPageFaultVector, true, error_code, lin});
}

// The 386's rules: a page is usable from user mode only if U/S is set at both levels, writable
// from user mode only if R/W is also set at both levels; supervisor accesses ignore both, unless
// the 486's CR0.WP is set: then a supervisor write needs R/W at both levels too (error code P|W =
// 3). A is set at both levels on any access, D on the PTE on a write. The entries are read and
// updated through host pointers when their pages are plain RAM (the common case, one byte of the
// bus's page map to find out), else through the bus (tables in ROM, in MMIO or above RAM).
Mmu::Translation Mmu::translate_access(uint32_t lin, bool user, Kind kind, bool commit) {
    const bool write = kind == kWrite;
    const uint32_t access_bits = (write ? pf_error::kWrite : 0) | (user ? pf_error::kUser : 0);
    if (!paging_) {
        if (!commit) return {lin, nullptr};
        uint8_t* page = fill(lin, lin & 0xFFFFF000u, user, kind);
        if (page) fill_sibling(lin, lin & 0xFFFFF000u, user, kind, true);
        return {lin, page ? page + (lin & 0xFFF) : nullptr};
    }
    ++(commit ? stats_.page_walks : stats_.probe_walks);
    const uint32_t a20 = bus_.a20_mask();
    const uint32_t pde_addr = ((cr3_ & 0xFFFFF000u) + ((lin >> 22) << 2)) & a20;
    uint8_t* const directory = bus_.plain_ram_page(pde_addr, false);
    const uint32_t pde = directory ? load<uint32_t>(directory + (pde_addr & 0xFFF)) : bus_.read32(pde_addr);
    if (!(pde & kPresent)) fault(lin, access_bits, kind);
    const uint32_t pte_addr = ((pde & 0xFFFFF000u) + (((lin >> 12) & 0x3FF) << 2)) & a20;
    uint8_t* const table = bus_.plain_ram_page(pte_addr, false);
    const uint32_t pte = table ? load<uint32_t>(table + (pte_addr & 0xFFF)) : bus_.read32(pte_addr);
    if (!(pte & kPresent)) fault(lin, access_bits, kind);
    if (user) {
        const uint32_t rights = pde & pte;
        if (!(rights & kUser) || (write && !(rights & kWritable)))
            fault(lin, access_bits | pf_error::kPresent, kind);
    } else if (write && write_protect_ && !(pde & pte & kWritable)) {
        fault(lin, access_bits | pf_error::kPresent, kind);
    }
    const uint32_t phys_page = pte & 0xFFFFF000u;
    const uint32_t phys = phys_page | (lin & 0xFFF);
    if (!commit) return {phys, nullptr};
    if (!(pde & kAccessed)) update_entry(directory, pde_addr, pde | kAccessed);
    const uint32_t new_pte = pte | kAccessed | (write ? kDirty : 0);
    if (new_pte != pte) update_entry(table, pte_addr, new_pte);
    uint8_t* page = fill(lin, phys_page, user, kind);
    if (page) {
        const bool writable = (user || write_protect_) ? (pde & pte & kWritable) != 0 : true;
        fill_sibling(lin, phys_page, user, kind, writable && (new_pte & kDirty));
    }
    return {phys, page ? page + (lin & 0xFFF) : nullptr};
}

// The 386 caches one translation per page for reads and writes (with the D bit): after a walk
// for a read, the write entry is filled too when a write could not fault and needs no walk to set
// D (`write_ok`); after a walk for a write, the read entry. So code that reads a page and then
// writes it walks once. fill() still leaves out code pages (writes), ROM (writes) and watched
// pages. Not while the heat map is on: it counts fills by kind, and a write entry filled by a read
// would make later writes to the page invisible to it.
void Mmu::fill_sibling(uint32_t lin, uint32_t phys_page, bool user, Kind kind, bool write_ok) {
    if (heat_) return;
    if (kind == kRead && write_ok)
        fill(lin, phys_page, user, kWrite);
    else if (kind == kWrite)
        fill(lin, phys_page, user, kRead);
}

void Mmu::update_entry(uint8_t* table_page, uint32_t entry_phys, uint32_t value) {
    if (table_page && !bus_.is_code_page(entry_phys >> 12))
        store(table_page + (entry_phys & 0xFFF), value);
    else
        bus_.write32(entry_phys, value);  // reports a write to a code page, ignores ROM
}

// Fills the TLB entry for this access kind when the page is plain memory. A write entry needs D
// set (the walk that serves a write has just set it, so the first write to a clean page still
// walks) and a page that holds no fetched code (so code writes are seen). Watched pages get no
// entry, but the access that missed still uses the host page (it checks the watchpoints itself).
inline uint8_t* Mmu::fill(uint32_t lin, uint32_t phys_page, bool user, Kind kind) {
    phys_page &= bus_.a20_mask();
    uint8_t* host = bus_.plain_ram_page(phys_page, kind == kWrite);
    if (!host && kind != kWrite) host = bus_.host_page_for_read(phys_page);  // ROM
    if (watches_ && kind != kFetch && watches_->watches_page(lin & 0xFFFFF000u))
        return host;  // see watchpoints.h
    static_assert(unsigned(AccessHeat::kRead) == kRead && unsigned(AccessHeat::kWrite) == kWrite &&
                  unsigned(AccessHeat::kFetch) == kFetch);
    if (heat_) heat_->note(phys_page >> 12, kind);  // the heat map, when a tool attached one
    if (!host) return nullptr;
    if (kind == kFetch) mark_code_page(phys_page >> 12);
    Entry& e = tlb_[slot(user, kind)][index(lin)];
    if (!live(e)) ++live_;
    e.tag = tag_of(lin);
    e.addend = reinterpret_cast<uintptr_t>(host) - (lin & 0xFFFFF000u);
    return host;
}

// Code tracking exists for a pre-decoded instruction cache; without an observer it costs nothing.
void Mmu::mark_code_page(uint32_t pfn) {
    if (!observer_ || !bus_.mark_code_page(pfn)) return;
    // Writes to this page must now take the slow path: drop fast write entries that point at it.
    invalidate_host_page(slot(false, kWrite), slot(true, kWrite), bus_.ram() + (uint64_t{pfn} << 12));
}

// The bus saw a write to a marked page (and cleared the mark). The next fetch from the page must
// re-mark it: drop fast fetch entries that point at it, and tell the CPU's cache.
void Mmu::code_page_written(uint32_t pfn) {
    ++stats_.code_page_writes;
    new_epoch();
    invalidate_host_page(slot(false, kFetch), slot(true, kFetch), bus_.ram() + (uint64_t{pfn} << 12));
    if (observer_) observer_->code_page_written(pfn);
}

void Mmu::invalidate_host_page(unsigned first_slot, unsigned last_slot, const uint8_t* host) {
    for (unsigned s = first_slot; s <= last_slot; s += 3) {
        for (Entry& e : tlb_[s]) {
            if (live(e) && e.addend + (e.tag & 0xFFFFF000u) == reinterpret_cast<uintptr_t>(host)) {
                e.tag = kInvalidTag;
                --live_;
            }
        }
    }
}

uint32_t Mmu::read_slow(uint32_t lin, unsigned size, bool user, Kind kind) {
    count_miss();
    const uint32_t in_page = 0x1000 - (lin & 0xFFF);
    if (size <= in_page) {
        const Translation t = translate_access(lin, user, kind);
        uint32_t value;
        if (t.host)
            value = size == 1 ? *t.host : size == 2 ? load<uint16_t>(t.host) : load<uint32_t>(t.host);
        else
            value = size == 1 ? bus_.read8(t.phys) : size == 2 ? bus_.read16(t.phys) : bus_.read32(t.phys);
        if (watches_ && kind != kFetch) watches_->check(lin, size, false);
        return value;
    }
    // Straddles two pages: translate both (either may fault) before reading.
    const uint32_t first = translate_access(lin, user, kind).phys;
    const uint32_t second = translate_access(lin + in_page, user, kind).phys;
    uint32_t value = 0;
    for (unsigned i = 0; i < size; ++i)
        value |= uint32_t{bus_.read8(i < in_page ? first + i : second + (i - in_page))} << (8 * i);
    if (watches_ && kind != kFetch) watches_->check(lin, size, false);
    return value;
}

void Mmu::write_slow(uint32_t lin, unsigned size, uint32_t value, bool user) {
    count_miss();
    const uint32_t in_page = 0x1000 - (lin & 0xFFF);
    if (size <= in_page) {
        const Translation t = translate_access(lin, user, kWrite);
        if (t.host) {
            switch (size) {
                case 1: *t.host = static_cast<uint8_t>(value); break;
                case 2: store(t.host, static_cast<uint16_t>(value)); break;
                default: store(t.host, value); break;
            }
        } else {
            switch (size) {
                case 1: bus_.write8(t.phys, static_cast<uint8_t>(value)); break;
                case 2: bus_.write16(t.phys, static_cast<uint16_t>(value)); break;
                default: bus_.write32(t.phys, value); break;
            }
        }
        if (watches_) watches_->check(lin, size, true);
        return;
    }
    // Straddles two pages: both must be writable before any byte is written.
    translate_access(lin, user, kWrite, false);
    translate_access(lin + in_page, user, kWrite, false);
    const uint32_t first = translate_access(lin, user, kWrite).phys;
    const uint32_t second = translate_access(lin + in_page, user, kWrite).phys;
    for (unsigned i = 0; i < size; ++i)
        bus_.write8(i < in_page ? first + i : second + (i - in_page), static_cast<uint8_t>(value >> (8 * i)));
    if (watches_) watches_->check(lin, size, true);
}

void Mmu::probe_write(uint32_t lin, unsigned len, bool user) {
    if (len == 0) return;
    for (uint32_t page = lin & 0xFFFFF000u;; page += 0x1000) {
        translate_access(page < lin ? lin : page, user, kWrite, false);
        if (page == ((lin + len - 1) & 0xFFFFF000u)) break;
    }
}

void Mmu::probe_read(uint32_t lin, unsigned len, bool user) {
    if (len == 0) return;
    for (uint32_t page = lin & 0xFFFFF000u;; page += 0x1000) {
        translate_access(page < lin ? lin : page, user, kRead, false);
        if (page == ((lin + len - 1) & 0xFFFFF000u)) break;
    }
}

std::optional<uint32_t> Mmu::translate(uint32_t lin, uint32_t cr3, bool paging) const {
    if (!paging) return lin;
    uint32_t pde = 0, pte = 0;
    if (!bus_.peek((cr3 & 0xFFFFF000u) + ((lin >> 22) << 2), &pde, 4) || !(pde & kPresent))
        return std::nullopt;
    if (!bus_.peek((pde & 0xFFFFF000u) + (((lin >> 12) & 0x3FF) << 2), &pte, 4) || !(pte & kPresent))
        return std::nullopt;
    return (pte & 0xFFFFF000u) | (lin & 0xFFF);
}

std::vector<Mapping> Mmu::walk(uint32_t cr3) const {
    std::vector<Mapping> runs;
    std::vector<uint32_t> directory(1024), table(1024);
    if (!bus_.peek(cr3 & 0xFFFFF000u, directory.data(), 4096)) return runs;
    for (uint32_t d = 0; d < 1024; ++d) {
        const uint32_t pde = directory[d];
        if (!(pde & kPresent) || !bus_.peek(pde & 0xFFFFF000u, table.data(), 4096)) continue;
        for (uint32_t t = 0; t < 1024; ++t) {
            const uint32_t pte = table[t];
            if (!(pte & kPresent)) continue;
            Mapping m;
            m.linear = d << 22 | t << 12;
            m.physical = pte & 0xFFFFF000u;
            m.length = 0x1000;
            m.writable = (pde & pte & kWritable) != 0;
            m.user = (pde & pte & kUser) != 0;
            m.accessed = (pte & kAccessed) != 0;
            m.dirty = (pte & kDirty) != 0;
            if (!runs.empty()) {
                Mapping& last = runs.back();
                if (last.linear + last.length == m.linear && last.physical + last.length == m.physical &&
                    last.writable == m.writable && last.user == m.user && last.accessed == m.accessed &&
                    last.dirty == m.dirty && last.length < 0xFFFFF000u) {
                    last.length += 0x1000;
                    continue;
                }
            }
            runs.push_back(m);
        }
    }
    return runs;
}

bool Mmu::read_linear(uint32_t lin, void* out, size_t len) const {
    auto* dst = static_cast<uint8_t*>(out);
    for (size_t i = 0; i < len; ++i) {
        auto phys = translate(lin + static_cast<uint32_t>(i), cr3_, paging_);
        if (!phys || !bus_.peek(*phys, dst + i, 1)) return false;
    }
    return true;
}

bool Mmu::write_linear(uint32_t lin, const void* in, size_t len) {
    const auto* src = static_cast<const uint8_t*>(in);
    for (size_t i = 0; i < len; ++i) {
        auto phys = translate(lin + static_cast<uint32_t>(i), cr3_, paging_);
        if (!phys || !bus_.poke(*phys, src + i, 1)) return false;  // poke reports code writes
    }
    return true;
}

std::string MmuStats::format() const {
    return fmt::format(
        "TLB: {} lookups = {} hits + {} misses ({} with paging off); {} flushes, {} single-page "
        "invalidations\n"
        "page walks: {} for misses, {} probes of multi-part writes\n"
        "page faults: {} ({} user, {} supervisor)\n"
        "  not present: {} read, {} write, {} fetch\n"
        "  protection:  {} read, {} write, {} fetch\n"
        "writes to code pages: {}\n",
        tlb_lookups(), tlb_hits, tlb_misses, misses_paging_off, tlb_flushes, tlb_invlpg, page_walks,
        probe_walks, faults(), faults_user, faults_supervisor, faults_not_present_read,
        faults_not_present_write, faults_not_present_fetch, faults_protection_read, faults_protection_write,
        faults_protection_fetch, code_page_writes);
}

}  // namespace pc386

namespace pc386 {

void Mmu::transfer_state(StateArchive& ar) {
    ar.section("mmu");
    if (ar.loading()) flush_tlb();  // before the counters come back, so the flush is not counted
    ar.field(cr0_);
    ar.field(cr3_);
    paging_ = (cr0_ & cr0::PG) && (cr0_ & cr0::PE);
    write_protect_ = (cr0_ & cr0::WP) != 0;
    ar.field(hits_);
    ar.field(stats_);  // plain 64-bit counters
}

}  // namespace pc386
