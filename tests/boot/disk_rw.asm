; disk_rw.asm: INT 13h on the boot disk: EDD check (41h) and parameters (48h), CHS geometry (08h),
; disk type (15h), CHS reads across heads and cylinders (02h), extended reads (42h) including a
; buffer that runs past the end of its segment, CHS (03h) and extended (43h) writes read back,
; verify (04h), last status (01h), and the errors for an out-of-range LBA and an absent drive.
; The driver checks afterwards that the image file holds the written sectors:
; LBA 1500 ("CHS write" pattern) and LBA 1600-1601 ("EXT write" pattern), see WRITE_* below.
%define TEST_NAME "disk_rw"
%include "boot_lib.inc"

WRITE_CHS_LBA equ 1500
WRITE_EXT_LBA equ 1600
BUF_SEG       equ 0x1000              ; scratch buffers at 0x10000
CROSS_SEG     equ 0x2000              ; crossing buffer: 0x2000:0xF000 (runs past 0x30000)

test_main:
    mov si, msg_start
    call tty_print

    ; --- 41h: extensions present
    mov ah, 0x41
    mov bx, 0x55AA
    mov dl, [boot_drive]
    int 0x13
    FAIL_IF c, "int13 41h carry"
    cmp bx, 0xAA55
    FAIL_IF ne, "int13 41h signature"
    test cx, 1
    FAIL_IF z, "int13 41h extended access bit"
    OK "int13 41h"

    ; --- 48h: parameters; the image is 2048 sectors of 512 bytes
    mov si, edd_buf
    mov word [si], 0x1A
    mov ah, 0x48
    mov dl, [boot_drive]
    int 0x13
    FAIL_IF c, "int13 48h carry"
    cmp word [edd_buf], 0x1A
    FAIL_IF b, "int13 48h size"
    cmp dword [edd_buf + 0x10], 2048
    FAIL_IF ne, "int13 48h total sectors"
    cmp dword [edd_buf + 0x14], 0
    FAIL_IF ne, "int13 48h total sectors high"
    cmp word [edd_buf + 0x18], 512
    FAIL_IF ne, "int13 48h bytes per sector"
    OK "int13 48h"

    ; --- 08h: geometry, kept for the CHS conversions below
    mov ah, 0x08
    mov dl, [boot_drive]
    xor di, di
    int 0x13
    FAIL_IF c, "int13 08h carry"
    test ah, ah
    FAIL_IF nz, "int13 08h status"
    cmp dl, 1
    FAIL_IF b, "int13 08h drive count"
    mov al, cl
    and ax, 0x3F
    FAIL_IF z, "int13 08h sectors"
    mov [spt], ax
    movzx ax, dh
    inc ax
    mov [heads], ax
    mov al, cl
    shr al, 6
    mov ah, al
    mov al, ch
    inc ax
    mov [cyls], ax
    ; the CHS space may not exceed the disk
    mov ax, [cyls]
    mul word [heads]
    mul word [spt]
    test dx, dx
    FAIL_IF nz, "int13 08h geometry larger than the disk"
    cmp ax, 2048
    FAIL_IF a, "int13 08h geometry larger than the disk"
    OK "int13 08h"

    ; --- 15h: fixed disk
    mov ah, 0x15
    mov dl, [boot_drive]
    int 0x13
    FAIL_IF c, "int13 15h carry"
    cmp ah, 3
    FAIL_IF ne, "int13 15h type"
    OK "int13 15h"

    ; --- 02h: single-sector CHS reads at track, head and cylinder boundaries
    mov bx, chs_lbas
.chs_next:
    mov ax, [bx]
    test ax, ax
    jz .chs_done
    mov [cur_lba_ptr], bx
    mov cx, 1
    call read_chs
    FAIL_IF c, "int13 02h read"
    mov bx, [cur_lba_ptr]
    mov ax, [bx]
    mov cx, 1
    call check_pattern
    FAIL_IF ne, "int13 02h data"
    mov bx, [cur_lba_ptr]
    add bx, 2
    jmp .chs_next
