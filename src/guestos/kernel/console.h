/*
 * console.h: the console. Output goes to COM1 and the VGA text screen (and port 0xE9 when built
 * with -DCONSOLE_E9); input comes from COM1 and the keyboard through one line discipline.
 */
#ifndef GUESTOS_CONSOLE_H
#define GUESTOS_CONSOLE_H

#include <stdarg.h>
#include <stdint.h>

/* Programs COM1, clears the screen, drains the keyboard. First thing kmain does. */
void console_init(void);
/* One character to every output device (\n becomes \r\n on COM1). */
void console_putc(char c);
/* n characters as one block: output from two processes never interleaves within a write. */
void console_write(const char* s, uint32_t n);
/* printf subset: %d %u %x %p %s %c %%, with a width and the 0 flag. Any context. */
void kprintf(const char* fmt, ...);
void kvprintf(const char* fmt, va_list ap);
/* Prints "panic: ..." and stops the machine (interrupts off, hlt forever). */
void panic(const char* fmt, ...) __attribute__((noreturn));

/* A character typed on COM1 or the keyboard (interrupt context): edited into the current line. */
void console_input(char c);
/* Copies up to n bytes of the next input line into kbuf, sleeping until a line (or n bytes) is
 * complete. Returns the count, or -1 if the caller was killed while waiting. */
int console_read(char* kbuf, uint32_t n);

/* Devices behind the console (uart.c, vga.c, kbd.c): init, output, and the interrupt handlers
 * that pass received characters to console_input. */
void uart_init(void);
void uart_putc(char c);
void uart_intr(void);
void vga_init(void);
void vga_putc(char c);
void kbd_init(void);
void kbd_intr(void);

#endif
