/*
 * invariants.c: the memory manager checking itself (debug build, -DMM_DEBUG).
 *
 *  - buddy: every block on a free list is aligned to its order, inside its zone, marked free
 *    (kind FREE, refcount 0) in every frame, and no frame is on two lists; every frame of kind
 *    FREE is on one; the per-order and per-zone counts match the lists.
 *  - mappings: counting the PTEs of every live address space, a user frame's refcount equals its
 *    PTEs (+1 if in the swap cache); free, kernel, slab and page-table frames have no user PTE;
 *    each mm's rss and swap_ptes match its page tables.
 *  - swap: a slot's count equals the swap PTEs holding it (+1 if cached).
 *  - LRU: every user frame is on exactly the list its `lru` names, and the lists' counts agree;
 *    an inactive_clean frame is unmapped, in the swap cache, with nothing left to write.
 *  - HighMem: no free high frame carries a kernel address (page->virtual), no kmap slot maps a
 *    free frame, a slot's frame points back at it, and no kmap outlives its user: a persistent
 *    slot with users belongs to a frame under swap I/O (locked), the only holder that sleeps, and
 *    every atomic slot is empty (they are released before interrupts come back on).
 * Silent when everything holds; prints what is wrong and panics otherwise.
 *
 * It runs after every alloc_pages/free_pages and at the end of every fault, fork, munmap, exit
 * and reclaim pass. The mm only allocates or frees at points where the counts above agree (a new
 * user frame stays kind KERNEL until its PTE is written), so the check holds at each of them.
 */
#include "mm_internal.h"

#ifdef MM_DEBUG

static void fail(const char* where, const char* what, uint32_t a, uint32_t b, uint32_t c) {
    panic("mm invariant broken after %s: %s (%x %x %x)", where, what, a, b, c);
}

static void check_free_lists_locked(const char* where) {
    for (int z = 0; z < NR_ZONES; z++) {
        struct zone* zone = &zones[z];
        uint32_t frames = 0;
        for (unsigned o = 0; o < MAX_ORDER; o++) {
            uint32_t blocks = 0;
            for (struct page* p = zone->free_list[o].next; p != &zone->free_list[o]; p = p->next) {
                uint32_t pfn = page_to_pfn(p);
                if (!(p->flags & PG_BUDDY) || p->order != o || (pfn & ((1u << o) - 1)) ||
                    pfn < zone->start_pfn || pfn + (1u << o) > zone->end_pfn)
                    fail(where, "bad block on free list (pfn, order, list)", pfn, p->order, o);
                for (uint32_t i = 0; i < (1u << o); i++) {
                    if ((p[i].flags & PG_MARK) || p[i].kind != PAGE_KIND_FREE || p[i].refcount)
                        fail(where, "free frame twice listed or in use (pfn, kind, refcount)", pfn + i,
                             p[i].kind, p[i].refcount);
                    p[i].flags |= PG_MARK;
                }
                blocks++;
            }
            if (blocks != zone->nr_free[o])
                fail(where, "free block count (order, listed, counted)", o, blocks, zone->nr_free[o]);
            frames += blocks << o;
        }
        if (frames != zone->free_pages)
            fail(where, "free page count (zone, listed, counted)", (uint32_t)z, frames, zone->free_pages);
    }
    for (uint32_t f = 0; f < frame_count; f++) {
        struct page* p = &frame_table[f];
        if ((p->kind == PAGE_KIND_FREE) != ((p->flags & PG_MARK) != 0))
            fail(where, "free frame not on a free list (pfn, kind)", f, p->kind, 0);
        p->flags &= ~PG_MARK;
    }
}

void mm_check_free_lists(const char* where) {
    uint32_t flags = irq_save();
    check_free_lists_locked(where);
    irq_restore(flags);
}

/* Walks each LRU list: members say so, and the counts match. */
static void check_lru_lists(const char* where) {
    uint32_t total = 0;
    for (int l = LRU_ACTIVE; l < NR_LRU_LISTS; l++) {
        uint32_t n = 0;
        if (!lru_heads[l].next) continue; /* not used yet */
        for (struct page* p = lru_heads[l].next; p != &lru_heads[l]; p = p->next, n++)
            if (p->lru != l || !(p->flags & PG_LRU))
                fail(where, "frame on the wrong LRU list (pfn, its list, walked list)", page_to_pfn(p),
                     p->lru, (uint32_t)l);
        if (n != lru_count[l])
            fail(where, "LRU list count (list, walked, counted)", (uint32_t)l, n, lru_count[l]);
        total += n;
    }
    if (total != lru_pages) fail(where, "LRU pages (walked, counted)", total, lru_pages, 0);
}

/* The kmap slots against the frames they map, and free high frames without an address. */
static void check_kmaps(const char* where) {
    for (uint32_t s = 0; s < NR_KMAP_SLOTS; s++) {
        const struct kmap_slot* k = &kmap_slots[s];
        if (!k->pfn) continue;
        const struct page* p = pfn_to_page(k->pfn);
        if (p->kind == PAGE_KIND_FREE || !page_is_high(p))
            fail(where, "kmap slot maps a free or low frame (slot, pfn, kind)", s, k->pfn, p->kind);
        if (s < LAST_PKMAP && p->virtual != PKMAP_BASE + s * PAGE_SIZE)
            fail(where, "kmap slot and its frame disagree (slot, pfn, virtual)", s, k->pfn, p->virtual);
        if (s < LAST_PKMAP && k->users && !(p->flags & PG_LOCKED))
            fail(where, "kmap outlives its user (slot, pfn, users)", s, k->pfn, k->users);
        if (s >= LAST_PKMAP)
            fail(where, "kmap_atomic slot still mapped (slot, pfn, users)", s, k->pfn, k->users);
    }
    for (uint32_t f = highstart_pfn; f < frame_count; f++) {
        const struct page* p = &frame_table[f];
        if (p->kind == PAGE_KIND_FREE && (p->virtual || p->map_flags))
            fail(where, "free high frame with a kernel address (pfn, virtual, map flags)", f, p->virtual,
                 p->map_flags);
    }
}

