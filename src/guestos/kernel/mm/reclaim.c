/*
 * reclaim.c: choosing user pages to evict, and evicting them.
 *
 * Every user frame is on one ring (the "clock"), in the order it was mapped. Reclaim looks at
 * the frame at the head: if any PTE mapping it has the accessed bit set, the page was used since
 * the last look: the bits are cleared and the frame goes to the tail (its second chance).
 * Otherwise it is the victim:
 *   1. if it is not in the swap cache yet, it gets a swap slot and enters the cache (and must be
 *      written: PG_NEEDS_WRITE);
 *   2. every PTE mapping it (found through the reverse map, rmap.c) becomes a not-present PTE
 *      holding the slot; the slot gains a reference per PTE, the frame loses one;
 *   3. if it must be written, it is written (locked: a fault on it waits), then
 *   4. if nobody faulted it back meanwhile, it leaves the swap cache and is freed.
 * A clean frame already in the swap cache (read back earlier and not written since) skips the
 * write: its slot already holds the data.
 */
#include "mm_internal.h"

static struct page lru_ring; /* sentinel */
uint32_t lru_pages;

void lru_add(struct page* p) {
    uint32_t flags = irq_save();
    if (!lru_ring.next) plist_init(&lru_ring);
    plist_add_tail(&lru_ring, p);
    p->flags |= PG_LRU;
    lru_pages++;
    irq_restore(flags);
}

void lru_del(struct page* p) {
    uint32_t flags = irq_save();
    plist_del(p);
    p->flags &= ~PG_LRU;
    lru_pages--;
    irq_restore(flags);
}

void wait_on_page(struct page* p) {
    while (p->flags & PG_LOCKED) mm_sleep_on(p);
}

void unlock_page(struct page* p) {
    p->flags &= ~PG_LOCKED;
    mm_wakeup(p);
}

static void test_and_clear_accessed(struct mm* mm, uint32_t* pte, struct page* page, void* arg) {
    (void)page;
    if (*pte & PTE_A) {
        *pte &= ~PTE_A;
        *(int*)arg = 1;
        flush_tlb_mm(mm);
    }
}

static void unmap_to_swap(struct mm* mm, uint32_t* pte, struct page* page, void* arg) {
    (void)arg;
    *pte = pte_make_swap(page->swap_slot);
    swap_dup(page->swap_slot);
    page->refcount--; /* never 0 here: the swap cache holds one */
    mm->rss--;
    mm->swap_ptes++;
    flush_tlb_mm(mm);
}

/*
 * Evicts one frame (irqs off on entry and exit; may enable them to write). Returns 1 if the frame
 * was freed, 0 if not (it is in use again, or no swap slot is free: -1).
 */
static int evict(struct page* p, uint32_t* flags) {
    if (!(p->flags & PG_SWAPCACHE)) {
        uint32_t slot = swap_alloc();
        if (!slot) return -1;
        swap_cache_add(p, slot);
        swap_free(slot); /* swap_alloc's reference becomes the cache's (taken by swap_cache_add) */
        p->flags |= PG_NEEDS_WRITE;
    }
    rmap_walk(p, unmap_to_swap, 0);
    if (p->flags & PG_NEEDS_WRITE) {
        uint32_t slot = p->swap_slot;
        p->flags |= PG_LOCKED;
        irq_restore(*flags);
        int r = swap_write(slot, p);
        *flags = irq_save();
        if (r == 0) p->flags &= ~PG_NEEDS_WRITE; /* on error the frame stays, faults find it */
        unlock_page(p);
        if (r < 0) {
            kprintf("mm: swap write error, slot %u\n", slot);
            return 0;
        }
        mm_stat.swap_outs++;
        mm_event(GEV_SWAP_OUT, p->owner_pid, p->vaddr, page_to_pfn(p), slot, p->owner_pid);
    } else {
        mm_stat.dropped_clean++;
    }
    if (p->refcount == 1 && (p->flags & PG_SWAPCACHE)) {
        swap_cache_delete(p); /* the last reference: the frame is free */
        return 1;
    }
    return 0;
}

uint32_t reclaim_pages(uint32_t want) {
    if (!swap_nslots) return 0;
    uint32_t flags = irq_save();
    if (!lru_ring.next) plist_init(&lru_ring);
    uint32_t freed = 0, scanned = 0;
    uint32_t budget = 2 * lru_pages + 8; /* two sweeps: every page gets its second chance */
    while (freed < want && budget-- && !plist_empty(&lru_ring)) {
        struct page* p = lru_ring.next;
        scanned++;
        plist_del(p); /* to the tail: the hand moves on */
        plist_add_tail(&lru_ring, p);
        if (p->flags & PG_LOCKED) continue;
        int referenced = 0;
        rmap_walk(p, test_and_clear_accessed, &referenced);
        if (referenced) continue;
        int r = evict(p, &flags);
        if (r < 0) break; /* swap is full */
        freed += (uint32_t)r;
    }
    mm_event(GEV_RECLAIM, mm_current_pid(), scanned, freed, 0, 0);
    irq_restore(flags);
    mm_check_invariants("reclaim");
    return freed;
}
