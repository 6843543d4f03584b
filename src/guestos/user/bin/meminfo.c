/*
 * meminfo: the kernel's own report (SYS_MEMINFO with 0), then every field of struct
 * guest_meminfo as `name value` lines, one per line, for scripts to grep (arrays get a suffix:
 * free_blocks_dma_3, cache_inuse_64).
 */
#include "stdio.h"
#include "test.h"

static void field(const char* name, unsigned value) {
    printf("%s %u\n", name, value);
}

int main(void) {
    if (meminfo(0) < 0) test_fail("meminfo", "SYS_MEMINFO(0) failed");
    struct guest_meminfo m;
    meminfo_snapshot(&m);
    field("total_pages", m.total_pages);
    field("free_pages", m.free_pages);
    static const char* const zone[3] = {"dma", "normal", "highmem"};
    for (int z = 0; z < 3; z++)
        for (int o = 0; o < GUEST_MAX_ORDER; o++)
            printf("free_blocks_%s_%d %u\n", zone[z], o, m.free_blocks[z][o]);
    for (int i = 0; i < GUEST_MEMINFO_CACHES; i++) {
        printf("cache_inuse_%u %u\n", m.cache_size[i], m.cache_inuse[i]);
        printf("cache_pages_%u %u\n", m.cache_size[i], m.cache_pages[i]);
    }
    field("large_kmalloc_pages", m.large_kmalloc_pages);
    field("swap_total", m.swap_total);
    field("swap_used", m.swap_used);
    field("swap_cache_pages", m.swap_cache_pages);
    field("user_pages", m.user_pages);
    field("lru_active", m.lru_active);
    field("lru_inactive_dirty", m.lru_inactive_dirty);
    field("lru_inactive_clean", m.lru_inactive_clean);
    field("highmem_pages", m.highmem_pages);
    field("highmem_free", m.highmem_free);
    field("kmaps", m.kmaps);
    field("kmap_flushes", m.kmap_flushes);
    field("vmalloc_areas", m.vmalloc_areas);
    field("vmalloc_pages", m.vmalloc_pages);
    field("faults", m.faults);
    field("faults_zero_fill", m.faults_zero_fill);
    field("faults_cow_copy", m.faults_cow_copy);
    field("faults_cow_reuse", m.faults_cow_reuse);
    field("faults_swap_in", m.faults_swap_in);
    field("faults_stack_grow", m.faults_stack_grow);
    field("faults_bad", m.faults_bad);
    field("swap_ins", m.swap_ins);
    field("swap_outs", m.swap_outs);
    field("swap_cache_hits", m.swap_cache_hits);
    field("pages_dropped_clean", m.pages_dropped_clean);
    field("oom_kills", m.oom_kills);
    field("forks", m.forks);
    field("execs", m.execs);
    field("exits", m.exits);
    field("kills", m.kills);
    test_pass("meminfo");
}
