/*
 * stdio.h: formatted output (printf.c) and line input (readline.c).
 *
 * Formats: %d %i %u %x %X %p %s %c %%, with the flags '-' (left-justify) and '0' (zero-pad), a
 * decimal width or '*', and an 'l' length modifier that is accepted and ignored (long is 32 bits).
 */
#ifndef USER_STDIO_H
#define USER_STDIO_H

#include <stdarg.h>
#include <stddef.h>

/* Write to fd 1 (dprintf: to fd); return the number of bytes written. */
int printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
int dprintf(int fd, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char* fmt, va_list ap);
/* Format into buf (always terminated when size > 0); return the length the full output would have. */
int snprintf(char* buf, size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char* buf, size_t size, const char* fmt, va_list ap);
/* Writes s and a newline to fd 1. */
int puts(const char* s);

/*
 * Line input from a file descriptor (the console). Keeps the bytes read past a line for the next
 * call, so lines typed (or piped) faster than they are consumed are never lost.
 */
struct line_reader {
    int fd;
    int echo;          /* write what is read back to fd 1 (for a console that does not echo) */
    int after_cr;      /* the last byte ended a line with '\r': a following '\n' is part of it */
    unsigned pos, len; /* unread bytes are buf[pos, len) */
    char buf[128];
};
void line_reader_init(struct line_reader* r, int fd, int echo);
/*
 * Reads one line into line (at most size-1 characters kept, terminated, without the end of line;
 * "\n", "\r" and "\r\n" all end a line; backspace and DEL erase). Returns its length, or -1 at end
 * of input (read returned 0 or an error) with nothing read.
 */
int read_line(struct line_reader* r, char* line, unsigned size);

#endif
