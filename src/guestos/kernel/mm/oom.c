/*
 * oom.c: out of memory. When no frame can be found even after reclaim (swap full or absent), the
 * process using the most memory (resident pages + pages in swap) is killed, with a message on the
 * console. The kernel keeps WATERMARK_MIN frames for itself, so it can always finish what it is
 * doing; it never hands out memory it does not have.
 */
#include "mm_internal.h"

int oom_kill(void)
{
    struct proc *victim = 0;
    uint32_t worst = 0;
    for_each_proc(p)
    {
        struct mm *mm = proc_mm(p);
        if (!mm || proc_is_dying(p))
            continue;
        uint32_t score = mm->rss + mm->swap_ptes;
        if (score > worst) {
            worst = score;
            victim = p;
        }
    }
    if (!victim)
        return -1;
    mm_stat.oom_kills++;
    kprintf("mm: out of memory: killing pid %d (%u pages resident, %u in swap)\n", proc_pid(victim),
            proc_mm(victim)->rss, proc_mm(victim)->swap_ptes);
    proc_kill(victim);
    return 0;
}
