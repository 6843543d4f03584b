/*
 * vectors.S: one stub per IDT vector used (CPU exceptions 0..31, IRQs 32..47, int 0x80). Each
 * pushes a zero when the CPU pushes no error code, then its vector number, so that every trap
 * reaches alltraps with the same frame (struct trapframe in trap.h). trap_vectors[] lists the
 * stubs for idt_init.
 */
    .altmacro
.macro STUB n
    .text
    .align 4
vector&n:
    .if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17)
    .else
    pushl $0
    .endif
    pushl $\n
    jmp alltraps
    .section .rodata
    .long vector&n
.endm

    .section .rodata
    .align 4
    .globl trap_vectors
trap_vectors:
    .set i, 0
    .rept 48
    STUB %i
    .set i, i + 1
    .endr
    STUB 128

    .text
alltraps:
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    pushal
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    pushl %esp                /* struct trapframe* */
    call trap
    addl $4, %esp
    .globl trapret
trapret:
    popal
    popl %gs
    popl %fs
    popl %es
    popl %ds
    addl $8, %esp             /* trapno and err */
    iret
    .section .note.GNU-stack, "", @progbits
