/*
 * timer.c: the 8254 PIT channel 0 at HZ (100) interrupts a second: the clock for sleep() and
 * the scheduler's time slice.
 */
#include "trap.h"
#include "x86.h"

#define PIT_HZ 1193182u

volatile uint32_t ticks;

void timer_init(void) {
    uint32_t divisor = (PIT_HZ + HZ / 2) / HZ;
    outb(0x43, 0x34); /* channel 0, lobyte/hibyte, mode 2 (rate generator) */
    outb(0x40, (uint8_t)divisor);
    outb(0x40, (uint8_t)(divisor >> 8));
}
