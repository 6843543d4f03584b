/*
 * swap.c: swap slots. The swap partition is cut into slots of 8 sectors (one page). Each slot has
 * a reference count (swap_map): one per PTE that holds the slot, plus one while the swap cache
 * keeps a frame for it. Slot 0 is never used, so a swap PTE is never zero. As in Linux 1.0 the
 * slots are a resource with claim (swap_alloc), duplicate (swap_dup, at fork) and free.
 */
#include "mm_internal.h"

#define SECTORS_PER_SLOT (PAGE_SIZE / 512)

uint32_t swap_nslots;
uint16_t* swap_map;
uint32_t swap_used;
static int swap_drive;
static uint32_t swap_lba;
static uint32_t swap_hint = 1; /* next-fit search starts here */

int swap_init(int drive, uint32_t start_lba, uint32_t nsectors) {
    uint32_t n = nsectors / SECTORS_PER_SLOT;
    if (n < 2) return -1;
    uint16_t* map = kzalloc(n * sizeof *map);
    struct page** cache = kzalloc(n * sizeof *cache);
    if (!map || !cache) {
        kfree(map);
        kfree(cache);
        return -1;
    }
    swap_drive = drive;
    swap_lba = start_lba;
    swap_map = map;
    swap_cache = cache;
    swap_nslots = n;
    kprintf("mm: swap on drive %d, LBA %u, %u slots (%u KiB)\n", drive, start_lba, n - 1, (n - 1) * 4);
    return 0;
}

const uint16_t* swap_map_view(uint32_t* slot_count) {
    *slot_count = swap_nslots;
    return swap_nslots ? swap_map : 0;
}

uint32_t swap_alloc(void) {
    uint32_t flags = irq_save();
    for (uint32_t i = 0; i < swap_nslots; i++) {
        uint32_t slot = swap_hint + i;
        if (slot >= swap_nslots) slot -= swap_nslots - 1; /* wrap, skipping slot 0 */
        if (slot != 0 && swap_map[slot] == 0) {
            swap_map[slot] = 1;
            swap_used++;
            swap_hint = slot + 1 < swap_nslots ? slot + 1 : 1;
            irq_restore(flags);
            return slot;
        }
    }
    irq_restore(flags);
    return 0;
}

static void check_slot(uint32_t slot, const char* what) {
    if (slot == 0 || slot >= swap_nslots || swap_map[slot] == 0) panic("%s: bad swap slot %u", what, slot);
}

void swap_dup(uint32_t slot) {
    uint32_t flags = irq_save();
    check_slot(slot, "swap_dup");
    swap_map[slot]++;
    irq_restore(flags);
}

uint32_t swap_count(uint32_t slot) {
    return swap_map[slot];
}

void swap_free(uint32_t slot) {
    uint32_t flags = irq_save();
    check_slot(slot, "swap_free");
    if (--swap_map[slot] == 0) {
        swap_used--;
    } else if (swap_map[slot] == 1) {
        /* Only the swap cache still refers to the slot: if no PTE maps its frame either,
         * the cached copy can never be used again. */
        struct page* p = swap_cache[slot];
        if (p && p->refcount == 1 && !(p->flags & PG_LOCKED)) swap_cache_delete(p);
    }
    irq_restore(flags);
}

/* One page of I/O with the IDE driver (sleeps until the transfer is done). A HighMem frame is
 * reached through a persistent kmap held across the sleep: the IDE interrupt may copy the data
 * while another process runs, and every directory maps the kmap slots. */
int swap_read(uint32_t slot, struct page* p) {
    int r = mm_disk_read(swap_drive, swap_lba + slot * SECTORS_PER_SLOT, kmap(p), SECTORS_PER_SLOT);
    kunmap(p);
    return r;
}

int swap_write(uint32_t slot, struct page* p) {
    int r = mm_disk_write(swap_drive, swap_lba + slot * SECTORS_PER_SLOT, kmap(p), SECTORS_PER_SLOT);
    kunmap(p);
    return r;
}
