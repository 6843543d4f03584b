/*
 * rmap.c: reverse mapping, from a frame to the PTEs that map it, without scanning processes.
 *
 * Anonymous pages only ever move between address spaces by fork, which keeps them at the same
 * user address (there is no mremap and no shared mmap). So a frame records the address it is
 * mapped at (page->vaddr) and the "fork family" it belongs to (page->family): the set of mms that
 * descend from one exec by fork. The PTEs that may map the frame are then the PTE at page->vaddr
 * in each member mm; those that really do point at the frame are its mappings. This is the idea
 * of Linux 2.6's anon_vma, with the family standing in for the chain of VMAs.
 *
 * A family lives as long as it has member mms. A frame with no mapping left (only the swap cache
 * holds it) does not look at its family; it gets a new one when it is mapped again.
 */
#include "mm_internal.h"

int family_new(struct mm* mm) {
    struct anon_family* f = kmalloc(sizeof *f);
    if (!f) return -1;
    f->members = mm;
    f->count = 1;
    mm->family = f;
    mm->family_next = 0;
    return 0;
}

void family_join(struct mm* mm, struct mm* parent) {
    uint32_t flags = irq_save();
    struct anon_family* f = parent->family;
    mm->family = f;
    mm->family_next = f->members;
    f->members = mm;
    f->count++;
    irq_restore(flags);
}

void family_leave(struct mm* mm) {
    uint32_t flags = irq_save();
    struct anon_family* f = mm->family;
    struct mm** link = &f->members;
    while (*link != mm) link = &(*link)->family_next;
    *link = mm->family_next;
    mm->family = 0;
    int last = --f->count == 0;
    irq_restore(flags);
    if (last) kfree(f);
}

void rmap_walk(struct page* page, rmap_fn fn, void* arg) {
    if (page_mapcount(page) == 0 || !page->family) return;
    uint32_t pfn = page_to_pfn(page);
    for (struct mm* mm = page->family->members; mm; mm = mm->family_next) {
        uint32_t* pte = pte_lookup(mm, page->vaddr);
        if (pte && (*pte & PTE_P) && (*pte >> PAGE_SHIFT) == pfn) fn(mm, pte, page, arg);
    }
}

/* Called with irqs off just after a PTE got the frame (refcount already counts it): the page is
 * in use, so it goes to (the tail of) the active list, from wherever it was. */
void page_set_mapped(struct page* p, struct mm* mm, uint32_t vaddr) {
    if (page_mapcount(p) == 1) { /* first mapping: (re)bind the reverse map */
        p->family = mm->family;
        p->vaddr = vaddr;
    }
    if (p->kind == PAGE_KIND_KERNEL) p->kind = PAGE_KIND_USER;
    if (!(p->flags & PG_LRU))
        lru_add(p, LRU_ACTIVE);
    else if (p->lru != LRU_ACTIVE)
        lru_move(p, LRU_ACTIVE);
}
