; mbr.asm: the master boot record of guestos.img. The BIOS loads it at 0x7C00 with DL = the boot
; drive. It reads the first LOADER_SECTORS sectors of partition 1 (the system partition: the
; loader, followed by the kernel) to 0x8000 with INT 13h AH=42h and jumps there, DL unchanged.
; The partition table at 0x1BE is assembled from the -D values the build passes:
;   P1_START/P1_SIZE: system partition (type 0x7F), P2_START/P2_SIZE: swap (type 0x82).
bits 16
org 0x7C00

LOADER_ADDR equ 0x8000
%ifndef LOADER_SECTORS
%define LOADER_SECTORS 8
%endif

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    sti
    cld
    mov [boot_drive], dl
    mov eax, [part1 + 8]            ; partition 1 start LBA
    mov [dap.lba], eax
    mov si, dap
    mov ah, 0x42
    int 0x13
    jc .error
    mov dl, [boot_drive]
    jmp 0:LOADER_ADDR
.error:
    mov si, msg_error
.print:
    lodsb
    test al, al
    jz .halt
    mov ah, 0x0E
    mov bx, 7
    int 0x10
    jmp .print
.halt:
    cli
    hlt
    jmp .halt

msg_error: db "boot: cannot read the loader", 13, 10, 0
boot_drive: db 0

align 4
dap:                                ; INT 13h extended read packet
    db 16, 0
    dw LOADER_SECTORS
    dw LOADER_ADDR, 0               ; offset, segment
.lba: dd 0, 0

    times 0x1BE - ($ - $$) db 0
; Partition entries: status, CHS first (unused: FE FF FF), type, CHS last, LBA start, sectors.
part1: db 0x80, 0xFE, 0xFF, 0xFF, 0x7F, 0xFE, 0xFF, 0xFF
       dd P1_START, P1_SIZE
part2: db 0x00, 0xFE, 0xFF, 0xFF, 0x82, 0xFE, 0xFF, 0xFF
       dd P2_START, P2_SIZE
    times 0x1FE - ($ - $$) db 0
    dw 0xAA55
