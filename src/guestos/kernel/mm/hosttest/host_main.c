/*
 * host_main.c: runs mm_tests.c as a 64-bit host program (this machine cannot run i386 binaries).
 * The fake RAM is mapped at 0xC0000000, below 4 GiB, so kernel pointers still fit 32 bits and
 * __va/__pa hold; the swap disk is an array.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "mm_tests.h"

#ifndef RAM_MIB
#define RAM_MIB 8
#endif

uint32_t hosttest_cr3;
uint32_t plat_ram_bytes = (uint32_t)RAM_MIB << 20;
uint32_t plat_swap_sectors = (uint32_t)RAM_MIB * 2u << 11; /* twice the RAM */
static uint8_t* disk;

void plat_vprintf(const char* fmt, va_list ap) {
    vprintf(fmt, ap);
}
void plat_printf(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}
void plat_exit(int code) {
    fflush(stdout);
    exit(code);
}
int plat_disk_read(uint32_t lba, void* buf, uint32_t count) {
    memcpy(buf, disk + lba * 512, count * 512);
    return 0;
}
static uint32_t fail_every, writes;
int plat_inject_write_errors(uint32_t every) {
    fail_every = every;
    return 1;
}
int plat_disk_write(uint32_t lba, const void* buf, uint32_t count) {
    if (fail_every && ++writes % fail_every == 0) return -1;
    memcpy(disk + lba * 512, buf, count * 512);
    return 0;
}
void plat_check_user_word(uint32_t va, uint32_t expected) {
    (void)va;
    (void)expected;
}

/* ---- Cooperative threads (ucontext) for the stress test ---- */
#define MAX_THREADS 16
struct thread {
    ucontext_t ctx;
    void (*fn)(void*);
    void* arg;
    void* chan; /* sleeping on it when non-NULL */
    int live;
    char stack[256 * 1024];
};
static struct thread threads[MAX_THREADS];
static ucontext_t sched_ctx;
static struct thread* running;

static void thread_entry(int idx) {
    struct thread* t = &threads[idx];
    t->fn(t->arg);
    t->live = 0;
} /* returns to sched_ctx through uc_link */

int plat_thread_spawn(void (*fn)(void*), void* arg) {
    for (int i = 0; i < MAX_THREADS; i++) {
        struct thread* t = &threads[i];
        if (t->live) continue;
        t->fn = fn;
        t->arg = arg;
        t->chan = 0;
        t->live = 1;
        getcontext(&t->ctx);
        t->ctx.uc_stack.ss_sp = t->stack;
        t->ctx.uc_stack.ss_size = sizeof t->stack;
        t->ctx.uc_link = &sched_ctx;
        makecontext(&t->ctx, (void (*)(void))thread_entry, 1, i);
        return 0;
    }
    return -1;
}

/* Round robin over runnable threads until none is alive; all asleep is a deadlock. */
void plat_threads_run(void) {
    int next = 0;
    for (;;) {
        int alive = 0, picked = -1;
        for (int k = 0; k < MAX_THREADS; k++) {
            int i = (next + k) % MAX_THREADS;
            if (!threads[i].live) continue;
            alive++;
            if (picked < 0 && !threads[i].chan) picked = i;
        }
        if (!alive) return;
        if (picked < 0) {
            printf("FAIL mmtest: deadlock, every thread sleeps\n");
            exit(1);
        }
        running = &threads[picked];
        mmtest_resume(running->arg);
        swapcontext(&sched_ctx, &running->ctx);
        running = 0;
        next = picked + 1;
    }
}

void plat_yield(void) {
    if (running) swapcontext(&running->ctx, &sched_ctx);
}
void plat_sleep_on(void* chan) {
    if (!running) {
        printf("FAIL mmtest: sleep outside a thread\n");
        exit(1);
    }
    running->chan = chan;
    plat_yield();
}
void plat_wakeup(void* chan) {
    for (int i = 0; i < MAX_THREADS; i++)
        if (threads[i].live && threads[i].chan == chan) threads[i].chan = 0;
}

/* Breaks one invariant on purpose: the checker must notice (run.sh expects the panic). */
static void corrupt_and_check(const char* what) {
    struct page* p = alloc_pages(0, GFP_KERNEL);
    if (!strcmp(what, "refcount")) { /* a free frame with a reference */
        free_pages(p, 0);
        p->refcount = 1;
    } else if (!strcmp(what, "kmap")) { /* a kmap slot left pointing at a frame that was freed */
        free_pages(p, 0);
        kmap_slots[0].pfn = page_to_pfn(p);
        kmap_slots[0].users = 1;
    } else if (!strcmp(what, "lru")) { /* a page counted on a list it is not on */
        lru_count[LRU_ACTIVE]++;
        lru_pages++;
    } else { /* a frame freed twice onto the lists would be caught by free_pages; fake a lost one */
        p->kind = PAGE_KIND_FREE;
    }
    mm_check_invariants("deliberate corruption");
    printf("checker stayed silent after corrupting: %s\n", what);
    exit(0);
}

int main(int argc, char** argv) {
    void* ram = mmap((void*)PAGE_OFFSET, plat_ram_bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (ram != (void*)PAGE_OFFSET) {
        printf("FAIL mmtest: cannot map fake RAM at 0xC0000000\n");
        return 1;
    }
    disk = calloc(plat_swap_sectors, 512);
    struct {
        uint64_t base, length;
        uint32_t type;
    } __attribute__((packed))
    map[3] = {{0, 0x9FC00, 1}, {0xF0000, 0x10000, 2}, {0x100000, plat_ram_bytes - 0x100000, 1}};
    mm_init((const struct e820_entry*)map, 3, 0x180000);
    if (swap_init(1, 0, plat_swap_sectors) < 0) {
        printf("FAIL mmtest: swap_init\n");
        return 1;
    }
    if (argc > 1) corrupt_and_check(argv[1]);
    mm_run_tests();
    return 0;
}
