/*
 * faulttest: each child does one illegal thing and must be killed with the right reason
 * (WAIT_KILLED | trap number): 14 for page faults (kernel memory from ring 3, a write to its own
 * read-only text, NULL, a stack that outgrows its limit), 13 for privileged instructions (#GP),
 * 0 for a division by zero, 6 for an undefined opcode. The parent must come through unharmed.
 */
#include "stdio.h"
#include "string.h"
#include "test.h"

#define NAME "faulttest"
#define KERNEL_ADDR 0xC0000000u

static volatile unsigned sink;

static int read_kernel(void* arg) {
    (void)arg;
    sink = *(volatile unsigned*)KERNEL_ADDR;
    return 0;
}
static int write_kernel(void* arg) {
    (void)arg;
    *(volatile unsigned*)KERNEL_ADDR = 0xDEAD;
    return 0;
}
static int write_text(void* arg) {
    (void)arg;
    *(volatile unsigned char*)(USER_LOAD_ADDR + 0x10) = 0xC3; /* crt0's first instruction */
    return 0;
}
static int read_null(void* arg) {
    (void)arg;
    volatile unsigned* volatile null = 0; /* volatile: gcc would compile a known NULL read to ud2 */
    sink = *null;
    return 0;
}
static int jump_kernel(void* arg) {
    (void)arg;
    ((void (*)(void))KERNEL_ADDR)();
    return 0;
}
static int do_cli(void* arg) {
    (void)arg;
    __asm__ volatile("cli");
    return 0;
}
static int do_hlt(void* arg) {
    (void)arg;
    __asm__ volatile("hlt");
    return 0;
}
static int divide_by_zero(void* arg) {
    volatile int zero = 0;
    sink = (unsigned)(*(int*)arg / zero);
    return 0;
}
static int undefined_opcode(void* arg) {
    (void)arg;
    __asm__ volatile("ud2");
    return 0;
}
/* Recurses with a page of stack per level until the stack limit (1 MiB) stops it. */
static int recurse(int depth) {
    volatile char frame[4096];
    if (depth > 100000) return 0; /* 400 MiB: far past any limit */
    frame[0] = (char)depth;
    frame[4095] = (char)depth;
    return recurse(depth + 1) + frame[0];
}
static int stack_overflow(void* arg) {
    (void)arg;
    return recurse(0);
}

struct fault_case {
    const char* what;
    int (*fn)(void* arg);
    int trap;
};

static const struct fault_case cases[] = {
    {"read kernel memory", read_kernel, 14},
    {"write kernel memory", write_kernel, 14},
    {"write own read-only text", write_text, 14},
    {"read NULL", read_null, 14},
    {"jump to a kernel address", jump_kernel, 14},
    {"cli in ring 3", do_cli, 13},
    {"hlt in ring 3", do_hlt, 13},
    {"divide by zero", divide_by_zero, 0},
    {"undefined opcode", undefined_opcode, 6},
    {"stack overflow", stack_overflow, 14},
};

int main(void) {
    static unsigned guard[256];
    for (int i = 0; i < 256; i++) guard[i] = 0x5A5A0000u + (unsigned)i;
    int one = 1, failures = 0;
    char first[100] = "";
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int status = run_in_child(cases[i].fn, &one);
        char got[40];
        describe_status(status, got, sizeof got);
        int ok = status == (WAIT_KILLED | cases[i].trap);
        printf("faulttest: %-26s %s (%s)\n", cases[i].what, ok ? "ok" : "WRONG", got);
        if (!ok && failures++ == 0)
            snprintf(first, sizeof first, "%s: %s, expected killed by trap %d", cases[i].what, got,
                     cases[i].trap);
    }
    for (int i = 0; i < 256; i++)
        if (guard[i] != 0x5A5A0000u + (unsigned)i) test_fail(NAME, "the parent's memory changed");
    if (getpid() <= 0) test_fail(NAME, "the parent cannot make system calls any more");
    if (failures)
        test_fail(NAME, "%d of %d cases wrong; first: %s", failures, (int)(sizeof cases / sizeof cases[0]),
                  first);
    test_pass(NAME);
}
