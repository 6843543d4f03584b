// The pre-decoded instruction cache: for every page of RAM or ROM that code runs from, one slot per
// byte offset holding what decoding the instruction there produced: prefixes, opcode, length, the
// ModRM/SIB form (base, index, scale, displacement) and the immediates the handler fetched.
//
// How it is used (Cpu::step): the first time an instruction at a page offset runs, it is decoded
// from memory as usual while the fetches are recorded; when it completes, the record is stored.
// Later runs replay it: no fetches, no prefix loop, no ModRM parsing; only the effective address
// is computed from the registers. Handlers do not know: fetch8/16/32 and decode_modrm replay.
//
// Pages are keyed by their host pointer (the physical page's identity, after A20), so paging and
// segment bases do not matter; the CS default size is part of each record. A write to a page
// (seen by the bus, which the TLB's fast write path never bypasses for code pages) bumps the
// page's generation, which invalidates all its records at once, and the CPU looks its current
// page up again. Instructions that cross a page, run near the CS limit or fault are not stored.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "mmu/physical_bus.h"

namespace pc386 {

struct DecodedInsn {
    static constexpr uint8_t kNoReg = 8;
    static constexpr unsigned kMaxImm = 3;
    uint32_t gen = 0;  // the page's generation when recorded; 0: empty
    uint16_t opcode = 0;
    uint8_t len = 0;   // bytes, prefixes included
    uint8_t bits = 0;  // kOpsize32 | kAddrsize32 | kLock | kCsBig
    int8_t seg_override = -1;
    uint8_t rep = 0;    // 0, 0xF2, 0xF3
    uint8_t modrm = 0;  // raw ModRM byte, when has ModRM
    uint8_t base = kNoReg, index = kNoReg, scale = 0;
    uint8_t default_seg = 0;  // DS or SS
    uint32_t disp = 0;
    std::array<uint32_t, kMaxImm> imm{};  // immediates fetched by the handler, in order

    static constexpr uint8_t kOpsize32 = 1, kAddrsize32 = 2, kLock = 4, kCsBig = 8;
};

struct DecodedPage {
    uint32_t gen = 1;
    std::array<DecodedInsn, 4096> insns{};
};

struct DecodeCacheStats {
    uint64_t replays = 0;        // instructions run from a record
    uint64_t recorded = 0;       // records stored
    uint64_t invalidations = 0;  // writes to a page with records
    uint64_t flushes = 0;        // whole-cache flushes (too many pages, model change)
    uint64_t pages = 0;          // pages currently held
};

class DecodeCache {
  public:
    explicit DecodeCache(const uint8_t* ram_base) : ram_(ram_base) {}

    // The page of records for a host page, created on first use. May flush everything when the
    // cache is full: only call it between instructions.
    DecodedPage* page_for(const uint8_t* host_page) {
        if (auto it = pages_.find(host_page); it != pages_.end()) return it->second.get();
        retired_.clear();
        if (pages_.size() >= kMaxPages) flush();
        auto& slot = pages_[host_page];
        slot = std::make_unique<DecodedPage>();
        stats_.pages = pages_.size();
        return slot.get();
    }
    // RAM page `pfn` was written: its records are stale (kept in memory: one may be replaying).
    void page_written(uint32_t pfn) {
        if (auto it = pages_.find(ram_ + (uint64_t{pfn} << 12)); it != pages_.end()) {
            ++it->second->gen;
            ++stats_.invalidations;
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
        ++stats_.flushes;
        stats_.pages = 0;
    }
    DecodeCacheStats& stats() { return stats_; }
    const DecodeCacheStats& stats() const { return stats_; }

  private:
    // 128 KiB each: 256 pages (1 MiB of code) is 32 MiB of records at most.
    static constexpr size_t kMaxPages = 256;
    const uint8_t* ram_;
    std::unordered_map<const uint8_t*, std::unique_ptr<DecodedPage>> pages_;
    std::vector<std::unique_ptr<DecodedPage>> retired_;
    DecodeCacheStats stats_;
};

}  // namespace pc386
