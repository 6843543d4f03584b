/*
 * mm_tests.c: tests of the guest memory manager that run on two platforms: the host
 * (host_main.c: a 64-bit program with fake RAM at 0xC0000000 and a RAM disk) and QEMU
 * (../qemutest: a multiboot kernel with real paging, real page faults and real IDE swap).
 * A tiny software MMU plays the user: an access walks the page tables, sets the accessed/dirty
 * bits, and calls mm_handle_page_fault when it must; on QEMU every access is then repeated
 * through the real MMU and must see the same word (a missing TLB flush would show here).
 * Every check prints FAIL and stops; the end prints PASS mmtest.
 */
#include "mm_tests.h"

#define DATA_BASE 0x1000000u

struct proc {
    int pid;
    struct mm* mm;
    int killed;
    struct proc* next;
};
static struct proc *procs, *cur;

void kprintf(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    plat_vprintf(fmt, ap);
    va_end(ap);
}
void panic(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    plat_printf("PANIC: ");
    plat_vprintf(fmt, ap);
    plat_printf("\nFAIL mmtest\n");
    va_end(ap);
    plat_exit(1);
}
struct mm* mmtest_force_current; /* qemutest: the mm whose faults the CPU raises directly */
struct mm* mm_current(void) {
    return mmtest_force_current ? mmtest_force_current : cur ? cur->mm : 0;
}
int mm_current_pid(void) {
    return cur ? cur->pid : 0;
}
int mm_current_killed(void) {
    return cur && cur->killed;
}
void mm_yield(void) {
    plat_yield();
}
static uint32_t sleeps; /* waits on a page under swap I/O (the stress test reports them) */
void mm_sleep_on(void* chan) {
    sleeps++;
    plat_sleep_on(chan);
}
void mm_wakeup(void* chan) {
    plat_wakeup(chan);
}
struct proc* mm_proc_first(void) {
    return procs;
}
struct proc* mm_proc_next(struct proc* p) {
    return p->next;
}
struct mm* mm_proc_mm(struct proc* p) {
    return p->mm;
}
int mm_proc_pid(struct proc* p) {
    return p->pid;
}
int mm_proc_dying(struct proc* p) {
    return p->killed;
}
void mm_proc_kill(struct proc* p) {
    p->killed = 1;
}
int mm_disk_read(int drive, uint32_t lba, void* buf, uint32_t count) {
    (void)drive;
    if (lba + count > plat_swap_sectors) panic("ide_read beyond the swap area");
    int r = plat_disk_read(lba, buf, count);
    plat_yield(); /* the disk takes time: others run meanwhile */
    return r;
}
int mm_disk_write(int drive, uint32_t lba, const void* buf, uint32_t count) {
    (void)drive;
    if (lba + count > plat_swap_sectors) panic("ide_write beyond the swap area");
    int r = plat_disk_write(lba, buf, count);
    plat_yield();
    return r;
}
/* Events are recorded, not sent: a count per kind and the last one, which test_events and
 * test_cow compare with the counters (each mm_event sits beside its counter). */
static uint32_t events[GEV_KIND_COUNT], events_swap_in_cached;
static struct {
    uint32_t kind, a, b, c, d;
    int pid;
} last_event;
void mm_event(uint32_t kind, int pid, uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
    if (kind >= GEV_KIND_COUNT) panic("mm_event: kind %u", kind);
    events[kind]++;
    if (kind == GEV_SWAP_IN && d) events_swap_in_cached++;
    last_event.kind = kind, last_event.pid = pid;
    last_event.a = a, last_event.b = b, last_event.c = c, last_event.d = d;
}

static uint32_t rand_state = 1;
static uint32_t trand(void) {
    rand_state = rand_state * 1103515245u + 12345u;
    return (rand_state >> 16) & 0x7FFF;
}
static int tmemcmp(const void* a, const void* b, uint32_t n) {
    const uint8_t *x = a, *y = b;
    for (uint32_t i = 0; i < n; i++)
        if (x[i] != y[i]) return x[i] - y[i];
    return 0;
}

