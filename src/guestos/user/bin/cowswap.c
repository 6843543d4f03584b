/*
 * cowswap [PAGES]: copy-on-write under memory pressure. The parent fills PAGES (default: 3/4 of
 * RAM) with a pattern and
 * forks; the child rewrites the odd pages and the parent the even ones, so that together they need
 * 1.5 x RAM and shared pages, private copies and swapped-out shared pages all mix. Each process
 * then checks every page: its own writes on its pages, the original pattern on the others. A run
 * needing more than RAM must have swapped (swap_outs rose).
 */
#include "stdio.h"
#include "string.h"
#include "test.h"

#define NAME "cowswap"
#define PAGE 4096u
#define WORDS (PAGE / 4)

enum { ORIG = 0, CHILD = 0x5EED0001, PARENT = 0x5EED0002 };

static unsigned* mem;
static unsigned npages;

static unsigned pattern(unsigned page, unsigned word, unsigned tag) {
    return (page * 0x9E3779B1u) ^ (word * 0x85EBCA6Bu) ^ tag;
}

/* Rewrites the pages p with p % 2 == parity, with tag. */
static void write_pages(unsigned parity, unsigned tag) {
    for (unsigned p = parity; p < npages; p += 2)
        for (unsigned w = 0; w < WORDS; w++) mem[p * WORDS + w] = pattern(p, w, tag);
}

/* Checks that pages of `parity` hold tag and the others ORIG; prints the first mismatch. */
static int verify(const char* who, unsigned parity, unsigned tag) {
    for (unsigned p = 0; p < npages; p++) {
        unsigned want_tag = p % 2 == parity ? tag : ORIG;
        for (unsigned w = 0; w < WORDS; w++)
            if (mem[p * WORDS + w] != pattern(p, w, want_tag)) {
                printf("cowswap: %s: page %u word %u is 0x%x, expected 0x%x\n", who, p, w, mem[p * WORDS + w],
                       pattern(p, w, want_tag));
                return -1;
            }
    }
    return 0;
}

int main(int argc, char** argv) {
    static struct guest_meminfo start, end;
    meminfo_snapshot(&start);
    npages = argc > 1 ? (unsigned)atoi(argv[1]) : start.total_pages * 3 / 4;
    if (npages < 2 || npages > 0x40000) test_fail(NAME, "usage: cowswap [PAGES], 2..262144");
    unsigned capacity = start.free_pages + (start.swap_total - start.swap_used);
    if (2 * npages + 256 > capacity)
        test_fail(NAME, "needs %u pages of RAM + swap, has %u", 2 * npages + 256, capacity);
    mem = mmap(npages * PAGE, PROT_READ | PROT_WRITE);
    if (!mem) test_fail(NAME, "mmap of %u pages failed", npages);
    for (unsigned p = 0; p < npages; p++)
        for (unsigned w = 0; w < WORDS; w++) mem[p * WORDS + w] = pattern(p, w, ORIG);
    printf("cowswap: %u pages shared by parent and child, RAM %u pages\n", npages, start.total_pages);

    int pid = fork();
    if (pid < 0) test_fail(NAME, "fork failed");
    if (pid == 0) {
        write_pages(1, CHILD);
        exit(verify("child", 1, CHILD) ? 2 : 0);
    }
    write_pages(0, PARENT);
    int parent_ok = verify("parent", 0, PARENT) == 0;
    int status = wait_for(pid);
    char why[40];
    if (status != 0) test_fail(NAME, "child: %s", describe_status(status, why, sizeof why));
    if (!parent_ok) test_fail(NAME, "the parent saw wrong data");
    if (verify("parent after the child exit", 0, PARENT))
        test_fail(NAME, "data changed after the child exited");
    meminfo_snapshot(&end);
    printf("cowswap: swap_outs +%u, swap_ins +%u, cow copies +%u, reuses +%u, swap cache hits +%u\n",
           end.swap_outs - start.swap_outs, end.swap_ins - start.swap_ins,
           end.faults_cow_copy - start.faults_cow_copy, end.faults_cow_reuse - start.faults_cow_reuse,
           end.swap_cache_hits - start.swap_cache_hits);
    if (2 * npages > start.total_pages && end.swap_outs == start.swap_outs)
        test_fail(NAME, "%u pages in use, more than RAM, but nothing was swapped out", 2 * npages);
    if (munmap(mem, npages * PAGE) != 0) test_fail(NAME, "munmap failed");
    test_pass(NAME);
}
