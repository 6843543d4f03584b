/*
 * syscalltest: the system call boundary. Bad pointers (kernel addresses, unmapped pages) and bad
 * arguments make a call return -1 (abi/syscall.h: the kernel checks user pointers and never
 * faults on them); the caller lives on. Also: fork/getpid agree, exec of an unknown program
 * returns, brk refuses to go below the heap start and a shrunk heap really unmaps, mmap(0) fails.
 */
#include "stdio.h"
#include "string.h"
#include "test.h"

#define NAME "syscalltest"
#define KERNEL_PTR ((void*)0xC0000000u)
#define UNMAPPED_PTR ((void*)0x00001000u) /* below USER_LOAD_ADDR: never mapped */

static int checks;

/* Fails the test with what unless got == want. */
static void expect_eq(const char* what, int got, int want) {
    checks++;
    if (got != want) test_fail(NAME, "%s returned %d, expected %d", what, got, want);
}

static int exit_with_pid(void* arg) {
    (void)arg;
    return getpid() & 0xFF;
}

static int touch(void* addr) {
    *(volatile char*)addr = 1;
    return 0;
}

int main(void) {
    /* pointers the kernel must refuse */
    expect_eq("write(1, kernel address)", write(1, KERNEL_PTR, 8), -1);
    expect_eq("write(1, unmapped)", write(1, UNMAPPED_PTR, 8), -1);
    expect_eq("write(bad fd)", write(7, "x", 1), -1);
    expect_eq("write(1, n = 0)", write(1, "x", 0), 0);
    expect_eq("read(bad fd)", read(7, KERNEL_PTR, 1), -1);
    expect_eq("meminfo(kernel address)", meminfo(KERNEL_PTR), -1);
    expect_eq("meminfo(unmapped)", meminfo(UNMAPPED_PTR), -1);
    char* argv[] = {"nosuch", 0};
    expect_eq("exec(unknown program)", exec("nosuch", argv), -1);
    expect_eq("exec(kernel address name)", exec(KERNEL_PTR, argv), -1);
    char* bad_argv[] = {"echo", KERNEL_PTR, 0};
    expect_eq("exec(echo, argv with a kernel pointer)", exec("echo", bad_argv), -1);
    expect_eq("exec(echo, argv at a kernel address)", exec("echo", KERNEL_PTR), -1);
    expect_eq("wait() without children", wait(0), -1);

    /* a child's pid is what fork returned, and the parent keeps its own */
    int me = getpid();
    int pid = fork();
    if (pid == 0) exit(exit_with_pid(0));
    if (pid <= 0) test_fail(NAME, "fork returned %d", pid);
    int status;
    expect_eq("wait() for the child", wait(&status), pid);
    expect_eq("child's exit status (its getpid)", status, pid & 0xFF);
    expect_eq("getpid() after fork", getpid(), me);
    pid = fork();
    if (pid == 0) exit(0);
    expect_eq("wait(kernel address)", wait(KERNEL_PTR), -1);
    while (wait(0) > 0) {
    }

    /* the break */
    unsigned start = brk(0);
    expect_eq("brk below the heap start", (int)brk(0x1000), (int)start);
    char* grown = sbrk(3 * 4096);
    if (grown == (char*)-1) test_fail(NAME, "sbrk(3 pages) failed");
    memset(grown, 0x77, 3 * 4096);
    char* last_page = grown + 2 * 4096;
    expect_eq("brk shrink by 2 pages", (int)brk((unsigned)grown + 4096), (int)grown + 4096);
    int st = run_in_child(touch, last_page);
    expect_eq("a write above the shrunk break (wait status)", st, WAIT_KILLED | 14);
    expect_eq("the page under the break keeps its data", grown[100], 0x77);

    /* mappings */
    expect_eq("mmap(0 bytes)", (int)mmap(0, PROT_READ | PROT_WRITE), 0);
    expect_eq("munmap(unaligned)", munmap((char*)grown + 1, 4096), -1);
    expect_eq("munmap(the heap)", munmap(grown, 4096), -1);
    expect_eq("munmap(kernel)", munmap(KERNEL_PTR, 4096), -1);

    sleep(20);
    yield();
    printf("syscalltest: %d checks\n", checks);
    test_pass(NAME);
}
