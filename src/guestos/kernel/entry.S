/*
 * entry.S: the kernel's first instructions, at 0xC0100000 (physical 1 MiB), entered from the
 * loader with paging on (first 4 MiB at 0 and at 0xC0000000), EAX = BOOT_MAGIC, EBX = the
 * boot_info's physical address. Zeroes the BSS, takes the boot stack and calls kmain.
 */
    .section .text.entry, "ax"
    .globl _start
_start:
    cli
    cld
    movl %eax, %esi
    movl %ebx, %ebp
    movl $_edata, %edi
    movl $_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb
    movl $boot_stack_top, %esp
    pushl %ebp                 /* boot_info (physical) */
    pushl %esi                 /* magic */
    call kmain
1:  cli
    hlt
    jmp 1b

    .bss
    .align 16
    .globl boot_stack_top
boot_stack:
    .skip 16384
boot_stack_top:
    .section .note.GNU-stack, "", @progbits
