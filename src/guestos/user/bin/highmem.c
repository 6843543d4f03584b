/*
 * highmem [MiB]: user pages in the HighMem zone. Maps MiB (default: all of HighMem and 16 MiB
 * more, so that the allocator falls back to Normal too; 16 MiB on a machine without HighMem),
 * writes a pattern into the first and last word of every page and checks that a word in the
 * middle was zero-filled (the kernel zeroes a high frame through kmap_atomic), and that HighMem's
 * free frames went down by what was mapped. Then forks: the child writes every other page again
 * (copy-on-write: the kernel copies high frames through two kmap_atomic slots) and checks all its
 * pages, while the parent's copies must keep the old pattern.
 */
#include "stdio.h"
#include "string.h"
#include "test.h"

#define NAME "highmem"
#define PAGE 4096u
#define WORDS (PAGE / 4)

static unsigned* mem;
static unsigned npages;

static unsigned pattern(unsigned page, unsigned generation) {
    return page * 0x9E3779B1u ^ generation * 0x85EBCA6Bu ^ 0x4D3C2B1Au;
}

/* Pages with (page % 2 == 1 && written) carry generation 1, the others generation 0. */
static unsigned check(int written, const char* who) {
    unsigned bad = 0;
    for (unsigned p = 0; p < npages; p++) {
        const unsigned* w = mem + p * WORDS;
        unsigned want = pattern(p, written && (p & 1));
        if (w[0] != want || w[WORDS - 1] != ~want || w[WORDS / 2] != 0) {
            if (bad++ == 0)
                printf("highmem: %s: page %u holds %x %x %x, expected %x %x 0\n", who, p, w[0], w[WORDS - 1],
                       w[WORDS / 2], want, ~want);
        }
    }
    return bad;
}

static int child(void* arg) {
    (void)arg;
    for (unsigned p = 1; p < npages; p += 2) {
        mem[p * WORDS] = pattern(p, 1);
        mem[p * WORDS + WORDS - 1] = ~pattern(p, 1);
    }
    return check(1, "child") ? 1 : 0;
}

int main(int argc, char** argv) {
    static struct guest_meminfo start, filled, end;
    meminfo_snapshot(&start);
    if (argc > 1) {
        int mib = atoi(argv[1]);
        if (mib < 1 || mib > 2048) test_fail(NAME, "usage: highmem [MiB], 1..2048");
        npages = (unsigned)mib * 256u;
    } else {
        npages = start.highmem_pages + 16 * 256;
    }
    printf("highmem: %u pages (%u MiB); HighMem %u pages, %u free; %u free in all\n", npages, npages / 256,
           start.highmem_pages, start.highmem_free, start.free_pages);
    mem = mmap(npages * PAGE, PROT_READ | PROT_WRITE);
    if (!mem) test_fail(NAME, "mmap of %u pages failed", npages);
    for (unsigned p = 0; p < npages; p++) {
        mem[p * WORDS] = pattern(p, 0);
        mem[p * WORDS + WORDS - 1] = ~pattern(p, 0);
    }
    meminfo_snapshot(&filled);
    unsigned taken = start.highmem_free - filled.highmem_free;
    printf("highmem: mapped; HighMem free %u -> %u, kmaps %u, swap-outs +%u\n", start.highmem_free,
           filled.highmem_free, filled.kmaps, filled.swap_outs - start.swap_outs);
    /* Every page of the mapping was a HighMem frame while HighMem lasted (GFP_HIGHUSER), down to
     * its low watermark (at most 765 frames) before falling back to Normal. */
    unsigned expect = npages < start.highmem_free ? npages : start.highmem_free;
    if (start.highmem_pages && taken + 1024 < expect)
        test_fail(NAME, "only %u of %u pages came from HighMem", taken, expect);
    if (check(0, "parent")) test_fail(NAME, "pattern lost before the fork");

    char buf[40];
    int status = run_in_child(child, 0);
    if (status != 0) test_fail(NAME, "child: %s", describe_status(status, buf, sizeof buf));
    if (check(0, "parent after the child")) test_fail(NAME, "the child's writes reached the parent");
    meminfo_snapshot(&end);
    printf("highmem: cow copies +%u, swap-outs +%u, swap-ins +%u\n",
           end.faults_cow_copy - filled.faults_cow_copy, end.swap_outs - start.swap_outs,
           end.swap_ins - start.swap_ins);
    if (end.faults_cow_copy - filled.faults_cow_copy < npages / 2)
        test_fail(NAME, "%u copy-on-write copies for %u written pages",
                  end.faults_cow_copy - filled.faults_cow_copy, npages / 2);
    if (munmap(mem, npages * PAGE) != 0) test_fail(NAME, "munmap failed");
    test_pass(NAME);
}
