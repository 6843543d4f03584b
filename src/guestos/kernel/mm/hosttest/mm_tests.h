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

#endif
