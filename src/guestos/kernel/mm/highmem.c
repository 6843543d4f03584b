/*
 * highmem.c: how the kernel reaches a HighMem frame, which has no address in the direct map
 * (mm.h: the layout picture). Two kinds of temporary mapping, both in the top page table, which
 * every directory shares:
 *
 *  - kmap: LAST_PKMAP persistent slots at PKMAP_BASE. The holder may sleep (swap I/O holds one
 *    while the disk works, and the IDE interrupt copies into it while another process runs: the
 *    mapping is in every directory). kunmap leaves the frame mapped, so a frame used again soon
 *    (a page swapped out and straight back in) finds its slot; the slot is taken back only when
 *    another frame needs it, or when the frame is freed (kmap_forget). Taking a slot back leaves
 *    the old translation in the TLB: that is why the slot's reuse flushes it (flush_tlb_one).
 *    When every slot has users, kmap sleeps until a kunmap frees one.
 *  - kmap_atomic: one fixmap slot per purpose (enum km_type), irqs off between map and unmap,
 *    no sleeping: the CoW copy, zeroing and copy_to_user use it, one page at a time.
 *
 * The seed's doubts, answered here: kmap is only for the kernel's own accesses (user page tables
 * map high frames as long as they like); mappings are short because there are few slots and a
 * sleeping holder blocks the others; and page->virtual (struct page.virtual) of a free high frame
 * is always 0, because free_pages calls kmap_forget and a slot with users at that point panics
 * (the invariant checker also looks: no slot maps a free frame, no free high frame has an address).
 */
#include "mm_internal.h"

struct kmap_slot kmap_slots[NR_KMAP_SLOTS];
uint32_t kmap_count, kmap_flush_count;
static uint32_t* top_ptes; /* the page table of PKMAP_BASE .. 4 GiB */
static int has_invlpg;     /* a 486 or later */
static uint32_t next_slot; /* round robin over the persistent slots */

static uint32_t* slot_pte(uint32_t kva) {
    return &top_ptes[PTX(kva)];
}
static uint32_t pkmap_addr(uint32_t slot) {
    return PKMAP_BASE + slot * PAGE_SIZE;
}

#ifndef MM_HOSTTEST
/* A 486 can toggle EFLAGS.AC (bit 18); a 386 cannot. INVLPG came with the 486. */
static int cpu_is_486(void) {
    uint32_t before, after;
    __asm__ volatile(
        "pushfl; popl %0; movl %0, %1; xorl $0x40000, %1; pushl %1; popfl; pushfl; popl %1; pushl %0; popfl"
        : "=&r"(before), "=&r"(after));
    return ((before ^ after) & 0x40000) != 0;
}
void flush_tlb_one(uint32_t va) {
    if (has_invlpg)
        __asm__ volatile("invlpg (%0)" ::"r"(va) : "memory");
    else
        write_cr3(read_cr3()); /* the 386's only way: the whole TLB */
}
#else
static int cpu_is_486(void) {
    return 0;
}
void flush_tlb_one(uint32_t va) {
    (void)va;
}
#endif

void highmem_init(uint32_t* top_table) {
    top_ptes = top_table;
    has_invlpg = cpu_is_486();
    if (highstart_pfn < frame_count)
        kprintf("mm: HighMem from %u MiB: %u kmap slots, %u atomic; TLB flush by %s\n", highstart_pfn >> 8,
                LAST_PKMAP, NR_KM_TYPES, has_invlpg ? "INVLPG" : "CR3 reload");
}

/* Unmaps a persistent slot with no users (irqs off). */
static void slot_release(uint32_t slot) {
    struct page* old = pfn_to_page(kmap_slots[slot].pfn);
    *slot_pte(pkmap_addr(slot)) = 0;
    flush_tlb_one(pkmap_addr(slot));
    kmap_flush_count++;
    old->virtual = 0;
    old->map_flags &= (uint16_t)~PM_KMAP;
    kmap_slots[slot].pfn = 0;
}

/* A persistent slot with no users: an empty one, else the next kept one (taken back). -1: none. */
static int slot_find(void) {
    for (uint32_t i = 0; i < LAST_PKMAP; i++)
        if (!kmap_slots[i].pfn) return (int)i;
    for (uint32_t i = 0; i < LAST_PKMAP; i++) {
        uint32_t slot = (next_slot + i) % LAST_PKMAP;
        if (kmap_slots[slot].users == 0) {
            next_slot = (slot + 1) % LAST_PKMAP;
            slot_release(slot);
            return (int)slot;
        }
    }
    return -1;
}

