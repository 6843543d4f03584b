/*
 * sys.c: one wrapper per system call (see sys.h), plus sbrk over brk.
 */
#include "sys.h"

void exit(int status) {
    for (;;) syscall3(SYS_EXIT, status, 0, 0);
}

int fork(void) {
    return syscall3(SYS_FORK, 0, 0, 0);
}

int read(int fd, void* buf, unsigned n) {
    return syscall3(SYS_READ, fd, (int)buf, (int)n);
}

int write(int fd, const void* buf, unsigned n) {
    return syscall3(SYS_WRITE, fd, (int)buf, (int)n);
}

int exec(const char* name, char* const argv[]) {
    return syscall3(SYS_EXEC, (int)name, (int)argv, 0);
}

int wait(int* status) {
    return syscall3(SYS_WAIT, (int)status, 0, 0);
}

int getpid(void) {
    return syscall3(SYS_GETPID, 0, 0, 0);
}

unsigned brk(unsigned addr) {
    return (unsigned)syscall3(SYS_BRK, (int)addr, 0, 0);
}

void* mmap(unsigned len, int prot) {
    return (void*)syscall3(SYS_MMAP, (int)len, prot, 0);
}

int munmap(void* addr, unsigned len) {
    return syscall3(SYS_MUNMAP, (int)addr, (int)len, 0);
}

void yield(void) {
    syscall3(SYS_YIELD, 0, 0, 0);
}

void sleep(unsigned ms) {
    syscall3(SYS_SLEEP, (int)ms, 0, 0);
}

int meminfo(struct guest_meminfo* out) {
    return syscall3(SYS_MEMINFO, (int)out, 0, 0);
}

int kmtest(int rounds) {
    return syscall3(SYS_KMTEST, rounds, 0, 0);
}

int vmtest(int rounds) {
    return syscall3(SYS_VMTEST, rounds, 0, 0);
}

int poweroff(int status) {
    return syscall3(SYS_POWEROFF, status, 0, 0);
}

int ps(void) {
    return syscall3(SYS_PS, 0, 0, 0);
}

void* sbrk(int incr) {
    unsigned old = brk(0);
    if (incr == 0) return (void*)old;
    unsigned want = old + (unsigned)incr;
    if ((incr > 0 && want < old) || (incr < 0 && want > old)) return (void*)-1; /* wrapped */
    if (brk(want) != want) return (void*)-1;
    return (void*)old;
}

int evdetail(int mode) {
    return syscall3(SYS_EVDETAIL, mode, 0, 0);
}
