/*
 * syscall.c: the system calls of abi/syscall.h. Arguments arrive in ebx, ecx, edx; every user
 * pointer goes through copy_from_user / copy_to_user, so a bad one is an error (-1), never a
 * kernel fault.
 */
#include "syscall.h"

#include "../abi/syscall.h"
#include "console.h"
#include "events.h"
#include "mm/mm.h"
#include "proc.h"
#include "string.h"
#include "x86.h"

_Static_assert(__builtin_offsetof(struct guest_meminfo, forks) == sizeof(struct meminfo), "meminfo ABI");
_Static_assert(sizeof(struct guest_meminfo) == sizeof(struct meminfo) + sizeof(struct proc_counters),
               "meminfo ABI");
_Static_assert(GUEST_MAX_ORDER == MAX_ORDER && GUEST_MEMINFO_CACHES == MEMINFO_CACHES, "meminfo ABI");

#define IO_CHUNK 256

static int sys_exit(uint32_t status, uint32_t b, uint32_t c) {
    (void)b, (void)c;
    proc_exit((int)(status & 0xFF));
}

static int sys_fork(uint32_t a, uint32_t b, uint32_t c) {
    (void)a, (void)b, (void)c;
    return proc_fork();
}

static int sys_read(uint32_t fd, uint32_t buf, uint32_t n) {
    char kbuf[IO_CHUNK];
    if (fd != 0) return -1;
    if (n == 0) return 0;
    int got = console_read(kbuf, n < IO_CHUNK ? n : IO_CHUNK);
    if (got < 0 || copy_to_user(buf, kbuf, (uint32_t)got) < 0) return -1;
    return got;
}

static int sys_write(uint32_t fd, uint32_t buf, uint32_t n) {
    char kbuf[IO_CHUNK];
    if (fd != 1 && fd != 2) return -1;
    for (uint32_t done = 0; done < n;) {
        uint32_t chunk = n - done < IO_CHUNK ? n - done : IO_CHUNK;
        if (copy_from_user(kbuf, buf + done, chunk) < 0) return done ? (int)done : -1;
        console_write(kbuf, chunk);
        done += chunk;
    }
    return (int)n;
}

#define EXEC_ARG_BYTES 1024
#define EXEC_MAX_ARGS 16

static int sys_exec(uint32_t uname, uint32_t uargv, uint32_t c) {
    (void)c;
    char name[32];
    if (strncpy_from_user(name, uname, sizeof name) < 0) return -1;
    /* Copy argv into the kernel before the old image (where it lives) goes away. */
    char* strings = kmalloc(EXEC_ARG_BYTES);
    char* argv[EXEC_MAX_ARGS + 1];
    if (!strings) return -1;
    int argc = 0, r = -1;
    uint32_t used = 0;
    for (; uargv && argc < EXEC_MAX_ARGS; argc++) {
        uint32_t p;
        if (copy_from_user(&p, uargv + 4 * (uint32_t)argc, 4) < 0) goto out;
        if (!p) break;
        int len = strncpy_from_user(strings + used, p, EXEC_ARG_BYTES - used);
        if (len < 0) goto out;
        argv[argc] = strings + used;
        used += (uint32_t)len + 1;
    }
    argv[argc] = 0;
    if (argc == 0) argv[0] = name, argv[1] = 0;
    r = exec(name, argv);
out:
    kfree(strings);
    return r;
}

static int sys_wait(uint32_t ustatus, uint32_t b, uint32_t c) {
    (void)b, (void)c;
    int status = 0;
    int pid = proc_wait(&status);
    if (pid >= 0 && ustatus && copy_to_user(ustatus, &status, sizeof status) < 0) return -1;
    return pid;
}

static int sys_getpid(uint32_t a, uint32_t b, uint32_t c) {
    (void)a, (void)b, (void)c;
    return current->pid;
}

static int sys_brk(uint32_t addr, uint32_t b, uint32_t c) {
    (void)b, (void)c;
    return (int)(addr ? mm_brk(current->mm, addr) : current->mm->brk);
}

