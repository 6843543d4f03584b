/*
 * mm_glue.c: the hooks the memory manager calls (mm/mm_deps.h), one line each on top of the
 * process table, the scheduler and the IDE driver.
 */
#include "../abi/syscall.h"
#include "events.h"
#include "ide.h"
#include "mm/mm.h"
#include "mm/mm_deps.h"
#include "proc.h"

struct mm* mm_current(void) {
    return current ? current->mm : 0;
}
int mm_current_pid(void) {
    return current ? current->pid : 0;
}
int mm_current_killed(void) {
    return current && current->killed;
}
void mm_yield(void) {
    if (current) yield();
}
void mm_sleep_on(void* chan) {
    sleep(chan);
}
void mm_wakeup(void* chan) {
    wakeup(chan);
}

/* The OOM killer walks the live processes (free slots and zombies have no mm to offer). */
static struct proc* live_from(struct proc* p) {
    for (; p < procs + NPROC; p++)
        if (p->state != UNUSED && p->state != ZOMBIE && p->state != EMBRYO) return p;
    return 0;
}
struct proc* mm_proc_first(void) {
    return live_from(procs);
}
struct proc* mm_proc_next(struct proc* p) {
    return live_from(p + 1);
}
struct mm* mm_proc_mm(struct proc* p) {
    return p->mm;
}
int mm_proc_pid(struct proc* p) {
    return p->pid;
}
int mm_proc_dying(struct proc* p) {
    return p->killed && p->mm;
}
void mm_proc_kill(struct proc* p) {
    proc_kill(p, WAIT_KILLED | WAIT_KILLED_OOM);
}

int mm_disk_read(int drive, uint32_t lba, void* buf, uint32_t count) {
    return ide_read(drive, lba, buf, count);
}
int mm_disk_write(int drive, uint32_t lba, const void* buf, uint32_t count) {
    return ide_write(drive, lba, buf, count);
}

void mm_event(uint32_t kind, int pid, uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
    event_emit(kind, pid, a, b, c, d);
}
