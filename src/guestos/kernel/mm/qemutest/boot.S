/*
 * boot.S: entry of the mm's QEMU test kernel (multiboot, loaded at 1 MiB, linked at 0xC0100000).
 * Maps the first 8 MiB both at 0 and at 0xC0000000 with two 4 KiB-page tables (no PSE on a
 * 386), enables paging, loads our own GDT and IDT from the high half, and calls qemu_main.
 * Exception stubs push a uniform frame and call trap() in qemu_main.c.
 */
#define KBASE 0xC0000000
    .section .multiboot, "a"
    .align 4
mb_header:
    .long 0x1BADB002
    .long 0x00010003                      /* page-align, memory map, address fields */
    .long -(0x1BADB002 + 0x00010003)
    .long mb_header - KBASE               /* header_addr */
    .long mb_header - KBASE               /* load_addr */
    .long _edata - KBASE                  /* load_end_addr */
    .long _end - KBASE                    /* bss_end_addr */
    .long _start - KBASE                  /* entry_addr */

    .text
    .globl _start
_start:
    movl %eax, %esi                       /* multiboot magic */
    movl %ebx, %edi                       /* multiboot info (physical) */
    /* two page tables mapping 0..8 MiB */
    movl $(boot_pt - KBASE), %ebx
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $12, %eax
    orl $3, %eax
    movl %eax, (%ebx, %ecx, 4)
    incl %ecx
    cmpl $2048, %ecx
    jne 1b
    movl $(boot_pd - KBASE), %edx
    movl $(boot_pt - KBASE + 3), %eax
    movl %eax, 0(%edx)                    /* identity 0..4 MiB */
    movl %eax, 768*4(%edx)                /* 0xC0000000.. */
    addl $4096, %eax
    movl %eax, 4(%edx)
    movl %eax, 769*4(%edx)
    movl %edx, %cr3
    lgdt gdt_desc - KBASE                 /* its base is the high address: used after paging */
    movl %cr0, %eax
    orl $0x80000000, %eax
    movl %eax, %cr0
    ljmp $0x08, $2f                       /* to the high half, through our GDT */
2:  movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    movl $stack_top, %esp
    pushl %edi
    pushl %esi
    call qemu_main
3:  hlt
    jmp 3b

/* Exception stubs: those without an error code push a zero so the frame is the same. */
#define STUB(n) .globl trap##n; trap##n: pushl $0; pushl $n; jmp trap_common
#define STUB_ERR(n) .globl trap##n; trap##n: pushl $n; jmp trap_common
STUB(0)
STUB(1)
STUB(2)
STUB(3)
STUB(4)
STUB(5)
STUB(6)
STUB(7)
STUB_ERR(8)
STUB(9)
STUB_ERR(10)
STUB_ERR(11)
STUB_ERR(12)
STUB_ERR(13)
STUB_ERR(14)
STUB(15)
STUB(16)
STUB(128)
trap_common:
    pushal
    pushl %esp                            /* struct trap_frame * */
    call trap
    addl $4, %esp
    popal
    addl $8, %esp                         /* vector and error code */
    iret

/*
 * enter_user(eip, esp, ebx, ecx, edx): runs user code in ring 3 until it traps back for good
 * (int 0x80, or a fault the mm refuses); leave_user() then resumes here and enter_user returns.
 */
    .globl enter_user, leave_user
enter_user:
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl %esp, saved_esp
    movl 20(%esp), %eax                   /* eip */
    movl 24(%esp), %esi                   /* esp */
    movl 28(%esp), %ebx
    movl 32(%esp), %ecx
    movl 36(%esp), %edx
    pushl $0x23                           /* user ss */
    pushl %esi
    pushl $0x002                          /* eflags: interrupts stay off in this test kernel */
    pushl $0x1B                           /* user cs */
    pushl %eax
    movw $0x23, %ax
    movw %ax, %ds
    movw %ax, %es
    iret
leave_user:
    movl saved_esp, %esp
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

    .data
    .align 8
    .globl gdt
gdt:
    .quad 0
    .quad 0x00CF9A000000FFFF              /* 0x08 kernel code, flat */
    .quad 0x00CF92000000FFFF              /* 0x10 kernel data, flat */
    .quad 0x00CFFA000000FFFF              /* 0x18 user code (selector 0x1B) */
    .quad 0x00CFF2000000FFFF              /* 0x20 user data (selector 0x23) */
    .quad 0                               /* 0x28 TSS, filled in by qemu_main.c */
gdt_desc:
    .word 6*8-1
    .long gdt
saved_esp:
    .long 0

    .bss
    .align 4096
boot_pd: .skip 4096
boot_pt: .skip 8192
stack: .skip 16384
stack_top:
    .section .note.GNU-stack, "", @progbits
