/*
 * vga.c: the 80x25 colour text screen at physical 0xB8000 (seen through the kernel's high
 * mapping), with scrolling and the hardware cursor (CRTC registers 14/15).
 */
#include "console.h"
#include "mm/mm.h"
#include "string.h"
#include "x86.h"

#define COLS 80
#define ROWS 25
#define ATTR 0x0700 /* light grey on black */

static uint16_t* const screen = (uint16_t*)(PAGE_OFFSET + 0xB8000);
static uint32_t pos; /* cursor: row * COLS + column */

static void move_cursor(void) {
    outb(0x3D4, 14);
    outb(0x3D5, (uint8_t)(pos >> 8));
    outb(0x3D4, 15);
    outb(0x3D5, (uint8_t)pos);
}

void vga_init(void) {
    for (int i = 0; i < COLS * ROWS; i++) screen[i] = ATTR | ' ';
    pos = 0;
    move_cursor();
}

void vga_putc(char c) {
    if (c == '\n') {
        pos += COLS - pos % COLS;
    } else if (c == '\b') {
        if (pos > 0) pos--;
    } else if (c == '\r') {
        pos -= pos % COLS;
    } else {
        screen[pos++] = ATTR | (uint8_t)c;
    }
    if (pos >= COLS * ROWS) { /* scroll one line */
        memcpy(screen, screen + COLS, (ROWS - 1) * COLS * 2);
        for (int i = 0; i < COLS; i++) screen[(ROWS - 1) * COLS + i] = ATTR | ' ';
        pos -= COLS;
    }
    move_cursor();
}
