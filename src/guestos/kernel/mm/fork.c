/*
 * fork.c: copy-on-write fork. The child gets a copy of the parent's VMAs and page tables, not of
 * its pages: every present PTE is shared (the frame's reference count goes up), and writable ones
 * are made read-only in both parent and child and marked PTE_COW, so the first write by either
 * side faults and copies (fault.c: do_wp_page). A PTE holding a swap slot is copied as is and the
 * slot gets one more reference. The child joins the parent's fork family (rmap.c).
 */
#include "mm_internal.h"

/* Copies one page table's worth of user PTEs (irqs off: no eviction can interleave). */
static void copy_ptes(struct mm* parent, struct mm* child, uint32_t* src, uint32_t* dst) {
    for (int i = 0; i < 1024; i++) {
        uint32_t e = src[i];
        if (e & PTE_P) {
            struct page* p = pte_page(e);
            if (e & PTE_W) {
                e = (e & ~PTE_W) | PTE_COW;
                src[i] = e;
            }
            p->refcount++;
            dst[i] = e & ~PTE_A;
            child->rss++;
        } else if (pte_is_swap(e)) {
            swap_dup(pte_swap_slot(e));
            dst[i] = e;
            child->swap_ptes++;
        }
    }
    (void)parent;
}

struct mm* mm_fork(struct mm* parent) {
    struct mm* child = mm_create();
    if (!child) return 0;
    family_leave(child); /* mm_create made a new family: the child belongs to the parent's */
    family_join(child, parent);
    if (vma_copy_list(child, parent) < 0) goto fail;
    child->brk_start = parent->brk_start;
    child->brk = parent->brk;
    for (uint32_t i = 0; i < KERNEL_PDX; i++) {
        if (!(parent->pgdir[i] & PTE_P)) continue;
        /* Allocate first (this may reclaim and sleep), then copy the table in one go. */
        struct page* pt = alloc_pages(0, GFP_KERNEL | GFP_ZERO);
        if (!pt) goto fail;
        pt->kind = PAGE_KIND_PAGETABLE;
        uint32_t flags = irq_save();
        if (!(parent->pgdir[i] & PTE_P)) { /* cannot happen today: tables are only freed at exit */
            irq_restore(flags);
            free_pages(pt, 0);
            continue;
        }
        child->pgdir[i] = page_to_phys(pt) | PTE_P | PTE_W | PTE_U;
        copy_ptes(parent, child, (uint32_t*)__va(parent->pgdir[i] & PTE_FRAME), page_address(pt));
        irq_restore(flags);
    }
    flush_tlb_mm(parent); /* the parent's PTEs lost their W bits */
    mm_check_invariants("fork");
    return child;
fail:
    flush_tlb_mm(parent);
    mm_destroy(child);
    return 0;
}
