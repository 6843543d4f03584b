/*
 * vmtest.c: the in-kernel vmalloc stress behind SYS_VMTEST. It keeps up to SLOTS live areas of
 * pseudo-random sizes (1 byte .. 256 KiB, mostly a few pages), allocating and freeing them in
 * random-ish order. Every area must be readable page by page, with the page after it (its guard
 * page) and the page before it faulting (probe_read); it is filled with a pattern derived from its
 * address and verified before it is freed; right after vfree its first page must fault too (the
 * stale TLB entry was flushed). At the end every area is gone and the free page count is back,
 * less the vmalloc page tables made on the way (kept for good, shared by every directory).
 */
#include "console.h"
#include "mm/mm.h"
#include "rng.h"
#include "string.h"
#include "syscall.h"

#define SLOTS 24

static struct rng rng;

/* Mostly a few pages, some a single byte, a few up to 256 KiB. */
static uint32_t random_size(void) {
    uint32_t r = rng_next(&rng);
    switch (r % 8) {
        case 0: return 1 + (r >> 8) % 64;
        case 1:
        case 2:
        case 3: return 1 + (r >> 8) % (4 * 4096);
        case 4:
        case 5: return 4096 * (1 + (r >> 8) % 16);
        default: return 1 + (r >> 8) % (256 * 1024);
    }
}

static uint32_t pattern(uint32_t addr) {
    return addr * 2654435761u ^ 0x5A5A5A5Au;
}

static struct {
    uint32_t* p;
    uint32_t size;
} areas[SLOTS];

/* The area's pages read, its neighbours fault. */
static int check_mapping(uint32_t start, uint32_t size) {
    uint32_t end = start + PAGE_ALIGN(size);
    for (uint32_t va = start; va < end; va += PAGE_SIZE)
        if (probe_read(va) < 0) {
            kprintf("vmtest: page %p of the area at %p (%u bytes) is not mapped\n", va, start, size);
            return -1;
        }
    if (probe_read(end) == 0 || probe_read(start - 1) == 0) {
        kprintf("vmtest: a guard page next to the area at %p (%u bytes) is mapped\n", start, size);
        return -1;
    }
    return 0;
}

/* Checks and frees slot i; -1 if its contents changed, or it is still readable after vfree. */
static int release(int i) {
    uint32_t start = (uint32_t)areas[i].p, words = areas[i].size / 4;
    for (uint32_t k = 0; k < words; k++)
        if (areas[i].p[k] != pattern(start + 4 * k)) {
            kprintf("vmtest: area %p (%u bytes) corrupted at word %u\n", start, areas[i].size, k);
            return -1;
        }
    vfree(areas[i].p);
    areas[i].p = 0;
    if (probe_read(start) == 0) {
        kprintf("vmtest: the area at %p is still readable after vfree\n", start);
        return -1;
    }
    return 0;
}

int vmtest(int rounds) {
    if (rounds <= 0) rounds = 400;
    if (rounds > 100000) rounds = 100000; /* runs in one system call: keep it finite */
    struct meminfo before, after;
    mm_meminfo(&before);
    uint32_t tables_before = vmalloc_table_pages;
    rng.state = 0x9E3779B9u;
    int result = 0;
    uint32_t allocs = 0, pages = 0, high_areas = 0, largest = 0;
    for (int r = 0; r < rounds && result == 0; r++) {
        int i = (int)(rng_next(&rng) % SLOTS);
        if (areas[i].p) {
            result = release(i);
            continue;
        }
        uint32_t size = random_size();
        uint32_t* p = vmalloc(size);
        if (!p) continue; /* out of memory is allowed, corruption is not */
        allocs++;
        pages += PAGE_ALIGN(size) / PAGE_SIZE;
        if (size > largest) largest = size;
        result = check_mapping((uint32_t)p, size);
        for (uint32_t k = 0; k < size / 4; k++) p[k] = pattern((uint32_t)p + 4 * k);
        areas[i].p = p;
        areas[i].size = size;
        struct meminfo now; /* vmalloc prefers HighMem: count the areas that took some */
        mm_meminfo(&now);
        if (now.highmem_free < before.highmem_free) high_areas++;
    }
    for (int i = 0; i < SLOTS; i++)
        if (areas[i].p && release(i) < 0) result = -1;
    mm_meminfo(&after);
    uint32_t new_tables = vmalloc_table_pages - tables_before;
    if (after.vmalloc_areas != before.vmalloc_areas || after.vmalloc_pages != before.vmalloc_pages) {
        kprintf("vmtest: %u areas of %u pages before, %u of %u after\n", before.vmalloc_areas,
                before.vmalloc_pages, after.vmalloc_areas, after.vmalloc_pages);
        result = -1;
    }
    if (after.free_pages + new_tables != before.free_pages) {
        kprintf("vmtest: free pages: %u before, %u after (+%u page tables)\n", before.free_pages,
                after.free_pages, new_tables);
        result = -1;
    }
    kprintf("vmtest: %d rounds, %u areas, %u pages, largest %u bytes, %u with HighMem in use: %s\n", rounds,
            allocs, pages, largest, high_areas, result == 0 ? "ok" : "FAILED");
    return result;
}
