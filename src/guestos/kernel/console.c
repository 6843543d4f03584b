/*
 * console.c: kprintf (to every output device) and the input line discipline: characters are
 * echoed, backspace edits the line, and read() sees a line only once Enter completes it.
 */
#include "console.h"

#include "proc.h"
#include "x86.h"

void console_init(void) {
    uart_init();
    vga_init();
    kbd_init();
}

void console_putc(char c) {
    uart_putc(c);
    vga_putc(c);
#ifdef CONSOLE_E9
    outb(0xE9, (uint8_t)c);
#endif
}

void console_write(const char* s, uint32_t n) {
    uint32_t flags = irq_save(); /* one writer at a time: lines from two processes never interleave */
    for (uint32_t i = 0; i < n; i++) console_putc(s[i]);
    irq_restore(flags);
}

/* ---- kprintf: %d %u %x %p %s %c, with an optional width and 0 flag ---- */
static void put_number(uint32_t v, unsigned base, int negative, int width, char pad) {
    char buf[12];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (negative) buf[n++] = '-';
    while (width-- > n) console_putc(pad);
    while (n--) console_putc(buf[n]);
}

void kvprintf(const char* fmt, va_list ap) {
    uint32_t flags = irq_save();
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            console_putc(*fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0;
        if (*fmt == '0') pad = '0', fmt++;
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        switch (*fmt) {
            case 'd': {
                int v = va_arg(ap, int);
                put_number(v < 0 ? -(uint32_t)v : (uint32_t)v, 10, v < 0, width, pad);
                break;
            }
            case 'u': put_number(va_arg(ap, uint32_t), 10, 0, width, pad); break;
            case 'x': put_number(va_arg(ap, uint32_t), 16, 0, width, pad); break;
            case 'p': put_number(va_arg(ap, uint32_t), 16, 0, 8, '0'); break;
            case 'c': console_putc((char)va_arg(ap, int)); break;
            case 's': {
                const char* s = va_arg(ap, const char*);
                int len = 0;
                for (const char* t = s ? s : "(null)"; *t; t++, len++) console_putc(*t);
                while (width-- > len) console_putc(' ');
                break;
            }
            case '%': console_putc('%'); break;
            case 0: fmt--; break;
            default: console_putc('%'), console_putc(*fmt);
        }
    }
    irq_restore(flags);
}

void kprintf(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void panic(const char* fmt, ...) {
    cli();
    va_list ap;
    va_start(ap, fmt);
    kprintf("\npanic: ");
    kvprintf(fmt, ap);
    kprintf("\n");
    va_end(ap);
    for (;;) __asm__ volatile("cli; hlt");
}

/* ---- input: a ring of characters; [r, w) is complete lines, [w, e) the line being edited ---- */
#define INPUT_SIZE 256
static struct {
    char buf[INPUT_SIZE];
    uint32_t r, w, e;
} input;

void console_input(char c) {
    if (c == '\r') c = '\n';
    if (c == 0x7F || c == '\b') {
        if (input.e != input.w && input.buf[(input.e - 1) % INPUT_SIZE] != '\n') {
            input.e--;
            console_write("\b \b", 3);
        }
        return;
    }
    if (input.e - input.r >= INPUT_SIZE - 1 && c != '\n') return; /* full: only Enter still fits */
    if (input.e - input.r >= INPUT_SIZE) return;
    input.buf[input.e++ % INPUT_SIZE] = c;
    console_putc(c);
    if (c == '\n' || input.e - input.r >= INPUT_SIZE - 1) {
        input.w = input.e;
        wakeup(&input);
    }
}

int console_read(char* kbuf, uint32_t n) {
    uint32_t flags = irq_save();
    while (input.r == input.w) {
        if (current->killed) {
            irq_restore(flags);
            return -1;
        }
        sleep(&input);
    }
    uint32_t got = 0;
    while (got < n && input.r != input.w) {
        char c = input.buf[input.r++ % INPUT_SIZE];
        kbuf[got++] = c;
        if (c == '\n') break;
    }
    irq_restore(flags);
    return (int)got;
}
