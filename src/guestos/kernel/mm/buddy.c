/*
 * buddy.c: the physical page allocator. Free memory is kept as blocks of 2^order frames
 * (order 0..9) on one free list per order and zone. Allocation takes the smallest block that
 * fits and splits it, returning the halves to the lower lists; freeing merges a block with its
 * buddy (the block whose frame number differs only in bit `order`) while that buddy is free.
 * Whether a buddy is free is read from its frame descriptor: PG_BUDDY on the head of a free block,
 * with `order` (Linux 1.2 kept one bit per buddy pair instead; same information).
 *
 * Zones as in Linux 2.4: DMA (below 16 MiB), Normal (the rest of low memory) and HighMem (above
 * LOWMEM_LIMIT, not mapped in the kernel). Each request has a fallback order (mm.h: GFP_*), and
 * a zone is taken in that order as long as it stays above its low watermark; only when none does
 * does the allocator reclaim. (The seed wonders why 2.4's __alloc_pages seems to balance the zones
 * instead of insisting on the preferred one: this is the insisting kind, which is what 2.4's
 * first loop does too; the balancing it saw is the watermark test moving on to the next zone.)
 */
#include "mm_internal.h"

struct zone zones[NR_ZONES] = {{.name = "DMA"}, {.name = "Normal"}, {.name = "HighMem"}};

