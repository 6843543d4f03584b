/*
 * kmtest.c: the in-kernel kmalloc stress behind SYS_KMTEST. It keeps up to SLOTS live objects
 * of pseudo-random sizes 1..8192 (mostly small, some page-sized and larger), allocating and
 * freeing them in random-ish order; every object is filled with a pattern derived from its slot
 * and size and verified before it is freed. At the end every object is gone and the kmalloc
 * caches, the large-block count and the free page count must be back to their starting values.
 */
#include "console.h"
#include "mm/mm.h"
#include "rng.h"
#include "string.h"
#include "syscall.h"

#define SLOTS 128

static struct rng rng;

/* Sizes skewed to the small caches: half below 128 bytes, a few beyond a page. */
static uint32_t random_size(void) {
    uint32_t r = rng_next(&rng);
    switch (r % 8) {
        case 0:
        case 1:
        case 2:
        case 3: return 1 + (r >> 8) % 128;
        case 4:
        case 5: return 1 + (r >> 8) % 1024;
        case 6: return 1 + (r >> 8) % 4096;
        default: return 1 + (r >> 8) % 8192;
    }
}

static uint8_t pattern(int slot, uint32_t size, uint32_t i) {
    return (uint8_t)(slot * 31 + size * 7 + i);
}

static struct {
    uint8_t* p;
    uint32_t size;
} objs[SLOTS];

/* Checks and frees slot i; -1 if its contents changed while it was allocated. */
static int release(int i) {
    for (uint32_t k = 0; k < objs[i].size; k++) {
        if (objs[i].p[k] != pattern(i, objs[i].size, k)) {
            kprintf("kmtest: object %d (%u bytes at %p) corrupted at byte %u\n", i, objs[i].size,
                    (uint32_t)objs[i].p, k);
            return -1;
        }
    }
    kfree(objs[i].p);
    objs[i].p = 0;
    return 0;
}

int kmtest(int rounds) {
    if (rounds <= 0) rounds = 20000;
    if (rounds > 1000000) rounds = 1000000; /* runs in one system call: keep it finite */
    struct meminfo before, after;
    mm_meminfo(&before);
    rng.state = 0x2545F491u;
    int result = 0;
    uint32_t allocs = 0;
    for (int r = 0; r < rounds && result == 0; r++) {
        int i = (int)(rng_next(&rng) % SLOTS);
        if (objs[i].p) {
            result = release(i);
            continue;
        }
        uint32_t size = random_size();
        uint8_t* p = kmalloc(size);
        if (!p) continue; /* out of memory is allowed, corruption is not */
        allocs++;
        if (size <= 4096 && ((uint32_t)p & (size >= 32 ? 31 : 3))) {
            kprintf("kmtest: %u-byte object at %p is misaligned\n", size, (uint32_t)p);
            result = -1;
        }
        for (uint32_t k = 0; k < size; k++) p[k] = pattern(i, size, k);
        objs[i].p = p;
        objs[i].size = size;
    }
    for (int i = 0; i < SLOTS; i++)
        if (objs[i].p && release(i) < 0) result = -1;
    mm_meminfo(&after);
    for (int c = 0; c < MEMINFO_CACHES; c++) {
        if (after.cache_inuse[c] != before.cache_inuse[c] || after.cache_pages[c] != before.cache_pages[c]) {
            kprintf("kmtest: cache %u: %u objects in %u pages before, %u in %u after\n", before.cache_size[c],
                    before.cache_inuse[c], before.cache_pages[c], after.cache_inuse[c], after.cache_pages[c]);
            result = -1;
        }
    }
    if (after.large_kmalloc_pages != before.large_kmalloc_pages) {
        kprintf("kmtest: large blocks: %u pages before, %u after\n", before.large_kmalloc_pages,
                after.large_kmalloc_pages);
        result = -1;
    }
    if (after.free_pages != before.free_pages) {
        kprintf("kmtest: free pages: %u before, %u after\n", before.free_pages, after.free_pages);
        result = -1;
    }
    kprintf("kmtest: %d rounds, %u allocations: %s\n", rounds, allocs, result == 0 ? "ok" : "FAILED");
    return result;
}
