/*
 * pic.c: the two 8259A interrupt controllers, remapped so that IRQ 0..15 arrive as vectors
 * 32..47 (clear of the CPU exceptions). Only the lines the kernel drives are unmasked.
 */
#include "trap.h"
#include "x86.h"

#define PIC1 0x20
#define PIC2 0xA0

void pic_init(void) {
    outb(PIC1, 0x11); /* ICW1: edge triggered, cascade, ICW4 follows */
    outb(PIC2, 0x11);
    outb(PIC1 + 1, T_IRQ0); /* ICW2: vector base */
    outb(PIC2 + 1, T_IRQ0 + 8);
    outb(PIC1 + 1, 0x04); /* ICW3: slave on IRQ 2 */
    outb(PIC2 + 1, 0x02);
    outb(PIC1 + 1, 0x01); /* ICW4: 8086 mode */
    outb(PIC2 + 1, 0x01);
    uint16_t enabled = 1u << IRQ_TIMER | 1u << IRQ_KBD | 1u << 2 | 1u << IRQ_COM1 | 1u << IRQ_IDE;
    outb(PIC1 + 1, (uint8_t)~enabled);
    outb(PIC2 + 1, (uint8_t)(~enabled >> 8));
}

/* End of interrupt: the slave too for IRQ 8..15. */
void pic_eoi(int irq) {
    if (irq >= 8) outb(PIC2, 0x20);
    outb(PIC1, 0x20);
}