static uint32_t clamp_u32(uint32_t v, uint32_t lo, uint32_t hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

void zones_init(uint32_t lowmem_end_pfn) {
    uint32_t dma_end = DMA_LIMIT >> PAGE_SHIFT;
    if (dma_end > lowmem_end_pfn) dma_end = lowmem_end_pfn;
    zones[ZONE_DMA].start_pfn = 0;
    zones[ZONE_DMA].end_pfn = dma_end;
    zones[ZONE_NORMAL].start_pfn = dma_end;
    zones[ZONE_NORMAL].end_pfn = lowmem_end_pfn;
    zones[ZONE_HIGHMEM].start_pfn = lowmem_end_pfn;
    zones[ZONE_HIGHMEM].end_pfn = frame_count;
    for (int z = 0; z < NR_ZONES; z++) {
        struct zone* zone = &zones[z];
        for (int o = 0; o < MAX_ORDER; o++) plist_init(&zone->free_list[o]);
        uint32_t size = zone->end_pfn - zone->start_pfn;
        zone->pages_min = size ? clamp_u32(size / 128, 16, 255) : 0;
        zone->pages_low = 3 * zone->pages_min;
        for (uint32_t pfn = zone->start_pfn; pfn < zone->end_pfn; pfn++) pfn_to_page(pfn)->zone = (uint8_t)z;
    }
}

static struct zone* zone_of(uint32_t pfn) {
    return &zones[pfn_to_page(pfn)->zone];
}

/* Sets kind/order on every frame of a block (so the debug window can colour each frame). */
static void mark_block(struct page* head, unsigned order, uint8_t kind) {
    for (uint32_t i = 0; i < (1u << order); i++) {
        head[i].kind = kind;
        head[i].order = (uint8_t)order;
    }
}

/* Puts a block on its free list, merging with free buddies as far as possible. */
static void free_block(struct zone* z, uint32_t pfn, unsigned order) {
    while (order < MAX_ORDER - 1) {
        uint32_t buddy_pfn = pfn ^ (1u << order);
        if (buddy_pfn < z->start_pfn || buddy_pfn + (1u << order) > z->end_pfn) break;
        struct page* buddy = pfn_to_page(buddy_pfn);
        if (!(buddy->flags & PG_BUDDY) || buddy->order != order) break;
        plist_del(buddy);
        buddy->flags &= ~PG_BUDDY;
        z->nr_free[order]--;
        pfn &= ~(1u << order);
        order++;
        mm_event(GEV_BUDDY_MERGE, mm_current_pid(), pfn, order, 0, 0);
    }
    struct page* head = pfn_to_page(pfn);
    head->flags |= PG_BUDDY;
    mark_block(head, order, PAGE_KIND_FREE);
    plist_add_tail(&z->free_list[order], head);
    z->nr_free[order]++;
}

/* Takes a block of `order` from zone z, splitting a larger one if needed. NULL if none. */
static struct page* zone_alloc(struct zone* z, unsigned order) {
    unsigned o = order;
    while (o < MAX_ORDER && plist_empty(&z->free_list[o])) o++;
    if (o == MAX_ORDER) return 0;
    struct page* p = z->free_list[o].next;
    plist_del(p);
    p->flags &= ~PG_BUDDY;
    z->nr_free[o]--;
    while (o > order) { /* give back the upper halves */
        mm_event(GEV_BUDDY_SPLIT, mm_current_pid(), page_to_pfn(p), o, 0, 0);
        o--;
        struct page* half = p + (1u << o);
        half->flags |= PG_BUDDY;
        mark_block(half, o, PAGE_KIND_FREE);
        plist_add_tail(&z->free_list[o], half);
        z->nr_free[o]++;
    }
    z->free_pages -= 1u << order;
    mark_block(p, order, PAGE_KIND_KERNEL);
    p->refcount = 1;
    return p;
}

/* Frees [start, end) in the largest aligned blocks that fit inside one zone: a 3 GiB machine
 * adds 1536 blocks instead of 786432 frames one by one. */
void buddy_add_range(uint32_t start_pfn, uint32_t end_pfn) {
    uint32_t pfn = start_pfn;
    while (pfn < end_pfn) {
        struct zone* z = zone_of(pfn);
        uint32_t limit = end_pfn < z->end_pfn ? end_pfn : z->end_pfn;
        unsigned order = 0;
        while (order + 1 < MAX_ORDER && !(pfn & ((2u << order) - 1)) && pfn + (2u << order) <= limit) order++;
        for (uint32_t i = 0; i < (1u << order); i++) pfn_to_page(pfn + i)->refcount = 0;
        z->free_pages += 1u << order;
        free_block(z, pfn, order);
        pfn += 1u << order;
    }
}

static int in_reclaim;

/* The zones a request may use, best first (-1 ends the list). */
static const int* zonelist(unsigned gfp) {
    static const int dma[] = {ZONE_DMA, -1}, kernel[] = {ZONE_NORMAL, ZONE_DMA, -1},
                     high[] = {ZONE_HIGHMEM, ZONE_NORMAL, ZONE_DMA, -1};
    return (gfp & GFP_DMA) ? dma : (gfp & GFP_HIGHMEM) ? high : kernel;
}

/* The first zone of the list with more than `floor(zone) + n` free frames, allocated from. */
static struct page* alloc_from(const int* list, unsigned order, unsigned gfp, int use_low) {
    uint32_t n = 1u << order;
    for (; *list >= 0; list++) {
        struct zone* z = &zones[*list];
        uint32_t floor = use_low ? z->pages_low : (gfp & GFP_USER) ? z->pages_min : 0;
        if (z->end_pfn == z->start_pfn || z->free_pages < floor + n) continue;
        struct page* p = zone_alloc(z, order);
        if (p) return p;
    }
    return 0;
}

struct page* alloc_pages(unsigned order, unsigned gfp) {
    if (order >= MAX_ORDER) return 0;
    const int* list = zonelist(gfp);
    uint32_t flags = irq_save();
    struct page* p = alloc_from(list, order, gfp, 1);
    irq_restore(flags);
    if (!p && !(gfp & GFP_ATOMIC) && !in_reclaim) {
        in_reclaim = 1; /* reclaim sleeps on I/O: the flag keeps it from recursing */
        const struct zone* z = &zones[list[0]];
        reclaim_pages(
            z->pages_low - (z->free_pages < z->pages_low ? z->free_pages : z->pages_low) + (1u << order) + 8,
            list[0]);
        in_reclaim = 0;
    }
    if (!p) {
        flags = irq_save();
        p = alloc_from(list, order, gfp, 0);
        irq_restore(flags);
    }
    if (p && (gfp & GFP_ZERO))
        for (uint32_t i = 0; i < (1u << order); i++) clear_page_any(p + i);
    mm_check_invariants("alloc_pages");
    return p;
}

void free_pages(struct page* p, unsigned order) {
    uint32_t pfn = page_to_pfn(p);
    if (p->kind == PAGE_KIND_FREE || (pfn & ((1u << order) - 1)))
        panic("free_pages: bad free of pfn %x order %u (kind %u)", pfn, order, p->kind);
    uint32_t flags = irq_save();
    struct zone* z = zone_of(pfn);
    for (uint32_t i = 0; i < (1u << order); i++) {
        if (p[i].virtual) kmap_forget(&p[i]); /* no stale kernel address on a free frame */
        p[i].refcount = 0;
        p[i].flags = 0;
        p[i].slab_size = 0;
        p[i].owner_pid = 0;
        p[i].lru = LRU_NONE;
        p[i].map_flags = 0;
    }
    z->free_pages += 1u << order;
    free_block(z, pfn, order);
    irq_restore(flags);
    mm_check_invariants("free_pages");
}

void* alloc_page_va(unsigned gfp) {
    struct page* p = alloc_pages(0, gfp);
    return p ? page_address(p) : 0;
}

void free_page_va(void* kva) {
    free_pages(virt_to_page(kva), 0);
}

void get_page(struct page* p) {
    uint32_t flags = irq_save();
    p->refcount++;
    irq_restore(flags);
}

/* Drops a reference; the last one returns the frame (leaving its LRU list first). */
void put_page(struct page* p) {
    uint32_t flags = irq_save();
    if (p->refcount == 0) panic("put_page: pfn %x already free", page_to_pfn(p));
    if (--p->refcount == 0) {
        if (p->flags & PG_LRU) lru_del(p);
        p->refcount = 1; /* free_pages expects an allocated block */
        free_pages(p, 0);
    }
    irq_restore(flags);
}

uint32_t nr_free_pages(void) {
    return zones[ZONE_DMA].free_pages + zones[ZONE_NORMAL].free_pages + zones[ZONE_HIGHMEM].free_pages;
}
