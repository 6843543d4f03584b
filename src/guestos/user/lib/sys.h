/*
 * sys.h: the system calls of the guest OS as C functions (numbers and structures in
 * abi/syscall.h). Every wrapper is one `int 0x80`; results are as syscall.h describes.
 */
#ifndef USER_SYS_H
#define USER_SYS_H

#include "../../abi/syscall.h"

/* One trap: EAX = number, EBX/ECX/EDX = arguments, result in EAX. */
static inline int syscall3(int num, int a, int b, int c) {
    int ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(num), "b"(a), "c"(b), "d"(c) : "memory", "cc");
    return ret;
}

__attribute__((noreturn)) void exit(int status);
int fork(void);
int read(int fd, void* buf, unsigned n);
int write(int fd, const void* buf, unsigned n);
int exec(const char* name, char* const argv[]);
int wait(int* status);
int getpid(void);
/* brk(0) returns the current break; otherwise the new break, or the old one on failure. */
unsigned brk(unsigned addr);
/* Anonymous zero-filled mapping of len bytes with PROT_* bits; returns the address or 0. */
void* mmap(unsigned len, int prot);
int munmap(void* addr, unsigned len);
void yield(void);
void sleep(unsigned ms);
/* meminfo(0) has the kernel print its report; otherwise fills *out. Returns 0 or -1. */
int meminfo(struct guest_meminfo* out);
int kmtest(int rounds);
int vmtest(int rounds);
int poweroff(int status);
int ps(void);
/* The allocator events for the emulator: 1 on, 0 off, other: ask. Returns the state before. */
int evdetail(int mode);

/* Moves the break by incr bytes; returns the old break, or (void*)-1 if the kernel refused. */
void* sbrk(int incr);

#endif
