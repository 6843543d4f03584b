/* mm_tests.h: what the shared mm tests need from the platform that runs them. */
#ifndef MM_TESTS_H
#define MM_TESTS_H

#include <stdarg.h>

#include "../mm_internal.h"

extern uint32_t plat_ram_bytes;    /* RAM given to mm_init */
extern uint32_t plat_swap_sectors; /* size of the swap area given to swap_init */
void plat_printf(const char* fmt, ...);
void plat_vprintf(const char* fmt, va_list ap);
void plat_exit(int code) __attribute__((noreturn));
int plat_disk_read(uint32_t lba, void* buf, uint32_t count);
int plat_disk_write(uint32_t lba, const void* buf, uint32_t count);
/* QEMU: reads va through the real MMU (current CR3) and checks it holds `expected`. */
void plat_check_user_word(uint32_t va, uint32_t expected);
void mm_run_tests(void);
/* Host only: make every n-th disk write fail (0: none). Returns 0 if unsupported. */
int plat_inject_write_errors(uint32_t every);

/*
 * Host only: cooperative threads, so that processes interleave where a kernel sleeps (swap I/O,
 * waiting on a locked page, yielding to an OOM victim). plat_thread_spawn returns -1 when the
 * platform has none. Before a thread runs, the platform calls mmtest_resume(arg).
 */
int plat_thread_spawn(void (*fn)(void*), void* arg);
void plat_threads_run(void);
void plat_yield(void);
void plat_sleep_on(void* chan);
void plat_wakeup(void* chan);
void mmtest_resume(void* arg);
void mm_run_stress(void);

#endif