.chs_done:
    OK "int13 02h single sectors"

    ; --- 02h: 6 sectors across a head boundary (LBA 3*spt-3 ..)
    mov ax, [spt]
    imul ax, ax, 3
    sub ax, 3
    mov [multi_lba], ax
    mov cx, 6
    call read_chs
    FAIL_IF c, "int13 02h multi-sector read"
    cmp al, 6
    FAIL_IF ne, "int13 02h sectors transferred"
    mov ax, [multi_lba]
    mov cx, 6
    call check_pattern
    FAIL_IF ne, "int13 02h multi-sector data"
    OK "int13 02h across a head boundary"

    ; --- 42h: extended read of 8 sectors at LBA 900
    call clear_buffer
    mov word [dap.count], 8
    mov word [dap.offset], 0
    mov word [dap.segment], BUF_SEG
    mov dword [dap.lba], 900
    mov ah, 0x42
    call ext_call
    FAIL_IF c, "int13 42h read"
    cmp word [dap.count], 8
    FAIL_IF ne, "int13 42h count"
    mov ax, 900
    mov cx, 8
    call check_pattern
    FAIL_IF ne, "int13 42h data"
    OK "int13 42h"

    ; --- 42h: 8 sectors to 2000:F000, past the end of the segment: the data must land at
    ; 0x2F000..0x30FFF, i.e. the transfer continues in the next 64 KiB
    mov word [dap.count], 8
    mov word [dap.offset], 0xF000
    mov word [dap.segment], CROSS_SEG
    mov dword [dap.lba], 300
    mov ah, 0x42
    call ext_call
    FAIL_IF c, "int13 42h crossing read"
    mov ax, 300
    mov cx, 8
    mov dx, CROSS_SEG + 0xF00
    call check_pattern_at
    FAIL_IF ne, "int13 42h crossing data"
    OK "int13 42h across 64 KiB"

    ; --- 03h: CHS write of one sector, read back
    push ds
    pop es
    mov di, write_buf
    mov eax, 'CHS '
    call fill_write_buf
    mov ax, WRITE_CHS_LBA
    mov cx, 1
    mov byte [rw_op], 3
    call rw_chs_from_write_buf
    FAIL_IF c, "int13 03h write"
    call clear_buffer
    mov ax, WRITE_CHS_LBA
    mov cx, 1
    call read_chs
    FAIL_IF c, "int13 03h read back"
    mov eax, 'CHS '
    call compare_written
    FAIL_IF ne, "int13 03h data read back"
    OK "int13 03h"

    ; --- 43h: extended write of 2 sectors, read back
    mov di, write_buf
    mov eax, 'EXT '
    call fill_write_buf
    mov word [dap.count], 2
    mov word [dap.offset], write_buf
    mov word [dap.segment], 0
    mov dword [dap.lba], WRITE_EXT_LBA
    mov ax, 0x4300
    call ext_call
    FAIL_IF c, "int13 43h write"
    cmp word [dap.count], 2
    FAIL_IF ne, "int13 43h count"
    call clear_buffer
    mov word [dap.count], 2
    mov word [dap.offset], 0
    mov word [dap.segment], BUF_SEG
    mov dword [dap.lba], WRITE_EXT_LBA
    mov ah, 0x42
    call ext_call
    FAIL_IF c, "int13 43h read back"
    mov eax, 'EXT '
    call compare_written
    FAIL_IF ne, "int13 43h data read back"
    OK "int13 43h"

    ; --- 04h: verify, 01h: status of the last (successful) operation
    mov ax, 100
    call lba_to_chs
    mov ax, 0x0404
    mov dl, [boot_drive]
    int 0x13
    FAIL_IF c, "int13 04h verify"
    mov ah, 0x01
    mov dl, [boot_drive]
    int 0x13
    test ah, ah
    FAIL_IF nz, "int13 01h status after success"
    OK "int13 04h 01h"

    ; --- errors: LBA beyond the disk, absent hard disk
    mov word [dap.count], 1
    mov word [dap.offset], 0
    mov word [dap.segment], BUF_SEG
    mov dword [dap.lba], 100000
    mov ah, 0x42
    call ext_call
    FAIL_IF nc, "int13 42h beyond the disk must fail"
    test ah, ah
    FAIL_IF z, "int13 42h beyond the disk status"
    mov ax, 0x0201
    mov cx, 0x0001
    mov dx, 0x0087
    push BUF_SEG
    pop es
    xor bx, bx
    int 0x13
    FAIL_IF nc, "int13 02h on drive 87h must fail"
    OK "int13 errors"

    jmp test_pass

