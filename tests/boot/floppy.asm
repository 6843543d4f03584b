; floppy.asm: a 1.44M diskette that boots from drive 00h and reads itself through INT 13h: the
; equipment word, AH=08h geometry (type 4, 80 cylinders, 18 sectors, 2 heads) and 15h, a whole
; track, a mid-track run and the very last sector (their data pattern checked), a write read back
; (the driver then finds it in the image file: LBA 1462 starts with "FLOPPY DATA"), 04h verify,
; 00h reset, 01h status after an error, 16h change line, and the errors: a sector beyond the
; track, a buffer across a 64 KiB boundary (AH=09h), and the absent drive 01h.
%define TEST_NAME "floppy"
%define IMAGE_SECTORS 2880
%define DATA_FIRST 32
%define DATA_LAST 2879
%include "boot_lib.inc"

BUF_SEG equ 0x1000                    ; 0x10000: 64 KiB aligned, room for a whole track
WRITE_LBA equ (40 * 2 + 1) * 18 + 5 - 1

test_main:
    mov si, msg_start
    call tty_print
    cmp byte [boot_drive], 0
    FAIL_IF ne, "booted from drive 00h"
    int 0x11
    test al, 1
    FAIL_IF z, "int11 equipment: diskette present"
    OK "booted from the diskette in A:"

    mov ah, 0x08
    mov dl, 0x00
    int 0x13
    FAIL_IF c, "int13 08h"
    cmp bl, 4
    FAIL_IF ne, "int13 08h type 1.44M"
    cmp ch, 79
    FAIL_IF ne, "int13 08h last cylinder"
    and cl, 0x3F
    cmp cl, 18
    FAIL_IF ne, "int13 08h sectors per track"
    cmp dh, 1
    FAIL_IF ne, "int13 08h last head"
    cmp dl, 1
    FAIL_IF b, "int13 08h drive count"
    mov ah, 0x15
    mov dl, 0x00
    int 0x13
    FAIL_IF c, "int13 15h"
    cmp ah, 1
    FAIL_IF b, "int13 15h diskette"
    cmp ah, 2
    FAIL_IF a, "int13 15h diskette type"
    OK "geometry"

    ; A whole track: cylinder 1, head 0 (LBA 36-53).
    call clear_buffer
    mov ax, 0x0212
    mov cx, 0x0101
    mov dx, 0x0000
    call read_to_buffer
    FAIL_IF c, "int13 02h whole track"
    cmp al, 18
    FAIL_IF ne, "int13 02h whole track count"
    mov ax, 36
    mov cx, 18
    call check_pattern
    FAIL_IF ne, "int13 02h whole track data"
    ; Three sectors in the middle of cylinder 40, head 0 (LBA 1449-1451).
    call clear_buffer
    mov ax, 0x0203
    mov cx, (40 << 8) | 10
    mov dx, 0x0000
    call read_to_buffer
    FAIL_IF c, "int13 02h cylinder 40"
    mov ax, 1449
    mov cx, 3
    call check_pattern
    FAIL_IF ne, "int13 02h cylinder 40 data"
    ; The last sector of the diskette: cylinder 79, head 1, sector 18 (LBA 2879).
    call clear_buffer
    mov ax, 0x0201
    mov cx, (79 << 8) | 18
    mov dx, 0x0100
    call read_to_buffer
    FAIL_IF c, "int13 02h last sector"
    mov ax, 2879
    mov cx, 1
    call check_pattern
    FAIL_IF ne, "int13 02h last sector data"
    OK "reads"

    ; Write cylinder 40, head 1, sector 5, read it back.
    push BUF_SEG
    pop es
    xor di, di
    mov si, write_text
    mov cx, 512
    rep movsb
    mov ax, 0x0301
    mov cx, (40 << 8) | 5
    mov dx, 0x0100
    xor bx, bx
    int 0x13
    FAIL_IF c, "int13 03h write"
    call clear_buffer
    mov ax, 0x0201
    mov cx, (40 << 8) | 5
    mov dx, 0x0100
    call read_to_buffer
    FAIL_IF c, "int13 02h read back"
    push BUF_SEG
    pop es
    xor di, di
    mov si, write_text
    mov cx, 512
    repe cmpsb
    FAIL_IF ne, "int13 02h read back data"
    mov ax, 0x0401
    mov cx, (40 << 8) | 5
    mov dx, 0x0100
    call read_to_buffer
    FAIL_IF c, "int13 04h verify"
    OK "write and verify"

    ; Errors.
    mov ax, 0x0201
    mov cx, 0x0013                    ; sector 19 of an 18-sector track
    mov dx, 0x0000
    call read_to_buffer
    FAIL_IF nc, "int13 02h sector 19 fails"
    mov ah, 0x01
    mov dl, 0x00
    int 0x13
    test ah, ah
    FAIL_IF z, "int13 01h keeps the error"
    mov ah, 0x00
    mov dl, 0x00
    int 0x13
    FAIL_IF c, "int13 00h reset"
    mov ax, 0x0FF0                    ; 0FF0:0000 = 0xFF00: the sector would cross 0x10000
    mov es, ax
    xor bx, bx
    mov ax, 0x0201
    mov cx, 0x0001
    mov dx, 0x0000
    int 0x13
    FAIL_IF nc, "int13 02h across 64 KiB fails"
    cmp ah, 0x09
    FAIL_IF ne, "int13 02h across 64 KiB: status 09h"
    mov ax, 0x0201
    mov cx, 0x0001
    mov dx, 0x0001                    ; drive 01h: none
    call read_to_buffer
    FAIL_IF nc, "int13 02h drive 01h fails"
    mov ah, 0x16
    mov dl, 0x00
    int 0x13
    cmp ah, 0x06
    je .change_ok
    test ah, ah
    FAIL_IF nz, "int13 16h status"
.change_ok:
    OK "errors"
    jmp test_pass

; INT 13h (AX, CX, DX as given) with ES:BX = BUF_SEG:0.
read_to_buffer:
    push BUF_SEG
    pop es
    xor bx, bx
    int 0x13
    ret

%include "data_pattern.inc"

clear_buffer:
    push BUF_SEG
    pop es
    xor di, di
    xor eax, eax
    mov cx, 18 * 128
    rep stosd
    ret

msg_start: db "floppy: INT 13h on drive 00h", 13, 10, 0
write_text: db "FLOPPY DATA"
    times 512 - ($ - write_text) db 0x5A

%include "disk_layout.inc"
