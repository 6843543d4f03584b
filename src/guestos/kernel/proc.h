/*
 * proc.h: processes and kernel threads, the scheduler, sleep and wakeup.
 *
 * Every process (and kernel thread) has a kernel stack of KSTACK_SIZE bytes; a process entering
 * the kernel leaves its trapframe at the top of that stack. A process not running is parked in
 * swtch() with its registers in a struct context on its stack. The scheduler loop (on the boot
 * stack) picks RUNNABLE entries round-robin. One CPU: interrupts off is the lock.
 */
#ifndef GUESTOS_PROC_H
#define GUESTOS_PROC_H

#include <stdint.h>

#include "trap.h"

#define NPROC 64
#define KSTACK_ORDER 1 /* 8 KiB */
#define KSTACK_SIZE (4096u << KSTACK_ORDER)
#define PROC_NAME_LEN 16

enum proc_state { UNUSED, EMBRYO, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

/* Callee-saved registers of a parked kernel context (swtch.S). */
struct context {
    uint32_t edi, esi, ebx, ebp, eip;
};

struct mm;

struct proc {
    enum proc_state state;
    int pid;
    char name[PROC_NAME_LEN];
    struct mm* mm;         /* NULL: a kernel thread (or a process that has exited) */
    uint8_t* kstack;       /* bottom of the kernel stack */
    struct trapframe* tf;  /* the user registers, at the top of kstack */
    struct context* context;
    void* chan;            /* SLEEPING: what it waits for */
    struct proc* parent;
    int killed;            /* nonzero: exit with this wait status at the next chance */
    int xstatus;           /* ZOMBIE: the wait status */
    void (*thread_fn)(void*); /* kernel threads */
    void* thread_arg;
    uint32_t switches;     /* times scheduled (ps) */
};

/* What processes did since boot (SYS_MEMINFO, `meminfo`); each increment has its event
 * (events.h) right beside it, so a run's event stream and these counters agree. */
struct proc_counters {
    uint32_t forks, execs, exits, kills;
};
extern struct proc_counters proc_stat;

extern struct proc procs[NPROC];
extern struct proc* current; /* NULL while the scheduler loop runs */
extern struct proc* initproc;

void scheduler(void) __attribute__((noreturn));
/* Gives up the CPU, staying RUNNABLE. */
void yield(void);
/* Sleeps on chan until wakeup(chan). Interrupts must be off (the caller tested its condition
 * with them off, so no wakeup is lost); they are off again on return. */
void sleep(void* chan);
/* Makes every process sleeping on chan RUNNABLE. Any context, interrupts on or off. */
void wakeup(void* chan);
/* Sleeps for at least `t` timer ticks. */
void sleep_ticks(uint32_t t);

/* Starts a kernel thread running fn(arg) (exits when fn returns). Returns its pid or -1. */
int kthread_create(const char* name, void (*fn)(void*), void* arg);
/* Creates pid 1, which execs "init" once scheduled (boot: halts cleanly if there is no init). */
void userinit(void);
/* fork(): a copy of the current process sharing its memory copy-on-write; child pid or -1. */
int proc_fork(void);
/* Ends the current process (or kernel thread) with a wait status: frees its memory now, stays
 * a ZOMBIE until its parent's wait(). Never returns. */
void proc_exit(int status) __attribute__((noreturn));
/* Reaps one exited child: its pid (status stored in *status), or -1 if it has no children. */
int proc_wait(int* status);
/* Asks p to exit with `status` (the OOM killer; a trap in user mode, for the current process):
 * wakes it if it sleeps. Only the first request counts (and is reported). */
void proc_kill(struct proc* p, int status);
/* Prints the process table on the console (ps). */
void proc_dump(void);
const char* proc_state_name(enum proc_state s);

/* exec.c: replaces the current process's image with a built-in program (kernel-side argv).
 * 0 on success (tf set to enter it), -1 if unknown or out of memory (old image intact). */
int exec(const char* name, char* const argv[]);

#endif
