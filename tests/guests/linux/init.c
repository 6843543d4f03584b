// /init of the Linux test guest: a static i386 program with no libc (system calls by int 0x80).
// It checks what a learner should see Linux do on pc386, prints each result on the console (COM1),
// and leaves through the debug-exit port 0xF4 with status 0 when every check passed, 1 otherwise
// (pc386 and QEMU's isa-debug-exit then exit with (status << 1) | 1: 1 or 3).
//
// Default mode: fork, check copy-on-write both ways, print /proc/meminfo.
// initmode=swap on the kernel command line (an environment variable for init): swapon /dev/sda1,
// then a memory hog bigger than RAM that writes a pattern into every page and reads it back, so
// Linux's own swap runs on the IDE disk; the swap in use must grow.
typedef unsigned int u32;

enum {
    SYS_exit = 1, SYS_fork = 2, SYS_read = 3, SYS_write = 4, SYS_open = 5, SYS_close = 6,
    SYS_waitpid = 7, SYS_mount = 21, SYS_swapon = 87, SYS_ioperm = 101, SYS_mmap2 = 192,
};

static int syscall5(int nr, u32 a, u32 b, u32 c, u32 d, u32 e) {
    int ret;
    __asm__ volatile("int $0x80"
                     : "=a"(ret)
                     : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                     : "memory");
    return ret;
}
static int syscall3(int nr, u32 a, u32 b, u32 c) { return syscall5(nr, a, b, c, 0, 0); }

static u32 strlen_(const char* s) {
    u32 n = 0;
    while (s[n]) n++;
    return n;
}
static void puts_(const char* s) { syscall3(SYS_write, 1, (u32)s, strlen_(s)); }
static void putnum(u32 v) {
    char buf[12];
    int i = 11;
    buf[i] = 0;
    do buf[--i] = (char)('0' + v % 10); while ((v /= 10) && i > 0);
    puts_(buf + i);
}

static int failures;
static void check(int ok, const char* what) {
    puts_(ok ? "init: ok   " : "init: FAIL ");
    puts_(what);
    puts_("\n");
    if (!ok) failures++;
}

// Port 0xF4 needs I/O permission: ioperm (X86_IOPL_IOPERM) grants this one port to ring 3.
static void __attribute__((noreturn)) leave(void) {
    unsigned char status = failures ? 1 : 0;
    puts_(failures ? "init: FAILED\n" : "init: all checks passed\n");
    if (syscall3(SYS_ioperm, 0xF4, 1, 1) == 0) __asm__ volatile("outb %0, $0xf4" ::"a"(status));
    puts_("init: port 0xF4 did not end the run\n");
    for (;;) syscall3(SYS_exit, 0, 0, 0);  // init may not exit: the kernel panics, visibly
}

// A page's worth of data written before fork: both processes must see it, and each must keep its
// own copy once it writes.
static volatile u32 shared_page[1024] __attribute__((aligned(4096))) = {0x12345678};

static void check_copy_on_write(void) {
    shared_page[1] = 0xAAAA;
    int pid = syscall3(SYS_fork, 0, 0, 0);
    if (pid == 0) {
        int ok = shared_page[0] == 0x12345678 && shared_page[1] == 0xAAAA;
        shared_page[1] = 0xBBBB;  // a write fault: the child gets its own copy
        ok = ok && shared_page[1] == 0xBBBB;
        syscall3(SYS_exit, ok ? 0 : 1, 0, 0);
    }
    check(pid > 0, "fork");
    int status = -1;
    syscall3(SYS_waitpid, (u32)pid, (u32)&status, 0);
    check(status == 0, "the child saw the parent's page and wrote its own copy");
    check(shared_page[1] == 0xAAAA, "the parent's page kept its value after the child wrote");
}

static char file_buf[2048];
// Reads a whole small file into file_buf (NUL-terminated); returns its length or -1.
static int read_file(const char* path) {
    int fd = syscall3(SYS_open, (u32)path, 0, 0);
    if (fd < 0) return -1;
    int total = 0, n;
    while ((n = syscall3(SYS_read, fd, (u32)(file_buf + total), sizeof file_buf - 1 - total)) > 0)
        total += n;
    syscall3(SYS_close, fd, 0, 0);
    file_buf[total] = 0;
    return total;
}

// The value in kB of a /proc/meminfo line ("SwapFree:   1234 kB"), or -1.
static int meminfo_kb(const char* key) {
    if (read_file("/proc/meminfo") <= 0) return -1;
    u32 len = strlen_(key);
    for (const char* line = file_buf; *line;) {
        u32 i = 0;
        while (i < len && line[i] == key[i]) i++;
        if (i == len && line[i] == ':') {
            const char* p = line + len + 1;
            while (*p == ' ') p++;
            int v = 0;
            while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
            return v;
        }
        while (*line && *line != '\n') line++;
        if (*line) line++;
    }
    return -1;
}

static void print_meminfo(void) {
    int n = read_file("/proc/meminfo");
    check(n > 0, "read /proc/meminfo");
    if (n > 0) syscall3(SYS_write, 1, (u32)file_buf, (u32)n);
}

enum { kHogBytes = 24u << 20 };  // more than the 16 MiB of RAM the test gives

static void run_swap(void) {
    check(syscall3(SYS_swapon, (u32)"/dev/sda1", 0, 0) == 0, "swapon /dev/sda1");
    int total = meminfo_kb("SwapTotal");
    check(total > 0, "SwapTotal > 0");
    // mmap2(NULL, len, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
    u32* hog = (u32*)syscall5(SYS_mmap2, 0, kHogBytes, 3, 0x22, (u32)-1);
    check((u32)hog < 0xFFFFF000u, "mmap a 24 MiB anonymous region");
    if ((u32)hog >= 0xFFFFF000u) return;
    const u32 words = kHogBytes / 4, step = 4096 / 4;
    for (u32 i = 0; i < words; i += step) hog[i] = i * 2654435761u;
    int used = total - meminfo_kb("SwapFree");
    puts_("init: swap in use after the writes: ");
    putnum((u32)used);
    puts_(" kB\n");
    check(used > 8 * 1024, "more than 8 MiB went to swap");
    u32 bad = 0;
    for (u32 i = 0; i < words; i += step) bad += hog[i] != i * 2654435761u;
    check(bad == 0, "every page read back from swap holds what was written");
}

static int has_env(char** envp, const char* want) {
    for (; *envp; envp++) {
        const char *a = *envp, *b = want;
        while (*a && *a == *b) a++, b++;
        if (!*a && !*b) return 1;
    }
    return 0;
}

static void __attribute__((used)) start(u32* sp) {
    int argc = (int)sp[0];
    char** envp = (char**)(sp + 1 + argc + 1);
    puts_("init: hello from PID 1\n");
    check(syscall5(SYS_mount, (u32)"proc", (u32)"/proc", (u32)"proc", 0, 0) == 0, "mount /proc");
    if (has_env(envp, "initmode=swap")) {
        run_swap();
    } else {
        check_copy_on_write();
    }
    print_meminfo();
    leave();
}

// The entry: the kernel's initial stack holds argc, argv[], NULL, envp[], NULL.
__asm__(".globl _start\n_start:\n  mov %esp, %eax\n  and $-16, %esp\n  push %eax\n  call start\n");
