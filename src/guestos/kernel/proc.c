/*
 * proc.c: the process table, the round-robin scheduler, sleep/wakeup, and the life of a process
 * (fork, exit, wait, kill). Kernel threads are processes without an mm that never leave ring 0.
 */
#include "proc.h"

#include "console.h"
#include "events.h"
#include "gdt.h"
#include "guest_info.h"
#include "mm/mm.h"
#include "string.h"
#include "x86.h"

struct proc procs[NPROC];
struct proc_counters proc_stat;
struct proc* current;
struct proc* initproc;
static struct context* scheduler_context;
static int next_pid = 1;

void swtch(struct context** old, struct context* new);

const char* proc_state_name(enum proc_state s) {
    static const char* const names[] = {"unused", "embryo", "sleep", "ready", "run", "zombie"};
    return names[s];
}

/*
 * Takes a free slot and gives it a pid and a kernel stack whose top holds a trapframe, below it
 * the address of trapret, below that a context that "returns" to `entry`. NULL if none is free.
 */
static struct proc* proc_alloc(const char* name, void (*entry)(void)) {
    uint32_t flags = irq_save();
    struct proc* p = 0;
    for (int i = 0; i < NPROC && !p; i++)
        if (procs[i].state == UNUSED) p = &procs[i];
    if (!p) {
        irq_restore(flags);
        return 0;
    }
    p->state = EMBRYO;
    p->pid = next_pid++;
    irq_restore(flags);

    /* vmalloc: frames from anywhere (HighMem first), and the page below every area is unmapped
     * (the previous area's guard page, or the hole before VMALLOC_START): a stack overflow
     * faults instead of silently overwriting a neighbour. */
    p->kstack = vmalloc(KSTACK_SIZE);
    if (!p->kstack) {
        p->state = UNUSED;
        return 0;
    }
    uint8_t* sp = p->kstack + KSTACK_SIZE;
    sp -= sizeof *p->tf;
    p->tf = (struct trapframe*)sp;
    memset(p->tf, 0, sizeof *p->tf);
    sp -= 4;
    *(uint32_t*)sp = (uint32_t)trapret;
    sp -= sizeof *p->context;
    p->context = (struct context*)sp;
    memset(p->context, 0, sizeof *p->context);
    p->context->eip = (uint32_t)entry;
    strlcpy(p->name, name, sizeof p->name);
    p->mm = 0;
    p->chan = 0;
    p->killed = 0;
    p->xstatus = 0;
    p->switches = 0;
    p->parent = current;
    return p;
}

/* Gives back a ZOMBIE's (or a failed EMBRYO's) kernel stack and slot. */
static void proc_free(struct proc* p) {
    vfree(p->kstack);
    p->kstack = 0;
    p->pid = 0;
    p->name[0] = 0;
    p->parent = 0;
    p->state = UNUSED;
}

/* ---- scheduling ---- */

/* Reports every switch (events.h): to each process it runs, and to idle (pid 0) once each time
 * it finds nothing to run. */
void scheduler(void) {
    int last = 0, idle = 0;
    for (;;) {
        cli();
        struct proc* p = 0;
        for (int i = 1; i <= NPROC && !p; i++) {
            struct proc* q = &procs[(last + i) % NPROC];
            if (q->state == RUNNABLE) {
                p = q;
                last = (int)(q - procs);
            }
        }
        if (!p) {
            if (!idle) event_emit(GEV_SWITCH, 0, 0, 0, 0, 0);
            idle = 1;
            sti_hlt(); /* nothing to run: wait for an interrupt to wake somebody */
            continue;
        }
        idle = 0;
        p->state = RUNNING;
        p->switches++;
        current = p;
        tss_set_kernel_stack((uint32_t)(p->kstack + KSTACK_SIZE));
        /* A kernel thread runs on whatever directory is loaded (the kernel half is the same in
         * all of them): no CR3 reload, so the TLB survives a trip through a kernel thread. */
        if (p->mm && p->mm->pgdir_phys != read_cr3()) mm_switch(p->mm);
        guest_info_update();
        event_emit(GEV_SWITCH, p->pid, (uint32_t)p->pid, 0, 0, 0);
        swtch(&scheduler_context, p->context);
        current = 0;
    }
}

/* Back to the scheduler loop; the caller has set current's new state, interrupts off. */
static void sched(void) {
    if (read_eflags() & EFLAGS_IF) panic("sched with interrupts on");
    if (current->state == RUNNING) panic("sched: %s still running", current->name);
    swtch(&current->context, scheduler_context);
}

void yield(void) {
    uint32_t flags = irq_save();
    current->state = RUNNABLE;
    sched();
    irq_restore(flags);
}

void sleep(void* chan) {
    if (!current) panic("sleep without a process");
    current->chan = chan;
    current->state = SLEEPING;
    sched();
    current->chan = 0;
}

