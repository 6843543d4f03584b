/*
 * fault.c: the page-fault handler. A fault on a user address is resolved from the VMA and the PTE:
 *
 *   PTE zero, inside a VMA        -> zero-fill: a fresh zeroed frame (demand paging)
 *   PTE zero, just below a stack  -> grow the stack VMA down, then zero-fill
 *   PTE holds a swap slot         -> swap-in: from the swap cache, or read the slot into a new frame
 *   present, read-only, write to
 *   a writable VMA                -> copy-on-write: reuse the frame if we are its only user,
 *                                    otherwise copy it
 *   anything else                 -> illegal (the caller kills the process)
 *
 * Every step that can sleep (allocating may reclaim, swap-in reads the disk) is followed by a
 * re-check of the PTE; if it changed meanwhile, the fault starts over. The helpers return
 * 0 (done), 1 (state changed: retry) or -1 (out of memory or I/O error).
 */
#include "mm_internal.h"

/*
 * A zeroed frame for a user page: GFP_HIGHUSER, so HighMem first (the kernel never needs a user
 * page's address except through kmap), and never a low zone's last pages_min frames. When even
 * reclaim finds nothing, the OOM killer picks a victim and we wait for its memory.
 */
struct page* alloc_user_page(void) {
    for (int tries = 0; tries < 100; tries++) {
        struct page* p = alloc_pages(0, GFP_HIGHUSER | GFP_ZERO);
        if (!p) { /* alloc_pages does not reclaim while another process is reclaiming: we do */
            reclaim_pages(RECLAIM_BATCH, ZONE_HIGHMEM);
            p = alloc_pages(0, GFP_HIGHUSER | GFP_ZERO);
        }
        if (p) {
            p->owner_pid = (uint16_t)mm_current_pid();
            return p;
        }
        /* Out of memory and swap: kill the largest process, and wait for it to go away. */
        if (oom_kill() < 0 || mm_current_killed()) return 0;
        mm_yield();
    }
    return 0;
}

void page_unref_mapping(struct page* p) {
    /* The last PTE goes and no swap PTE needs the cached copy: drop it from the cache too. */
    if ((p->flags & PG_SWAPCACHE) && p->refcount == 2 && !(p->flags & PG_LOCKED) &&
        swap_count(p->swap_slot) == 1) {
        p->refcount--;
        swap_cache_delete(p); /* drops the cache's reference: the frame is freed */
        return;
    }
    put_page(p);
}

static uint32_t user_pte(const struct vma* vma, struct page* p) {
    return page_to_phys(p) | PTE_P | PTE_U | ((vma->flags & VM_WRITE) ? PTE_W : 0);
}

/* First touch of an anonymous page: map a zeroed frame. */
static int do_anonymous_page(struct mm* mm, struct vma* vma, uint32_t addr, uint32_t* pte, uint32_t e) {
    struct page* p = alloc_user_page();
    if (!p) return -1;
    uint32_t flags = irq_save();
    if (*pte != e) {
        irq_restore(flags);
        free_pages(p, 0);
        return 1;
    }
    *pte = user_pte(vma, p);
    mm->rss++;
    page_set_mapped(p, mm, addr);
    mm_stat.zero_fill++;
    mm_event(GEV_ZERO_FILL, mm_current_pid(), addr, page_to_pfn(p), 0, 0);
    irq_restore(flags);
    return 0;
}

/* Write to a present read-only page of a writable VMA (or a forced kernel write): break CoW. */
static int do_wp_page(struct mm* mm, struct vma* vma, uint32_t addr, uint32_t* pte, uint32_t e) {
    uint32_t flags = irq_save();
    if (*pte != e) {
        irq_restore(flags);
        return 1;
    }
    struct page* old = pte_page(e);
    if (old->flags & PG_LOCKED) {
        wait_on_page(old);
        irq_restore(flags);
        return 1;
    }
    /* A swap-cache copy nobody else needs is dropped, so that we may own the frame. */
    if ((old->flags & PG_SWAPCACHE) && old->refcount == 2 && swap_count(old->swap_slot) == 1)
        swap_cache_delete(old);
    if (old->refcount == 1) { /* we are the only user: just allow writing again */
        *pte = (e & ~PTE_COW) | ((vma->flags & VM_WRITE) ? PTE_W : 0);
        mm_stat.cow_reuse++;
        mm_event(GEV_COW_REUSE, mm_current_pid(), addr, page_to_pfn(old), 0, 0);
        irq_restore(flags);
        flush_tlb_mm(mm);
        return 0;
    }
    irq_restore(flags);

    struct page* copy = alloc_user_page();
    if (!copy) return -1;
    flags = irq_save();
    if (*pte != e) {
        irq_restore(flags);
        free_pages(copy, 0);
        return 1;
    }
    void* from = kmap_atomic(old, KM_COW_SRC); /* irqs are off: the atomic slots are ours */
    void* to = kmap_atomic(copy, KM_COW_DST);
    memcpy(to, from, PAGE_SIZE);
    kunmap_atomic(to, KM_COW_DST);
    kunmap_atomic(from, KM_COW_SRC);
    *pte = user_pte(vma, copy);
    page_set_mapped(copy, mm, addr);
    page_unref_mapping(old);
    mm_stat.cow_copy++;
    mm_event(GEV_COW_COPY, mm_current_pid(), addr, page_to_pfn(old), page_to_pfn(copy), 0);
    irq_restore(flags);
    flush_tlb_mm(mm);
    return 0;
}

