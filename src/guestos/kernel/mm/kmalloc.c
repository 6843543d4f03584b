/*
 * kmalloc.c: small kernel objects. Eight caches with power-of-two object sizes, 32 B .. 4 KiB.
 * Each cache owns slabs of one page; a slab's control data (object size, objects in use, its free
 * list) lives in the page's frame descriptor, not in the page, so 4096 / size objects fit
 * exactly. Free objects are linked through their own first word.
 *
 * A cache keeps its slabs that still have a free object on a `partial` list; full slabs are on no
 * list and come back when an object is freed; a slab whose objects are all free is returned to the
 * buddy allocator at once. When a cache needs a new slab, the caller's object is taken from it
 * before the slab is published on the partial list (there is nothing to race against).
 * Requests above 4 KiB are whole buddy blocks (kind KERNEL, the order in the frame descriptor).
 */
#include "mm_internal.h"

#define KMALLOC_MIN_SHIFT 5 /* 32 B */

struct kcache {
    uint32_t size;
    struct page partial; /* sentinel of the ring of slabs with free objects */
    uint32_t inuse;      /* objects handed out */
    uint32_t pages;      /* slabs owned */
};

static struct kcache caches[MEMINFO_CACHES];
static uint32_t large_pages;

void kmalloc_init(void) {
    for (int i = 0; i < MEMINFO_CACHES; i++) {
        caches[i].size = 1u << (KMALLOC_MIN_SHIFT + i);
        plist_init(&caches[i].partial);
    }
}

/* The smallest cache whose objects hold `size` bytes. */
static struct kcache* cache_for(size_t size) {
    int i = 0;
    while (caches[i].size < size) i++;
    return &caches[i];
}

/* Takes one object from a slab; moves the slab off the partial list when it becomes full. */
static void* slab_take(struct kcache* c, struct page* slab) {
    void* obj = slab->slab_free;
    slab->slab_free = *(void**)obj;
    slab->slab_inuse++;
    c->inuse++;
    if (!slab->slab_free) {
        if (slab->next) plist_del(slab);
        slab->flags |= PG_SLAB_FULL;
    }
    return obj;
}

/* A fresh slab for cache c: its free list threaded through the page. Not yet on any list. */
static struct page* slab_new(struct kcache* c) {
    struct page* slab = alloc_pages(0, GFP_ATOMIC);
    if (!slab) return 0;
    slab->kind = PAGE_KIND_SLAB;
    slab->slab_size = (uint16_t)c->size;
    slab->slab_inuse = 0;
    slab->next = slab->prev = 0;
    char* base = page_address(slab);
    uint32_t n = PAGE_SIZE / c->size;
    for (uint32_t i = 0; i < n; i++)
        *(void**)(base + i * c->size) = (i + 1 < n) ? base + (i + 1) * c->size : 0;
    slab->slab_free = base;
    c->pages++;
    mm_event(GEV_SLAB_GROW, mm_current_pid(), c->size, page_to_pfn(slab), 0, 0);
    return slab;
}

static struct kcache* slab_cache(const struct page* slab) {
    return cache_for(slab->slab_size);
}

void* kmalloc(size_t size) {
    if (size == 0) size = 1;
    if (size > PAGE_SIZE) {
        unsigned order = 0;
        while ((PAGE_SIZE << order) < size) order++;
        struct page* p = alloc_pages(order, GFP_ATOMIC);
        if (!p) return 0;
        uint32_t flags = irq_save();
        large_pages += 1u << order;
        irq_restore(flags);
        return page_address(p);
    }
    struct kcache* c = cache_for(size);
    uint32_t flags = irq_save();
    void* obj;
    if (!plist_empty(&c->partial)) {
        obj = slab_take(c, c->partial.next);
    } else {
        irq_restore(flags);
        struct page* slab = slab_new(c); /* outside the critical section: it may reclaim */
        if (!slab) return 0;
        flags = irq_save();
        obj = slab_take(c, slab); /* ours first, then publish what is left */
        if (slab->slab_free) {
            slab->flags &= ~PG_SLAB_FULL;
            plist_add_tail(&c->partial, slab);
        }
    }
    irq_restore(flags);
    return obj;
}

void* kzalloc(size_t size) {
    void* p = kmalloc(size);
    if (p) memset(p, 0, size);
    return p;
}

void kfree(void* ptr) {
    if (!ptr) return;
    struct page* p = virt_to_page(ptr);
    uint32_t flags = irq_save();
    if (p->kind == PAGE_KIND_KERNEL) { /* a large block */
        large_pages -= 1u << p->order;
        irq_restore(flags);
        free_pages(p, p->order);
        return;
    }
    if (p->kind != PAGE_KIND_SLAB)
        panic("kfree: %x is not a kmalloc object (frame kind %u)", (uint32_t)(uintptr_t)ptr, p->kind);
    struct kcache* c = slab_cache(p);
    if (((uint32_t)(uintptr_t)ptr & (PAGE_SIZE - 1)) % c->size)
        panic("kfree: %x is not the start of a %u-byte object", (uint32_t)(uintptr_t)ptr, c->size);
    *(void**)ptr = p->slab_free;
    p->slab_free = ptr;
    p->slab_inuse--;
    c->inuse--;
    if (p->flags & PG_SLAB_FULL) {
        p->flags &= ~PG_SLAB_FULL;
        plist_add_tail(&c->partial, p);
    }
    if (p->slab_inuse == 0) { /* empty: back to the buddy allocator */
        plist_del(p);
        c->pages--;
        p->kind = PAGE_KIND_KERNEL;
        p->slab_free = 0;
        mm_event(GEV_SLAB_SHRINK, mm_current_pid(), c->size, page_to_pfn(p), 0, 0);
        irq_restore(flags);
        free_pages(p, 0);
        return;
    }
    irq_restore(flags);
}

void kmalloc_stats(struct kcache_info out[MEMINFO_CACHES], uint32_t* large) {
    uint32_t flags = irq_save();
    for (int i = 0; i < MEMINFO_CACHES; i++) {
        out[i].size = caches[i].size;
        out[i].inuse = caches[i].inuse;
        out[i].pages = caches[i].pages;
    }
    *large = large_pages;
    irq_restore(flags);
}
