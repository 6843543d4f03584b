/*
 * trap.h: the trap frame every interrupt, exception and system call builds on the kernel stack
 * (vectors.S pushes it, trapret pops it), and the IDT set-up.
 */
#ifndef GUESTOS_TRAP_H
#define GUESTOS_TRAP_H

#include <stdint.h>

#define T_DIVIDE 0
#define T_DEBUG 1
#define T_NMI 2
#define T_BRKPT 3
#define T_OFLOW 4
#define T_BOUND 5
#define T_ILLOP 6
#define T_DEVICE 7
#define T_DBLFLT 8
#define T_TSS 10
#define T_SEGNP 11
#define T_STACK 12
#define T_GPFLT 13
#define T_PGFLT 14
#define T_FPERR 16
#define T_IRQ0 32 /* IRQ n arrives as vector 32 + n (pic.c) */
#define T_SYSCALL 0x80

#define IRQ_TIMER 0
#define IRQ_KBD 1
#define IRQ_COM1 4
#define IRQ_IDE 14

struct trapframe {
    /* pushal */
    uint32_t edi, esi, ebp, oesp, ebx, edx, ecx, eax;
    /* segment registers (16 bits used) */
    uint32_t gs, fs, es, ds;
    uint32_t trapno, err; /* err is 0 for vectors without a CPU error code */
    /* pushed by the CPU */
    uint32_t eip, cs, eflags;
    uint32_t esp, ss; /* only on a trap from ring 3 */
};

void idt_init(void);
void trap(struct trapframe* tf);
extern void trapret(void); /* vectors.S: pops a trapframe and irets */

void pic_init(void);
void pic_eoi(int irq);
void timer_init(void);
extern volatile uint32_t ticks; /* 100 Hz since boot */
#define HZ 100

#endif