void* kmap(struct page* p) {
    if (!page_is_high(p)) return page_address(p);
    uint32_t flags = irq_save();
    while (!p->virtual) {
        int free_slot = slot_find();
        if (free_slot < 0) { /* every slot has users: wait for a kunmap */
            mm_sleep_on(kmap_slots);
            continue;
        }
        uint32_t kva = pkmap_addr((uint32_t)free_slot);
        *slot_pte(kva) = page_to_phys(p) | PTE_P | PTE_W;
        kmap_slots[free_slot].pfn = page_to_pfn(p);
        p->virtual = kva;
        p->map_flags |= PM_KMAP;
    }
    uint32_t slot = (p->virtual - PKMAP_BASE) >> PAGE_SHIFT;
    kmap_slots[slot].users++;
    kmap_count++;
    mm_event(GEV_KMAP, mm_current_pid(), page_to_pfn(p), p->virtual, slot, 0);
    irq_restore(flags);
    return (void*)(uintptr_t)p->virtual;
}

void kunmap(struct page* p) {
    if (!page_is_high(p)) return;
    uint32_t flags = irq_save();
    uint32_t slot = (p->virtual - PKMAP_BASE) >> PAGE_SHIFT;
    if (!p->virtual || kmap_slots[slot].users == 0) panic("kunmap: pfn %x is not kmapped", page_to_pfn(p));
    if (--kmap_slots[slot].users == 0) mm_wakeup(kmap_slots);
    mm_event(GEV_KUNMAP, mm_current_pid(), page_to_pfn(p), p->virtual, slot, 0);
    irq_restore(flags);
}

void kmap_forget(struct page* p) {
    uint32_t flags = irq_save();
    uint32_t slot = (p->virtual - PKMAP_BASE) >> PAGE_SHIFT;
    if (slot >= LAST_PKMAP || kmap_slots[slot].pfn != page_to_pfn(p) || kmap_slots[slot].users)
        panic("free of pfn %x while kmapped (slot %u)", page_to_pfn(p), slot);
    slot_release(slot);
    irq_restore(flags);
}

void* kmap_atomic(struct page* p, enum km_type type) {
    if (!page_is_high(p)) return page_address(p);
    uint32_t kva = fix_to_virt(type);
    struct kmap_slot* s = &kmap_slots[LAST_PKMAP + type];
    if (s->users) panic("kmap_atomic: slot %u already in use", (uint32_t)type);
    *slot_pte(kva) = page_to_phys(p) | PTE_P | PTE_W;
    flush_tlb_one(kva); /* the slot's previous frame may still be in the TLB */
    s->pfn = page_to_pfn(p);
    s->users = 1;
    p->map_flags |= PM_KMAP_ATOMIC;
    mm_event(GEV_KMAP, mm_current_pid(), s->pfn, kva, LAST_PKMAP + (uint32_t)type, 1);
    return (void*)(uintptr_t)kva;
}

void kunmap_atomic(void* kva, enum km_type type) {
    uint32_t va = (uint32_t)(uintptr_t)kva & PAGE_MASK;
    if (va != fix_to_virt(type)) return; /* a low frame: nothing was mapped */
    struct kmap_slot* s = &kmap_slots[LAST_PKMAP + type];
    pfn_to_page(s->pfn)->map_flags &= (uint16_t)~PM_KMAP_ATOMIC;
    /* Unmapped at once (Linux 2.4 leaves it until the next kmap_atomic): a stray use faults. */
    *slot_pte(va) = 0;
    flush_tlb_one(va);
    mm_event(GEV_KUNMAP, mm_current_pid(), s->pfn, va, LAST_PKMAP + (uint32_t)type, 1);
    s->pfn = 0;
    s->users = 0;
}

void clear_page_any(struct page* p) {
    if (!page_is_high(p)) {
        memset(page_address(p), 0, PAGE_SIZE);
        return;
    }
    uint32_t flags = irq_save();
    void* kva = kmap_atomic(p, KM_ZERO);
    memset(kva, 0, PAGE_SIZE);
    kunmap_atomic(kva, KM_ZERO);
    irq_restore(flags);
}