static int sys_mmap(uint32_t len, uint32_t prot, uint32_t c) {
    (void)c;
    if (len == 0) return 0;
    return (int)mm_mmap(current->mm, PAGE_ALIGN(len), prot & (VM_READ | VM_WRITE | VM_EXEC));
}

static int sys_munmap(uint32_t addr, uint32_t len, uint32_t c) {
    (void)c;
    if (addr & ~PAGE_MASK) return -1;
    return mm_munmap(current->mm, addr, PAGE_ALIGN(len));
}

static int sys_yield(uint32_t a, uint32_t b, uint32_t c) {
    (void)a, (void)b, (void)c;
    yield();
    return 0;
}

static int sys_sleep(uint32_t ms, uint32_t b, uint32_t c) {
    (void)b, (void)c;
    sleep_ticks((ms * HZ + 999) / 1000);
    return 0;
}

static int sys_meminfo(uint32_t out, uint32_t b, uint32_t c) {
    (void)b, (void)c;
    if (!out) {
        mm_print_meminfo();
        kprintf("processes: forks %u execs %u exits %u kills %u\n", proc_stat.forks, proc_stat.execs,
                proc_stat.exits, proc_stat.kills);
        return 0;
    }
    struct guest_meminfo g;
    uint32_t flags = irq_save();
    mm_meminfo((struct meminfo*)&g); /* the same fields first (asserted above) */
    g.forks = proc_stat.forks;
    g.execs = proc_stat.execs;
    g.exits = proc_stat.exits;
    g.kills = proc_stat.kills;
    irq_restore(flags);
    return copy_to_user(out, &g, sizeof g);
}

static int sys_evdetail(uint32_t mode, uint32_t b, uint32_t c) {
    (void)b, (void)c;
    int was = event_detail();
    if (mode == 0 || mode == 1) event_set_detail((int)mode);
    return was;
}

static int sys_kmtest(uint32_t rounds, uint32_t b, uint32_t c) {
    (void)b, (void)c;
    return kmtest((int)rounds);
}

static int sys_vmtest(uint32_t rounds, uint32_t b, uint32_t c) {
    (void)b, (void)c;
    return vmtest((int)rounds);
}

static int __attribute__((noreturn)) sys_poweroff(uint32_t status, uint32_t b, uint32_t c) {
    (void)b, (void)c;
    kprintf("kernel: power off (status %u)\n", status);
    outb(0xF4, (uint8_t)status); /* QEMU isa-debug-exit and pc386 stop here */
    outl(0xF4, status);
    for (;;) __asm__ volatile("cli; hlt"); /* a machine without the exit port */
}

static int sys_ps(uint32_t a, uint32_t b, uint32_t c) {
    (void)a, (void)b, (void)c;
    proc_dump();
    return 0;
}

static int (*const calls[])(uint32_t, uint32_t, uint32_t) = {
    [SYS_EXIT] = sys_exit,       [SYS_FORK] = sys_fork,         [SYS_READ] = sys_read,
    [SYS_WRITE] = sys_write,     [SYS_EXEC] = sys_exec,         [SYS_WAIT] = sys_wait,
    [SYS_GETPID] = sys_getpid,   [SYS_BRK] = sys_brk,           [SYS_MMAP] = sys_mmap,
    [SYS_MUNMAP] = sys_munmap,   [SYS_YIELD] = sys_yield,       [SYS_SLEEP] = sys_sleep,
    [SYS_MEMINFO] = sys_meminfo, [SYS_KMTEST] = sys_kmtest,     [SYS_POWEROFF] = sys_poweroff,
    [SYS_PS] = sys_ps,           [SYS_EVDETAIL] = sys_evdetail, [SYS_VMTEST] = sys_vmtest,
};

uint32_t syscall_count; /* guest_info counter */

void syscall(struct trapframe* tf) {
    uint32_t n = tf->eax;
    syscall_count++;
    if (n < sizeof calls / sizeof *calls && calls[n])
        tf->eax = (uint32_t)calls[n](tf->ebx, tf->ecx, tf->edx);
    else
        tf->eax = (uint32_t)-1;
}
