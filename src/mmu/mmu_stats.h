// Counters a user can see (the window, `--stats`, tests): how the TLB and paging are doing.
#pragma once

#include <cstdint>
#include <string>

namespace pc386 {

// Each name means one thing, and they add up:
//   TLB lookups = hits + misses (every memory access and code-page fetch looks the TLB up once);
//   a miss walks the page tables once per page it touches (twice for a page-crossing access), except
//   with paging off (misses_paging_off: nothing to walk); pages the TLB cannot hold (MMIO, a page
//   of fetched code being written, the first write to a clean page) miss and walk every time;
//   probe walks only check that a multi-part write (PUSH of several values, a string store, a
//   page-crossing write) will not fault before anything is written: they look nothing up.
// So page_walks = misses - misses_paging_off + (extra pages of page-crossing misses).
struct MmuStats {
    uint64_t tlb_hits = 0;           // lookups served by the TLB's fast path
    uint64_t tlb_misses = 0;         // lookups that took the slow path
    uint64_t misses_paging_off = 0;  // of the misses, made with paging off (no walk needed)
    uint64_t tlb_flushes = 0;        // whole-TLB flushes (CR3 writes, CR0.PG changes)
    uint64_t tlb_invlpg = 0;         // single-page invalidations (INVLPG, 486 model)
    uint64_t page_walks = 0;         // two-level walks through the page tables to serve a miss
    uint64_t probe_walks = 0;        // walks that only check a later write (no lookup, no A/D)
    // Page faults by kind: not present / protection violation, by access type, and from user mode.
    uint64_t faults_not_present_read = 0;
    uint64_t faults_not_present_write = 0;
    uint64_t faults_not_present_fetch = 0;
    uint64_t faults_protection_read = 0;
    uint64_t faults_protection_write = 0;
    uint64_t faults_protection_fetch = 0;
    uint64_t faults_user = 0;        // of all the above, made at CPL 3
    uint64_t faults_supervisor = 0;  // of all the above, made at CPL 0-2
    uint64_t code_page_writes = 0;   // writes that hit a page holding fetched code

    uint64_t faults() const { return faults_user + faults_supervisor; }
    uint64_t tlb_lookups() const { return tlb_hits + tlb_misses; }
    // A multi-line table for --stats.
    std::string format() const;
};

}  // namespace pc386