; AX = LBA -> CX, DH for INT 13h (DL = boot drive).
lba_to_chs:
    push ax
    push bx
    xor dx, dx
    div word [spt]                    ; AX = track, DX = sector - 1
    mov cx, dx
    inc cx                            ; CL = sector
    xor dx, dx
    div word [heads]                  ; AX = cylinder, DX = head
    mov dh, dl
    mov ch, al
    shl ah, 6
    or cl, ah
    mov dl, [boot_drive]
    pop bx
    pop ax
    ret

; Read CX sectors from LBA AX (a data LBA) into BUF_SEG:0 with AH=02h. Out: CF, AL = count.
read_chs:
    mov byte [rw_op], 2
    push BUF_SEG
    pop es
    xor bx, bx
    jmp rw_chs
rw_chs_from_write_buf:
    push ds
    pop es
    mov bx, write_buf
rw_chs:
    push cx
    call lba_to_chs
    pop ax                            ; AL = count
    mov ah, [rw_op]
    int 0x13
    ret

; Call INT 13h AH (AL = flags) with the disk address packet `dap`.
ext_call:
    push ds
    pop es
    mov si, dap
    mov dl, [boot_drive]
    int 0x13
    ret

%include "data_pattern.inc"

; Zero the first 16 KiB of BUF_SEG.
clear_buffer:
    push BUF_SEG
    pop es
    xor di, di
    xor eax, eax
    mov cx, 4096
    rep stosd
    ret

; Fill the 1 KiB at write_buf with EAX (a 4-byte tag), then "DATA" and the dword index.
fill_write_buf:
    push ds
    pop es
    mov di, write_buf
    xor cx, cx
.next:
    stosd
    push eax
    mov eax, 'DATA'
    stosd
    movzx eax, cx
    stosd
    stosd
    pop eax
    inc cx
    cmp cx, 64
    jb .next
    ret

; Compare the sectors read back at BUF_SEG:0 with write_buf (first 512 bytes for a CHS write,
; 1 KiB for the extended write: the tag in EAX says which). ZF=1 when equal.
compare_written:
    mov cx, 128
    cmp eax, 'EXT '
    jne .len
    mov cx, 256
.len:
    push BUF_SEG
    pop es
    xor di, di
    mov si, write_buf
    repe cmpsd
    ret

msg_start: db "disk_rw: INT 13h tests", 13, 10, 0

; LBAs read one by one with AH=02h: track and head edges (spt 63: 62/63, 125/126), a cylinder
; edge for 16 heads (1007/1008), and the last data sector.
chs_lbas: dw 32, 62, 63, 64, 125, 126, 200, 1007, 1008, 1100, 0

cur_lba_ptr: dw 0
spt:   dw 0
heads: dw 0
cyls:  dw 0
multi_lba: dw 0
rw_op: db 0

align 4
dap:
.size:    db 0x10
.zero:    db 0
.count:   dw 0
.offset:  dw 0
.segment: dw 0
.lba:     dq 0

edd_buf: times 0x1E db 0
align 4
write_buf: times 1024 db 0

%include "disk_layout.inc"
