; ivt.asm: the interrupt vector table. Every vector first points at an IRET, hardware IRQ vectors
; at handlers that acknowledge the PIC, then the services this BIOS implements are installed.
; Also INT 11h (equipment list) and INT 12h (base memory size), which only read the BDA.

; Install vector %1 -> F000:%2 (ES = 0).
%macro SET_VECTOR 2
    mov word [es:(%1) * 4], %2
    mov word [es:(%1) * 4 + 2], BIOS_SEG
%endmacro

ivt_init:
    xor ax, ax
    mov es, ax
    xor di, di
    mov cx, 256
.fill:
    mov ax, dummy_iret
    stosw
    mov ax, BIOS_SEG
    stosw
    loop .fill

    ; Hardware interrupts without a driver: acknowledge and return.
    mov di, 0x08 * 4
    mov cx, 8
.master:
    mov word [es:di], irq_master_default
    add di, 4
    loop .master
    mov di, 0x70 * 4
    mov cx, 8
.slave:
    mov word [es:di], irq_slave_default
    add di, 4
    loop .slave
    SET_VECTOR 0x0F, irq7_handler
    SET_VECTOR 0x77, irq15_handler

    SET_VECTOR 0x08, irq0_timer
    SET_VECTOR 0x09, irq1_keyboard
    SET_VECTOR 0x0C, irq4_serial
    SET_VECTOR 0x0E, irq6_floppy
    SET_VECTOR 0x10, int10_handler
    SET_VECTOR 0x11, int11_handler
    SET_VECTOR 0x12, int12_handler
    SET_VECTOR 0x13, int13_handler
    SET_VECTOR 0x14, int14_handler
    SET_VECTOR 0x15, int15_handler
    SET_VECTOR 0x16, int16_handler
    SET_VECTOR 0x18, int18_handler
    SET_VECTOR 0x19, int19_handler
    SET_VECTOR 0x1A, int1a_handler
    SET_VECTOR 0x1E, floppy_param_table
    SET_VECTOR 0x70, irq8_rtc
    SET_VECTOR 0x76, irq14_ata

    ; Data pointers that have no table here are null.
    mov dword [es:0x1D * 4], 0
    mov dword [es:0x1F * 4], 0
    mov dword [es:0x43 * 4], 0
    ; The fixed disk parameter tables live in the EBDA (filled by ata_init).
    mov word [es:0x41 * 4], EBDA_FDPT
    mov word [es:0x41 * 4 + 2], EBDA_SEG
    mov word [es:0x46 * 4], EBDA_FDPT + 16
    mov word [es:0x46 * 4 + 2], EBDA_SEG
    ; User vectors 0x60-0x67 and everything from 0x78 up stay free for software.
    mov di, 0x60 * 4
    xor eax, eax
    mov cx, 8
    rep stosd
    mov di, 0x78 * 4
    mov cx, 256 - 0x78
    rep stosd
    ret

dummy_iret:
    iret

irq_master_default:
    push ax
    mov al, 0x20
    out PORT_PIC1_CMD, al
    pop ax
    iret

irq_slave_default:
    push ax
    mov al, 0x20
    out PORT_PIC2_CMD, al
    out PORT_PIC1_CMD, al
    pop ax
    iret

; IRQ 7 and IRQ 15 may be spurious: only acknowledge when the in-service bit is really set.
irq7_handler:
    push ax
    mov al, 0x0B                  ; OCW3: read ISR
    out PORT_PIC1_CMD, al
    in al, PORT_PIC1_CMD
    test al, 0x80
    jz .done
    mov al, 0x20
    out PORT_PIC1_CMD, al
.done:
    pop ax
    iret

irq15_handler:
    push ax
    mov al, 0x0B
    out PORT_PIC2_CMD, al
    in al, PORT_PIC2_CMD
    test al, 0x80
    jz .master_only               ; spurious on the slave: the master still saw IRQ 2
    mov al, 0x20
    out PORT_PIC2_CMD, al
.master_only:
    mov al, 0x20
    out PORT_PIC1_CMD, al
    pop ax
    iret

; INT 11h: AX = equipment list word.
int11_handler:
    push ds
    xor ax, ax
    mov ds, ax
    mov ax, [BDA_EQUIPMENT]
    pop ds
    iret

; INT 12h: AX = KiB of base memory below the EBDA.
int12_handler:
    push ds
    xor ax, ax
    mov ds, ax
    mov ax, [BDA_MEM_KIB]
    pop ds
    iret