void wakeup(void* chan) {
    uint32_t flags = irq_save();
    for (int i = 0; i < NPROC; i++)
        if (procs[i].state == SLEEPING && procs[i].chan == chan) procs[i].state = RUNNABLE;
    irq_restore(flags);
}

void sleep_ticks(uint32_t t) {
    uint32_t flags = irq_save();
    uint32_t start = ticks;
    while (ticks - start < t && !current->killed) sleep((void*)&ticks);
    irq_restore(flags);
}

/* ---- kernel threads ---- */

/* First code of a kernel thread: the scheduler left interrupts off. */
static void kthread_entry(void) {
    sti();
    current->thread_fn(current->thread_arg);
    proc_exit(0);
}

int kthread_create(const char* name, void (*fn)(void*), void* arg) {
    struct proc* p = proc_alloc(name, kthread_entry);
    if (!p) return -1;
    p->thread_fn = fn;
    p->thread_arg = arg;
    p->parent = 0; /* nobody's child: wait() in init must not count it */
    p->state = RUNNABLE;
    return p->pid;
}

/* ---- the first process ---- */

/* pid 1's first code, in its own context: become the init program, then enter ring 3. */
static void init_entry(void) {
    sti();
    char* argv[] = {"init", 0};
    if (exec("init", argv) < 0) {
        kprintf("kernel: no init program among the built-in programs: halted\n");
        for (;;) __asm__ volatile("cli; hlt");
    }
    cli(); /* "returns" to trapret below the context: iret to the program's entry */
}

void userinit(void) {
    struct proc* p = proc_alloc("init", init_entry);
    if (!p) panic("userinit: no memory");
    initproc = p;
    p->state = RUNNABLE;
}

/* ---- fork, exit, wait, kill ---- */

/* A forked child's first code: return to user mode with the parent's registers and eax = 0. */
static void fork_entry(void) {
}

int proc_fork(void) {
    struct proc* parent = current;
    struct proc* p = proc_alloc(parent->name, fork_entry);
    if (!p) return -1;
    p->mm = mm_fork(parent->mm);
    if (!p->mm) {
        proc_free(p);
        return -1;
    }
    *p->tf = *parent->tf;
    p->tf->eax = 0;
    uint32_t flags = irq_save();
    p->state = RUNNABLE;
    proc_stat.forks++;
    guest_info_update(); /* a tool stopped at the fork finds the child (and its mm) listed */
    event_emit(GEV_FORK, parent->pid, (uint32_t)parent->pid, (uint32_t)p->pid, 0, 0);
    irq_restore(flags);
    return p->pid;
}

void proc_exit(int status) {
    struct proc* p = current;
    if (p == initproc) panic("init exited (status 0x%x)", status);
    proc_stat.exits++;
    event_emit(GEV_EXIT, p->pid, (uint32_t)p->pid, (uint32_t)status, 0, 0);
    struct mm* mm = p->mm;
    if (mm) {
        p->mm = 0; /* no longer a candidate for the OOM killer, nor current's mm */
        mm_destroy(mm);
    }
    cli(); /* for good: the next process restores its own interrupt flag */
    for (int i = 0; i < NPROC; i++) {
        if (procs[i].parent != p) continue;
        procs[i].parent = initproc;
        if (procs[i].state == ZOMBIE) wakeup(initproc);
    }
    if (!p->parent) p->parent = initproc; /* an exiting kernel thread is reaped by init */
    p->xstatus = status;
    p->state = ZOMBIE;
    wakeup(p->parent);
    sched();
    panic("zombie %d ran", p->pid);
}

int proc_wait(int* status) {
    uint32_t flags = irq_save();
    for (;;) {
        int children = 0;
        for (int i = 0; i < NPROC; i++) {
            struct proc* c = &procs[i];
            if (c->parent != current || c->state == UNUSED) continue;
            children++;
            if (c->state == ZOMBIE) {
                int pid = c->pid;
                *status = c->xstatus;
                proc_free(c);
                irq_restore(flags);
                return pid;
            }
        }
        if (!children || current->killed) {
            irq_restore(flags);
            return -1;
        }
        sleep(current);
    }
}

void proc_kill(struct proc* p, int status) {
    uint32_t flags = irq_save();
    if (!p->killed) {
        p->killed = status;
        proc_stat.kills++;
        event_emit(GEV_KILL, p->pid, (uint32_t)p->pid, (uint32_t)status & 0xFF, 0, 0);
    }
    if (p->state == SLEEPING) p->state = RUNNABLE; /* every sleep loop re-checks its condition */
    irq_restore(flags);
}

void proc_dump(void) {
    kprintf("  PID STATE   RSS  SWAP  NAME\n");
    for (int i = 0; i < NPROC; i++) {
        struct proc* p = &procs[i];
        if (p->state == UNUSED) continue;
        kprintf("%5d %6s %5u %5u  %s%s\n", p->pid, proc_state_name(p->state), p->mm ? p->mm->rss : 0,
                p->mm ? p->mm->swap_ptes : 0, p->name, p->mm ? "" : " [kernel]");
    }
}
