/*
 * forkstorm [N]: forks N children (default 64) in waves of 16. Child i writes to a page shared
 * copy-on-write with the parent, grows its heap by a few zero-filled pages, checks both, and exits
 * with status i + 1. The parent waits for every child and checks each status against the pid's
 * index; afterwards the free page count must be back near where it started (nothing leaked).
 */
#include "stdio.h"
#include "string.h"
#include "test.h"

#define NAME "forkstorm"
#define MAX_CHILDREN 200
#define WAVE 16
#define CHILD_PAGES 4
#define LEAK_SLACK 16 /* pages the kernel may keep (kmalloc slabs of process structures) */

static unsigned shared[4096 / 4]; /* bss: shared copy-on-write with every child */

/* Child i: touch shared and fresh memory; exit status i + 1 if it all reads back, 255 if not. */
static int child(int i) {
    for (int w = 0; w < 1024; w++) shared[w] = (unsigned)i * 1000u + (unsigned)w;
    unsigned* fresh = sbrk(CHILD_PAGES * 4096);
    if (fresh == (unsigned*)-1) return 255;
    for (int w = 0; w < CHILD_PAGES * 1024; w++) {
        if (fresh[w] != 0) return 255; /* zero-fill */
        fresh[w] = (unsigned)i ^ (unsigned)w;
    }
    for (int w = 0; w < CHILD_PAGES * 1024; w++)
        if (fresh[w] != ((unsigned)i ^ (unsigned)w)) return 255;
    for (int w = 0; w < 1024; w++)
        if (shared[w] != (unsigned)i * 1000u + (unsigned)w) return 255;
    return i + 1;
}

int main(int argc, char** argv) {
    int n = argc > 1 ? atoi(argv[1]) : 64;
    if (n < 1 || n > MAX_CHILDREN) test_fail(NAME, "N must be 1..%d", MAX_CHILDREN);
    static int pids[MAX_CHILDREN];
    static int done[MAX_CHILDREN];
    for (int w = 0; w < 1024; w++) shared[w] = 0xABCD0000u + (unsigned)w;
    static struct guest_meminfo before, after;
    meminfo_snapshot(&before);

    int started = 0, finished = 0;
    while (finished < n) {
        int wave_end = started + WAVE < n ? started + WAVE : n;
        for (; started < wave_end; started++) {
            int pid = fork();
            if (pid < 0) test_fail(NAME, "fork %d failed", started);
            if (pid == 0) exit(child(started));
            pids[started] = pid;
        }
        for (; finished < started; finished++) {
            int status;
            int pid = wait(&status);
            if (pid < 0) test_fail(NAME, "wait failed with %d children outstanding", started - finished);
            int i = 0;
            while (i < started && pids[i] != pid) i++;
            if (i == started) test_fail(NAME, "wait returned pid %d, which is not one of our children", pid);
            if (done[i]) test_fail(NAME, "pid %d reported twice", pid);
            done[i] = 1;
            char why[40];
            if (status != i + 1)
                test_fail(NAME, "child %d (pid %d): %s, expected exit %d", i, pid,
                          describe_status(status, why, sizeof why), i + 1);
        }
    }
    for (int w = 0; w < 1024; w++)
        if (shared[w] != 0xABCD0000u + (unsigned)w) test_fail(NAME, "a child's write reached the parent");

    meminfo_snapshot(&after);
    printf("forkstorm: %d children, free pages %u before, %u after\n", n, before.free_pages,
           after.free_pages);
    if (after.free_pages + LEAK_SLACK < before.free_pages)
        test_fail(NAME, "%u pages not returned", before.free_pages - after.free_pages);
    test_pass(NAME);
}
