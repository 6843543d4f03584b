/*
 * fake_sys.c: the system calls the libc needs, for running it as a static 32-bit Linux program
 * (tests on the build machine). exit, read and write have the same numbers under Linux's int 0x80
 * ABI; the break is simulated over a static array that is filled with garbage when it grows and
 * poisoned when it shrinks, so the heap can assume neither zeroed memory nor memory it gave back.
 */
#include "sys.h"

static char arena[4 << 20];
static unsigned cur_brk;

void exit(int status) {
    for (;;) syscall3(1, status, 0, 0);
}
int read(int fd, void* buf, unsigned n) {
    return syscall3(3, fd, (int)buf, n > 3 ? 3 : (int)n); /* short reads, like a slow console */
}
int write(int fd, const void* buf, unsigned n) {
    return syscall3(4, fd, (int)buf, (int)n);
}
unsigned brk(unsigned addr) {
    if (!cur_brk) cur_brk = (unsigned)arena + 13; /* deliberately unaligned */
    if (addr == 0 || addr < (unsigned)arena || addr > (unsigned)arena + sizeof arena) return cur_brk;
    for (char* p = (char*)cur_brk; p < (char*)addr; p++) *p = (char)0xEE;
    for (char* p = (char*)addr; p < (char*)cur_brk; p++) *p = (char)0xDD;
    cur_brk = addr;
    return cur_brk;
}
void* sbrk(int incr) {
    unsigned old = brk(0);
    if (brk(old + (unsigned)incr) != old + (unsigned)incr) return (void*)-1;
    return (void*)old;
}
int meminfo(struct guest_meminfo* m) {
    (void)m;
    return -1;
}
int fork(void) {
    return -1;
}
int wait(int* status) {
    (void)status;
    return -1;
}

int main(int argc, char** argv);
__attribute__((force_align_arg_pointer, noreturn)) void _start(void) {
    char* argv[] = {"test", 0};
    exit(main(1, argv));
}
