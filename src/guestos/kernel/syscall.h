/*
 * syscall.h (kernel side): the int 0x80 dispatcher; numbers and semantics in abi/syscall.h.
 */
#ifndef GUESTOS_KERNEL_SYSCALL_H
#define GUESTOS_KERNEL_SYSCALL_H

#include "trap.h"

/* Runs the call in tf->eax with arguments ebx, ecx, edx; the result goes back in tf->eax. */
void syscall(struct trapframe* tf);
/* kmtest.c: the in-kernel kmalloc stress; 0 pass, -1 fail (the reason is printed). */
int kmtest(int rounds);
/* vmtest.c: the in-kernel vmalloc stress; 0 pass, -1 fail (the reason is printed). */
int vmtest(int rounds);
/* probe.S: reads a byte at addr: 0, or -1 if that faulted (trap.c resumes at the fixup). */
int probe_read(uint32_t addr);
extern char probe_fault_insn[], probe_fault_fixup[];

#endif
