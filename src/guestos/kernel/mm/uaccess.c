/*
 * uaccess.c: the kernel reading and writing user memory. On the 386 a ring-0 write ignores the
 * PTE's R/W bit (there is no CR0.WP), so writing straight through a user address would write
 * into a frame shared copy-on-write, or into a swap-cache copy. Every access therefore checks the
 * PTE first and, if the page is absent or not privately writable, takes the same path as a page
 * fault; then it copies through the kernel's own mapping of the frame (kmap_atomic: the direct
 * map for a low frame, the KM_USER_COPY fixmap slot for a HighMem one), with interrupts off so
 * the page cannot be evicted between the check and the copy.
 */
#include "mm_internal.h"

/* Can the kernel access this PTE's frame now? `force`: writes to a private read-only frame. */
static int pte_ready(uint32_t e, int write, int force) {
    if (!(e & PTE_P)) return 0;
    if (!write || (e & PTE_W)) return 1;
    struct page* p = pte_page(e);
    return force && p->refcount == 1 && !(p->flags & PG_SWAPCACHE);
}

/*
 * Copies len bytes between kbuf and user address uaddr of mm (to_user: direction), one page at a
 * time. Returns 0, or -1 if some page is outside the VMAs / not allowed / out of memory.
 */
static int user_copy(struct mm* mm, uint32_t uaddr, void* kbuf, uint32_t len, int to_user, int force) {
    if (!mm || uaddr >= USER_TOP || len > USER_TOP - uaddr) return -1;
    char* k = kbuf;
    while (len) {
        uint32_t chunk = PAGE_SIZE - (uaddr & ~PAGE_MASK);
        if (chunk > len) chunk = len;
        uint32_t flags = irq_save();
        uint32_t* pte = pte_lookup(mm, uaddr);
        if (pte && pte_ready(*pte, to_user, force)) {
            char* frame = kmap_atomic(pte_page(*pte), KM_USER_COPY);
            char* u = frame + (uaddr & ~PAGE_MASK);
            if (to_user) {
                memcpy(u, k, chunk);
                *pte |= PTE_A | PTE_D;
            } else {
                memcpy(k, u, chunk);
                *pte |= PTE_A;
            }
            kunmap_atomic(frame, KM_USER_COPY);
            irq_restore(flags);
            uaddr += chunk;
            k += chunk;
            len -= chunk;
            continue;
        }
        irq_restore(flags);
        if (force ? !find_vma(mm, uaddr) : !vma_for_access(mm, uaddr, to_user)) return -1;
        if (handle_mm_fault(mm, uaddr, to_user, force) < 0) return -1;
    }
    return 0;
}

int copy_to_user(uint32_t udst, const void* src, uint32_t len) {
    return user_copy(mm_current(), udst, (void*)src, len, 1, 0);
}

int copy_from_user(void* dst, uint32_t usrc, uint32_t len) {
    return user_copy(mm_current(), usrc, dst, len, 0, 0);
}

int mm_copy_in(struct mm* mm, uint32_t uaddr, const void* src, uint32_t len) {
    int r = user_copy(mm, uaddr, (void*)src, len, 1, 1);
    mm_check_invariants("mm_copy_in");
    return r;
}

int strncpy_from_user(char* dst, uint32_t usrc, uint32_t max) {
    for (uint32_t i = 0; i < max; i++) {
        if (copy_from_user(&dst[i], usrc + i, 1) < 0) return -1;
        if (dst[i] == 0) return (int)i;
    }
    return -1;
}
