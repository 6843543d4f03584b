; pm_irq: hardware interrupts in protected mode (Intel 386 PRM 9.2-9.6), from the 8254 timer
; through the 8259 PIC (IRQ 0 at vector 20h).
;
; An IRQ pending in the PIC while IF=0 is not delivered; STI delays recognition by one
; instruction (the handler's return EIP is after the instruction following STI) and STI; CLI
; lets none in; HLT with a pending IRQ resumes after the HLT; an IRQ arriving right after an
; IRET to ring 3 goes through a DPL 0 gate (gate DPL is not checked for hardware interrupts) with
; the stack from the TSS; an IRQ in V86 mode leaves it the same way (9-dword frame); a
; not-present gate for a hardware interrupt is #NP(vector*8+2+EXT).
;
; On QEMU the EXT bit of the last check is not expected: QEMU does not set it (it is set by the
; 386 for hardware interrupts).
%define TEST_NAME "pm_irq"
%include "pm_lib.inc"

V_IRQ0      equ 0x20

[absolute TEST_VARS]
irq_count:  resd 1
irq_eip:    resd 1
irq_cs:     resd 1
irq_esp:    resd 1
irq_flags:  resd 1
section .text

; Waits (IF=0) until IRQ 0 is requested in the master PIC's IRR; CF set on a timeout.
wait_irq0:
    push eax
    push ecx
    mov ecx, 20000000
.poll:
    mov al, 0x0A            ; OCW3: read the IRR
    out 0x20, al
    in al, 0x20
    test al, 1
    jnz .done
    loop .poll
    stc
    jmp .out
.done:
    clc
.out:
    pop ecx
    pop eax
    ret

%macro WAIT_IRQ0 0
    call wait_irq0
    jnc %%ok
    PRINT "FAIL pm_irq: IRQ 0 never became pending"
    mov eax, 1
    jmp exit
%%ok:
%endmacro

main:
    ; PIC: master at vector 20h, only IRQ 0 unmasked; slave at 28h, all masked.
    mov al, 0x11
    out 0x20, al
    out 0xA0, al
    mov al, V_IRQ0
    out 0x21, al
    mov al, 0x28
    out 0xA1, al
    mov al, 4
    out 0x21, al
    mov al, 2
    out 0xA1, al
    mov al, 1
    out 0x21, al
    out 0xA1, al
    mov al, 0xFE
    out 0x21, al
    mov al, 0xFF
    out 0xA1, al
    ; PIT channel 0: rate generator, 4096 counts (about 290 Hz).
    mov al, 0x34
    out 0x43, al
    xor al, al
    out 0x40, al
    mov al, 0x10
    out 0x40, al
    SET_GATE V_IRQ0, irq0_handler, SEL_CODE0, 0x8E

    WAIT_IRQ0
    CHECK_EQ dword [irq_count], 0, "IRQ 0 pending with IF=0: not delivered"
    sti
    mov ecx, 1
.after_sti_next:
    cli
    CHECK_EQ dword [irq_count], 1, "STI: the pending IRQ is delivered"
    CHECK_EQ dword [irq_eip], .after_sti_next, "...after the instruction following STI"

    WAIT_IRQ0
    sti
    cli
    CHECK_EQ dword [irq_count], 1, "STI; CLI: no interrupt in between"
    sti
    nop
    cli
    CHECK_EQ dword [irq_count], 2, "...the IRQ stayed pending until IF=1 for an instruction"

    WAIT_IRQ0
    sti
    hlt
.after_hlt:
    cli
    CHECK_EQ dword [irq_count], 3, "HLT with an IRQ pending: the IRQ wakes the CPU"
    CHECK_EQ dword [irq_eip], .after_hlt, "...the return EIP is after the HLT"

    ; Right after an IRET to ring 3 with IF=1.
    WAIT_IRQ0
    mov [r3_saved_esp], esp
    mov dword [r3_resume], .back_from_ring3
    mov ax, SEL_DATA3 | 3
    mov ds, ax
    mov es, ax
    push dword SEL_DATA3 | 3
    push dword STACK3_TOP
    push dword 0x202
    push dword SEL_CODE3 | 3
    push dword .ring3
    iretd
.ring3:
    int V_RING0
.back_from_ring3:
    CHECK_EQ dword [irq_count], 4, "IRQ right after an IRET to ring 3: delivered"
    CHECK_EQ dword [irq_cs], SEL_CODE3 | 3, "...from ring 3 through the DPL 0 gate"
    CHECK_EQ dword [irq_eip], .ring3, "...before ring 3's first instruction"
    CHECK_EQ dword [irq_esp], STACK0_TSS - 20, "...on the TSS's ring-0 stack"

    ; In V86 mode: the IRQ leaves it through the DPL 0 gate like any interrupt.
    WAIT_IRQ0
    mov [r3_saved_esp], esp
    mov dword [r3_resume], .back_from_v86
    push dword 0
    push dword 0
    push dword 0
    push dword 0
    push dword V86_SS
    push dword V86_SP
    push dword 0x23202          ; VM, IOPL 3, IF
    push dword 0xF000
    push dword v86_wait - 0xF0000
    iretd
.back_from_v86:
    CHECK_EQ dword [irq_count], 5, "IRQ in V86 mode: delivered"
    CHECK_EQ dword [irq_cs], 0xF000, "...from V86 (CS F000 in the frame)"
    CHECK_BITS dword [irq_flags], 0x20000, 0x20000, "...EFLAGS with VM in the frame"
    CHECK_EQ dword [irq_esp], STACK0_TSS - 36, "...on the TSS's ring-0 stack, with the V86 segments"

    and byte [IDT_BASE + V_IRQ0 * 8 + 5], 0x7F
    WAIT_IRQ0
%ifdef QEMU
    EXPECT_FAULT V_NP, V_IRQ0 * 8 + 2, "IRQ through a not-present gate: #NP(20h*8+2) (QEMU: no EXT)"
%else
    EXPECT_FAULT V_NP, V_IRQ0 * 8 + 2 + 1, "IRQ through a not-present gate: #NP(20h*8+2+EXT)"
%endif
    sti
    nop
    nop
    END_EXPECT
    mov al, 0x20            ; the CPU acknowledged the IRQ: end it
    out 0x20, al
    or byte [IDT_BASE + V_IRQ0 * 8 + 5], 0x80
    mov al, 0xFF
    out 0x21, al
    ret

; IRQ 0: records the interrupted CS:EIP and ESP, counts, EOI.
irq0_handler:
    push ds
    push eax
    mov ax, SEL_DATA0           ; (DS is null when the IRQ came from V86 mode)
    mov ds, ax
    mov eax, [esp + 8]
    mov [irq_eip], eax
    mov eax, [esp + 12]
    mov [irq_cs], eax
    mov eax, [esp + 16]
    mov [irq_flags], eax
    lea eax, [esp + 8]
    mov [irq_esp], eax
    inc dword [irq_count]
    mov al, 0x20
    out 0x20, al
    pop eax
    pop ds
    iretd

bits 16
; V86 mode with IF=1: waits for IRQ 0's handler to count, then back to ring 0.
v86_wait:
    cmp dword [irq_count], 5
    jb v86_wait
    int 0x30
bits 32
