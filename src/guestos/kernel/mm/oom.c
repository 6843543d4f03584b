/*
 * oom.c: out of memory. When no frame can be found even after reclaim (swap full or absent), the
 * process using the most memory (resident pages + pages in swap) is killed, with a message on the
 * console. User pages leave each zone's pages_min frames to the kernel, so it can always finish
 * what it is doing; it never hands out memory it does not have. Returns 0 when a victim was killed (or an
 * earlier one is still on its way out: the caller yields and retries), -1 if nobody can be killed.
 */
#include "mm_internal.h"

int oom_kill(void) {
    struct proc* victim = 0;
    uint32_t worst = 0;
    mm_for_each_proc(p) {
        struct mm* mm = mm_proc_mm(p);
        if (!mm) continue;
        if (mm_proc_dying(p)) return 0; /* an earlier victim has not exited yet: wait for its memory */
        uint32_t score = mm->rss + mm->swap_ptes;
        if (score > worst) {
            worst = score;
            victim = p;
        }
    }
    if (!victim) return -1;
    mm_stat.oom_kills++;
    mm_event(GEV_OOM_KILL, mm_proc_pid(victim), (uint32_t)mm_proc_pid(victim), mm_proc_mm(victim)->rss, 0, 0);
    kprintf("mm: out of memory: killing pid %d (%u pages resident, %u in swap)\n", mm_proc_pid(victim),
            mm_proc_mm(victim)->rss, mm_proc_mm(victim)->swap_ptes);
    mm_proc_kill(victim);
    return 0;
}
