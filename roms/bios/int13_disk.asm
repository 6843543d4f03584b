; int13_disk.asm: INT 13h fixed disk services for the IDE disks (DL = 0x80, 0x81).
; 00 reset, 01 last status, 02/03 read/write CHS, 04 verify, 08 parameters, 0C seek, 0D reset,
; 10 ready, 11 recalibrate, 15 disk type, and the EDD extensions 41 check, 42/43 read/write,
; 44 verify, 47 seek, 48 parameters. CF=1 and AH = status on error; the status is also kept at
; 0040:0074. Absent disks answer AH=01 (CF=1); drive numbers below 80h go to floppy.asm.

EDD_VERSION equ 0x21                  ; EDD 1.1: 0x1A-byte parameter table, plus the DPTE pointer

int13_handler:
    sti
    cld
    ENTER_FRAME
    xor ax, ax
    mov ds, ax
    mov ax, EBDA_SEG
    mov fs, ax
    cmp byte [bp+F_DL], 0x80
    jb floppy_int13                   ; drives 00h/01h: floppy.asm
    mov ah, [bp+F_AH]
    cmp ah, 0x01
    je .get_status
    ; Every other function names a drive: SI = its record.
    mov dl, [bp+F_DL]
    sub dl, 0x80
    jb .bad_drive
    cmp dl, [BDA_DISK_COUNT]
    jae .bad_drive
    movzx si, dl
    shl si, 5
    add si, EBDA_DISKS

    cmp ah, 0x00
    je .success
    cmp ah, 0x02
    je .read_chs
    cmp ah, 0x03
    je .write_chs
    cmp ah, 0x04
    je .verify_chs
    cmp ah, 0x08
    je .parameters
    cmp ah, 0x09
    je .success
    cmp ah, 0x0C
    je .success
    cmp ah, 0x0D
    je .success
    cmp ah, 0x10
    je .success
    cmp ah, 0x11
    je .success
    cmp ah, 0x15
    je .disk_type
    cmp ah, 0x41
    je .ext_check
    cmp ah, 0x42
    je .ext_read
    cmp ah, 0x43
    je .ext_write
    cmp ah, 0x44
    je .ext_verify
    cmp ah, 0x47
    je .success
    cmp ah, 0x48
    je .ext_parameters
.bad_function:
    mov ah, 0x01
    jmp .finish
.bad_drive:
    mov ah, 0x01
    jmp .finish
.success:
    xor ah, ah
; AH = status: store it, return it in AH and CF.
.finish:
    mov [BDA_DISK_STATUS], ah
    jmp int13_return_status

; 01h: the last status, which this call clears.
.get_status:
    mov ah, [BDA_DISK_STATUS]
    mov byte [BDA_DISK_STATUS], 0
    jmp int13_return_status

; CX/DH of the caller -> EAX = LBA of the CHS address; CF=1 when it lies outside the geometry.
.chs_to_lba:
    movzx eax, byte [bp+F_CL]
    and al, 0x3F                      ; sector, from 1
    jz .chs_bad
    cmp ax, [fs:si+DISK_SPT]
    ja .chs_bad
    movzx ebx, byte [bp+F_CL]
    shl bx, 2
    mov bl, [bp+F_CH]                 ; BX = cylinder (10 bits)
    cmp bx, [fs:si+DISK_CYLS]
    jae .chs_bad
    movzx ecx, byte [bp+F_DH]
    cmp cx, [fs:si+DISK_HEADS]
    jae .chs_bad
    ; LBA = (cylinder * heads + head) * sectors + sector - 1
    movzx edx, word [fs:si+DISK_HEADS]
    imul ebx, edx
    add ebx, ecx
    movzx edx, word [fs:si+DISK_SPT]
    imul ebx, edx
    lea eax, [ebx + eax - 1]
    clc
    ret
.chs_bad:
    stc
    ret

.read_chs:
    xor dl, dl
    jmp .rw_chs
.write_chs:
    mov dl, 1
.rw_chs:
    push dx
    call .chs_to_lba
    pop dx
    jc .chs_not_found
    movzx cx, byte [bp+F_AL]
    jcxz .bad_count
    mov es, [bp+F_ES]
    mov di, [bp+F_BX]
    call ata_transfer
    mov [bp+F_AL], cl
    jmp .finish

.chs_not_found:
    mov byte [bp+F_AL], 0
    mov ah, 0x04
    jmp .finish
