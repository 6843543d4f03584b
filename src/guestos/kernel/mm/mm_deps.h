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

/*
 * Hooks the rest of the kernel implements for the mm (one small glue file next to proc.h): they
 * carry an mm_ prefix so that they never clash with the kernel's own names and types. With the
 * planned proc.h/sched.h/ide.h they are one line each, e.g.:
 *   struct mm* mm_current(void) { return current ? current->mm : 0; }
 *   void mm_sleep_on(void* chan) { sleep(chan); }          (irqs stay off around the check)
 *   int mm_disk_read(int d, uint32_t lba, void* b, uint32_t n) { return ide_read(d, lba, b, n); }
 *   int mm_proc_dying(struct proc* p) { return p->killed && p->mm; }
 * The hosttest's and qemutest's versions (hosttest/mm_tests.c) are working examples.
 */
struct mm;
struct proc;
struct mm* mm_current(void); /* the running process's address space (NULL: kernel thread) */
int mm_current_pid(void);
int mm_current_killed(void);  /* has the running process been killed (OOM)? */
void mm_yield(void);          /* let others run (an OOM victim must get to exit) */
void mm_sleep_on(void* chan); /* called with irqs off, returns with irqs off, no lost wakeup */
void mm_wakeup(void* chan);   /* wakes every sleeper on chan (callable with irqs off) */
/* Processes, for the OOM killer: iterate, read mm and pid, test for and request death. */
struct proc* mm_proc_first(void);
struct proc* mm_proc_next(struct proc* p);
#define mm_for_each_proc(p) for (struct proc* p = mm_proc_first(); p; p = mm_proc_next(p))
struct mm* mm_proc_mm(struct proc* p);
int mm_proc_pid(struct proc* p);
int mm_proc_dying(struct proc* p); /* killed, its memory not yet freed */
void mm_proc_kill(struct proc* p);
/*
 * What the mm just did, for the emulator's event stream: kind is a GEV_* of abi/guest_events.h,
 * pid the process concerned, a..d the fields of that header's table. Each call sits beside the
 * mm_stat counter it matches, so the two always agree. Must be cheap and callable with irqs off;
 * the kernel drops the allocator kinds (buddy, slab) unless asked for them; the tests record.
 */
void mm_event(uint32_t kind, int pid, uint32_t a, uint32_t b, uint32_t c, uint32_t d);
/* Swap I/O on an IDE drive: blocks (sleeps the caller) until done; 0 or -1. */
int mm_disk_read(int drive, uint32_t lba, void* buf, uint32_t count);
int mm_disk_write(int drive, uint32_t lba, const void* buf, uint32_t count);

#endif
