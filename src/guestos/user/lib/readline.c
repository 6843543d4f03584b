/*
 * readline.c: lines from a file descriptor, buffered so that input arriving faster than it is
 * consumed (a pasted or piped script) stays queued in the reader until the next call.
 */
#include "stdio.h"
#include "sys.h"

void line_reader_init(struct line_reader* r, int fd, int echo) {
    r->fd = fd;
    r->echo = echo;
    r->after_cr = 0;
    r->pos = r->len = 0;
}

/* Next input byte, refilling the buffer with one read (which blocks for at least one byte). -1 at EOF. */
static int next_byte(struct line_reader* r) {
    if (r->pos == r->len) {
        int n = read(r->fd, r->buf, sizeof r->buf);
        if (n <= 0) return -1;
        r->pos = 0;
        r->len = (unsigned)n;
    }
    return (unsigned char)r->buf[r->pos++];
}

static void echo(struct line_reader* r, const char* s, unsigned n) {
    if (r->echo) write(1, s, n);
}

int read_line(struct line_reader* r, char* line, unsigned size) {
    unsigned n = 0;
    for (;;) {
        int c = next_byte(r);
        if (c < 0) {
            if (n == 0) return -1;
            break; /* a last line without its end of line */
        }
        int was_cr = r->after_cr;
        r->after_cr = (c == '\r');
        if (c == '\n' && was_cr) continue; /* the '\n' of "\r\n" */
        if (c == '\r' || c == '\n') {
            echo(r, "\n", 1);
            break;
        }
        if (c == '\b' || c == 0x7F) {
            if (n) {
                n--;
                echo(r, "\b \b", 3);
            }
            continue;
        }
        if (n + 1 < size) {
            line[n++] = (char)c;
            char ch = (char)c;
            echo(r, &ch, 1);
        }
    }
    if (size) line[n] = 0;
    return (int)n;
}
