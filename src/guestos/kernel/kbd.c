/*
 * kbd.c: the PS/2 keyboard (IRQ 1): scancode set 1 to ASCII, with Shift and Ctrl; key releases
 * and extended (0xE0) codes other than the keypad Enter are ignored.
 */
#include "console.h"
#include "x86.h"

#define KBD_STATUS 0x64
#define KBD_DATA 0x60

static const char normal[128] = {
    0,   27,  '1', '2', '3',  '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b', '\t', 'q', 'w', 'e', 'r',
    't', 'y', 'u', 'i', 'o',  'p', '[', ']', '\n', 0,  'a', 's', 'd', 'f', 'g',  'h',  'j', 'k', 'l', ';',
    '\'', '`', 0,  '\\', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0,    '*',  0,   ' ',
};
static const char shifted[128] = {
    0,   27,  '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b', '\t', 'Q', 'W', 'E', 'R',
    'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0,  'A', 'S', 'D', 'F', 'G',  'H',  'J', 'K', 'L', ':',
    '"', '~', 0,   '|', 'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0,    '*',  0,   ' ',
};

static int shift, ctrl, extended;

void kbd_init(void) {
    while (inb(KBD_STATUS) & 1) (void)inb(KBD_DATA); /* drop what the BIOS left */
}

void kbd_intr(void) {
    while (inb(KBD_STATUS) & 1) {
        uint8_t code = inb(KBD_DATA);
        if (code == 0xE0) {
            extended = 1;
            continue;
        }
        int release = code & 0x80;
        code &= 0x7F;
        int was_extended = extended;
        extended = 0;
        if (code == 0x2A || code == 0x36) {
            shift = !release;
        } else if (code == 0x1D) {
            ctrl = !release;
        } else if (!release && (!was_extended || code == 0x1C)) {
            char c = (shift ? shifted : normal)[code];
            if (ctrl && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 1);
            if (c) console_input(c);
        }
    }
}
