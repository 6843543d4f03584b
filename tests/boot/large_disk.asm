; large_disk.asm: a disk larger than CHS can describe without translation (the driver grows the
; image to 600 MiB: 1228800 sectors, more than 1024 cylinders x 16 heads x 63 sectors). Checks:
; AH=48h reports every sector, AH=08h gives a translated geometry (more than 16 heads, at most
; 1024 cylinders), CHS and LBA reads of the same sectors agree across a cylinder boundary, the
; last sector reads (zeros) and the one after it fails.
%define TEST_NAME "large_disk"
%include "boot_lib.inc"

BUF_SEG   equ 0x1000
BUF2_SEG  equ 0x2000
DISK_SECTORS equ 600 * 2048

test_main:
    mov si, msg_start
    call tty_print

    mov si, edd_buf
    mov word [si], 0x1A
    mov ah, 0x48
    mov dl, 0x80
    int 0x13
    FAIL_IF c, "int13 48h"
    cmp dword [edd_buf + 0x10], DISK_SECTORS
    FAIL_IF ne, "int13 48h total sectors"
    OK "int13 48h"

    mov ah, 0x08
    mov dl, 0x80
    int 0x13
    FAIL_IF c, "int13 08h"
    mov al, cl
    and ax, 0x3F
    mov [spt], ax
    movzx ax, dh
    inc ax
    mov [heads], ax
    cmp ax, 16
    FAIL_IF be, "int13 08h heads not translated"
    OK "int13 08h translated geometry"

    ; sector 0 of cylinder 1 (LBA heads*spt) and the one before it, by CHS and by LBA
    mov ax, [heads]
    mul word [spt]
    dec ax
    mov [lba], ax                     ; last sector of cylinder 0
    mov ax, 0x0202
    mov cl, [spt]                     ; cylinder 0, last head, last sector: 2 sectors
    mov ch, 0
    mov dh, [heads]
    dec dh
    mov dl, 0x80
    push BUF_SEG
    pop es
    xor bx, bx
    int 0x13
    FAIL_IF c, "int13 02h across a cylinder boundary"
    mov word [dap + 4], 0
    mov word [dap + 6], BUF2_SEG
    mov ax, [lba]
    mov [dap + 8], ax
    mov word [dap + 2], 2
    mov si, dap
    mov ah, 0x42
    mov dl, 0x80
    int 0x13
    FAIL_IF c, "int13 42h"
    push ds
    push BUF_SEG
    pop ds
    push BUF2_SEG
    pop es
    xor si, si
    xor di, di
    mov cx, 256
    repe cmpsd
    pop ds
    FAIL_IF ne, "CHS and LBA reads differ"
    OK "CHS = LBA across a cylinder"

    ; the last sector, then one past the end
    mov dword [dap + 8], DISK_SECTORS - 1
    mov word [dap + 2], 1
    mov si, dap
    mov ah, 0x42
    mov dl, 0x80
    int 0x13
    FAIL_IF c, "int13 42h last sector"
    mov dword [dap + 8], DISK_SECTORS
    mov word [dap + 2], 1
    mov si, dap
    mov ah, 0x42
    mov dl, 0x80
    int 0x13
    FAIL_IF nc, "int13 42h past the end must fail"
    OK "disk end"
    jmp test_pass

msg_start: db "large_disk: 600 MiB", 13, 10, 0
spt:   dw 0
heads: dw 0
lba:   dw 0
align 4
dap: db 0x10, 0
     dw 1, 0, BUF_SEG
     dq 0
edd_buf: times 0x1E db 0

%define DATA_FIRST 32
%define DATA_LAST 1100
%include "disk_layout.inc"
