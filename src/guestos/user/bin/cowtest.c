/*
 * cowtest: copy-on-write fork.
 *
 * The parent fills NPAGES heap pages with a pattern and forks. The child writes pages 0 and 1,
 * forks a grandchild that writes page 3; the parent writes pages 1 and 2. Each process then checks
 * that it sees exactly its own writes and the original pattern everywhere else. meminfo must show
 * copy faults for the shared writes and, once the child is gone, a reuse fault (a write to a page
 * still marked copy-on-write whose frame now has a single user: no copy needed).
 */
#include "stdio.h"
#include "string.h"
#include "test.h"

#define NAME "cowtest"
#define NPAGES 8
#define WORDS (4096 / 4)

enum { ORIG = 0, CHILD = 0x11111111, PARENT = 0x22222222, GRANDCHILD = 0x33333333 };

static unsigned* pages; /* NPAGES page-aligned pages on the heap */

static unsigned pattern(int page, int word, unsigned tag) {
    return (0xC0DE0000u ^ ((unsigned)page * 0x01000193u) ^ (unsigned)word) ^ tag;
}

static void fill(int page, unsigned tag) {
    for (int w = 0; w < WORDS; w++) pages[page * WORDS + w] = pattern(page, w, tag);
}

/* Checks every page against the tags expected for it; prints the first mismatch. 0 if all match. */
static int verify(const char* who, const unsigned tags[NPAGES]) {
    for (int p = 0; p < NPAGES; p++)
        for (int w = 0; w < WORDS; w++) {
            unsigned want = pattern(p, w, tags[p]), got = pages[p * WORDS + w];
            if (got != want) {
                printf("cowtest: %s: page %d word %d is 0x%x, expected 0x%x\n", who, p, w, got, want);
                return -1;
            }
        }
    return 0;
}

static int grandchild(void) {
    fill(3, GRANDCHILD);
    static const unsigned seen[NPAGES] = {CHILD, CHILD, ORIG, GRANDCHILD, ORIG, ORIG, ORIG, ORIG};
    return verify("grandchild", seen) ? 3 : 0;
}

static int child(void) {
    fill(0, CHILD);
    fill(1, CHILD);
    int pid = fork();
    if (pid < 0) return 4;
    if (pid == 0) exit(grandchild());
    int status = wait_for(pid);
    if (status != 0) {
        printf("cowtest: grandchild status 0x%x\n", status);
        return 5;
    }
    sleep(50); /* let the parent make its writes before we look */
    static const unsigned seen[NPAGES] = {CHILD, CHILD, ORIG, ORIG, ORIG, ORIG, ORIG, ORIG};
    return verify("child", seen) ? 2 : 0;
}

int main(void) {
    static struct guest_meminfo before, after_fork, before_reuse, after_reuse;
    char* heap = sbrk((NPAGES + 1) * 4096);
    if (heap == (char*)-1) test_fail(NAME, "sbrk of %d pages failed", NPAGES + 1);
    pages = (unsigned*)(((unsigned)heap + 4095) & ~4095u);
    for (int p = 0; p < NPAGES; p++) fill(p, ORIG);
    meminfo_snapshot(&before);

    int pid = fork();
    if (pid < 0) test_fail(NAME, "fork failed");
    if (pid == 0) exit(child());
    fill(1, PARENT);
    fill(2, PARENT);
    int status = wait_for(pid);
    char why[40];
    if (status != 0) test_fail(NAME, "child failed (%s)", describe_status(status, why, sizeof why));
    static const unsigned seen[NPAGES] = {ORIG, PARENT, PARENT, ORIG, ORIG, ORIG, ORIG, ORIG};
    if (verify("parent", seen)) test_fail(NAME, "the parent saw a write that was not its own");
    meminfo_snapshot(&after_fork);
    unsigned copies = after_fork.faults_cow_copy - before.faults_cow_copy;
    printf("cowtest: %u copy-on-write copies during the fork test\n", copies);
    if (copies < 4) test_fail(NAME, "faults_cow_copy rose by %u, expected >= 4", copies);

    /* The child and grandchild are gone: page 4 is still write-protected but no longer shared. */
    meminfo_snapshot(&before_reuse);
    fill(4, PARENT);
    meminfo_snapshot(&after_reuse);
    unsigned reuses = after_reuse.faults_cow_reuse - before_reuse.faults_cow_reuse;
    printf("cowtest: %u copy-on-write reuses for a page with refcount 1\n", reuses);
    if (reuses < 1) test_fail(NAME, "faults_cow_reuse did not rise when writing an unshared CoW page");
    static const unsigned last[NPAGES] = {ORIG, PARENT, PARENT, ORIG, PARENT, ORIG, ORIG, ORIG};
    if (verify("parent", last)) test_fail(NAME, "page contents wrong after the reuse fault");
    test_pass(NAME);
}
