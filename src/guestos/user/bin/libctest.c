/*
 * libctest: the user libc itself: snprintf formats, string functions, malloc/free with
 * coalescing (checked by heap_check and by the heap shrinking back), and the PRNG.
 */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "test.h"

#define NAME "libctest"

static void expect_format(const char* got, const char* want) {
    if (strcmp(got, want) != 0) test_fail(NAME, "formatted \"%s\", expected \"%s\"", got, want);
}

static void test_printf(void) {
    char b[64];
    snprintf(b, sizeof b, "%d %i %u %x %X", -42, 7, 4000000000u, 0xbeef, 0xbeef);
    expect_format(b, "-42 7 4000000000 beef BEEF");
    snprintf(b, sizeof b, "[%5d|%-5d|%05d|%05d]", 42, 42, 42, -42);
    expect_format(b, "[   42|42   |00042|-0042]");
    snprintf(b, sizeof b, "[%s|%6s|%-6s|%c%%]", "ab", "ab", "ab", 'z');
    expect_format(b, "[ab|    ab|ab    |z%]");
    snprintf(b, sizeof b, "%p %08x %lu", (void*)0x400000, 0x1234, 5ul);
    expect_format(b, "0x00400000 00001234 5");
    snprintf(b, sizeof b, "[%*d|%*d]", 4, 7, -4, 7);
    expect_format(b, "[   7|7   ]");
    snprintf(b, sizeof b, "%d %d", 0, -2147483647 - 1);
    expect_format(b, "0 -2147483648");
    int n = snprintf(b, 5, "%s", "truncated");
    if (n != 9) test_fail(NAME, "snprintf returned %d, expected 9", n);
    expect_format(b, "trun");
}

static void test_string(void) {
    char b[16];
    if (strlen("hello") != 5 || strcmp("abc", "abd") >= 0 || strcmp("b", "a") <= 0 || strcmp("x", "x") != 0)
        test_fail(NAME, "strlen/strcmp");
    if (strncmp("abcdef", "abcxyz", 3) != 0 || strncmp("abc", "abd", 3) >= 0) test_fail(NAME, "strncmp");
    if (strlcpy(b, "0123456789abcdefXYZ", sizeof b) != 19 || strcmp(b, "0123456789abcde") != 0)
        test_fail(NAME, "strlcpy");
    memcpy(b, "abcdefgh", 9);
    memmove(b + 2, b, 6); /* overlapping, forwards */
    if (memcmp(b, "ababcdef", 8) != 0) test_fail(NAME, "memmove forwards");
    memmove(b, b + 2, 6); /* overlapping, backwards */
    if (memcmp(b, "abcdefef", 8) != 0) test_fail(NAME, "memmove backwards");
    memset(b, 'x', 4);
    if (memcmp(b, "xxxxefef", 8) != 0) test_fail(NAME, "memset");
    if (strchr("hello", 'l') == 0 || *strchr("hello", 'l') != 'l' || strchr("hello", 'z') != 0)
        test_fail(NAME, "strchr");
    if (atoi("1234") != 1234 || atoi("-56") != -56 || strtoul("0x1F", 0) != 31 || atoi("12ab") != 12)
        test_fail(NAME, "atoi/strtoul");
}

static void test_malloc(void) {
    enum { N = 64 };
    static char* blocks[N];
    static unsigned sizes[N];
    srand(12345);
    size_t initial = heap_size();
    for (int round = 0; round < 20; round++) {
        for (int i = 0; i < N; i++) {
            if (blocks[i] && (rand() & 1)) {
                for (unsigned j = 0; j < sizes[i]; j++)
                    if (blocks[i][j] != (char)(i + j)) test_fail(NAME, "block %d byte %u corrupted", i, j);
                free(blocks[i]);
                blocks[i] = 0;
            } else if (!blocks[i]) {
                sizes[i] = (unsigned)(rand() % 3000) + 1;
                blocks[i] = malloc(sizes[i]);
                if (!blocks[i]) test_fail(NAME, "malloc(%u) failed", sizes[i]);
                if ((unsigned)blocks[i] & 7)
                    test_fail(NAME, "malloc returned unaligned %p", (void*)blocks[i]);
                for (unsigned j = 0; j < sizes[i]; j++) blocks[i][j] = (char)(i + j);
            }
            if (heap_check() != 0) test_fail(NAME, "heap inconsistent in round %d", round);
        }
    }
    for (int i = 0; i < N; i++) free(blocks[i]);
    if (heap_check() != 0) test_fail(NAME, "heap inconsistent after freeing everything");
    /* everything free: one coalesced block (or none, if it was given back to the kernel),
       which fits a request of its whole size without growing the heap */
    size_t before_big = heap_size();
    if (before_big > 64) {
        char* big = malloc(before_big - 64);
        if (!big || heap_size() != before_big) test_fail(NAME, "free blocks did not coalesce");
        free(big);
    }
    char* huge = malloc(200000);
    if (!huge) test_fail(NAME, "malloc(200000) failed");
    memset(huge, 0x55, 200000);
    free(huge);
    if (heap_size() > before_big)
        test_fail(NAME, "a freed 200 KB block was not given back (heap %u)", (unsigned)heap_size());
    int* z = calloc(100, sizeof(int));
    for (int i = 0; z && i < 100; i++)
        if (z[i]) test_fail(NAME, "calloc memory not zero");
    free(z);
    printf("libctest: heap %u bytes at start, %u at the end\n", (unsigned)initial, (unsigned)heap_size());
}

static void test_rand(void) {
    srand(1);
    int a = rand(), b = rand();
    srand(1);
    if (rand() != a || rand() != b || a == b) test_fail(NAME, "rand is not a repeatable sequence");
    unsigned or_bits = 0;
    for (int i = 0; i < 100; i++) or_bits |= (unsigned)rand();
    if (or_bits != RAND_MAX) test_fail(NAME, "rand does not cover all bits");
}

int main(void) {
    test_printf();
    test_string();
    test_malloc();
    test_rand();
    test_pass(NAME);
}
