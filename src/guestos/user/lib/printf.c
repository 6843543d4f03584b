/*
 * printf.c: one formatter (format) that sends characters to a sink; snprintf's sink fills a
 * buffer, printf's sink batches into a small buffer written to the fd when full and at the end.
 */
#include "stdio.h"
#include "string.h"
#include "sys.h"

struct sink {
    void (*put)(struct sink* s, char c);
    char* buf;
    size_t size; /* capacity of buf */
    size_t len;  /* characters produced so far (may exceed size for snprintf) */
    int fd;      /* printf's sink: where a full buffer goes */
    int written; /* printf's sink: bytes written to fd */
};

/* Emits s[0..n) padded to width with pad (on the left, or with spaces on the right if left). */
static void emit_padded(struct sink* out, const char* s, int n, int width, char pad, int left) {
    if (!left && pad == '0' && n > 0 && *s == '-') { /* the sign goes before zero padding */
        out->put(out, '-');
        s++, n--, width--;
    }
    if (!left)
        for (int i = n; i < width; i++) out->put(out, pad);
    for (int i = 0; i < n; i++) out->put(out, s[i]);
    if (left)
        for (int i = n; i < width; i++) out->put(out, ' ');
}

/* Writes v in base (10 or 16) into the end of tmp; returns the first character. */
static char* utoa(unsigned v, unsigned base, int upper, char* tmp_end) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char* p = tmp_end;
    do {
        *--p = digits[v % base];
        v /= base;
    } while (v);
    return p;
}

static void format(struct sink* out, const char* fmt, va_list ap) {
    char tmp[16];
    char* const tmp_end = tmp + sizeof tmp;
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out->put(out, *fmt);
            continue;
        }
        fmt++;
        int left = 0;
        char pad = ' ';
        for (;; fmt++) {
            if (*fmt == '-')
                left = 1;
            else if (*fmt == '0')
                pad = '0';
            else
                break;
        }
        int width = 0;
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) left = 1, width = -width; /* as C: a negative width left-justifies */
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') fmt++;

        const char* s = tmp;
        int n = 0;
        switch (*fmt) {
            case 'd':
            case 'i': {
                int v = va_arg(ap, int);
                char* p = utoa(v < 0 ? 0u - (unsigned)v : (unsigned)v, 10, 0, tmp_end);
                if (v < 0) *--p = '-';
                s = p;
                n = (int)(tmp_end - p);
                break;
            }
            case 'u':
            case 'x':
            case 'X':
                s = utoa(va_arg(ap, unsigned), *fmt == 'u' ? 10 : 16, *fmt == 'X', tmp_end);
                n = (int)(tmp_end - s);
                break;
            case 'p': {
                char* p = utoa((unsigned)va_arg(ap, void*), 16, 0, tmp_end);
                while (tmp_end - p < 8) *--p = '0';
                *--p = 'x';
                *--p = '0';
                s = p;
                n = (int)(tmp_end - p);
                break;
            }
            case 's':
                s = va_arg(ap, const char*);
                if (!s) s = "(null)";
                n = (int)strlen(s);
                pad = ' ';
                break;
            case 'c':
                tmp[0] = (char)va_arg(ap, int);
                n = 1;
                break;
            case '%':
                tmp[0] = '%';
                n = 1;
                break;
            case 0: /* a lone '%' at the end */ return;
            default: /* unknown conversion: print it as it was */
                tmp[0] = '%';
                tmp[1] = *fmt;
                n = 2;
                break;
        }
        emit_padded(out, s, n, width, pad, left);
    }
}

static void put_buffer(struct sink* s, char c) {
    if (s->len + 1 < s->size) s->buf[s->len] = c;
    s->len++;
}

int vsnprintf(char* buf, size_t size, const char* fmt, va_list ap) {
    struct sink s = {put_buffer, buf, size, 0, -1, 0};
    format(&s, fmt, ap);
    if (size) buf[s.len < size ? s.len : size - 1] = 0;
    return (int)s.len;
}

int snprintf(char* buf, size_t size, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void flush_fd(struct sink* s) {
    if (s->len) {
        int w = write(s->fd, s->buf, s->len);
        if (w > 0) s->written += w;
    }
    s->len = 0;
}

static void put_fd(struct sink* s, char c) {
    s->buf[s->len++] = c;
    if (s->len == s->size) flush_fd(s);
}

int vdprintf(int fd, const char* fmt, va_list ap) {
    char buf[128];
    struct sink s = {put_fd, buf, sizeof buf, 0, fd, 0};
    format(&s, fmt, ap);
    flush_fd(&s);
    return s.written;
}

int dprintf(int fd, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vdprintf(fd, fmt, ap);
    va_end(ap);
    return n;
}

int printf(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vdprintf(1, fmt, ap);
    va_end(ap);
    return n;
}

int puts(const char* s) {
    return printf("%s\n", s);
}
