; two_disks.asm: the IDE master and slave as drives 80h and 81h. Booted with a second copy of
; the same image as the primary slave: INT 13h AH=08h reports two drives, 81h answers 15h, 41h
; and 48h, and its data sectors read back through AH=42h and AH=02h; the INT 41h/46h parameter
; tables match AH=08h; drive 82h does not exist.
%define TEST_NAME "two_disks"
%include "boot_lib.inc"

BUF_SEG equ 0x1000

test_main:
    mov si, msg_start
    call tty_print

    mov ah, 0x08
    mov dl, 0x80
    int 0x13
    FAIL_IF c, "int13 08h drive 80h"
    cmp dl, 2
    FAIL_IF ne, "int13 08h drive count"
    mov ah, 0x15
    mov dl, 0x81
    int 0x13
    FAIL_IF c, "int13 15h drive 81h"
    cmp ah, 3
    FAIL_IF ne, "int13 15h drive 81h type"
    mov ah, 0x41
    mov bx, 0x55AA
    mov dl, 0x81
    int 0x13
    FAIL_IF c, "int13 41h drive 81h"
    cmp bx, 0xAA55
    FAIL_IF ne, "int13 41h drive 81h signature"
    mov si, edd_buf
    mov word [si], 0x1E
    mov ah, 0x48
    mov dl, 0x81
    int 0x13
    FAIL_IF c, "int13 48h drive 81h"
    cmp dword [edd_buf + 0x10], 2048
    FAIL_IF ne, "int13 48h drive 81h sectors"
    OK "drive 81h present"

    ; extended read of 4 sectors at LBA 500 from the slave
    mov si, dap
    mov ah, 0x42
    mov dl, 0x81
    int 0x13
    FAIL_IF c, "int13 42h drive 81h"
    mov ax, 500
    mov cx, 4
    call check_pattern
    FAIL_IF ne, "int13 42h drive 81h data"
    ; CHS read of cylinder 0, head 1, sector 1 (LBA = sectors per track)
    mov ah, 0x08
    mov dl, 0x81
    int 0x13
    and cx, 0x3F
    mov [spt], cx
    mov ax, 0x0201
    mov cx, 0x0001
    mov dx, 0x0181
    push BUF_SEG
    pop es
    xor bx, bx
    int 0x13
    FAIL_IF c, "int13 02h drive 81h"
    mov ax, [spt]
    mov cx, 1
    call check_pattern
    FAIL_IF ne, "int13 02h drive 81h data"
    OK "drive 81h reads"

    ; fixed disk parameter tables: INT 41h for 80h, INT 46h for 81h, matching AH=08h
    mov dl, 0x80
    mov bx, 0x41 * 4
    call check_fdpt
    mov dl, 0x81
    mov bx, 0x46 * 4
    call check_fdpt
    OK "int41h int46h tables"

    mov ah, 0x15
    mov dl, 0x82
    int 0x13
    jc .absent_ok
    test ah, ah
    FAIL_IF nz, "int13 15h drive 82h must report no drive"
.absent_ok:
    OK "drive 82h absent"
    jmp test_pass

; Fail unless the table at the far pointer [0:BX] matches INT 13h AH=08h of drive DL.
check_fdpt:
    push bx
    mov ah, 0x08
    int 0x13
    pop bx
    FAIL_IF c, "int13 08h for the table check"
    les di, [bx]
    mov al, cl
    shr al, 6
    mov ah, al
    mov al, ch
    inc ax                            ; cylinders reported by AH=08h (some BIOSes hold one back)
    cmp [es:di], ax
    FAIL_IF b, "parameter table cylinders"
    inc ax
    cmp [es:di], ax
    FAIL_IF a, "parameter table cylinders"
    inc dh
    cmp [es:di + 2], dh
    FAIL_IF ne, "parameter table heads"
    and cl, 0x3F
    cmp [es:di + 14], cl
    FAIL_IF ne, "parameter table sectors"
    ret

%include "data_pattern.inc"

msg_start: db "two_disks: drives 80h and 81h", 13, 10, 0
spt: dw 0
align 4
dap: db 0x10, 0
     dw 4, 0, BUF_SEG
     dq 500
edd_buf: times 0x1E db 0

%include "disk_layout.inc"
