/*
 * console.h: the console. Output goes to COM1 and the VGA text screen (and port 0xE9 when built
 * with -DCONSOLE_E9); input comes from COM1 and the keyboard through one line discipline.
 */
#ifndef GUESTOS_CONSOLE_H
#define GUESTOS_CONSOLE_H

#include <stdarg.h>
#include <stdint.h>

void console_init(void);
void console_putc(char c);
void console_write(const char* s, uint32_t n);
void kprintf(const char* fmt, ...);
void kvprintf(const char* fmt, va_list ap);
void panic(const char* fmt, ...) __attribute__((noreturn));

/* A character typed on COM1 or the keyboard (interrupt context): edited into the current line. */
void console_input(char c);
/* Copies up to n bytes of the next input line into kbuf, sleeping until a line (or n bytes) is
 * complete. Returns the count, or -1 if the caller was killed while waiting. */
int console_read(char* kbuf, uint32_t n);

/* Devices behind the console (uart.c, vga.c, kbd.c). */
void uart_init(void);
void uart_putc(char c);
void uart_intr(void);
void vga_init(void);
void vga_putc(char c);
void kbd_init(void);
void kbd_intr(void);

#endif
