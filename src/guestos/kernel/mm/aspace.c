/*
 * aspace.c: the life of an address space: create (a directory sharing the kernel half), switch
 * (load CR3, which on the 386 also flushes the whole TLB), destroy (give back every frame, swap
 * slot, page table and VMA). Every live mm is on one list, for the invariant checker.
 */
#include "mm_internal.h"

struct mm* mm_all;

struct mm* mm_create(void) {
    struct mm* mm = kzalloc(sizeof *mm);
    if (!mm) return 0;
    struct page* pd = alloc_pages(0, GFP_KERNEL | GFP_ZERO);
    if (!pd || family_new(mm) < 0) {
        if (pd) free_pages(pd, 0);
        kfree(mm);
        return 0;
    }
    pd->kind = PAGE_KIND_PAGETABLE;
    mm->pgdir = page_address(pd);
    mm->pgdir_phys = page_to_phys(pd);
    uint32_t flags = irq_save(); /* copy and join mm_all at once: kernel_pte may add an entry */
    for (uint32_t i = KERNEL_PDX; i < 1024; i++) mm->pgdir[i] = kernel_pgdir[i];
    mm->all_next = mm_all;
    mm_all = mm;
    irq_restore(flags);
    return mm;
}

void mm_switch(struct mm* mm) {
    write_cr3(mm ? mm->pgdir_phys : kernel_pgdir_phys);
}

void mm_destroy(struct mm* mm) {
    if (read_cr3() == mm->pgdir_phys)
        write_cr3(kernel_pgdir_phys); /* never free the directory we are running on */
    for (struct vma* v = mm->vmas; v; v = v->next) unmap_range(mm, v->start, v->end);
    unmap_range(mm, 0, USER_TOP); /* nothing should be left; this makes sure */
    /* Leave the reverse map and the checker's list before the page tables go: a reclaimer
     * walking the family must never read a freed (and reused) page table. */
    family_leave(mm);
    uint32_t flags = irq_save();
    struct mm** link = &mm_all;
    while (*link != mm) link = &(*link)->all_next;
    *link = mm->all_next;
    irq_restore(flags);
    free_user_pagetables(mm);
    vma_free_list(mm);
    free_pages(virt_to_page(mm->pgdir), 0);
    kfree(mm);
    mm_check_invariants("mm_destroy");
}
