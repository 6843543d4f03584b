// The pre-decoded instruction cache: for every page of RAM or ROM that code runs from, what
// decoding each instruction there produced: prefixes, opcode, length, the ModRM/SIB form (base,
// index, scale, displacement), the immediates the handler fetched, and the handler to call.
//
// How it is used (ExecutionContext::step, run_threaded): the first time an instruction at a page offset
// runs, it is decoded from memory as usual while the fetches are recorded; when it completes, the
// record is stored. Later runs replay it: no fetches, no prefix loop, no ModRM parsing, no table
// lookup; only the effective address is computed from the registers. Every handler is given the
// record (Handler below): the forms a record may get (record_handler) read it; the table's
// handlers, which also run on a live decode (given the record being made, which they must not
// read), fetch through fetch8/16/32 and decode_modrm, which replay. Each record remembers which record ran
// after it (a loop's next instruction, a taken branch's target in the same page), so the threaded loop
// usually finds the next one without the index.
//
// Pages are keyed by their host pointer (the physical page's identity, after A20) and the CS
// default size the code ran with (a 16-bit and a 32-bit CS decode the same bytes differently, so
// each has its own records), so paging and segment bases do not matter. A write to a page
// (seen by the bus, which the TLB's fast write path never bypasses for code pages) bumps the
// page's generation, which invalidates all its records at once, and the CPU looks its current
// page up again. Instructions that cross a page, run near the CS limit, fault or write their own
// page are not stored.
//
// Memory: a page holds a 2-byte index slot per byte offset (8 KiB) and 48 bytes per instruction
// actually decoded there, not a record for every offset (that was 128 KiB a page, 32 MiB in all).
// The cache is flushed past kMaxPages pages or kMaxRecords records: at most about 14 MiB.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "mmu/physical_bus.h"

namespace pc386 {

class ExecutionContext;
struct DecodedInsn;
// One handler per opcode (and the forms); all have this signature (handler_table.cpp): the CPU and
// the instruction's record.
using Handler = void (*)(ExecutionContext&, const DecodedInsn&);

// What decoding says about an instruction beyond its operands: the fields handlers read from
// ExecutionContext::insn. Eight bytes, so that a replay sets them in one move.
struct DecodeFields {
    uint16_t opcode = 0;  // 00-FF, 100-1FF for 0F xx
    uint8_t len = 0;      // bytes, prefixes included
    bool opsize32 = false, addrsize32 = false;
    bool lock = false;
    uint8_t rep = 0;  // 0, 0xF2 (REPNE), 0xF3 (REP/REPE)
    int8_t seg_override = -1;
};
static_assert(sizeof(DecodeFields) == 8);

// A ready-to-run instruction: the handler to call, its decode fields, the ModRM form already
// split, the effective address's parts (the segment with any override applied) and the
// immediates. 48 bytes.
struct DecodedInsn {
    static constexpr uint8_t kNoReg = 8;
    static constexpr unsigned kMaxImm = 3;
    Handler handler = nullptr;
    DecodeFields fields;
    uint8_t mod = 0, reg = 0, rm = 0;  // ModRM, when the handler decodes one
    bool is_reg = false;               // mod == 3
    uint8_t base = kNoReg, index = kNoReg, scale = 0;
    uint8_t seg = 0;  // the memory operand's segment (a SegReg)
    uint32_t disp = 0;
    std::array<uint32_t, kMaxImm> imm{};  // immediates fetched by the handler, in order
    uint16_t offset = 0;                  // the instruction's byte offset in its page
    // The record that ran after it last time: its byte offset in the page's record array (an
    // offset, not a pointer: the array may move when a record is added), or kNoLink.
    static constexpr uint32_t kNoLink = 0xFFFFFFFFu;
    uint32_t next = kNoLink;
};

// One guest page's records, in the order they were made, found by byte offset through the index
// or from the record before them (DecodedInsn::next).
class DecodedPage {
  public:
    uint32_t gen = 1;  // bumped by a write to the page: its records are stale until the next store

