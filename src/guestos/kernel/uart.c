/*
 * uart.c: COM1 (a 16550 at 0x3F8): polled output, interrupt-driven input (IRQ 4).
 */
#include "console.h"
#include "x86.h"

#define COM1 0x3F8
#define UART_LSR_DATA 0x01
#define UART_LSR_THRE 0x20

void uart_init(void) {
    outb(COM1 + 1, 0x00); /* no interrupts while we program it */
    outb(COM1 + 3, 0x80); /* DLAB: divisor 1 = 115200 baud */
    outb(COM1 + 0, 0x01);
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); /* 8N1 */
    /* The FIFO control register is left alone: toggling the FIFO clears it, losing input typed
     * ahead (QEMU delivers a piped stdin as soon as the receiver is free). */
    outb(COM1 + 4, 0x0B); /* DTR, RTS, OUT2 (routes the interrupt to the PIC) */
    outb(COM1 + 1, 0x01); /* interrupt on received data */
}

/* Writes one character, turning \n into \r\n, after the transmitter is free. */
void uart_putc(char c) {
    if (c == '\n') uart_putc('\r');
    for (int i = 0; i < 100000 && !(inb(COM1 + 5) & UART_LSR_THRE); i++)
        ;
    outb(COM1, (uint8_t)c);
}

/* IRQ 4: hands every received character to the line discipline. */
void uart_intr(void) {
    while (inb(COM1 + 5) & UART_LSR_DATA) console_input((char)inb(COM1));
}
