/*
 * reclaim.c: Linux 2.4's page lists for user frames, and eviction.
 *
 * Every user frame is on one of three lists (struct page.lru says which):
 *
 *   active          recently used. New and faulted-in pages start here (page_set_mapped).
 *   inactive_dirty  not referenced during a look at the active list; still mapped, so a touch
 *                   sets a PTE's accessed bit and the next look moves it back to active. To free
 *                   it, its contents must first reach a swap slot.
 *   inactive_clean  unmapped (its PTEs hold the slot), in the swap cache, contents equal to the
 *                   slot: freeable at once, without I/O. A fault on it finds it in the swap cache
 *                   and maps it again (back to active): that is what the list is for.
 *
 * reclaim_pages takes, in this order: a clean page (freed), else a dirty one (page_launder:
 * give it a slot, turn its PTEs into swap PTEs, write it if the slot lacks its data, then it is
 * clean), else the oldest active page (refill_inactive: if a PTE mapping it has the accessed bit
 * set, clear the bits and move it to the tail of active, its second chance; otherwise it becomes
 * inactive_dirty). Referenced bits come from the page tables, found through the reverse map.
 *
 * The seed's questions about these lists: "inactive_clean" pages differ from free pages in that
 * they still hold data somebody may want back (a swap-in then costs no I/O); they are freed the
 * moment memory is needed, so they cost no fragmentation that free pages would not. Active pages
 * are mapped; inactive_dirty ones may still be (here they are: the accessed bit is how they get
 * rescued); inactive_clean ones never are. The swap cache's reference is the "cache counts as a
 * page user" the seed looks for: swap_cache_add takes it, swap_cache_delete drops it.
 */
#include "mm_internal.h"

struct page lru_heads[NR_LRU_LISTS]; /* sentinels of the three lists (index 0 unused) */
uint32_t lru_count[NR_LRU_LISTS];
uint32_t lru_pages;

static void lru_heads_init(void) {
    if (lru_heads[LRU_ACTIVE].next) return;
    for (int l = LRU_ACTIVE; l < NR_LRU_LISTS; l++) plist_init(&lru_heads[l]);
}

void lru_add(struct page* p, enum lru_list list) {
    uint32_t flags = irq_save();
    lru_heads_init();
    plist_add_tail(&lru_heads[list], p);
    p->flags |= PG_LRU;
    p->lru = (uint8_t)list;
    lru_count[list]++;
    lru_pages++;
    mm_event(GEV_LRU_MOVE, p->owner_pid, page_to_pfn(p), LRU_NONE, list, 0);
    irq_restore(flags);
}

/* To the tail of `list` (the same list: the page goes to the back of the queue). */
void lru_move(struct page* p, enum lru_list list) {
    uint32_t flags = irq_save();
    uint32_t from = p->lru;
    plist_del(p);
    lru_count[from]--;
    plist_add_tail(&lru_heads[list], p);
    p->lru = (uint8_t)list;
    lru_count[list]++;
    if (from != list) mm_event(GEV_LRU_MOVE, p->owner_pid, page_to_pfn(p), from, list, 0);
    irq_restore(flags);
}

void lru_del(struct page* p) {
    uint32_t flags = irq_save();
    plist_del(p);
    p->flags &= ~PG_LRU;
    lru_count[p->lru]--;
    mm_event(GEV_LRU_MOVE, p->owner_pid, page_to_pfn(p), p->lru, LRU_NONE, 0);
    p->lru = LRU_NONE;
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
 * page_launder, for one inactive_dirty page (irqs off on entry and exit; may enable them to
 * write): a swap slot, its PTEs turned into swap PTEs, the write if the slot lacks the data; then
 * it is inactive_clean. Returns 0, or -1 when no swap slot is free.
 */
static int launder(struct page* p, uint32_t* flags) {
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
        int r = swap_write(slot, p); /* through kmap for a HighMem frame (swap.c) */
        *flags = irq_save();
        if (r == 0) p->flags &= ~PG_NEEDS_WRITE; /* on error the frame stays, faults find it */
        unlock_page(p);
        if (r < 0) {
            kprintf("mm: swap write error, slot %u\n", slot);
            if (p->flags & PG_LRU) lru_move(p, LRU_INACTIVE_DIRTY); /* to the back: try others */
            return 0;
        }
        mm_stat.swap_outs++;
        mm_event(GEV_SWAP_OUT, p->owner_pid, p->vaddr, page_to_pfn(p), slot, p->owner_pid);
    } else {
        mm_stat.dropped_clean++;
    }
    /* Faulted back in while we wrote (page_set_mapped moved it to active), or freed: leave it. */
    if ((p->flags & PG_LRU) && p->lru == LRU_INACTIVE_DIRTY) {
        if (page_mapcount(p) == 0 && (p->flags & PG_SWAPCACHE))
            lru_move(p, LRU_INACTIVE_CLEAN);
        else
            lru_move(p, LRU_ACTIVE);
    }
    return 0;
}

/* Was the page used since the last look? Clears the accessed bits it finds. */
static int referenced(struct page* p) {
    int r = 0;
    rmap_walk(p, test_and_clear_accessed, &r);
    return r;
}

/* The first page near the head of `list` that reclaim may take for zones up to max_zone (at most
 * 64 looked at, so that a list full of another zone's pages costs little). NULL: none. */
static struct page* first_candidate(struct page* list, int max_zone) {
    int n = 0;
    for (struct page* p = list->next; p != list && n < 64; p = p->next, n++)
        if (p->zone <= max_zone && !(p->flags & PG_LOCKED)) return p;
    return 0;
}

uint32_t reclaim_pages(uint32_t want, int max_zone) {
    if (!swap_nslots) return 0;
    uint32_t flags = irq_save();
    lru_heads_init();
    uint32_t freed = 0, scanned = 0;
    uint32_t budget = 3 * lru_pages + 16; /* every page: aged, laundered, freed */
    while (freed < want && budget--) {
        struct page* p;
        scanned++;
        if ((p = first_candidate(&lru_heads[LRU_INACTIVE_CLEAN], max_zone))) { /* 1. free a clean page */
            if (p->refcount == 1) {
                swap_cache_delete(p); /* the last reference: the frame is free */
                freed++;
            } else {
                lru_move(p, LRU_ACTIVE); /* mapped again */
            }
        } else if ((p = first_candidate(&lru_heads[LRU_INACTIVE_DIRTY], max_zone))) { /* 2. launder */
            if (referenced(p))
                lru_move(p, LRU_ACTIVE); /* used again: rescued */
            else if (launder(p, &flags) < 0)
                break;                                     /* swap is full */
        } else if (!plist_empty(&lru_heads[LRU_ACTIVE])) { /* 3. age the oldest active page */
            p = lru_heads[LRU_ACTIVE].next;
            lru_move(p, (p->flags & PG_LOCKED) || referenced(p) ? LRU_ACTIVE : LRU_INACTIVE_DIRTY);
        } else {
            break;
        }
    }
    mm_event(GEV_RECLAIM, mm_current_pid(), scanned, freed, 0, 0);
    irq_restore(flags);
    mm_check_invariants("reclaim");
    return freed;
}
