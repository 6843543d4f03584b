/*
 * libc_stress: a long randomized malloc/free run (sizes from 1 byte to 90 KB, contents and heap
 * consistency checked throughout), a break moved behind malloc's back, and read_line over the
 * input the test pipes in with short reads (expected lines below).
 */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "test.h"

#define NAME "libc_stress"

static void stress_malloc(void) {
    enum { N = 200 };
    static char* blocks[N];
    static unsigned sizes[N];
    srand(7);
    for (int it = 0; it < 100000; it++) {
        int i = rand() % N;
        if (blocks[i]) {
            for (unsigned j = 0; j < sizes[i]; j += 61)
                if (blocks[i][j] != (char)(i ^ j))
                    test_fail(NAME, "block %d corrupted at %u (op %d)", i, j, it);
            free(blocks[i]);
            blocks[i] = 0;
        } else {
            sizes[i] = (rand() & 7) == 0 ? (unsigned)(rand() % 90000) : (unsigned)(rand() % 200);
            blocks[i] = malloc(sizes[i]);
            if (!blocks[i])
                test_fail(NAME, "malloc(%u) failed at op %d, heap %u", sizes[i], it, (unsigned)heap_size());
            for (unsigned j = 0; j < sizes[i]; j += 61) blocks[i][j] = (char)(i ^ j);
        }
        if ((it & 255) == 0 && heap_check() != 0) test_fail(NAME, "heap inconsistent at op %d", it);
    }
    for (int i = 0; i < N; i++) free(blocks[i]);
    if (heap_check() != 0 || heap_size() >= 65536)
        test_fail(NAME, "heap after freeing all: %u bytes", (unsigned)heap_size());

    void* a = malloc(100);
    sbrk(5); /* somebody else takes bytes from the break */
    void* b = malloc(100000);
    void* c = malloc(10);
    if (!a || !b || !c || heap_check() != 0) test_fail(NAME, "malloc after a foreign sbrk");
    free(a), free(c), free(b);
    if (heap_check() != 0) test_fail(NAME, "heap inconsistent after a foreign sbrk");
}

static void lines(void) {
    static const char* const want[] = {"abc", "def", "ghi", "", "jm", "0123456", "last"};
    static struct line_reader r;
    char line[8];
    line_reader_init(&r, 0, 0);
    unsigned n = 0;
    int len;
    while ((len = read_line(&r, line, sizeof line)) >= 0) {
        if (n >= sizeof want / sizeof want[0]) test_fail(NAME, "an extra line \"%s\"", line);
        if (strcmp(line, want[n]) != 0 || len != (int)strlen(want[n]))
            test_fail(NAME, "line %u is \"%s\" (%d), expected \"%s\"", n, line, len, want[n]);
        n++;
    }
    if (n != sizeof want / sizeof want[0]) test_fail(NAME, "%u lines read", n);
}

int main(void) {
    stress_malloc();
    lines();
    test_pass(NAME);
}
