/*
 * mm_deps.h: the few things the memory manager needs from the rest of the kernel (console,
 * processes, scheduler, IDE), gathered in one place so the mm's files name them one way.
 */
#ifndef GUESTOS_MM_DEPS_H
#define GUESTOS_MM_DEPS_H

#include <stdint.h>

void kprintf(const char* fmt, ...);
void panic(const char* fmt, ...) __attribute__((noreturn));
#ifdef MM_HOSTTEST
#include <string.h> /* hosttest/ builds the mm as a 64-bit host program */
#else
void* memset(void* d, int c, uint32_t n);
void* memcpy(void* d, const void* s, uint32_t n);
#endif

struct mm;
struct proc;
struct mm* mm_current(void); /* the running process's address space (NULL: kernel thread) */
int mm_current_pid(void);
int mm_current_killed(void);  /* has the running process been killed (OOM)? */
void mm_yield(void);          /* let others run (an OOM victim must get to exit) */
void mm_sleep_on(void* chan); /* irqs off on entry and exit */
void mm_wakeup(void* chan);
struct proc* proc_first(void);
struct proc* proc_next(struct proc* p);
#define for_each_proc(p) for (struct proc* p = proc_first(); p; p = proc_next(p))
struct mm* proc_mm(struct proc* p);
int proc_pid(struct proc* p);
int proc_is_dying(struct proc* p);
void proc_kill(struct proc* p);
int ide_read(int drive, uint32_t lba, void* buf, uint32_t count);
int ide_write(int drive, uint32_t lba, const void* buf, uint32_t count);

#endif
