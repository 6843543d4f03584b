/*
 * meminfo.c: the numbers the `meminfo` program prints and the scenario tests check: free blocks
 * per order and zone, the kmalloc caches, swap use, and counters of what the mm has done.
 */
#include "mm_internal.h"

struct mm_counters mm_stat;

void mm_meminfo(struct meminfo* m) {
    memset(m, 0, sizeof *m);
    struct kcache_info caches[MEMINFO_CACHES];
    kmalloc_stats(caches, &m->large_kmalloc_pages);
    uint32_t flags = irq_save();
    m->total_pages = frame_count;
    m->free_pages = nr_free_pages();
    for (int z = 0; z < NR_ZONES; z++)
        for (int o = 0; o < MAX_ORDER; o++) m->free_blocks[z][o] = zones[z].nr_free[o];
    for (int i = 0; i < MEMINFO_CACHES; i++) {
        m->cache_size[i] = caches[i].size;
        m->cache_inuse[i] = caches[i].inuse;
        m->cache_pages[i] = caches[i].pages;
    }
    m->swap_total = swap_nslots ? swap_nslots - 1 : 0;
    m->swap_used = swap_used;
    m->swap_cache_pages = swap_cache_pages;
    m->user_pages = lru_pages;
    m->lru_active = lru_count[LRU_ACTIVE];
    m->lru_inactive_dirty = lru_count[LRU_INACTIVE_DIRTY];
    m->lru_inactive_clean = lru_count[LRU_INACTIVE_CLEAN];
    m->highmem_pages = zones[ZONE_HIGHMEM].end_pfn - zones[ZONE_HIGHMEM].start_pfn;
    m->highmem_free = zones[ZONE_HIGHMEM].free_pages;
    m->kmaps = kmap_count;
    m->kmap_flushes = kmap_flush_count;
    m->vmalloc_areas = vmalloc_area_count;
    m->vmalloc_pages = vmalloc_page_count;
    m->faults = mm_stat.faults;
    m->faults_zero_fill = mm_stat.zero_fill;
    m->faults_cow_copy = mm_stat.cow_copy;
    m->faults_cow_reuse = mm_stat.cow_reuse;
    m->faults_swap_in = mm_stat.swap_in_faults;
    m->faults_stack_grow = mm_stat.stack_grow;
    m->faults_bad = mm_stat.bad;
    m->swap_ins = mm_stat.swap_ins;
    m->swap_outs = mm_stat.swap_outs;
    m->swap_cache_hits = mm_stat.swap_cache_hits;
    m->pages_dropped_clean = mm_stat.dropped_clean;
    m->oom_kills = mm_stat.oom_kills;
    irq_restore(flags);
}

void mm_print_meminfo(void) {
    struct meminfo m;
    mm_meminfo(&m);
    kprintf("mem: %u pages, %u free; HighMem %u pages, %u free\n", m.total_pages, m.free_pages,
            m.highmem_pages, m.highmem_free);
    for (int z = 0; z < NR_ZONES; z++) {
        const struct zone* zone = &zones[z];
        kprintf("zone %s: frames %x..%x, %u free, watermarks min %u low %u\n", zone->name, zone->start_pfn,
                zone->end_pfn, zone->free_pages, zone->pages_min, zone->pages_low);
    }
    for (int z = 0; z < NR_ZONES; z++) {
        kprintf("free blocks %s:", zones[z].name);
        for (int o = 0; o < MAX_ORDER; o++) kprintf(" %u", m.free_blocks[z][o]);
        kprintf("\n");
    }
    kprintf("kmalloc (size inuse pages):");
    for (int i = 0; i < MEMINFO_CACHES; i++)
        kprintf(" %u/%u/%u", m.cache_size[i], m.cache_inuse[i], m.cache_pages[i]);
    kprintf(" large %u\n", m.large_kmalloc_pages);
    kprintf("swap: %u/%u slots used, swap cache %u, user pages %u\n", m.swap_used, m.swap_total,
            m.swap_cache_pages, m.user_pages);
    kprintf("lru: active %u, inactive_dirty %u, inactive_clean %u\n", m.lru_active, m.lru_inactive_dirty,
            m.lru_inactive_clean);
    kprintf("kmap: %u taken, %u slot reuses flushed; vmalloc: %u areas, %u pages\n", m.kmaps, m.kmap_flushes,
            m.vmalloc_areas, m.vmalloc_pages);
    /* The page counts also include pages the kernel faults in itself (exec, copy_to_user), so
     * they may exceed the CPU's page faults. */
    kprintf("page faults %u (bad %u); pages zero-filled %u, cow-copied %u, cow-reused %u, swapped in %u; "
            "stack grows %u\n",
            m.faults, m.faults_bad, m.faults_zero_fill, m.faults_cow_copy, m.faults_cow_reuse, m.faults_swap_in,
            m.faults_stack_grow);
    kprintf("swap-ins %u swap-outs %u cache-hits %u dropped-clean %u oom-kills %u\n", m.swap_ins, m.swap_outs,
            m.swap_cache_hits, m.pages_dropped_clean, m.oom_kills);
}
