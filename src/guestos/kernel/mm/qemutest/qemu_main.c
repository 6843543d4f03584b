/*
 * qemu_main.c: the platform for mm_tests.c on a real (emulated) PC: the serial console, a
 * polling PIO driver for the IDE primary master (the swap disk), the IDT with a page-fault
 * handler that calls mm_handle_page_fault, the multiboot memory map turned into E820 entries,
 * and a few checks only real hardware can make (faults taken by the CPU, TLB flushes).
 * Run by run.sh; prints PASS mmtest and leaves through the isa-debug-exit port.
 */
#include "../hosttest/mm_tests.h"

uint32_t plat_ram_bytes;
uint32_t plat_swap_sectors;
extern char _end[];

static inline void outb(uint16_t port, uint8_t v) {
    __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port) {
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint16_t inw(uint16_t port) {
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline void outw(uint16_t port, uint16_t v) {
    __asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}

void* memset(void* d, int c, uint32_t n) {
    uint8_t* p = d;
    while (n--) *p++ = (uint8_t)c;
    return d;
}
void* memcpy(void* d, const void* s, uint32_t n) {
    __asm__ volatile("cld; rep movsb" : "+D"(d), "+S"(s), "+c"(n)::"memory");
    return d;
}

/* ---- console ---- */
static void putc_serial(char c) {
    if (c == '\n') putc_serial('\r');
    while (!(inb(0x3F8 + 5) & 0x20))
        ;
    outb(0x3F8, (uint8_t)c);
}
static void put_num(uint32_t v, unsigned base, int neg) {
    char buf[12];
    int i = 0;
    if (neg) putc_serial('-');
    do {
        buf[i++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (i--) putc_serial(buf[i]);
}
void plat_vprintf(const char* fmt, va_list ap) {
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putc_serial(*fmt);
            continue;
        }
        fmt++;
        while (*fmt >= '0' && *fmt <= '9') fmt++;
        switch (*fmt) {
            case 'u': put_num(va_arg(ap, uint32_t), 10, 0); break;
            case 'd': {
                int v = va_arg(ap, int);
                put_num(v < 0 ? (uint32_t)-v : (uint32_t)v, 10, v < 0);
                break;
            }
            case 'x':
            case 'p': put_num(va_arg(ap, uint32_t), 16, 0); break;
            case 's':
                for (const char* s = va_arg(ap, const char*); *s; s++) putc_serial(*s);
                break;
            case 'c': putc_serial((char)va_arg(ap, int)); break;
            default: putc_serial(*fmt);
        }
    }
}
void plat_printf(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    plat_vprintf(fmt, ap);
    va_end(ap);
}
void plat_exit(int code) {
    outb(0xF4, (uint8_t)code); /* QEMU exits with (code << 1) | 1 */
    for (;;) __asm__ volatile("cli; hlt");
}

/* ---- IDE primary master, PIO, polling (no interrupts in this test kernel) ---- */
static int ide_wait(int drq) {
    for (uint32_t i = 0; i < 10000000; i++) {
        uint8_t s = inb(0x1F7);
        if (s & 0x01) return -1; /* ERR */
        if (!(s & 0x80) && (!drq || (s & 0x08))) return 0;
    }
    return -1;
}
static int ide_rw(uint32_t lba, void* buf, uint32_t count, int write) {
    uint16_t* w = buf;
    for (uint32_t n = 0; n < count; n++, lba++) {
        if (ide_wait(0) < 0) return -1;
        outb(0x1F6, (uint8_t)(0xE0 | ((lba >> 24) & 0x0F)));
        outb(0x1F2, 1);
        outb(0x1F3, (uint8_t)lba);
        outb(0x1F4, (uint8_t)(lba >> 8));
        outb(0x1F5, (uint8_t)(lba >> 16));
        outb(0x1F7, write ? 0x30 : 0x20);
        if (ide_wait(1) < 0) return -1;
        for (int i = 0; i < 256; i++, w++) {
            if (write)
                outw(0x1F0, *w);
            else
                *w = inw(0x1F0);
        }
        if (write && ide_wait(0) < 0) return -1;
    }
    return 0;
}
int plat_disk_read(uint32_t lba, void* buf, uint32_t count) {
    return ide_rw(lba, buf, count, 0);
}
int plat_disk_write(uint32_t lba, const void* buf, uint32_t count) {
    return ide_rw(lba, (void*)buf, count, 1);
}

/* No threads in the test kernel: the stress test is host-only, and nothing may sleep here. */
int plat_thread_spawn(void (*fn)(void*), void* arg) {
    (void)fn;
    (void)arg;
    return -1;
}
void plat_threads_run(void) {}
void plat_yield(void) {}
void plat_sleep_on(void* chan) {
    plat_printf("FAIL mmtest: sleep on %x with nobody to wake us\n", (uint32_t)chan);
    plat_exit(1);
}
void plat_wakeup(void* chan) {
    (void)chan;
}

int plat_inject_write_errors(uint32_t every) {
    (void)every;
    return 0;
}

/* ---- traps ---- */
struct trap_frame {
    uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
    uint32_t vector, err, eip, cs, eflags;
};
static uint32_t real_faults, user_faults;
static int user_killed;
extern void enter_user(uint32_t eip, uint32_t esp, uint32_t ebx, uint32_t ecx, uint32_t edx);
extern void leave_user(void) __attribute__((noreturn));

void trap(struct trap_frame* f) {
    int from_user = (f->cs & 3) == 3;
    if (f->vector == 128 && from_user) {
        user_killed = 0;
        leave_user();
    }
    if (f->vector == 14) {
        uint32_t cr2;
        __asm__ volatile("movl %%cr2, %0" : "=r"(cr2));
        real_faults++;
        user_faults += from_user;
        if (mm_handle_page_fault(cr2, f->err, from_user) == 0) return;
        if (from_user) { /* what the kernel does: kill the process */
            user_killed = 1;
            leave_user();
        }
        plat_printf("FAIL mmtest: unresolved page fault at %x (err %x, eip %x)\n", cr2, f->err, f->eip);
    } else {
        plat_printf("FAIL mmtest: exception %u (err %x) at eip %x\n", f->vector, f->err, f->eip);
    }
    plat_exit(1);
}

struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t zero, type;
    uint16_t off_hi;
} __attribute__((packed));
static struct idt_gate idt[129];
extern void trap0(void), trap1(void), trap2(void), trap3(void), trap4(void), trap5(void), trap6(void),
    trap7(void), trap8(void), trap9(void), trap10(void), trap11(void), trap12(void), trap13(void),
    trap14(void), trap15(void), trap16(void), trap128(void);
static void (*const stubs[17])(void) = {trap0, trap1,  trap2,  trap3,  trap4,  trap5,  trap6,  trap7, trap8,
                                        trap9, trap10, trap11, trap12, trap13, trap14, trap15, trap16};

static void idt_init(void) {
    for (int i = 0; i < 17; i++) {
        uint32_t a = (uint32_t)stubs[i];
        idt[i] = (struct idt_gate){(uint16_t)a, 0x08, 0, 0x8E, (uint16_t)(a >> 16)};
    }
    uint32_t a = (uint32_t)trap128; /* int 0x80 from ring 3: a DPL-3 interrupt gate */
    idt[128] = (struct idt_gate){(uint16_t)a, 0x08, 0, 0xEE, (uint16_t)(a >> 16)};
    struct {
        uint16_t limit;
        uint32_t base;
    } __attribute__((packed)) d = {sizeof idt - 1, (uint32_t)idt};
    __asm__ volatile("lidt %0" ::"m"(d));
}

void plat_check_user_word(uint32_t va, uint32_t expected) {
    uint32_t got = *(volatile uint32_t*)va; /* through the real MMU and TLB */
    if (got != expected) {
        plat_printf("FAIL mmtest: real MMU sees %x at %x, page tables say %x (stale TLB?)\n", got, va,
                    expected);
        plat_exit(1);
    }
}

/* Page faults taken by the CPU: demand zero-fill, stack growth, and swap-in, with no software MMU. */
static void test_real_faults(void) {
    struct mm* mm = mm_create();
    if (!mm || mm_map_anon(mm, 0x800000, 64 * PAGE_SIZE, VM_READ | VM_WRITE) < 0 ||
        mm_map_anon(mm, USER_STACK_TOP - PAGE_SIZE, PAGE_SIZE, VM_READ | VM_WRITE | VM_STACK) < 0) {
        plat_printf("FAIL mmtest: real-fault setup\n");
        plat_exit(1);
    }
    extern struct mm* mmtest_force_current;
    mmtest_force_current = mm;
    mm_switch(mm);
    uint32_t before = real_faults;
    volatile uint32_t* data = (volatile uint32_t*)0x800000;
    for (uint32_t i = 0; i < 64; i++)
        data[i * 1024] = i * 7 + 1; /* each first touch is a real #PF (not present) */
    volatile uint32_t* stack = (volatile uint32_t*)(USER_STACK_TOP - 5 * PAGE_SIZE);
    *stack = 42; /* below the stack VMA: grows it */
    for (uint32_t i = 0; i < 64; i++)
        if (data[i * 1024] != i * 7 + 1) {
            plat_printf("FAIL mmtest: real-fault page %u\n", i);
            plat_exit(1);
        }
    uint32_t taken = real_faults - before;
    if (taken < 65 || *stack != 42) {
        plat_printf("FAIL mmtest: expected 65 real faults, saw %u\n", taken);
        plat_exit(1);
    }
    mm_switch(0);
    mmtest_force_current = 0;
    mm_destroy(mm);
    plat_printf("ok real page faults (%u taken by the CPU)\n", taken);
}

/* The TSS only supplies the ring-0 stack for traps from ring 3. */
static uint32_t tss[26];
static uint8_t trap_stack[8192] __attribute__((aligned(16)));
static void tss_init(void) {
    extern uint64_t gdt[6];
    tss[1] = (uint32_t)(trap_stack + sizeof trap_stack); /* esp0 */
    tss[2] = 0x10;                                       /* ss0 */
    tss[25] = 104u << 16;                                /* no I/O bitmap */
    uint32_t base = (uint32_t)tss, limit = sizeof tss - 1;
    gdt[5] = (uint64_t)(limit & 0xFFFF) | ((uint64_t)(base & 0xFFFFFF) << 16) | (0x89ull << 40) |
             ((uint64_t)((limit >> 16) & 0xF) << 48) | ((uint64_t)(base >> 24) << 56);
    __asm__ volatile("ltr %w0" ::"r"(0x28));
}

/*
 * Ring 3, as the guest kernel's processes see it: user code writes one word per page; the CPU
 * raises the faults (zero-fill, then copy-on-write after a fork: error code 7, present + write +
 * user), and illegal accesses (text, kernel memory, outside any VMA) end in a kill.
 *   loop: mov [ebx], edx ; add ebx, 4096 ; inc edx ; dec ecx ; jnz loop ; int 0x80
 */
static const uint8_t writer[] = {0x89, 0x13, 0x81, 0xC3, 0x00, 0x10, 0x00,
                                 0x00, 0x42, 0x49, 0x75, 0xF4, 0xCD, 0x80};
#define TEXT 0x400000u
#define DATA 0x1000000u

static int run_writer(struct mm* mm, uint32_t base, uint32_t pages, uint32_t value) {
    extern struct mm* mmtest_force_current;
    mmtest_force_current = mm;
    mm_switch(mm);
    enter_user(TEXT, USER_STACK_TOP, base, pages, value);
    mm_switch(0);
    mmtest_force_current = 0;
    return user_killed ? -1 : 0;
}

static void expect(int cond, const char* what) {
    if (!cond) {
        plat_printf("FAIL mmtest: ring 3: %s\n", what);
        plat_exit(1);
    }
}

static uint32_t peek_user(struct mm* mm, uint32_t va) {
    extern struct mm* mmtest_force_current;
    uint32_t v = 0;
    mmtest_force_current = mm;
    mm_switch(mm);
    expect(copy_from_user(&v, va, 4) == 0, "copy_from_user");
    mm_switch(0);
    mmtest_force_current = 0;
    return v;
}

static void test_ring3(void) {
    uint32_t free0 = nr_free_pages();
    struct mm* a = mm_create();
    expect(a && mm_map_anon(a, TEXT, PAGE_SIZE, VM_READ | VM_EXEC) == 0 &&
               mm_map_anon(a, DATA, 32 * PAGE_SIZE, VM_READ | VM_WRITE) == 0 &&
               mm_copy_in(a, TEXT, writer, sizeof writer) == 0,
           "setup");
    uint32_t f0 = user_faults, copies0 = mm_stat.cow_copy;
    expect(run_writer(a, DATA, 32, 1000) == 0, "writer killed");
    expect(user_faults - f0 == 32, "one zero-fill fault per page");
    struct mm* b = mm_fork(a);
    expect(b != 0, "fork");
    expect(run_writer(b, DATA, 32, 2000) == 0, "child writer killed");
    expect(mm_stat.cow_copy - copies0 == 32, "one CoW copy per page in the child");
    for (uint32_t i = 0; i < 32; i++) {
        expect(peek_user(a, DATA + i * PAGE_SIZE) == 1000 + i, "parent sees its own values");
        expect(peek_user(b, DATA + i * PAGE_SIZE) == 2000 + i, "child sees its own values");
    }
    uint32_t reuse0 = mm_stat.cow_reuse;
    expect(run_writer(a, DATA, 32, 3000) == 0 && mm_stat.cow_reuse - reuse0 == 32,
           "parent, now sole owner, reuses its frames");
    expect(run_writer(a, TEXT, 1, 1) < 0, "write to read-only text must kill");
    expect(run_writer(a, 0xC0001000, 1, 1) < 0, "write to kernel memory must kill");
    expect(run_writer(a, 0x3000000, 1, 1) < 0, "write outside every VMA must kill");
    mm_destroy(b);
    mm_destroy(a);
    expect(nr_free_pages() == free0, "everything freed");
    plat_printf(
        "ok ring 3 (zero-fill, CoW copy and reuse raised by user writes; 3 illegal accesses killed)\n");
}

void qemu_main(uint32_t magic, uint32_t mbi_phys) {
    static struct {
        uint64_t base, length;
        uint32_t type;
    } __attribute__((packed)) map[32];
    int n = 0;
    outb(0x3F8 + 1, 0);
    if (magic != 0x2BADB002) {
        plat_printf("FAIL mmtest: not booted by multiboot\n");
        plat_exit(1);
    }
    const uint32_t* mbi = (const uint32_t*)mbi_phys; /* identity-mapped until mm_init */
    if (!(mbi[0] & (1u << 6))) {
        plat_printf("FAIL mmtest: no memory map\n");
        plat_exit(1);
    }
    for (uint32_t off = 0; off < mbi[11] && n < 32;) {
        const uint8_t* e = (const uint8_t*)(mbi[12] + off);
        uint32_t size = *(const uint32_t*)e;
        memcpy(&map[n], e + 4, 20);
        uint64_t end = map[n].base + map[n].length;
        if (map[n].type == 1 && end > plat_ram_bytes && end <= 0xFFFFFFFFu) plat_ram_bytes = (uint32_t)end;
        n++;
        off += size + 4;
    }
    idt_init();
    mm_init((const struct e820_entry*)map, n, (uint32_t)_end - PAGE_OFFSET);
    plat_swap_sectors = 2 * (plat_ram_bytes >> 9);
    if (swap_init(0, 0, plat_swap_sectors) < 0) {
        plat_printf("FAIL mmtest: swap_init\n");
        plat_exit(1);
    }
    tss_init();
    test_real_faults();
    test_ring3();
    mm_run_tests();
    plat_exit(0);
}
