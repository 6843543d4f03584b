/*
 * vma.c: the VM areas of an address space: a list sorted by start address, non-overlapping, each
 * a page-aligned range [start, end) with VM_* permissions. The areas say what may be mapped; the
 * page tables say what is mapped right now. Every function that shrinks an area also clears its
 * PTEs (unmap_range), so the two never disagree: a partial munmap really unmaps.
 */
#include "mm_internal.h"

struct vma* find_vma(struct mm* mm, uint32_t addr) {
    for (struct vma* v = mm->vmas; v && v->start <= addr; v = v->next)
        if (addr < v->end) return v;
    return 0;
}

struct vma* find_vma_after(struct mm* mm, uint32_t addr) {
    struct vma* v = mm->vmas;
    while (v && v->start <= addr) v = v->next;
    return v;
}

/* Is [start, end) free of VMAs? */
static int range_free(struct mm* mm, uint32_t start, uint32_t end) {
    for (struct vma* v = mm->vmas; v && v->start < end; v = v->next)
        if (v->end > start) return 0;
    return 1;
}

/* Links a new VMA into the sorted list. */
static struct vma* vma_insert(struct mm* mm, uint32_t start, uint32_t end, uint32_t flags) {
    struct vma* n = kmalloc(sizeof *n);
    if (!n) return 0;
    n->start = start;
    n->end = end;
    n->flags = flags;
    struct vma** link = &mm->vmas;
    while (*link && (*link)->start < start) link = &(*link)->next;
    n->next = *link;
    *link = n;
    return n;
}

int mm_map_anon(struct mm* mm, uint32_t addr, uint32_t len, uint32_t flags) {
    uint32_t end = addr + PAGE_ALIGN(len);
    if ((addr & ~PAGE_MASK) || len == 0 || end > USER_TOP || end <= addr || !range_free(mm, addr, end))
        return -1;
    return vma_insert(mm, addr, end, flags | VM_ANON) ? 0 : -1;
}

static struct vma* heap_vma(struct mm* mm) {
    for (struct vma* v = mm->vmas; v; v = v->next)
        if (v->flags & VM_HEAP) return v;
    return 0;
}

/* The heap is a VMA [brk_start, PAGE_ALIGN(brk)); it exists even when empty (start == end). */
int mm_brk_init(struct mm* mm, uint32_t start) {
    start = PAGE_ALIGN(start);
    if (!range_free(mm, start, start + PAGE_SIZE)) return -1;
    mm->brk_start = mm->brk = start;
    return vma_insert(mm, start, start, VM_READ | VM_WRITE | VM_ANON | VM_HEAP) ? 0 : -1;
}

uint32_t mm_brk(struct mm* mm, uint32_t newbrk) {
    struct vma* heap = heap_vma(mm);
    if (!heap || newbrk < mm->brk_start || newbrk >= USER_TOP) return mm->brk;
    uint32_t new_end = PAGE_ALIGN(newbrk);
    if (new_end > heap->end) {
        struct vma* next = heap->next;
        /* keep a guard page below the next area (the stack grows down towards us) */
        if (next && new_end + PAGE_SIZE > next->start) return mm->brk;
    } else if (new_end < heap->end) {
        unmap_range(mm, new_end, heap->end);
    }
    heap->end = new_end;
    mm->brk = newbrk;
    return newbrk;
}

uint32_t mm_mmap(struct mm* mm, uint32_t len, uint32_t prot) {
    len = PAGE_ALIGN(len);
    if (len == 0) return 0;
    uint32_t limit = USER_STACK_TOP - STACK_MAX_SIZE; /* leave room for the stack to grow */
    uint32_t addr = MMAP_BASE;
    for (struct vma* v = mm->vmas; v; v = v->next) {
        if (v->end <= addr) continue;
        if (v->start >= addr + len) break; /* the gap before v fits */
        addr = v->end;
    }
    if (addr + len > limit || addr + len < addr) return 0;
    if (!vma_insert(mm, addr, addr + len, (prot & (VM_READ | VM_WRITE | VM_EXEC)) | VM_ANON)) return 0;
    return addr;
}

int mm_munmap(struct mm* mm, uint32_t addr, uint32_t len) {
    uint32_t end = addr + PAGE_ALIGN(len);
    if ((addr & ~PAGE_MASK) || len == 0 || end > USER_TOP || end <= addr) return -1;
    /* The heap only changes through brk. */
    for (struct vma* v = mm->vmas; v; v = v->next)
        if ((v->flags & VM_HEAP) && v->start < end && addr < v->end) return -1;
    /* An area strictly containing the range splits in two: get the second half first. */
    for (struct vma* v = mm->vmas; v; v = v->next) {
        if (v->start < addr && end < v->end) {
            struct vma* tail = vma_insert(mm, end, v->end, v->flags);
            if (!tail) return -1;
            v->end = addr;
            break;
        }
    }
    struct vma** link = &mm->vmas;
    while (*link) {
        struct vma* v = *link;
        if (v->end <= addr || v->start >= end) {
            link = &v->next;
            continue;
        }
        if (addr <= v->start && v->end <= end) { /* entirely inside: remove */
            *link = v->next;
            kfree(v);
            continue;
        }
        if (v->start < addr)
            v->end = addr; /* overlaps the range's start: trim the end */
        else
            v->start = end; /* overlaps the range's end: trim the start */
        link = &v->next;
    }
    unmap_range(mm, addr, end);
    mm_check_invariants("munmap");
    return 0;
}

int vma_copy_list(struct mm* dst, const struct mm* src) {
    struct vma** tail = &dst->vmas;
    for (const struct vma* v = src->vmas; v; v = v->next) {
        struct vma* n = kmalloc(sizeof *n);
        if (!n) return -1;
        *n = *v;
        n->next = 0;
        *tail = n;
        tail = &n->next;
    }
    return 0;
}

void vma_free_list(struct mm* mm) {
    while (mm->vmas) {
        struct vma* v = mm->vmas;
        mm->vmas = v->next;
        kfree(v);
    }
}
