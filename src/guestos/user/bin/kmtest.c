/*
 * kmtest [ROUNDS]: runs the kernel's kmalloc/kfree stress (SYS_KMTEST, default 2000 rounds) and
 * checks that afterwards every kmalloc cache holds as many objects in use as before, and that no
 * large (page-sized) kmalloc block is left over.
 */
#include "stdio.h"
#include "string.h"
#include "test.h"

#define NAME "kmtest"

int main(int argc, char** argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 2000;
    static struct guest_meminfo before, after;
    meminfo_snapshot(&before);
    int r = kmtest(rounds);
    meminfo_snapshot(&after);
    if (r != 0) test_fail(NAME, "SYS_KMTEST(%d) returned %d", rounds, r);
    for (int i = 0; i < GUEST_MEMINFO_CACHES; i++) {
        printf("kmtest: cache %u: inuse %u -> %u, pages %u -> %u\n", before.cache_size[i],
               before.cache_inuse[i], after.cache_inuse[i], before.cache_pages[i], after.cache_pages[i]);
        if (after.cache_inuse[i] != before.cache_inuse[i])
            test_fail(NAME, "cache %u: %u objects in use before, %u after", before.cache_size[i],
                      before.cache_inuse[i], after.cache_inuse[i]);
    }
    if (after.large_kmalloc_pages != before.large_kmalloc_pages)
        test_fail(NAME, "large kmalloc pages %u before, %u after", before.large_kmalloc_pages,
                  after.large_kmalloc_pages);
    printf("kmtest: %d rounds, free pages %u -> %u\n", rounds, before.free_pages, after.free_pages);
    test_pass(NAME);
}
