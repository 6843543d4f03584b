/*
 * init.c: the kernel's fallback `init`, linked in only while src/guestos/user/ (the real libc,
 * init and shell) is absent. It checks the system calls one by one (fork/wait, copy-on-write,
 * brk, mmap/munmap, sleep, an illegal access killed with WAIT_KILLED|14, exec of an unknown
 * program) and prints PASS fallback-init, then offers a tiny command loop: meminfo, ps, kmtest,
 * poweroff.
 */
#include "../abi/syscall.h"

static int sys(int n, unsigned a, unsigned b, unsigned c) {
    int r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}

static unsigned len(const char* s) {
    unsigned n = 0;
    while (s[n]) n++;
    return n;
}
static void puts(const char* s) {
    sys(SYS_WRITE, 1, (unsigned)s, len(s));
}
static int same(const char* a, const char* b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

static int failures;
static void check(int ok, const char* what) {
    if (!ok) {
        puts("FAIL fallback-init: ");
        puts(what);
        puts("\n");
        failures++;
    }
}

static volatile int shared_word = 1234;

static void selftest(void) {
    check(sys(SYS_GETPID, 0, 0, 0) == 1, "init is pid 1");

    /* fork + wait + copy-on-write: the child's write must not be seen by the parent */
    int pid = sys(SYS_FORK, 0, 0, 0);
    if (pid == 0) {
        shared_word = 99;
        sys(SYS_EXIT, shared_word == 99 ? 7 : 1, 0, 0);
    }
    int status = -1;
    check(pid > 1, "fork");
    check(sys(SYS_WAIT, (unsigned)&status, 0, 0) == pid && status == 7, "wait returns the child's status");
    check(shared_word == 1234, "copy-on-write keeps the parent's value");
    check(sys(SYS_WAIT, (unsigned)&status, 0, 0) == -1, "wait without children");

    /* brk: grow, touch, shrink */
    unsigned brk0 = (unsigned)sys(SYS_BRK, 0, 0, 0);
    check(brk0 >= USER_LOAD_ADDR, "brk query");
    check((unsigned)sys(SYS_BRK, brk0 + 3 * 4096, 0, 0) == brk0 + 3 * 4096, "brk grow");
    ((volatile char*)brk0)[3 * 4096 - 1] = 5;
    check((unsigned)sys(SYS_BRK, brk0, 0, 0) == brk0, "brk shrink");

    /* mmap: zero-filled, writable; munmap */
    volatile unsigned* m = (volatile unsigned*)sys(SYS_MMAP, 8192, PROT_READ | PROT_WRITE, 0);
    check(m != 0 && m[0] == 0 && m[1500] == 0, "mmap zero-filled");
    if (m) {
        m[1500] = 42;
        check(m[1500] == 42, "mmap writable");
        check(sys(SYS_MUNMAP, (unsigned)m, 8192, 0) == 0, "munmap");
    }

    /* an illegal access kills the child with WAIT_KILLED | 14 */
    pid = sys(SYS_FORK, 0, 0, 0);
    if (pid == 0) {
        volatile int* volatile bad = (volatile int*)0x10;
        *bad = 1;
        sys(SYS_EXIT, 0, 0, 0);
    }
    check(sys(SYS_WAIT, (unsigned)&status, 0, 0) == pid && status == (WAIT_KILLED | 14), "page fault kill");

    check(sys(SYS_SLEEP, 30, 0, 0) == 0, "sleep");
    check(sys(SYS_WRITE, 1, 0x10, 4) == -1, "write from a bad pointer");
    const char* argv[] = {"nosuchprogram", 0};
    check(sys(SYS_EXEC, (unsigned)"nosuchprogram", (unsigned)argv, 0) == -1, "exec of an unknown program");
    if (!failures) puts("PASS fallback-init\n");
}

void main(int argc, char** argv) {
    puts("fallback init: ");
    puts(argc > 0 ? argv[0] : "?");
    puts(" (the real init and sh are in src/guestos/user/)\n");
    selftest();
    char line[64];
    for (;;) {
        puts("$ ");
        int n = sys(SYS_READ, 0, (unsigned)line, sizeof line - 1);
        if (n <= 0) continue;
        line[n] = 0;
        if (line[n - 1] == '\n') line[n - 1] = 0;
        if (same(line, "meminfo")) sys(SYS_MEMINFO, 0, 0, 0);
        else if (same(line, "ps")) sys(SYS_PS, 0, 0, 0);
        else if (same(line, "kmtest")) puts(sys(SYS_KMTEST, 0, 0, 0) == 0 ? "PASS kmtest\n" : "FAIL kmtest\n");
        else if (same(line, "poweroff")) sys(SYS_POWEROFF, 0, 0, 0);
        else if (line[0]) {
            puts(line);
            puts(": unknown command (fallback init knows meminfo ps kmtest poweroff)\n");
        }
    }
}

/* Entry: ESP -> [argc][argv]. */
__asm__(".section .text.entry, \"ax\"\n"
        ".globl _start\n"
        "_start:\n"
        "  call main\n"
        "  pushl $0\n"
        "  movl $1, %eax\n"
        "  movl $0, %ebx\n"
        "  int $0x80\n");
