/*
 * guest_info.c: the descriptor of abi/guest_info.h, in kernel memory (its physical address is
 * __pa of it): the frame table's place, a slot per process-table entry and the named counters.
 */
#include "guest_info.h"

#include "../abi/guest_info.h"
#include "mm/mm.h"
#include "proc.h"
#include "string.h"
#include "trap.h"
#include "x86.h"

extern uint32_t syscall_count, ide_sectors_read, ide_sectors_written;

static struct guest_info info;
static struct guest_layout layout;
_Static_assert(sizeof(struct kmap_slot) == sizeof(struct guest_kmap_slot) &&
                   sizeof(struct vm_area) == sizeof(struct guest_vm_area),
               "the kmap slots and vmalloc areas are published as the kernel keeps them");
static struct guest_info_proc slots[NPROC];

enum {
    C_FREE_PAGES, C_FAULTS, C_ZERO_FILL, C_COW_COPY, C_COW_REUSE, C_SWAP_IN_FAULTS, C_STACK_GROW, C_BAD_FAULTS,
    C_SWAP_INS, C_SWAP_OUTS, C_SWAP_USED, C_SWAP_CACHE_HITS, C_OOM_KILLS, C_SYSCALLS, C_TICKS, C_SECTORS_READ,
    C_SECTORS_WRITTEN, NCOUNTERS
};
static const char* const counter_names[NCOUNTERS] = {
    "free pages", "page faults", "zero fills", "cow copies", "cow reuses", "swap-in faults", "stack grows",
    "bad faults", "swap ins", "swap outs", "swap slots used", "swap cache hits", "oom kills", "syscalls",
    "ticks", "sectors read", "sectors written",
};
static struct guest_info_counter counters[NCOUNTERS];

void guest_info_publish(void) {
    for (int i = 0; i < NCOUNTERS; i++) strlcpy(counters[i].name, counter_names[i], GUEST_COUNTER_NAME_LEN);
    info.frame_table = __pa(frame_table);
    info.frame_count = frame_count;
    info.frame_size = sizeof(struct page);
    info.procs = __pa(slots);
    info.proc_count = NPROC;
    info.proc_size = sizeof(struct guest_info_proc);
    info.counters = __pa(counters);
    info.counter_count = NCOUNTERS;
    layout.page_offset = PAGE_OFFSET;
    layout.highmem_start_pfn = highstart_pfn < frame_count ? highstart_pfn : frame_count;
    layout.lowmem_end = PAGE_OFFSET + (layout.highmem_start_pfn << PAGE_SHIFT);
    layout.vmalloc_start = VMALLOC_START;
    layout.vmalloc_end = VMALLOC_END;
    layout.pkmap_base = PKMAP_BASE;
    layout.pkmap_count = LAST_PKMAP;
    layout.fixmap_start = FIXADDR_START;
    layout.fixmap_count = NR_KM_TYPES;
    layout.kmap_slots = __pa(kmap_slots);
    layout.vm_areas = __pa(vm_areas);
    layout.vm_area_max = VM_AREAS_MAX;
    info.layout = __pa(&layout);
    info.version = GUEST_INFO_VERSION;
    info.magic = GUEST_INFO_MAGIC;
    guest_info_update();
    outl(GUEST_INFO_PORT, __pa(&info));
}

static uint32_t slot_state(enum proc_state s) {
    switch (s) {
        case RUNNING: return GUEST_PROC_RUN;
        case RUNNABLE: return GUEST_PROC_READY;
        case SLEEPING:
        case EMBRYO: return GUEST_PROC_SLEEP;
        case ZOMBIE: return GUEST_PROC_ZOMBIE;
        default: return 0;
    }
}

void guest_info_update(void) {
    for (int i = 0; i < NPROC; i++) {
        struct proc* p = &procs[i];
        struct guest_info_proc* s = &slots[i];
        if (p->state == UNUSED) {
            s->pid = 0;
            continue;
        }
        s->pid = (uint32_t)p->pid;
        s->state = slot_state(p->state);
        s->cr3 = p->mm ? p->mm->pgdir_phys : kernel_pgdir_phys;
        s->rss_pages = p->mm ? p->mm->rss : 0;
        s->swap_pages = p->mm ? p->mm->swap_ptes : 0;
        memcpy(s->name, p->name, GUEST_PROC_NAME_LEN);
    }
    info.current_pid = current ? (uint32_t)current->pid : 0;
    /* The swap area appears when the swap partition is found (after the descriptor is published). */
    uint32_t slots = 0;
    const uint16_t* map = swap_map_view(&slots);
    info.swap_map = map ? __pa(map) : 0;
    info.swap_slot_count = map ? slots : 0;
    info.frame_swap_slot = __builtin_offsetof(struct page, swap_slot);
    struct meminfo m;
    mm_meminfo(&m);
    const uint32_t values[NCOUNTERS] = {
        m.free_pages, m.faults, m.faults_zero_fill, m.faults_cow_copy, m.faults_cow_reuse, m.faults_swap_in,
        m.faults_stack_grow, m.faults_bad, m.swap_ins, m.swap_outs, m.swap_used, m.swap_cache_hits,
        m.oom_kills, syscall_count, ticks, ide_sectors_read, ide_sectors_written,
    };
    for (int i = 0; i < NCOUNTERS; i++) counters[i].value = values[i];
}

void guest_info_tick(void) {
    if (ticks % 5 == 0) guest_info_update();
}
