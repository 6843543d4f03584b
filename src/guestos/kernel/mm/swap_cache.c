/*
 * swap_cache.c: which frame holds the contents of which swap slot (swap_cache[slot]).
 *
 * A frame enters the cache when it is evicted (before it is written out) or read in from swap.
 * While it is cached, its PTEs are read-only, so the frame and the slot hold the same data once
 * the write is done (PG_NEEDS_WRITE clear): evicting it again needs no I/O, and the other
 * processes that share the slot after a fork find the frame here instead of reading the disk.
 * The cache holds one reference to the frame and one to the slot.
 */
#include "mm_internal.h"

struct page** swap_cache;
uint32_t swap_cache_pages;

struct page* swap_cache_lookup(uint32_t slot) {
    return slot < swap_nslots ? swap_cache[slot] : 0;
}

void swap_cache_add(struct page* p, uint32_t slot) {
    uint32_t flags = irq_save();
    if (swap_cache[slot] || (p->flags & PG_SWAPCACHE))
        panic("swap_cache_add: slot %u or pfn %x already cached", slot, page_to_pfn(p));
    swap_cache[slot] = p;
    p->swap_slot = slot;
    p->flags |= PG_SWAPCACHE;
    p->kind = PAGE_KIND_SWAPCACHE;
    p->refcount++;
    swap_dup(slot);
    swap_cache_pages++;
    irq_restore(flags);
}

void swap_cache_delete(struct page* p) {
    uint32_t flags = irq_save();
    uint32_t slot = p->swap_slot;
    if (!(p->flags & PG_SWAPCACHE) || swap_cache[slot] != p)
        panic("swap_cache_delete: pfn %x not cached", page_to_pfn(p));
    swap_cache[slot] = 0;
    p->flags &= ~(PG_SWAPCACHE | PG_NEEDS_WRITE);
    p->kind = PAGE_KIND_USER;
    p->swap_slot = 0;
    swap_cache_pages--;
    swap_free(slot);
    put_page(p);
    irq_restore(flags);
}
