/*
 * crt0.S: the entry point of every user program, linked first at USER_LOAD_ADDR.
 *
 * The first 16 bytes are both code and a header the kernel may read (the ABI only says the first
 * byte is the entry point, and it is): a short jump over the header, the magic "P386", the end of
 * the read-only part (text + rodata, page aligned) and the end of the image (data and bss are
 * inside the file bytes): struct builtin_header in abi/syscall.h. The kernel maps the text
 * read-only.
 *
 * At entry ESP points at [argc][argv] (abi/syscall.h). _start calls main(argc, argv) on a 16-byte
 * aligned stack and passes its return value to exit().
 */
    .section .text.start, "ax"
    .globl _start
_start:
    .byte 0xEB, 0x0E            /* jmp short 1f (offset 16) */
    .word 0
    .long 0x36383350            /* BUILTIN_HEADER_MAGIC ("P386"), abi/syscall.h */
    .long __text_end
    .long __image_end
1:
    movl (%esp), %eax           /* argc */
    movl 4(%esp), %edx          /* argv */
    xorl %ebp, %ebp             /* outermost frame for debuggers */
    andl $-16, %esp
    subl $8, %esp
    pushl %edx
    pushl %eax
    call main
    movl %eax, (%esp)
    call exit
2:  jmp 2b                      /* exit does not return */

    .section .note.GNU-stack, "", @progbits
