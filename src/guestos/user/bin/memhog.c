/*
 * memhog [MiB]: more memory than the machine has. Maps MiB (default: 1.5 x RAM, limited to what
 * RAM + swap can hold), writes a pattern that depends on the page index and a seed to every word
 * of every page, then reads every page back. Reports the swap traffic this caused (meminfo deltas)
 * and fails if a run larger than RAM caused no swap-outs. After munmap the swap slots must be free
 * again.
 */
#include "stdio.h"
#include "string.h"
#include "test.h"

#define NAME "memhog"
#define PAGE 4096u
#define WORDS (PAGE / 4)
#define RESERVE_PAGES 128 /* left for the kernel and the other processes when sizing by default */

static unsigned word_pattern(unsigned page, unsigned word, unsigned seed) {
    return (page * 0x9E3779B1u + seed) ^ (word << 20) ^ word;
}

int main(int argc, char** argv) {
    static struct guest_meminfo start, filled, end;
    meminfo_snapshot(&start);
    unsigned ram = start.total_pages;
    unsigned capacity = start.free_pages + (start.swap_total - start.swap_used);
    unsigned npages;
    if (argc > 1) {
        int mib = atoi(argv[1]); /* explicit: the user may ask for an OOM kill */
        if (mib < 1 || mib > 2048) test_fail(NAME, "usage: memhog [MiB], 1..2048");
        npages = (unsigned)mib * 256u;
    } else {
        npages = ram + ram / 2;
        if (npages + RESERVE_PAGES > capacity)
            npages = capacity > 2 * RESERVE_PAGES ? capacity - RESERVE_PAGES : capacity / 2;
    }
    if (npages == 0) test_fail(NAME, "nothing to allocate");
    printf("memhog: %u pages (%u KiB), RAM %u pages, free %u, swap %u/%u slots used\n", npages, npages * 4,
           ram, start.free_pages, start.swap_used, start.swap_total);

    unsigned* mem = mmap(npages * PAGE, PROT_READ | PROT_WRITE);
    if (!mem) test_fail(NAME, "mmap of %u pages failed", npages);
    unsigned seed = (unsigned)getpid() * 2654435761u;
    for (unsigned p = 0; p < npages; p++) {
        unsigned* page = mem + p * WORDS;
        for (unsigned w = 0; w < WORDS; w++) page[w] = word_pattern(p, w, seed);
    }
    meminfo_snapshot(&filled);
    unsigned bad_pages = 0, first_bad = 0;
    for (unsigned p = 0; p < npages; p++) {
        const unsigned* page = mem + p * WORDS;
        for (unsigned w = 0; w < WORDS; w++)
            if (page[w] != word_pattern(p, w, seed)) {
                if (bad_pages++ == 0) {
                    first_bad = p;
                    printf("memhog: page %u word %u is 0x%x, expected 0x%x\n", p, w, page[w],
                           word_pattern(p, w, seed));
                }
                break;
            }
    }
    meminfo_snapshot(&end);
    unsigned outs = end.swap_outs - start.swap_outs, ins = end.swap_ins - start.swap_ins;
    printf("memhog: swap_outs +%u (+%u while writing), swap_ins +%u, faults_swap_in +%u\n", outs,
           filled.swap_outs - start.swap_outs, ins, end.faults_swap_in - start.faults_swap_in);
    if (bad_pages) test_fail(NAME, "%u of %u pages corrupted (first: page %u)", bad_pages, npages, first_bad);
    if (npages > ram && outs == 0)
        test_fail(NAME, "%u pages > RAM (%u) but no swap-out happened", npages, ram);

    if (munmap(mem, npages * PAGE) != 0) test_fail(NAME, "munmap failed");
    meminfo_snapshot(&end);
    printf("memhog: after munmap swap_used %u (was %u), free pages %u (was %u)\n", end.swap_used,
           start.swap_used, end.free_pages, start.free_pages);
    /* Pages outside the mapping (ours and the other processes', all on the clock at the start)
       may have been swapped out too and still hold their slots; the mapping's must all be free. */
    unsigned slack = start.user_pages + 16;
    if (end.swap_used > start.swap_used + slack)
        test_fail(NAME, "%u swap slots still used after munmap (allowed: %u for other pages)",
                  end.swap_used - start.swap_used, slack);
    test_pass(NAME);
}
