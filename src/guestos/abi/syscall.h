/*
 * syscall.h: the guest OS's system call ABI, shared by the kernel and the user programs.
 *
 * A user program traps with `int 0x80`: EAX = the call number, EBX, ECX, EDX = arguments 1..3.
 * The result comes back in EAX; a negative value is an error (-1 unless a call says otherwise).
 * Pointers are user addresses; the kernel checks them (copy_from_user/copy_to_user) and returns
 * -1 for a bad one instead of faulting.
 */
#ifndef GUESTOS_ABI_SYSCALL_H
#define GUESTOS_ABI_SYSCALL_H

#define SYS_EXIT 1     /* exit(status): never returns */
#define SYS_FORK 2     /* fork(): child pid in the parent, 0 in the child, -1 on failure */
#define SYS_READ 3     /* read(fd, buf, n): fd 0 = console (COM1 and keyboard); blocks for >= 1 byte */
#define SYS_WRITE 4    /* write(fd, buf, n): fd 1 and 2 = console (COM1, VGA, 0xE9); returns n */
#define SYS_EXEC 5     /* exec(name, argv): replaces the image with a built-in program; -1 if unknown */
#define SYS_WAIT 6     /* wait(int* status): pid of an exited child (status stored), -1 if none */
#define SYS_GETPID 7   /* getpid() */
#define SYS_BRK 8      /* brk(addr): sets the break (0: query); returns the new (or current) break */
#define SYS_MMAP 9     /* mmap(len, prot): anonymous zero-filled mapping; address or 0 on failure */
#define SYS_MUNMAP 10  /* munmap(addr, len): 0 or -1 */
#define SYS_YIELD 11   /* yield() */
#define SYS_SLEEP 12   /* sleep(ms) */
#define SYS_MEMINFO 13 /* meminfo(struct guest_meminfo* out): 0; out == 0 prints the report on the console */
#define SYS_KMTEST 14  /* kmtest(rounds): runs the in-kernel kmalloc/kfree stress; 0 pass, -1 fail (prints why) */
#define SYS_POWEROFF 15 /* poweroff(status): writes status to port 0xF4 (QEMU isa-debug-exit, pc386) */
#define SYS_PS 16      /* ps(): prints the process list on the console */
#define SYS_EVDETAIL 17 /* evdetail(mode): 1 on, 0 off, other: unchanged; the emulator also gets the
                           allocator events (abi/guest_events.h) while on. Returns the state before */
#define SYS_VMTEST 18   /* vmtest(rounds): runs the in-kernel vmalloc stress; 0 pass, -1 fail (prints why) */

/* mmap prot bits (the kernel's VM_READ/VM_WRITE/VM_EXEC) */
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4

/*
 * wait() status: a normal exit(n) gives n & 0xFF; a process the kernel killed gives
 * 0x100 | reason, where reason is the trap number (e.g. 14 for an illegal page fault, 13 for #GP)
 * or WAIT_KILLED_OOM for the out-of-memory killer.
 */
#define WAIT_KILLED 0x100
#define WAIT_KILLED_OOM 0xFF
#define WAIT_IS_KILLED(s) (((s)&WAIT_KILLED) != 0)
#define WAIT_REASON(s) ((s)&0xFF)

/* User address-space layout. */
#define USER_LOAD_ADDR 0x00400000u /* built-in programs are flat binaries linked and entered here */

/* What SYS_MEMINFO copies out: the fields of the kernel's struct meminfo, in the same order,
 * then the process counters (kernel/proc.h: struct proc_counters). */
#define GUEST_MAX_ORDER 10
#define GUEST_MEMINFO_CACHES 8
struct guest_meminfo {
    unsigned total_pages, free_pages;
    unsigned free_blocks[3][GUEST_MAX_ORDER]; /* [zone DMA, Normal, HighMem][order] */
    unsigned cache_size[GUEST_MEMINFO_CACHES], cache_inuse[GUEST_MEMINFO_CACHES],
        cache_pages[GUEST_MEMINFO_CACHES];
    unsigned large_kmalloc_pages;
    unsigned swap_total, swap_used; /* slots (pages) */
    unsigned swap_cache_pages;
    unsigned user_pages;
    unsigned lru_active, lru_inactive_dirty, lru_inactive_clean;
    unsigned highmem_pages, highmem_free;
    unsigned kmaps, kmap_flushes;
    unsigned vmalloc_areas, vmalloc_pages;
    unsigned faults, faults_zero_fill, faults_cow_copy, faults_cow_reuse, faults_swap_in, faults_stack_grow,
        faults_bad;
    unsigned swap_ins, swap_outs, swap_cache_hits, pages_dropped_clean, oom_kills;
    unsigned forks, execs, exits, kills; /* kills: by a trap or the OOM killer */
};

/*
 * Built-in programs: each is a flat binary linked at USER_LOAD_ADDR whose first byte is its entry
 * point (crt0's _start). The user side's build generates a table of them that the kernel links:
 *   struct builtin_program { const char* name; const unsigned char* image; unsigned size; };
 *   extern const struct builtin_program builtin_programs[];   (ends with a {0, 0, 0} entry)
 * The entry point is called with ESP at the top of a fresh user stack holding
 *   [argc][argv pointer] ... where argv is a NULL-terminated array of strings (also on the stack).
 */
/*
 * An image may start with a 16-byte header that is also code (user/lib/crt0.S):
 *   bytes 0-1  a short jump over the header, bytes 2-3 zero,
 *   bytes 4-7  BUILTIN_HEADER_MAGIC, bytes 8-11 the end of text + rodata (page aligned, a user
 *   address), bytes 12-15 the end of the image (data and bss are inside the file bytes).
 * The kernel then maps [USER_LOAD_ADDR, text end) read/exec and the rest read/write; without
 * the header the whole image is read/write/exec. The heap (brk) starts on the page after it.
 */
#define BUILTIN_HEADER_MAGIC 0x36383350u /* "P386" */
struct builtin_header {
    unsigned char jump[2], zero[2];
    unsigned magic, text_end, image_end;
};

struct builtin_program {
    const char* name;
    const unsigned char* image;
    unsigned size;
};
extern const struct builtin_program builtin_programs[];

#endif
