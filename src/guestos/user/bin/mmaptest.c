/*
 * mmaptest: anonymous mappings. Maps NPAGES pages, fills them, unmaps pages [3, 5) in the
 * middle; the two ends must keep their contents and the hole must fault (checked in forked
 * children, which must be killed by trap 14). A new mapping must be zero-filled even if it reuses
 * the hole, a read-only mapping must refuse writes, bad arguments must be refused, and after the
 * last munmap the whole range must fault.
 */
#include "stdio.h"
#include "string.h"
#include "test.h"

#define NAME "mmaptest"
#define PAGE 4096u
#define NPAGES 8
#define HOLE_FIRST 3
#define HOLE_PAGES 2

static unsigned* region;

static unsigned value(unsigned page, unsigned word) {
    return 0x3A000000u + page * 0x10000u + word;
}
static int page_intact(unsigned p) {
    for (unsigned w = 0; w < PAGE / 4; w++)
        if (region[p * PAGE / 4 + w] != value(p, w)) return 0;
    return 1;
}

/* Child bodies: each touches *(unsigned*)addr and should not survive it. */
static int read_at(void* addr) {
    return (int)*(volatile unsigned*)addr & 0;
}
static int write_at(void* addr) {
    *(volatile unsigned*)addr = 1;
    return 0;
}

/* Runs fn(addr) in a child and fails the test unless the child was killed by a page fault. */
static void expect_fault(const char* what, int (*fn)(void*), void* addr) {
    int status = run_in_child(fn, addr);
    char got[40];
    if (status != (WAIT_KILLED | 14))
        test_fail(NAME, "%s at %p: %s, expected a page fault", what, addr,
                  describe_status(status, got, sizeof got));
    printf("mmaptest: %s at %p faults: ok\n", what, addr);
}

int main(void) {
    region = mmap(NPAGES * PAGE, PROT_READ | PROT_WRITE);
    if (!region) test_fail(NAME, "mmap of %d pages failed", NPAGES);
    if ((unsigned)region & (PAGE - 1))
        test_fail(NAME, "mmap returned an unaligned address %p", (void*)region);
    for (unsigned p = 0; p < NPAGES; p++)
        for (unsigned w = 0; w < PAGE / 4; w++) {
            if (region[p * PAGE / 4 + w] != 0) test_fail(NAME, "fresh page %u is not zero-filled", p);
            region[p * PAGE / 4 + w] = value(p, w);
        }

    char* hole = (char*)region + HOLE_FIRST * PAGE;
    if (munmap(hole + 1, PAGE) == 0) test_fail(NAME, "munmap accepted an unaligned address");
    if (munmap(hole, 0) == 0) test_fail(NAME, "munmap accepted a zero length");
    if (munmap(hole, HOLE_PAGES * PAGE) != 0) test_fail(NAME, "munmap of the middle failed");
    for (unsigned p = 0; p < NPAGES; p++) {
        int in_hole = p >= HOLE_FIRST && p < HOLE_FIRST + HOLE_PAGES;
        if (!in_hole && !page_intact(p))
            test_fail(NAME, "page %u lost its contents after munmap of the middle", p);
    }
    expect_fault("read of the unmapped middle", read_at, hole);
    expect_fault("write of the unmapped middle", write_at, hole + PAGE + 8);
    region[0] = value(0, 0); /* the ends are still writable */
    region[(NPAGES - 1) * PAGE / 4] = value(NPAGES - 1, 0);

    unsigned* again = mmap(HOLE_PAGES * PAGE, PROT_READ | PROT_WRITE);
    if (!again) test_fail(NAME, "second mmap failed");
    for (unsigned w = 0; w < HOLE_PAGES * PAGE / 4; w++)
        if (again[w] != 0) test_fail(NAME, "a new mapping at %p holds old data (word %u)", (void*)again, w);
    printf("mmaptest: new mapping at %p (%s the hole) is zero-filled\n", (void*)again,
           (char*)again == hole ? "reusing" : "not reusing");

    unsigned* ro = mmap(PAGE, PROT_READ);
    if (!ro) test_fail(NAME, "read-only mmap failed");
    if (ro[0] != 0) test_fail(NAME, "read-only page not zero");
    expect_fault("write of a read-only mapping", write_at, ro);

    if (munmap(again, HOLE_PAGES * PAGE) || munmap(ro, PAGE) || munmap(region, NPAGES * PAGE))
        test_fail(NAME, "final munmap failed");
    expect_fault("read after the last munmap", read_at, region);
    expect_fault("read of the other end after the last munmap", read_at, region + (NPAGES - 1) * PAGE / 4);
    test_pass(NAME);
}
