// Counters a user can see (the window, `--stats`, tests): how the TLB and paging are doing.
#pragma once

#include <cstdint>
#include <string>

namespace pc386 {

struct MmuStats {
    uint64_t tlb_hits = 0;     // accesses served by the TLB's fast path
    uint64_t tlb_misses = 0;   // accesses that took the slow path (walk, MMIO, code page, page-crossing)
    uint64_t tlb_flushes = 0;  // whole-TLB flushes (CR3 writes, CR0.PG changes)
    uint64_t tlb_invlpg = 0;   // single-page invalidations (INVLPG, 486 model)
    uint64_t page_walks = 0;   // two-level walks through the page tables
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
    // A multi-line table for --stats.
    std::string format() const;
};

}  // namespace pc386
