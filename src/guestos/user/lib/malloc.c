/*
 * malloc.c: a boundary-tag heap over the break.
 *
 * The heap is [heap_start, heap_end), an unbroken sequence of blocks. Each block starts with a
 * header holding its size (header included, a multiple of 8, bit 0 = free) and the size of the
 * block before it, so that free() finds both neighbours in O(1) and merges with them: two free
 * blocks are never adjacent. malloc is first-fit over the blocks, splitting the one it takes;
 * when nothing fits it moves the break and appends (or extends) a free block at the end. A free
 * block of TRIM_BYTES or more at the end goes back to the kernel.
 */
#include "stdlib.h"
#include "string.h"
#include "sys.h"

struct block {
    size_t size;      /* bytes, header included; bit 0: free */
    size_t prev_size; /* size of the block just below, 0 for the first block */
};

#define HDR sizeof(struct block)
#define MIN_BLOCK 16u
#define GROW_BYTES 16384u /* move the break by at least this much */
#define TRIM_BYTES 65536u /* give a free top block back once it is this big */
#define FREE_BIT 1u

static char* heap_start;
static char* heap_end;
static size_t top_prev_size; /* size of the last block (the one ending at heap_end) */

static size_t bsize(const struct block* b) {
    return b->size & ~FREE_BIT;
}
static int is_free(const struct block* b) {
    return b->size & FREE_BIT;
}
static struct block* next_block(struct block* b) {
    return (struct block*)((char*)b + bsize(b));
}
static struct block* prev_block(struct block* b) {
    return b->prev_size ? (struct block*)((char*)b - b->prev_size) : 0;
}

/* Records b's size in whatever follows it: the next header, or top_prev_size at the end. */
static void tell_next(struct block* b) {
    char* n = (char*)b + bsize(b);
    if (n == heap_end)
        top_prev_size = bsize(b);
    else
        ((struct block*)n)->prev_size = bsize(b);
}

/* Marks b used with `need` bytes, splitting off the rest as a free block when it is big enough. */
static void take(struct block* b, size_t need) {
    size_t size = bsize(b);
    if (size - need >= MIN_BLOCK) {
        struct block* rest = (struct block*)((char*)b + need);
        rest->size = (size - need) | FREE_BIT;
        rest->prev_size = need;
        tell_next(rest);
        size = need;
    }
    b->size = size;
    tell_next(b);
}

/* Marks b free and merges it with free neighbours; returns the merged block. */
static struct block* release(struct block* b) {
    b->size = bsize(b) | FREE_BIT;
    struct block* n = next_block(b);
    if ((char*)n < heap_end && is_free(n)) b->size += bsize(n);
    struct block* p = prev_block(b);
    if (p && is_free(p)) {
        p->size += bsize(b);
        b = p;
    }
    tell_next(b);
    return b;
}

/* Moves the break so that a free block of at least `need` bytes ends the heap. 0 or -1. */
static int grow(size_t need) {
    size_t incr = need < GROW_BYTES ? GROW_BYTES : (need + 4095) & ~4095u;
    char* old = sbrk(0);
    char* start = (char*)(((unsigned)old + 7) & ~7u);
    if (!heap_start) heap_start = heap_end = start;
    if (start < heap_end) return -1; /* somebody lowered the break under the heap */
    if (sbrk((int)(start - old + incr)) == (void*)-1) return -1;
    if (start != heap_end) { /* somebody else moved the break: fence off their bytes */
        struct block* fence = (struct block*)heap_end;
        fence->size = (size_t)(start - heap_end);
        fence->prev_size = heap_end == heap_start ? 0 : top_prev_size;
        heap_end = start;
        tell_next(fence);
    }
    struct block* b = (struct block*)heap_end;
    b->size = incr; /* used for a moment; release() frees and merges it */
    b->prev_size = heap_end == heap_start ? 0 : top_prev_size;
    heap_end += incr;
    release(b);
    return 0;
}

/* Gives a big free block at the top of the heap back to the kernel. */
static void trim(struct block* b) {
    if ((char*)b + bsize(b) != heap_end || bsize(b) < TRIM_BYTES || sbrk(0) != heap_end) return;
    size_t prev_size = b->prev_size; /* read it while b is still mapped */
    if (sbrk(-(int)bsize(b)) == (void*)-1) return;
    heap_end = (char*)b;
    top_prev_size = prev_size;
}

void* malloc(size_t size) {
    if (size > 0x7FFFFFF0u) return 0;
    size_t need = (size + HDR + 7) & ~7u;
    if (need < MIN_BLOCK) need = MIN_BLOCK;
    for (int attempt = 0; attempt < 2; attempt++) {
        for (char* p = heap_start; p && p < heap_end; p += bsize((struct block*)p)) {
            struct block* b = (struct block*)p;
            if (is_free(b) && bsize(b) >= need) {
                take(b, need);
                return (char*)b + HDR;
            }
        }
        if (grow(need) < 0) return 0;
    }
    return 0;
}

void* calloc(size_t count, size_t size) {
    if (size && count > 0x7FFFFFF0u / size) return 0;
    void* p = malloc(count * size);
    if (p) memset(p, 0, count * size);
    return p;
}

void free(void* ptr) {
    if (!ptr) return;
    trim(release((struct block*)((char*)ptr - HDR)));
}

size_t heap_size(void) {
    return (size_t)(heap_end - heap_start);
}

int heap_check(void) {
    size_t prev = 0;
    int prev_free = 0;
    char* p = heap_start;
    for (; p && p < heap_end; p += bsize((struct block*)p)) {
        struct block* b = (struct block*)p;
        if (bsize(b) < HDR || (bsize(b) & 7) || b->prev_size != prev || (prev_free && is_free(b))) return -1;
        prev = bsize(b);
        prev_free = is_free(b);
    }
    if (p != heap_end || (heap_end != heap_start && prev != top_prev_size)) return -1;
    return 0;
}
