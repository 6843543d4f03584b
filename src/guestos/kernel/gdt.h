/*
 * gdt.h: segments. Flat 4 GiB code and data for ring 0 and ring 3, and the TSS whose only job is
 * to give the CPU the kernel stack (esp0) when an interrupt arrives in user mode.
 */
#ifndef GUESTOS_GDT_H
#define GUESTOS_GDT_H

#include <stdint.h>

#define SEG_KCODE 0x08
#define SEG_KDATA 0x10
#define SEG_UCODE 0x1B /* 0x18 | RPL 3 */
#define SEG_UDATA 0x23 /* 0x20 | RPL 3 */
#define SEG_TSS 0x28

void gdt_init(void);
/* The kernel stack top the CPU switches to on a trap from ring 3 (set at every switch). */
void tss_set_kernel_stack(uint32_t esp0);

#endif
