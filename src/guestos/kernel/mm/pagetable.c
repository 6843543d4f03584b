/*
 * pagetable.c: the 386's two-level page tables.
 *
 *   31                 22 21                 12 11                   0
 *  +---------------------+---------------------+----------------------+
 *  |  directory index    |    table index      |   offset in page     |
 *  +---------------------+---------------------+----------------------+
 *        PDX(va)               PTX(va)
 *  CR3 -> page directory[PDX] -> page table[PTX] -> frame + offset
 *
 *  A PTE: frame address in bits 31..12, then flags: P(0) W(1) U(2) A(5) D(6), and the
 *  software bits COW(9) and SWAP(10). A not-present PTE with SWAP set holds a swap slot in
 *  bits 31..12; a zero PTE was never touched (zero-filled on first access).
 *
 * The kernel half (directory entries 768..1023, linear 0xC0000000 up; the picture is in mm.h)
 * is shared by every address space: each directory copies those entries from kernel_pgdir, so
 * they must point at the same page tables forever. The direct map's tables and the top table
 * (kmap and fixmap slots) are built at boot. vmalloc's tables are made when an area first needs
 * one, and its directory entry is then written into every directory at once (mm_all, irqs off):
 * we chose that over Linux 2.4's way (copy the entry on the first kernel fault there, vmalloc_fault)
 * because a kernel stack lives in vmalloc space here, and a fault while switching stacks, or in an
 * interrupt handler, is no place to repair page tables; and over pre-allocating all 28 tables
 * (112 KiB) because a 4 MiB machine cannot spare them. Kernel tables are never freed, so an entry
 * once copied stays right. The 386 has no INVLPG: a single stale entry is flushed by reloading CR3
 * (flush_tlb_one, highmem.c).
 */
#include "mm_internal.h"

uint32_t* kernel_pgdir;
uint32_t kernel_pgdir_phys;

uint32_t* pagetable_init_kernel(uint32_t lowmem_frames, uint32_t* (*boot_alloc)(void)) {
    kernel_pgdir = boot_alloc();
    kernel_pgdir_phys = __pa(kernel_pgdir);
    for (uint32_t pfn = 0; pfn < lowmem_frames; pfn += 1024) {
        uint32_t* table = boot_alloc();
        for (uint32_t i = 0; i < 1024 && pfn + i < lowmem_frames; i++)
            table[i] = ((pfn + i) << PAGE_SHIFT) | PTE_P | PTE_W;
        kernel_pgdir[KERNEL_PDX + pfn / 1024] = __pa(table) | PTE_P | PTE_W;
    }
    uint32_t* top = boot_alloc();
    kernel_pgdir[PDX(PKMAP_BASE)] = __pa(top) | PTE_P | PTE_W;
    write_cr3(kernel_pgdir_phys);
    return top;
}

uint32_t vmalloc_table_pages;

uint32_t* kernel_pte(uint32_t va, int create) {
    uint32_t pdx = PDX(va);
    if (!(kernel_pgdir[pdx] & PTE_P)) {
        if (!create) return 0;
        struct page* pt = alloc_pages(0, GFP_KERNEL | GFP_ZERO);
        if (!pt) return 0;
        uint32_t flags = irq_save();
        if (kernel_pgdir[pdx] & PTE_P) { /* made while we slept */
            irq_restore(flags);
            free_pages(pt, 0);
        } else {
            pt->kind = PAGE_KIND_PAGETABLE;
            vmalloc_table_pages++;
            uint32_t pde = page_to_phys(pt) | PTE_P | PTE_W;
            kernel_pgdir[pdx] = pde;
            for (struct mm* mm = mm_all; mm; mm = mm->all_next) mm->pgdir[pdx] = pde;
            irq_restore(flags);
        }
    }
    return (uint32_t*)__va(kernel_pgdir[pdx] & PTE_FRAME) + PTX(va);
}

uint32_t* pte_lookup(struct mm* mm, uint32_t va) {
    uint32_t pde = mm->pgdir[PDX(va)];
    if (!(pde & PTE_P)) return 0;
    return (uint32_t*)__va(pde & PTE_FRAME) + PTX(va);
}

/* Like pte_lookup, but creates the page table when missing (may sleep in reclaim). */
uint32_t* pte_alloc(struct mm* mm, uint32_t va, unsigned gfp) {
    if (!(mm->pgdir[PDX(va)] & PTE_P)) {
        struct page* pt = alloc_pages(0, gfp | GFP_ZERO);
        if (!pt) return 0;
        uint32_t flags = irq_save();
        if (mm->pgdir[PDX(va)] & PTE_P) { /* filled while we slept */
            irq_restore(flags);
            free_pages(pt, 0);
        } else {
            pt->kind = PAGE_KIND_PAGETABLE;
            mm->pgdir[PDX(va)] = page_to_phys(pt) | PTE_P | PTE_W | PTE_U;
            irq_restore(flags);
        }
    }
    return pte_lookup(mm, va);
}

void flush_tlb_mm(struct mm* mm) {
    if (mm && read_cr3() == mm->pgdir_phys) write_cr3(mm->pgdir_phys);
}

/* Clears every PTE in [start, end), dropping frame and swap-slot references, then flushes. */
void unmap_range(struct mm* mm, uint32_t start, uint32_t end) {
    for (uint32_t va = start; va < end && va >= start; va += PAGE_SIZE) {
        uint32_t* pte = pte_lookup(mm, va);
        if (!pte) { /* no table: skip to the next 4 MiB */
            va = (va & ~0x3FFFFFu) + 0x400000u - PAGE_SIZE;
            continue;
        }
        uint32_t flags = irq_save();
        uint32_t e = *pte;
        *pte = 0;
        if (e & PTE_P) {
            mm->rss--;
            page_unref_mapping(pte_page(e));
        } else if (pte_is_swap(e)) {
            mm->swap_ptes--;
            swap_free(pte_swap_slot(e));
        }
        irq_restore(flags);
    }
    flush_tlb_mm(mm);
}

/* Frees the page tables of the user half (their entries must already be clear). */
void free_user_pagetables(struct mm* mm) {
    for (uint32_t i = 0; i < KERNEL_PDX; i++) {
        if (mm->pgdir[i] & PTE_P) {
            free_pages(pfn_to_page(mm->pgdir[i] >> PAGE_SHIFT), 0);
            mm->pgdir[i] = 0;
        }
    }
}