.bad_count:
    mov ah, 0x01
    jmp .finish

.verify_chs:
    call .chs_to_lba
    jc .chs_not_found
    movzx ecx, byte [bp+F_AL]
    jcxz .bad_count
    add eax, ecx
    cmp eax, [fs:si+DISK_SECTORS]
    ja .chs_not_found
    jmp .success

.parameters:
    mov ax, [fs:si+DISK_CYLS]
    dec ax
    cmp ax, 1023
    jbe .cyl_ok
    mov ax, 1023
.cyl_ok:
    mov [bp+F_CH], al
    shl ah, 6
    or ah, [fs:si+DISK_SPT]
    mov [bp+F_CL], ah
    mov al, [fs:si+DISK_HEADS]
    dec al
    mov [bp+F_DH], al
    mov al, [BDA_DISK_COUNT]
    mov [bp+F_DL], al
    mov byte [bp+F_AL], 0
    jmp .success

.disk_type:
    mov eax, [fs:si+DISK_SECTORS]
    mov [bp+F_DX], ax
    shr eax, 16
    mov [bp+F_CX], ax
    mov byte [BDA_DISK_STATUS], 0
    mov ah, 0x03                      ; fixed disk present
    mov [bp+F_AH], ah
    FRAME_CF 0
    LEAVE_FRAME

.ext_check:
    cmp word [bp+F_BX], 0x55AA
    jne .bad_function
    mov word [bp+F_BX], 0xAA55
    mov word [bp+F_CX], 0x0001        ; extended disk access functions (42h-44h, 47h, 48h)
    mov byte [BDA_DISK_STATUS], 0
    mov byte [bp+F_AH], EDD_VERSION
    FRAME_CF 0
    LEAVE_FRAME

; GS:BX = the caller's disk address packet (DS:SI) -> EAX = LBA, CX = count, ES:DI = buffer.
; CF=1 with AH = status when the packet is unusable.
.ext_packet:
    mov gs, [bp+F_DS]
    mov bx, [bp+F_SI]
    mov ah, 0x01
    cmp byte [gs:bx], 0x10
    jb .packet_bad
    cmp dword [gs:bx+4], 0xFFFFFFFF   ; 64-bit flat buffer address: not supported
    je .packet_bad
    mov ah, 0x04
    cmp dword [gs:bx+12], 0           ; beyond LBA28
    jne .packet_bad
    mov eax, [gs:bx+8]
    mov cx, [gs:bx+2]
    les di, [gs:bx+4]
    clc
    ret
.packet_bad:
    stc
    ret

.ext_read:
    xor dl, dl
    jmp .ext_rw
.ext_write:
    mov dl, 1
.ext_rw:
    push dx
    call .ext_packet
    pop dx
    jc .ext_fail
    call ata_transfer
    mov [gs:bx+2], cx                 ; blocks actually transferred
    jmp .finish
.ext_fail:
    mov word [gs:bx+2], 0
    jmp .finish

.ext_verify:
    call .ext_packet
    jc .ext_fail
    movzx ecx, cx
    add eax, ecx
    jc .ext_range
    cmp eax, [fs:si+DISK_SECTORS]
    jbe .success
.ext_range:
    mov ah, 0x04
    jmp .ext_fail

; DS:SI = result buffer whose first word is its size (at least 0x1A).
.ext_parameters:
    mov es, [bp+F_DS]
    mov di, [bp+F_SI]
    mov ax, [es:di]
    cmp ax, 0x1A
    jb .bad_function
    mov cx, 0x1A
    cmp ax, 0x1E
    jb .size_ok
    mov cx, 0x1E
    mov dword [es:di+0x1A], 0xFFFFFFFF    ; no device parameter table extension
.size_ok:
    mov [es:di+0x00], cx
    mov word [es:di+0x02], 0x0002         ; the CHS values are valid
    movzx eax, word [fs:si+DISK_PCYLS]
    mov [es:di+0x04], eax
    movzx eax, word [fs:si+DISK_PHEADS]
    mov [es:di+0x08], eax
    movzx eax, word [fs:si+DISK_PSPT]
    mov [es:di+0x0C], eax
    mov eax, [fs:si+DISK_SECTORS]
    mov [es:di+0x10], eax
    mov dword [es:di+0x14], 0
    mov word [es:di+0x18], 512
    jmp .success
