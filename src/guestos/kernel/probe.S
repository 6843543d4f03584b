/*
 * probe.S: probe_read(addr) reads one byte of kernel memory and returns 0, or -1 when the read
 * page-faults: trap.c sends a kernel-mode page fault at probe_fault_insn to probe_fault_fixup
 * instead of panicking. vmtest uses it to check that vmalloc's guard pages and freed areas
 * really fault.
 */
    .text
    .globl probe_read, probe_fault_insn, probe_fault_fixup
probe_read:
    movl 4(%esp), %edx
probe_fault_insn:
    movb (%edx), %al
    xorl %eax, %eax
    ret
probe_fault_fixup:
    movl $-1, %eax
    ret

    .section .note.GNU-stack, "", @progbits