#define CHECK(cond, ...)                                        \
    do {                                                        \
        if (!(cond)) {                                          \
            plat_printf("FAIL line %d: %s: ", __LINE__, #cond); \
            plat_printf(__VA_ARGS__);                           \
            plat_printf("\n");                                  \
            plat_exit(1);                                       \
        }                                                       \
    } while (0)

static struct proc* new_proc(int pid, struct mm* mm) {
    static struct proc pool[16];
    struct proc* p = 0;
    for (int i = 0; i < 16 && !p; i++)
        if (!pool[i].pid) p = &pool[i];
    CHECK(p, "proc pool exhausted");
    memset(p, 0, sizeof *p);
    p->pid = pid;
    p->mm = mm;
    p->next = procs;
    procs = p;
    return p;
}
static void run(struct proc* p) {
    cur = p;
    mm_switch(p->mm);
}
static void exit_proc(struct proc* p) {
    struct proc** l = &procs;
    while (*l != p) l = &(*l)->next;
    *l = p->next;
    if (cur == p) cur = 0;
    mm_destroy(p->mm);
    p->pid = 0;
}

/* The software MMU: one 32-bit user access. Returns 0, or -1 if the process would be killed. */
static int uaccess32(uint32_t va, int write, uint32_t* val) {
    struct mm* mm = cur->mm;
    for (int tries = 0; tries < 8; tries++) {
        uint32_t* pte = pte_lookup(mm, va);
        uint32_t e = pte ? *pte : 0;
        if ((e & PTE_P) && (e & PTE_U) && (!write || (e & PTE_W))) {
            uint32_t* p = (uint32_t*)((char*)page_address(pte_page(e)) + (va & 0xFFF));
            *pte |= PTE_A | (write ? PTE_D : 0);
            if (write)
                *p = *val;
            else
                *val = *p;
            plat_check_user_word(va, *p);
            return 0;
        }
        uint32_t err = 4 | (write ? 2 : 0) | ((e & PTE_P) ? 1 : 0);
        if (mm_handle_page_fault(va, err, 1) < 0) return -1;
    }
    panic("fault loop at %x", va);
}
static void uwrite(uint32_t va, uint32_t v) {
    CHECK(uaccess32(va, 1, &v) == 0, "write %x", va);
}
static uint32_t uread(uint32_t va) {
    uint32_t v;
    CHECK(uaccess32(va, 0, &v) == 0, "read %x", va);
    return v;
}

static void test_buddy(void) {
    uint32_t free0 = nr_free_pages();
    struct meminfo before;
    mm_meminfo(&before);
    struct page* blocks[64];
    for (int i = 0; i < 64; i++) {
        blocks[i] = alloc_pages((unsigned)(i % 5), GFP_KERNEL);
        CHECK(blocks[i], "alloc order %d", i % 5);
        CHECK((page_to_pfn(blocks[i]) & ((1u << (i % 5)) - 1)) == 0, "alignment");
        memset(page_address(blocks[i]), i, PAGE_SIZE << (i % 5));
    }
    for (int i = 0; i < 64; i++)
        for (uint32_t b = 0; b < (PAGE_SIZE << (i % 5)); b += 512)
            CHECK(((uint8_t*)page_address(blocks[i]))[b] == i, "block %d overwritten", i);
    for (int i = 63; i >= 0; i -= 2) free_pages(blocks[i], (unsigned)(i % 5));
    for (int i = 0; i < 64; i += 2) free_pages(blocks[i], (unsigned)(i % 5));
    CHECK(nr_free_pages() == free0, "free pages %u -> %u", free0, nr_free_pages());
    struct meminfo m;
    mm_meminfo(&m);
    for (int z = 0; z < 2; z++)
        for (int o = 0; o < MAX_ORDER; o++)
            CHECK(m.free_blocks[z][o] == before.free_blocks[z][o], "zone %d order %d: %u blocks, before %u",
                  z, o, m.free_blocks[z][o], before.free_blocks[z][o]);
    CHECK(plat_ram_bytes < (8u << 20) || m.free_blocks[ZONE_DMA][9] >= 2, "2 MiB blocks: %u",
          m.free_blocks[0][9]);
    plat_printf("ok buddy (free %u pages, %u order-9 blocks)\n", free0, m.free_blocks[0][9]);
}

static void test_kmalloc(void) {
    uint32_t free0 = nr_free_pages(), large0;
    struct kcache_info ci[MEMINFO_CACHES], ci0[MEMINFO_CACHES];
    kmalloc_stats(ci0, &large0); /* swap_init's tables may already be there */
    memcpy(ci, ci0, sizeof ci);
    enum { NMAX = 3000 };
    static char* obj[NMAX];
    static uint32_t len[NMAX];
    uint32_t N = plat_ram_bytes / PAGE_SIZE; /* about a quarter of RAM in objects */
    if (N > NMAX) N = NMAX;
    rand_state = 1;
    for (uint32_t i = 0; i < N; i++) {
        len[i] = 1 + (trand() % (i % 10 == 0 ? 9000 : 600));
        obj[i] = kmalloc(len[i]);
        CHECK(obj[i], "kmalloc %u", len[i]);
        memset(obj[i], i & 0xFF, len[i]);
    }
    uint32_t large;
    kmalloc_stats(ci, &large);
    CHECK(ci[0].size == 32 && ci[7].size == 4096, "cache sizes");
    /* 4096 / 32 = 128 objects fill a slab page exactly: the control data is off-page. With 256
     * allocations at least one slab is wholly ours; it must hold all 128. */
    static char* small[256];
    for (int i = 0; i < 256; i++) small[i] = kmalloc(32);
    int best = 0;
    for (int i = 0; i < 256; i++) {
        int same = 0;
        for (int j = 0; j < 256; j++) same += virt_to_page(small[j]) == virt_to_page(small[i]);
        if (same > best) best = same;
    }
    CHECK(best == 128, "a 32-byte slab holds %d objects, not 128", best);
    for (int i = 0; i < 256; i++) kfree(small[i]);
    for (uint32_t i = 0; i < N; i += 2) {
        for (uint32_t b = 0; b < len[i]; b++)
            CHECK((uint8_t)obj[i][b] == (i & 0xFF), "object %d byte %u", i, b);
        kfree(obj[i]);
    }
    for (uint32_t i = 1; i < N; i += 2) kfree(obj[i]);
    kmalloc_stats(ci, &large);
    for (int i = 0; i < MEMINFO_CACHES; i++)
        CHECK(ci[i].inuse == ci0[i].inuse && ci[i].pages == ci0[i].pages, "cache %u: %u in use, %u pages",
              ci[i].size, ci[i].inuse, ci[i].pages);
    CHECK(large == large0 && nr_free_pages() == free0, "all memory back (%u vs %u)", nr_free_pages(), free0);
    plat_printf("ok kmalloc\n");
}

/*
 * Zones (needs > 16 MiB of RAM): Normal first while it stays above its low watermark, then DMA
 * above its own; below both, a request that may not reclaim (ATOMIC) takes Normal down to its last
 * frame, then DMA. GFP_DMA never leaves DMA.
 */
static void test_zones(void) {
    if (plat_ram_bytes <= DMA_LIMIT) return;
    uint32_t free0 = nr_free_pages();
    struct page *n = alloc_pages(0, GFP_KERNEL), *d = alloc_pages(0, GFP_DMA);
    CHECK(page_to_phys(n) >= DMA_LIMIT && page_to_phys(d) < DMA_LIMIT, "zone choice %x %x", page_to_phys(n),
          page_to_phys(d));
    free_pages(n, 0);
    free_pages(d, 0);
    const struct zone *normal = &zones[ZONE_NORMAL], *dma = &zones[ZONE_DMA];
    uint32_t n_free = normal->free_pages, d_free = dma->free_pages;
    static struct page* all[1u << 16];
    CHECK(n_free + d_free < (1u << 16), "too much RAM for the zone test");
    uint32_t i = 0;
    struct {
        uint32_t count;
        int high; /* expect frames above DMA_LIMIT */
        const char* what;
    } steps[] = {{n_free - normal->pages_low, 1, "Normal down to its low watermark"},
                 {d_free - dma->pages_low, 0, "then DMA down to its low watermark"},
                 {normal->pages_low, 1, "then Normal's last frames"},
                 {dma->pages_low, 0, "then DMA's last frames"}};
    for (unsigned s = 0; s < sizeof steps / sizeof steps[0]; s++)
        for (uint32_t k = 0; k < steps[s].count; k++, i++) {
            all[i] = alloc_pages(0, GFP_ATOMIC);
            CHECK(all[i] && (page_to_phys(all[i]) >= DMA_LIMIT) == steps[s].high, "%s (frame %u of %u)",
                  steps[s].what, k, steps[s].count);
        }
    CHECK(nr_free_pages() == 0 && !alloc_pages(0, GFP_ATOMIC), "zones: everything taken");
    for (uint32_t k = 0; k < i; k++) free_pages(all[k], 0);
    CHECK(nr_free_pages() == free0, "zones: all back");
    plat_printf("ok zones (%u normal, %u dma frames, low watermarks %u, %u)\n", n_free, d_free,
                normal->pages_low, dma->pages_low);
}

static struct proc* spawn(int pid) {
    struct mm* mm = mm_create();
    CHECK(mm, "mm_create");
    CHECK(mm_map_anon(mm, 0x1000000, 0x10000, VM_READ | VM_WRITE) == 0, "map data");
    CHECK(mm_map_anon(mm, 0x400000, 0x4000, VM_READ | VM_EXEC) == 0, "map text");
    CHECK(mm_brk_init(mm, 0x2000000) == 0, "brk init");
    CHECK(mm_map_anon(mm, USER_STACK_TOP - 0x4000, 0x4000, VM_READ | VM_WRITE | VM_STACK) == 0, "stack");
    struct proc* p = new_proc(pid, mm);
    return p;
}

static void test_vm(void) {
    uint32_t free0 = nr_free_pages();
    struct proc* p = spawn(1);
    run(p);
    static const char prog[] = "text of the program";
    CHECK(mm_copy_in(p->mm, 0x400010, prog, sizeof prog) == 0, "copy_in to read-only text");
    uint32_t v;
    CHECK(uaccess32(0x400010, 0, &v) == 0 && tmemcmp(&v, prog, 4) == 0, "text readable");
    CHECK(uaccess32(0x400010, 1, &v) < 0, "user write to text must fail");
    CHECK(uaccess32(0xC0001000, 0, &v) < 0, "user access to kernel memory must fail");
    CHECK(uaccess32(0x3000000, 0, &v) < 0, "access outside VMAs must fail");
    for (uint32_t a = 0x1000000; a < 0x1010000; a += PAGE_SIZE) uwrite(a, a);
    CHECK(p->mm->rss == 16 + 1, "rss %u", p->mm->rss);
    /* a hole in the middle: the VMA splits and the pages go away */
    CHECK(mm_munmap(p->mm, 0x1004000, 0x4000) == 0, "munmap");
    CHECK(uaccess32(0x1005000, 0, &v) < 0, "unmapped hole still accessible");
    CHECK(uread(0x1003000) == 0x1003000 && uread(0x1008000) == 0x1008000, "neighbours kept");
    CHECK(p->mm->rss == 12 + 1, "rss after munmap %u", p->mm->rss);
    /* brk grows and shrinks */
    CHECK(mm_brk(p->mm, 0x2000000 + 0x5000) == 0x2005000, "brk grow");
    uwrite(0x2004ffc, 7);
    CHECK(mm_brk(p->mm, 0x2001000) == 0x2001000, "brk shrink");
    CHECK(uaccess32(0x2004ffc, 0, &v) < 0, "shrunk heap still accessible");
    /* stack grows down by faults */
    uwrite(USER_STACK_TOP - 0x9000, 1);
    CHECK(uread(USER_STACK_TOP - 0x9000) == 1, "stack growth");
    CHECK(uaccess32(USER_STACK_TOP - STACK_MAX_SIZE - 0x2000, 1, &v) < 0, "stack limit");
    uint32_t m = mm_mmap(p->mm, 0x3000, VM_READ | VM_WRITE);
    CHECK(m >= MMAP_BASE, "mmap %x", m);
    uwrite(m + 0x2000, 5);
    char buf[16] = "hello, user";
    CHECK(copy_to_user(m + 0xffc, buf, 12) == 0, "copy_to_user across pages");
    char back[16];
    CHECK(copy_from_user(back, m + 0xffc, 12) == 0 && tmemcmp(back, buf, 12) == 0, "copy_from_user");
    CHECK(strncpy_from_user(back, m + 0xffc, 16) == 11, "strncpy_from_user");
    CHECK(copy_to_user(0x400010, buf, 4) < 0, "copy_to_user into read-only text must fail");
    exit_proc(p);
    CHECK(nr_free_pages() == free0, "exit frees everything: %u vs %u", nr_free_pages(), free0);
    plat_printf("ok vm (munmap split, brk, stack growth, mmap, uaccess)\n");
}

static void test_cow(void) {
    uint32_t free0 = nr_free_pages();
    struct proc* a = spawn(2);
    run(a);
    for (uint32_t i = 0; i < 16; i++) uwrite(0x1000000 + i * PAGE_SIZE, 100 + i);
    struct proc* b = new_proc(3, mm_fork(a->mm));
    CHECK(b->mm, "fork");
    uint32_t copies = mm_stat.cow_copy, reuses = mm_stat.cow_reuse;
    run(b);
    uwrite(0x1000000, 555); /* child writes: copy */
    CHECK(mm_stat.cow_copy == copies + 1, "cow copy counted");
    CHECK(last_event.kind == GEV_COW_COPY && last_event.pid == 3 && last_event.a == 0x1000000 &&
              last_event.b != last_event.c,
          "cow-copy event: kind %u pid %d va %x frames %x -> %x", last_event.kind, last_event.pid,
          last_event.a, last_event.b, last_event.c);
    run(a);
    CHECK(uread(0x1000000) == 100, "parent still sees its value");
    uwrite(0x1000000, 777); /* parent is the only user now: reuse */
    CHECK(mm_stat.cow_reuse == reuses + 1, "cow reuse counted");
    CHECK(last_event.kind == GEV_COW_REUSE && last_event.pid == 2 && last_event.a == 0x1000000,
          "cow-reuse event: kind %u pid %d va %x", last_event.kind, last_event.pid, last_event.a);
    run(b);
    CHECK(uread(0x1000000) == 555 && uread(0x1001000) == 101, "child view");
    char big[6000];
    memset(big, 'x', sizeof big);
    CHECK(copy_to_user(0x1002000, big, sizeof big) == 0, "copy_to_user breaks CoW");
    run(a);
    CHECK(uread(0x1002000) == 102 && uread(0x1003000) == 103, "kernel write did not leak into the parent");
    exit_proc(b);
    exit_proc(a);
    CHECK(nr_free_pages() == free0, "fork + exits free everything: %u vs %u", nr_free_pages(), free0);
    plat_printf("ok cow\n");
}

static void test_swap(void) {
    uint32_t free0 = nr_free_pages();
    struct proc* a = spawn(4);
    run(a);
    uint32_t pages = (plat_ram_bytes / PAGE_SIZE) * 5 / 4; /* 10 MiB in an 8 MiB machine */
    uint32_t base = mm_mmap(a->mm, pages * PAGE_SIZE, VM_READ | VM_WRITE);
    CHECK(base, "mmap 1.25 x RAM");
    for (uint32_t i = 0; i < pages; i++) uwrite(base + i * PAGE_SIZE + (i % 1000) * 4, i * 2654435761u);
    CHECK(mm_stat.swap_outs > 0, "swapped out");
    for (uint32_t i = 0; i < pages; i++)
        CHECK(uread(base + i * PAGE_SIZE + (i % 1000) * 4) == i * 2654435761u, "page %u after swap", i);
    CHECK(mm_stat.swap_ins > 0, "swapped in");
    plat_printf("ok swap: outs %u ins %u dropped-clean %u\n", mm_stat.swap_outs, mm_stat.swap_ins,
                mm_stat.dropped_clean);
    /* fork with much of it in swap: both sides read and write their own views */
    struct proc* b = new_proc(5, mm_fork(a->mm));
    CHECK(b->mm, "fork of a swapped process");
    uint32_t hits0 = mm_stat.swap_cache_hits;
    for (uint32_t i = 0; i < pages; i += 3) {
        run(b);
        CHECK(uread(base + i * PAGE_SIZE + (i % 1000) * 4) == i * 2654435761u, "child page %u", i);
        uwrite(base + i * PAGE_SIZE, 0xC0FFEE);
        run(a);
        CHECK(uread(base + i * PAGE_SIZE + (i % 1000) * 4) == i * 2654435761u, "parent page %u", i);
    }
    run(a);
    for (uint32_t i = 0; i < pages; i += 3)
        CHECK(uread(base + i * PAGE_SIZE) == (i % 1000 == 0 ? i * 2654435761u : 0), "parent kept page %u", i);
    run(b);
    for (uint32_t i = 0; i < pages; i += 3)
        CHECK(uread(base + i * PAGE_SIZE) == 0xC0FFEE, "child kept page %u", i);
    plat_printf("ok swap + fork: swap-cache hits %u, cow copies %u\n", mm_stat.swap_cache_hits - hits0,
                mm_stat.cow_copy);
    CHECK(mm_stat.swap_cache_hits > hits0, "swap cache used");
    CHECK(mm_munmap(b->mm, base + PAGE_SIZE * 100, PAGE_SIZE * 1000) == 0, "munmap swapped range");
    exit_proc(b);
    exit_proc(a);
    CHECK(swap_used == 0, "swap slots leaked: %u", swap_used);
    CHECK(nr_free_pages() == free0, "frames leaked: %u vs %u", nr_free_pages(), free0);
}

static void test_oom(void) {
    uint32_t free0 = nr_free_pages();
    struct proc* a = spawn(6);
    run(a);
    uint32_t pages =
        (plat_ram_bytes + plat_swap_sectors * 512u) / PAGE_SIZE + 1024; /* more than RAM + swap */
    uint32_t base = mm_mmap(a->mm, pages * PAGE_SIZE, VM_READ | VM_WRITE);
    uint32_t i, v = 1;
    for (i = 0; i < pages; i++)
        if (uaccess32(base + i * PAGE_SIZE, 1, &v) < 0) break;
    CHECK(i < pages && a->killed && mm_stat.oom_kills == 1, "hog killed by OOM after %u pages", i);
    exit_proc(a);
    CHECK(swap_used == 0 && nr_free_pages() == free0, "OOM victim's memory back");
    plat_printf("ok oom (killed after %u pages)\n", i);
}

/* A failing swap write must cost nothing but the eviction: the data stays in RAM. */
static void test_swap_write_errors(void) {
    if (!plat_inject_write_errors(5)) return;
    uint32_t free0 = nr_free_pages();
    struct proc* a = spawn(7);
    run(a);
    uint32_t pages = (plat_ram_bytes / PAGE_SIZE) * 5 / 4;
    uint32_t base = mm_mmap(a->mm, pages * PAGE_SIZE, VM_READ | VM_WRITE);
    uint32_t outs0 = mm_stat.swap_outs;
    for (uint32_t i = 0; i < pages; i++) uwrite(base + i * PAGE_SIZE, i ^ 0x5A5A5A5A);
    for (uint32_t i = 0; i < pages; i++)
        CHECK(uread(base + i * PAGE_SIZE) == (i ^ 0x5A5A5A5A), "page %u after failed writes", i);
    plat_inject_write_errors(0);
    exit_proc(a);
    CHECK(swap_used == 0 && nr_free_pages() == free0, "write errors leaked memory or slots");
    plat_printf("ok swap write errors (every 5th write failed, %u writes succeeded, data intact)\n",
                mm_stat.swap_outs - outs0);
}

/* ---- Stress: processes interleaved at every sleep point, each checking its own memory ---- */
#define STRESS_PAGES_MAX 8192
static uint32_t stress_pages; /* 9/10 of RAM per process: with forks and CoW, swap is busy */
#define STRESS_OPS 20000      /* in total, over all workers */
#define STRESS_MAX 6
#define STRESS_FORKS 40
struct worker {
    struct proc* p;
    uint32_t seed;
    uint32_t expect[STRESS_PAGES_MAX]; /* the word at the start of each page */
};
static struct worker workers[STRESS_MAX];
static int stress_alive, stress_pid = 100;
static uint32_t stress_forks, stress_kills, stress_ops;

void mmtest_resume(void* arg) {
    struct worker* w = arg;
    run(w->p);
}

static uint32_t wrand(struct worker* w) {
    w->seed = w->seed * 1103515245u + 12345u;
    return w->seed >> 8;
}

static void worker_main(void* arg) {
    struct worker* w = arg;
    while (stress_ops++ < STRESS_OPS && !w->p->killed) {
        uint32_t r = wrand(w), i = r % stress_pages, kind = (r >> 12) % 100;
        uint32_t va = DATA_BASE + i * PAGE_SIZE, v;
        if ((r & 7) == 0) plat_yield(); /* a time slice ends: another process runs */
        if (kind < 55) {
            v = wrand(w);
            if (uaccess32(va, 1, &v) < 0) { /* only an OOM kill may stop us */
                CHECK(w->p->killed, "pid %d: write to page %u refused", w->p->pid, i);
                break;
            }
            w->expect[i] = v;
        } else if (kind < 93) {
            if (uaccess32(va, 0, &v) < 0) {
                CHECK(w->p->killed, "pid %d: read of page %u refused", w->p->pid, i);
                break;
            }
            CHECK(v == w->expect[i], "pid %d page %u: %x, expected %x", w->p->pid, i, v, w->expect[i]);
        } else if (kind < 96 && stress_alive < STRESS_MAX && stress_forks < STRESS_FORKS) {
            struct worker* c = 0;
            for (int k = 0; k < STRESS_MAX && !c; k++)
                if (!workers[k].p) c = &workers[k];
            if (!c) continue;       /* a slot is still held by a worker on its way out */
            c->p = (struct proc*)1; /* reserve the slot across the sleeps in mm_fork */
            struct mm* mm = mm_fork(w->p->mm);
            if (!mm) {
                c->p = 0;
                continue;
            }
            memcpy(c->expect, w->expect, sizeof c->expect);
            c->seed = wrand(w) * 2654435761u + (uint32_t)stress_pid * 40503u;
            c->p = new_proc(stress_pid++, mm);
            stress_alive++;
            stress_forks++;
            CHECK(plat_thread_spawn(worker_main, c) == 0, "spawn");
        } else if (kind < 99) {
            uint32_t n = 1 + r % 16;
            if (i + n > stress_pages) n = stress_pages - i;
            CHECK(mm_munmap(w->p->mm, va, n * PAGE_SIZE) == 0, "munmap");
            CHECK(mm_map_anon(w->p->mm, va, n * PAGE_SIZE, VM_READ | VM_WRITE) == 0, "remap");
            for (uint32_t k = i; k < i + n; k++) w->expect[k] = 0;
        } else if (stress_alive > 1) {
            break;
        }
    }
    stress_alive--; /* now: the last one standing must not decide to leave too */
    if (w->p->killed) {
        stress_kills++;
    } else { /* everything this process wrote must still be there, through swap and forks */
        for (uint32_t i = 0; i < stress_pages; i++) {
            uint32_t v;
            if (uaccess32(DATA_BASE + i * PAGE_SIZE, 0, &v) < 0) break;
            CHECK(v == w->expect[i], "pid %d final page %u: %x, expected %x", w->p->pid, i, v, w->expect[i]);
        }
    }
    struct proc* p = w->p;
    w->p = 0;
    exit_proc(p);
}

/* Host only (needs threads): six processes forking, writing, reading, unmapping over swap. */
void mm_run_stress(void) {
    uint32_t free0 = nr_free_pages();
    struct worker* w = &workers[0];
    stress_pages = plat_ram_bytes / PAGE_SIZE * 9 / 10;
    CHECK(stress_pages <= STRESS_PAGES_MAX, "RAM too large for the stress test");
    struct mm* mm = mm_create();
    CHECK(mm && mm_map_anon(mm, DATA_BASE, stress_pages * PAGE_SIZE, VM_READ | VM_WRITE) == 0, "stress mm");
    w->p = new_proc(stress_pid++, mm);
    w->seed = 12345;
    run(w->p);
    for (uint32_t i = 0; i < stress_pages; i++) {
        w->expect[i] = i * 7919u + 1;
        uwrite(DATA_BASE + i * PAGE_SIZE, w->expect[i]);
    }
    stress_alive = 1;
    if (plat_thread_spawn(worker_main, w) < 0) {
        exit_proc(w->p);
        w->p = 0;
        return;
    }
    uint32_t outs0 = mm_stat.swap_outs, hits0 = mm_stat.swap_cache_hits;
    plat_threads_run();
    CHECK(stress_alive == 0, "all workers done");
    CHECK(swap_used == 0 && nr_free_pages() == free0, "stress left %u slots, %d frames", swap_used,
          (int)free0 - (int)nr_free_pages());
    plat_printf(
        "ok stress: %u ops, %u forks, %u waits on locked pages, %u swap-outs, %u swap-cache hits, %u OOM "
        "kills\n",
        stress_ops, stress_forks, sleeps, mm_stat.swap_outs - outs0, mm_stat.swap_cache_hits - hits0,
        stress_kills);
    CHECK(mm_stat.swap_outs > outs0, "the stress test must swap");
}

/* Every counter has had exactly one event per increment since mm_init. */
static void test_events(void) {
    CHECK(events[GEV_ZERO_FILL] == mm_stat.zero_fill, "zero-fill %u events, %u counted",
          events[GEV_ZERO_FILL], mm_stat.zero_fill);
    CHECK(events[GEV_COW_COPY] == mm_stat.cow_copy, "cow-copy %u events, %u counted", events[GEV_COW_COPY],
          mm_stat.cow_copy);
    CHECK(events[GEV_COW_REUSE] == mm_stat.cow_reuse, "cow-reuse %u events, %u counted",
          events[GEV_COW_REUSE], mm_stat.cow_reuse);
    CHECK(events[GEV_STACK_GROW] == mm_stat.stack_grow, "stack-grow %u events, %u counted",
          events[GEV_STACK_GROW], mm_stat.stack_grow);
    CHECK(events[GEV_SWAP_IN] == mm_stat.swap_in_faults, "swap-in %u events, %u counted", events[GEV_SWAP_IN],
          mm_stat.swap_in_faults);
    CHECK(events_swap_in_cached == mm_stat.swap_cache_hits, "swap-in from cache %u events, %u hits",
          events_swap_in_cached, mm_stat.swap_cache_hits);
    CHECK(events[GEV_SWAP_OUT] == mm_stat.swap_outs, "swap-out %u events, %u counted", events[GEV_SWAP_OUT],
          mm_stat.swap_outs);
    CHECK(events[GEV_OOM_KILL] == mm_stat.oom_kills, "oom-kill %u events, %u counted", events[GEV_OOM_KILL],
          mm_stat.oom_kills);
    CHECK(events[GEV_RECLAIM] > 0 && events[GEV_BUDDY_SPLIT] > 0 && events[GEV_BUDDY_MERGE] > 0 &&
              events[GEV_SLAB_GROW] > 0 && events[GEV_SLAB_SHRINK] > 0,
          "reclaim %u, buddy split %u merge %u, slab grow %u shrink %u events", events[GEV_RECLAIM],
          events[GEV_BUDDY_SPLIT], events[GEV_BUDDY_MERGE], events[GEV_SLAB_GROW], events[GEV_SLAB_SHRINK]);
    plat_printf("ok events: %u zero-fill, %u cow-copy, %u swap-out, %u swap-in, %u reclaim\n",
                events[GEV_ZERO_FILL], events[GEV_COW_COPY], events[GEV_SWAP_OUT], events[GEV_SWAP_IN],
                events[GEV_RECLAIM]);
}

/* Runs every test; the platform has called mm_init and swap_init before. */
void mm_run_tests(void) {
    mm_check_invariants("start"); /* allocates the checker's counting arrays once */
    test_buddy();
    test_zones();
    test_kmalloc();
    test_vm();
    test_cow();
    test_swap();
    test_oom();
    test_swap_write_errors();
    mm_run_stress();
    test_events();
    mm_check_invariants("end");
    mm_print_meminfo();
    plat_printf("PASS mmtest\n");
}