static uint16_t* pte_counts;  /* per frame */
static uint16_t* slot_counts; /* per swap slot */

static uint16_t* alloc_counts(uint32_t n) {
    unsigned order = 0;
    while ((PAGE_SIZE << order) < n * sizeof(uint16_t)) order++;
    struct page* p = alloc_pages(order, GFP_ATOMIC);
    return p ? page_address(p) : 0;
}

/* Counts the PTEs of one address space into pte_counts / slot_counts and checks its totals. */
static void count_mm(struct mm* mm, const char* where) {
    uint32_t rss = 0, swapped = 0;
    for (uint32_t i = 0; i < KERNEL_PDX; i++) {
        if (!(mm->pgdir[i] & PTE_P)) continue;
        uint32_t tpfn = mm->pgdir[i] >> PAGE_SHIFT;
        if (tpfn >= frame_count || frame_table[tpfn].kind != PAGE_KIND_PAGETABLE)
            fail(where, "page directory points at a non-page-table frame (pde, pfn)", i, tpfn, 0);
        uint32_t* pt = (uint32_t*)__va(tpfn << PAGE_SHIFT);
        for (int j = 0; j < 1024; j++) {
            uint32_t e = pt[j];
            if (e & PTE_P) {
                uint32_t pfn = e >> PAGE_SHIFT;
                if (pfn >= frame_count)
                    fail(where, "PTE beyond RAM (va, pte)", (i << 22) | ((uint32_t)j << 12), e, 0);
                pte_counts[pfn]++;
                rss++;
            } else if (pte_is_swap(e)) {
                uint32_t slot = pte_swap_slot(e);
                if (slot == 0 || slot >= swap_nslots)
                    fail(where, "swap PTE with bad slot (va, pte)", (i << 22) | ((uint32_t)j << 12), e, 0);
                slot_counts[slot]++;
                swapped++;
            } else if (e) {
                fail(where, "garbage in a not-present PTE (va, pte)", (i << 22) | ((uint32_t)j << 12), e, 0);
            }
        }
    }
    if (rss != mm->rss || swapped != mm->swap_ptes)
        fail(where, "mm rss/swap counters (rss, counted rss, swap ptes)", mm->rss, rss, mm->swap_ptes);
}

void mm_check_invariants(const char* where) {
    static int checking; /* the check's own allocation must not check */
    if (checking) return;
    checking = 1;
    if (!pte_counts) pte_counts = alloc_counts(frame_count);
    if (swap_nslots && !slot_counts) slot_counts = alloc_counts(swap_nslots);
    checking = 0;
    if (!pte_counts || (swap_nslots && !slot_counts))
        return; /* no memory for the check itself: skip it rather than disturb the system */
    uint32_t flags = irq_save();
    check_free_lists_locked(where);
    memset(pte_counts, 0, frame_count * sizeof(uint16_t));
    if (swap_nslots) memset(slot_counts, 0, swap_nslots * sizeof(uint16_t));
    for (struct mm* mm = mm_all; mm; mm = mm->all_next) count_mm(mm, where);
    for (uint32_t f = 0; f < frame_count; f++) {
        struct page* p = &frame_table[f];
        int user = p->kind == PAGE_KIND_USER || p->kind == PAGE_KIND_SWAPCACHE;
        if (!user) {
            if (pte_counts[f])
                fail(where, "user PTE maps a non-user frame (pfn, kind, ptes)", f, p->kind, pte_counts[f]);
            continue;
        }
        int cached = (p->flags & PG_SWAPCACHE) != 0;
        if (p->refcount != pte_counts[f] + (uint32_t)cached)
            fail(where, "user frame refcount != PTEs + swap cache (pfn, refcount, ptes)", f, p->refcount,
                 pte_counts[f]);
        if ((p->kind == PAGE_KIND_SWAPCACHE) != cached ||
            (cached && (p->swap_slot >= swap_nslots || swap_cache[p->swap_slot] != p)))
            fail(where, "swap cache entry inconsistent (pfn, flags, slot)", f, p->flags, p->swap_slot);
        if (!(p->flags & PG_LRU) || p->lru == LRU_NONE)
            fail(where, "user frame on no LRU list (pfn, flags)", f, p->flags, 0);
        if (p->lru == LRU_INACTIVE_CLEAN && (pte_counts[f] || !cached || (p->flags & PG_NEEDS_WRITE)) &&
            !(p->flags & PG_LOCKED))
            fail(where, "inactive_clean frame mapped, uncached or dirty (pfn, ptes, flags)", f, pte_counts[f],
                 p->flags);
    }
    check_lru_lists(where);
    check_kmaps(where);
    for (uint32_t s = 1; s < swap_nslots; s++) {
        uint32_t want = slot_counts[s] + (swap_cache[s] ? 1u : 0u);
        if (swap_map[s] != want)
            fail(where, "swap slot count != swap PTEs + cache (slot, count, ptes)", s, swap_map[s],
                 slot_counts[s]);
    }
    irq_restore(flags);
}

#endif
