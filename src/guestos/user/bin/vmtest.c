/*
 * vmtest [ROUNDS]: runs the kernel's vmalloc/vfree stress (SYS_VMTEST, default 400 rounds: areas of
 * 1 byte .. 256 KiB, each checked page by page, with its guard pages faulting, and its first page
 * faulting again once freed) and checks that afterwards as many vmalloc areas and pages are in use
 * as before (the kernel stacks of the running processes).
 */
#include "stdio.h"
#include "string.h"
#include "test.h"

#define NAME "vmtest"

int main(int argc, char** argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 400;
    static struct guest_meminfo before, after;
    meminfo_snapshot(&before);
    int r = vmtest(rounds);
    meminfo_snapshot(&after);
    if (r != 0) test_fail(NAME, "SYS_VMTEST(%d) returned %d", rounds, r);
    printf("vmtest: areas %u -> %u, pages %u -> %u, free pages %u -> %u\n", before.vmalloc_areas,
           after.vmalloc_areas, before.vmalloc_pages, after.vmalloc_pages, before.free_pages,
           after.free_pages);
    if (before.vmalloc_areas == 0)
        test_fail(NAME, "no vmalloc area before the test: where are the kernel stacks?");
    if (after.vmalloc_areas != before.vmalloc_areas || after.vmalloc_pages != before.vmalloc_pages)
        test_fail(NAME, "vmalloc areas/pages %u/%u before, %u/%u after", before.vmalloc_areas,
                  before.vmalloc_pages, after.vmalloc_areas, after.vmalloc_pages);
    test_pass(NAME);
}
