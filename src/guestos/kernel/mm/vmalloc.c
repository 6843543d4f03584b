/*
 * vmalloc.c: virtually contiguous kernel memory from frames that need not be contiguous, nor even
 * low (GFP_HIGHMEM: the area's own page tables map them). The kernel uses it where it wants a
 * large or guarded piece of memory, e.g. every process's kernel stack (proc.c): a stack that runs
 * off its end hits the guard page and faults instead of overwriting its neighbour.
 *
 * Areas live between VMALLOC_START and VMALLOC_END, each followed by one unmapped guard page, and
 * are described by a small sorted table (vm_areas, published to the debug window as it is). The
 * seed wonders how vmalloc is kept from running into the fixmaps: VMALLOC_END is a constant below
 * PKMAP_BASE (the layout in mm.h), and an area must end, guard page included, before it.
 * Page tables of the area are made on demand and shared by every directory (pagetable.c).
 */
#include "mm_internal.h"

struct vm_area vm_areas[VM_AREAS_MAX]; /* sorted by start; the used ones first */
uint32_t vmalloc_area_count, vmalloc_page_count;

/* Unmaps and frees the pages of [start, start + size) that are mapped (irqs on). */
static void unmap_area(uint32_t start, uint32_t size) {
    for (uint32_t va = start; va < start + size; va += PAGE_SIZE) {
        uint32_t* pte = kernel_pte(va, 0);
        if (!pte || !(*pte & PTE_P)) continue;
        struct page* p = pte_page(*pte);
        uint32_t flags = irq_save();
        *pte = 0;
        flush_tlb_one(va);
        p->map_flags &= (uint16_t)~PM_VMALLOC;
        vmalloc_page_count--;
        irq_restore(flags);
        free_pages(p, 0);
    }
}

/* Reserves `size` bytes plus a guard page of address space; returns the start or 0. Irqs off. */
static uint32_t reserve(uint32_t size) {
    if (vmalloc_area_count == VM_AREAS_MAX) return 0;
    uint32_t addr = VMALLOC_START;
    uint32_t i = 0;
    for (; i < vmalloc_area_count; i++) {
        if (addr + size + PAGE_SIZE <= vm_areas[i].start) break; /* the gap before area i fits */
        addr = vm_areas[i].start + vm_areas[i].size + PAGE_SIZE;
    }
    if (addr + size + PAGE_SIZE > VMALLOC_END || addr + size < addr) return 0;
    for (uint32_t j = vmalloc_area_count; j > i; j--) vm_areas[j] = vm_areas[j - 1];
    vm_areas[i].start = addr;
    vm_areas[i].size = size;
    vmalloc_area_count++;
    return addr;
}

/* Forgets the area starting at addr. Irqs off. */
static void release(uint32_t addr) {
    for (uint32_t i = 0; i < vmalloc_area_count; i++) {
        if (vm_areas[i].start != addr) continue;
        for (uint32_t j = i; j + 1 < vmalloc_area_count; j++) vm_areas[j] = vm_areas[j + 1];
        vmalloc_area_count--;
        vm_areas[vmalloc_area_count].start = vm_areas[vmalloc_area_count].size = 0;
        return;
    }
}

void* vmalloc(uint32_t size) {
    size = PAGE_ALIGN(size);
    if (size == 0 || size > VMALLOC_END - VMALLOC_START) return 0;
    uint32_t flags = irq_save();
    uint32_t start = reserve(size);
    irq_restore(flags);
    if (!start) return 0;
    for (uint32_t va = start; va < start + size; va += PAGE_SIZE) {
        struct page* p = alloc_pages(0, GFP_HIGHMEM); /* may reclaim: irqs on */
        uint32_t* pte = p ? kernel_pte(va, 1) : 0;
        if (!pte) {
            if (p) free_pages(p, 0);
            unmap_area(start, va - start);
            flags = irq_save();
            release(start);
            irq_restore(flags);
            return 0;
        }
        flags = irq_save();
        p->owner_pid = (uint16_t)mm_current_pid();
        p->map_flags |= PM_VMALLOC;
        *pte = page_to_phys(p) | PTE_P | PTE_W;
        vmalloc_page_count++;
        irq_restore(flags);
    }
    mm_event(GEV_VMALLOC, mm_current_pid(), start, size >> PAGE_SHIFT, 0, 0);
    return (void*)(uintptr_t)start;
}

void vfree(void* addr) {
    if (!addr) return;
    uint32_t start = (uint32_t)(uintptr_t)addr, size = 0;
    for (uint32_t i = 0; i < vmalloc_area_count; i++)
        if (vm_areas[i].start == start) size = vm_areas[i].size;
    if (!size) panic("vfree: %x is not a vmalloc area", start);
    unmap_area(start, size); /* first, so that nobody gets the addresses while they are mapped */
    uint32_t flags = irq_save();
    release(start);
    irq_restore(flags);
    mm_event(GEV_VFREE, mm_current_pid(), start, size >> PAGE_SHIFT, 0, 0);
}