    // Whether the records are of the page's current contents.
    bool current() const { return records_gen_ == gen; }
    // The record of the instruction at `offset`, or nullptr (use only while current()).
    DecodedInsn* find(unsigned offset) {
        const uint16_t i = index_[offset];
        return i ? &records_[i - 1u] : nullptr;
    }
    // A record by its link (DecodedInsn::next), and the link to a record of this page.
    // The record of the instruction at `offset` that runs after `prev` (nullptr: none before it):
    // prev's link when it leads there, else the index's, and then the link is remembered. nullptr
    // when the instruction has no record.
    DecodedInsn* next_after(DecodedInsn* prev, unsigned offset) {
        if (prev && prev->next != DecodedInsn::kNoLink) [[likely]] {
            DecodedInsn& linked_record = linked(prev->next);
            if (linked_record.offset == offset) return &linked_record;
        }
        DecodedInsn* d = find(offset);
        if (d && prev) prev->next = link_to(*d);
        return d;
    }
    DecodedInsn& linked(uint32_t next) {
        return *reinterpret_cast<DecodedInsn*>(reinterpret_cast<char*>(records_.data()) + next);
    }
    uint32_t link_to(const DecodedInsn& d) const {
        return static_cast<uint32_t>(reinterpret_cast<const char*>(&d) -
                                     reinterpret_cast<const char*>(records_.data()));
    }
    // Where to store the record of the instruction at `offset`. The first store after a write
    // drops the stale records: nothing replays during a store. Records may move: pointers to
    // this page's records are void after a store.
    DecodedInsn& slot(unsigned offset) {
        if (records_gen_ != gen) {
            index_.fill(0);
            records_.clear();
            records_gen_ = gen;
        }
        if (index_[offset] == 0) {
            records_.emplace_back();
            index_[offset] = static_cast<uint16_t>(records_.size());
        }
        return records_[index_[offset] - 1u];
    }

    size_t records() const { return records_.size(); }
    // Host memory this page holds.
    size_t bytes() const { return sizeof *this + records_.capacity() * sizeof(DecodedInsn); }

  private:
    uint32_t records_gen_ = 1;
    std::array<uint16_t, 4096> index_{};  // 1 + the record's position; 0: none
    std::vector<DecodedInsn> records_;
};

struct DecodeCacheStats {
    uint64_t replays = 0;        // instructions run from a record
    uint64_t recorded = 0;       // records stored
    uint64_t invalidations = 0;  // writes to a page with records
    uint64_t flushes = 0;        // whole-cache flushes (too many pages, model change)
    uint64_t pages = 0;          // pages currently held
    uint64_t records = 0;        // records currently held (current or stale)
};

class DecodeCache {
  public:
    explicit DecodeCache(const uint8_t* ram_base) : ram_(ram_base) {}

    // The page of records for a host page and a CS size, created on first use. May flush
    // everything when the cache is full: only call it between instructions.
    DecodedPage* page_for(const uint8_t* host_page, bool cs_big) {
        const uint8_t* const key = host_page + (cs_big ? 1 : 0);  // host pages are 4 KiB aligned
        if (auto it = pages_.find(key); it != pages_.end()) return it->second.get();
        retired_.clear();
        if (pages_.size() >= kMaxPages || records_ >= kMaxRecords) flush();
        auto& slot = pages_[key];
        slot = std::make_unique<DecodedPage>();
        stats_.pages = pages_.size();
        return slot.get();
    }
    // Where to store the record of the instruction at `offset` of `page` (counted against the cap).
    DecodedInsn& record_slot(DecodedPage& page, unsigned offset) {
        const size_t before = page.records();
        DecodedInsn& d = page.slot(offset);
        records_ = records_ - before + page.records();
        stats_.records = records_;
        return d;
    }
    // Host memory the cache holds (for --stats and tests; walks every page).
    size_t bytes() const {
        size_t total = 0;
        for (const auto& [host, page] : pages_) total += page->bytes();
        return total;
    }
    // RAM page `pfn` was written: its records are stale (kept in memory: one may be replaying).
    void page_written(uint32_t pfn) {
        for (unsigned cs_big = 0; cs_big < 2; ++cs_big) {
            if (auto it = pages_.find(ram_ + (uint64_t{pfn} << 12) + cs_big); it != pages_.end()) {
                ++it->second->gen;
                ++stats_.invalidations;
            }
        }
    }
    // Every record becomes stale; the pages stay allocated for reuse.
    void invalidate_all() {
        for (auto& [host, page] : pages_) ++page->gen;
        ++stats_.flushes;
    }
    // Pages flushed are kept until the next page_for(): the instruction that caused the flush (a
    // reset from a port write, say) may still be replaying from one.
    void flush() {
        for (auto& [host, page] : pages_) retired_.push_back(std::move(page));
        pages_.clear();
        records_ = 0;
        stats_.records = 0;
        ++stats_.flushes;
        stats_.pages = 0;
    }
    DecodeCacheStats& stats() { return stats_; }
    const DecodeCacheStats& stats() const { return stats_; }

  private:
    // 1,024 indexes (4 MiB of code) are 8 MiB; 131,072 records 6 MiB. Records of rewritten pages
    // count until their page is reused or the cache flushed.
    static constexpr size_t kMaxPages = 1024;
    static constexpr size_t kMaxRecords = 131072;
    const uint8_t* ram_;
    size_t records_ = 0;
    std::unordered_map<const uint8_t*, std::unique_ptr<DecodedPage>> pages_;
    std::vector<std::unique_ptr<DecodedPage>> retired_;
    DecodeCacheStats stats_;
};

}  // namespace pc386