/*
 * The PTE holds a swap slot. If the swap cache has the slot's frame, map it read-only (a write
 * then retries into do_wp_page, which takes the frame over if nobody else needs it). Otherwise
 * read the slot into a new frame placed in the swap cache (locked during the read) and retry.
 */
static int do_swap_page(struct mm* mm, struct vma* vma, uint32_t addr, uint32_t* pte, uint32_t e, int write,
                        int* did_read) {
    uint32_t slot = pte_swap_slot(e);
    uint32_t flags = irq_save();
    if (*pte != e) {
        irq_restore(flags);
        return 1;
    }
    struct page* p = swap_cache_lookup(slot);
    if (p) {
        if (p->flags & PG_LOCKED) {
            wait_on_page(p);
            irq_restore(flags);
            return 1;
        }
        p->refcount++;
        *pte = page_to_phys(p) | PTE_P | PTE_U | ((vma->flags & VM_WRITE) ? PTE_COW : 0);
        mm->swap_ptes--;
        mm->rss++;
        swap_free(slot); /* the PTE's reference; the cache keeps its own */
        page_set_mapped(p, mm, addr);
        if (!*did_read) mm_stat.swap_cache_hits++;
        mm_stat.swap_in_faults++;
        mm_event(GEV_SWAP_IN, mm_current_pid(), addr, slot, page_to_pfn(p), !*did_read);
        /* With swap half full, a page only we use gives its slot back at once (Linux's
         * vm_swap_full): otherwise every page that was ever swapped keeps a slot. */
        if (2 * swap_used > swap_nslots && p->refcount == 2 && swap_count(slot) == 1) {
            swap_cache_delete(p);
            *pte = (*pte & ~PTE_COW) | ((vma->flags & VM_WRITE) ? PTE_W : 0);
        }
        irq_restore(flags);
        return (write && !(*pte & PTE_W)) ? 1 : 0;
    }
    irq_restore(flags);

    struct page* n = alloc_user_page();
    if (!n) return -1;
    flags = irq_save();
    if (*pte != e || swap_cache_lookup(slot)) {
        irq_restore(flags);
        free_pages(n, 0);
        return 1;
    }
    n->flags |= PG_LOCKED;
    swap_cache_add(n, slot);
    n->refcount--; /* the cache's reference is the only one */
    lru_add(n, LRU_INACTIVE_CLEAN); /* locked until read, unmapped: mapping it activates it */
    irq_restore(flags);

    int r = swap_read(slot, n);
    flags = irq_save();
    unlock_page(n);
    if (r < 0) { /* the frame holds garbage: it must not stay in the cache as the slot's copy */
        kprintf("mm: swap read error, slot %u\n", slot);
        if (n->refcount == 1) swap_cache_delete(n);
        irq_restore(flags);
        return -1;
    }
    mm_stat.swap_ins++;
    *did_read = 1;
    irq_restore(flags);
    return 1;
}

int handle_mm_fault(struct mm* mm, uint32_t addr, int write, int force) {
    addr &= PAGE_MASK;
    int did_read = 0;
    for (;;) {
        struct vma* vma = find_vma(mm, addr);
        if (!vma) return -1;
        uint32_t* pte = pte_alloc(mm, addr, GFP_KERNEL);
        if (!pte) return -1;
        uint32_t e = *pte;
        int r;
        if (e & PTE_P) {
            if (!write || (e & PTE_W)) {
                flush_tlb_mm(mm); /* a stale TLB entry: the PTE is already fine */
                return 0;
            }
            if (!force && !(vma->flags & VM_WRITE)) return -1;
            r = do_wp_page(mm, vma, addr, pte, e);
        } else if (pte_is_swap(e)) {
            r = do_swap_page(mm, vma, addr, pte, e, write, &did_read);
        } else {
            r = do_anonymous_page(mm, vma, addr, pte, e);
        }
        if (r <= 0) return r;
    }
}

/* A fault just below the stack VMA (within STACK_MAX_SIZE of its top) grows the stack. */
static struct vma* grow_stack(struct mm* mm, uint32_t addr) {
    struct vma* v = find_vma_after(mm, addr);
    if (!v || !(v->flags & VM_STACK) || addr < USER_STACK_TOP - STACK_MAX_SIZE) return 0;
    for (struct vma* w = mm->vmas; w != v; w = w->next)
        if (w->end > addr) return 0;
    v->start = addr & PAGE_MASK;
    mm_stat.stack_grow++;
    mm_event(GEV_STACK_GROW, mm_current_pid(), v->start, 0, 0, 0); /* the frame: the zero-fill that follows */
    return v;
}

/* The VMA allowing an access to addr (growing the stack if needed), or NULL. */
struct vma* vma_for_access(struct mm* mm, uint32_t addr, int write) {
    if (addr >= USER_TOP) return 0;
    struct vma* vma = find_vma(mm, addr);
    if (!vma) vma = grow_stack(mm, addr);
    if (!vma || (write && !(vma->flags & VM_WRITE))) return 0;
    return vma;
}

int mm_handle_page_fault(uint32_t cr2, uint32_t err, int user) {
    (void)user;
    struct mm* mm = mm_current();
    int write = (err & 2) != 0;
    mm_stat.faults++;
    if (!mm || !vma_for_access(mm, cr2, write) || ((err & 1) && !write)) {
        mm_stat.bad++;
        return -1;
    }
    int r = handle_mm_fault(mm, cr2, write, 0);
    mm_check_invariants("page fault");
    return r;
}
