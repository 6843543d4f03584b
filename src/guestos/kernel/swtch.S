/*
 * swtch(struct context** old, struct context* new): saves the callee-saved registers on the
 * current stack, stores the stack pointer in *old, loads `new` and returns on its stack.
 */
    .text
    .globl swtch
swtch:
    movl 4(%esp), %eax
    movl 8(%esp), %edx
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl %esp, (%eax)
    movl %edx, %esp
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret
    .section .note.GNU-stack, "", @progbits
