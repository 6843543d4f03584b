; ata.asm: the primary IDE channel (0x1F0-0x1F7, 0x3F6, IRQ 14) in PIO mode with polling.
; POST identifies the master and the slave; each ATA disk found becomes a BIOS drive (0x80, 0x81
; in that order) with its LBA28 capacity, its physical geometry, and a logical INT 13h geometry
; (the physical one when it fits 1024 cylinders, else LBA-assisted translation with 63 sectors
; and 16..255 heads). Every transfer uses LBA28 commands, one sector per command.

ATA_TIMEOUT equ 0x400000              ; status polls before giving up

IDENTIFY_BUF equ BOOT_ADDR            ; scratch 512 bytes at 0000:7C00 (before the MBR is loaded)

; Give the drive its 400 ns after a select or command.
ata_delay:
    push ax
    push dx
    mov dx, PORT_ATA_ALTSTATUS
    in al, dx
    in al, dx
    in al, dx
    in al, dx
    pop dx
    pop ax
    ret

; Wait for BSY to clear. Out: AL = status, CF=1 on timeout.
ata_wait_not_busy:
    push ecx
    push dx
    mov dx, PORT_ATA_STATUS
    mov ecx, ATA_TIMEOUT
.poll:
    in al, dx
    test al, ATA_BSY
    jz .ready
    dec ecx
    jnz .poll
    stc
    jmp .out
.ready:
    clc
.out:
    pop dx
    pop ecx
    ret

; Wait for the data request of a command. Out: AH = 0 when DRQ is set, else an INT 13h status
; (0x80 timeout, 0x20 device fault, 0x04 sector not found, 0x10 media error, 0x01 aborted); CF=1
; on error.
ata_wait_drq:
    call ata_wait_not_busy
    mov ah, 0x80
    jc .fail
    test al, ATA_DF
    mov ah, 0x20
    jnz .fail
    test al, ATA_ERR
    jnz .error
    test al, ATA_DRQ
    mov ah, 0x20
    jz .fail
    xor ah, ah
    clc
    ret
.error:
    push dx
    mov dx, PORT_ATA_ERROR
    in al, dx
    pop dx
    mov ah, 0x04
    test al, 0x10                     ; IDNF
    jnz .fail
    mov ah, 0x10
    test al, 0x40                     ; UNC
    jnz .fail
    mov ah, 0x01
.fail:
    stc
    ret

; ES:DI -> the same address with DI < 16, so a transfer may run past the end of the caller's
; segment into the next 64 KiB.
ata_normalize:
    push ax
    push dx
    mov ax, di
    shr ax, 4
    mov dx, es
    add dx, ax
    mov es, dx
    and di, 0x0F
    pop dx
    pop ax
    ret

; Move sectors between a disk and memory.
; In: FS = EBDA, SI = disk record, EAX = first LBA, CX = sector count, ES:DI = buffer,
;     DL = 0 read / 1 write.
; Out: AH = INT 13h status (0: success), CF = (AH != 0), CX = sectors transferred.
ata_transfer:
    push bp
    push ebx
    push edx
    mov [fs:EBDA_XFER_WRITE], dl
    mov ebx, eax                      ; EBX = next LBA
    xor bp, bp                        ; BP = sectors done
    movzx edx, cx
    add edx, eax
    jc .range
    cmp edx, [fs:si+DISK_SECTORS]
    ja .range
.sector:
    cmp bp, cx
    je .ok
    call ata_wait_not_busy
    mov ah, 0x80
    jc .error
    mov dx, PORT_ATA_DRIVE
    mov eax, ebx
    shr eax, 24
    and al, 0x0F
    or al, [fs:si+DISK_SELECT]
    out dx, al
    call ata_delay
    call ata_wait_not_busy
    mov ah, 0x80
    jc .error
    mov dx, PORT_ATA_COUNT
    mov al, 1
    out dx, al
    inc dx
    mov al, bl
    out dx, al                        ; LBA 0-7
    inc dx
    mov al, bh
    out dx, al                        ; LBA 8-15
    inc dx
    mov eax, ebx
    shr eax, 16
    out dx, al                        ; LBA 16-23
    mov dx, PORT_ATA_CMD
    mov al, ATA_CMD_READ
    cmp byte [fs:EBDA_XFER_WRITE], 0
    je .issue
    mov al, ATA_CMD_WRITE
.issue:
    out dx, al
    call ata_delay
    call ata_wait_drq
    jc .error
    call ata_normalize
    push cx
    mov cx, 256
    mov dx, PORT_ATA_DATA
    cmp byte [fs:EBDA_XFER_WRITE], 0
    jne .write
    rep insw
    pop cx
    jmp .next
.write:
    push ds
    push si
    push es
    pop ds
    mov si, di
    rep outsw
    mov di, si
    pop si
    pop ds
    pop cx
    ; The write is complete when the drive is no longer busy.
    call ata_wait_not_busy
    mov ah, 0x80
    jc .error
    test al, ATA_ERR | ATA_DF
    mov ah, 0x20
    jnz .error
.next:
    inc ebx
    inc bp
    jmp .sector
.range:
    mov ah, 0x04
    jmp .error
.ok:
    xor ah, ah
    mov cx, bp
    pop edx
    pop ebx
    pop bp
    clc
    ret
.error:
    mov cx, bp
    pop edx
    pop ebx
    pop bp
    stc
    ret

; Identify the device selected by BL (0xE0 master, 0xF0 slave) into 0000:IDENTIFY_BUF.
; CF=1 when there is no ATA disk (nothing answers, or an ATAPI device aborts the command).
ata_identify:
    mov dx, PORT_ATA_DRIVE
    mov al, bl
    out dx, al
    call ata_delay
    mov dx, PORT_ATA_STATUS
    in al, dx
    cmp al, 0xFF                      ; floating bus: no channel
    je .absent
    test al, al                       ; no device at this position
    jz .absent
    call ata_wait_not_busy
    jc .absent
    mov dx, PORT_ATA_CMD
    mov al, ATA_CMD_IDENTIFY
    out dx, al
    call ata_delay
    mov dx, PORT_ATA_STATUS
    in al, dx
    test al, al
    jz .absent
    call ata_wait_drq
    jc .absent
    xor ax, ax
    mov es, ax
    mov di, IDENTIFY_BUF
    mov cx, 256
    mov dx, PORT_ATA_DATA
    rep insw
    clc
    ret
.absent:
    stc
    ret

ata_init:
    push fs
    mov ax, EBDA_SEG
    mov fs, ax
    mov byte [BDA_DISK_COUNT], 0
    mov dx, PORT_ATA_CONTROL
    xor al, al                        ; interrupts on (nIEN = 0), no reset
    out dx, al
    mov bl, 0xE0
    call .probe
    mov bl, 0xF0
    call .probe
    pop fs
    ret

; Probe the device BL and, if it is a usable disk, add its record.
.probe:
    call ata_identify
    jc .none
    test byte [IDENTIFY_BUF + 99], 0x02   ; word 49 bit 9: LBA supported
    jz .none
    movzx si, byte [BDA_DISK_COUNT]
    shl si, 5
    add si, EBDA_DISKS
    mov [fs:si+DISK_SELECT], bl
    mov byte [fs:si+DISK_PRESENT], 1
    mov eax, [IDENTIFY_BUF + 120]         ; words 60-61: LBA28 sectors
    mov [fs:si+DISK_SECTORS], eax
    mov ax, [IDENTIFY_BUF + 2]
    mov [fs:si+DISK_PCYLS], ax
    mov ax, [IDENTIFY_BUF + 6]
    mov [fs:si+DISK_PHEADS], ax
    mov ax, [IDENTIFY_BUF + 12]
    mov [fs:si+DISK_PSPT], ax
    call ata_logical_geometry
    call ata_fill_fdpt
    inc byte [BDA_DISK_COUNT]
.none:
    ret

; Choose the INT 13h CHS geometry of the disk record at FS:SI.
ata_logical_geometry:
    pushad
    ; The drive's own geometry when it is sane, fits 1024 cylinders and covers no more than the disk.
    movzx eax, word [fs:si+DISK_PCYLS]
    movzx ebx, word [fs:si+DISK_PHEADS]
    movzx ecx, word [fs:si+DISK_PSPT]
    test eax, eax
    jz .translate
    cmp eax, 1024
    ja .translate
    test ebx, ebx
    jz .translate
    cmp ebx, 16
    ja .translate
    test ecx, ecx
    jz .translate
    cmp ecx, 63
    ja .translate
    mov edx, eax
    imul edx, ebx
    imul edx, ecx
    cmp edx, [fs:si+DISK_SECTORS]
    ja .translate
    jmp .store
.translate:
    ; LBA-assisted: 63 sectors, double the heads until the cylinders fit in 1024.
    mov ecx, 63
    mov ebx, 16
.heads:
    mov eax, [fs:si+DISK_SECTORS]
    xor edx, edx
    push ebx
    imul ebx, ecx
    div ebx
    pop ebx
    cmp eax, 1024
    jbe .fits
    cmp ebx, 255
    je .cap
    shl ebx, 1
    cmp ebx, 256
    jb .heads
    mov ebx, 255
    jmp .heads
.cap:
    mov eax, 1024
.fits:
    test eax, eax
    jnz .store
    inc eax
.store:
    mov [fs:si+DISK_CYLS], ax
    mov [fs:si+DISK_HEADS], bx
    mov [fs:si+DISK_SPT], cx
    popad
    ret

; Fill the fixed disk parameter table (INT 41h for 0x80, INT 46h for 0x81) of the record at FS:SI.
ata_fill_fdpt:
    push ax
    push di
    mov di, si
    sub di, EBDA_DISKS
    shr di, 1                         ; 32-byte records -> 16-byte tables
    add di, EBDA_FDPT
    mov ax, [fs:si+DISK_CYLS]
    mov [fs:di+0], ax                 ; cylinders
    mov al, [fs:si+DISK_HEADS]
    mov [fs:di+2], al                 ; heads
    mov word [fs:di+5], 0xFFFF        ; write precompensation: none
    mov byte [fs:di+8], 0x08          ; control: more than 8 heads
    mov ax, [fs:si+DISK_CYLS]
    mov [fs:di+12], ax                ; landing zone
    mov al, [fs:si+DISK_SPT]
    mov [fs:di+14], al                ; sectors per track
    pop di
    pop ax
    ret

; List the disks found on the console.
print_disks:
    push fs
    mov ax, EBDA_SEG
    mov fs, ax
    movzx cx, byte [BDA_DISK_COUNT]
    test cx, cx
    jnz .some
    mov si, msg_no_disks
    call print_str
    pop fs
    jmp print_floppies
.some:
    mov si, EBDA_DISKS
    mov bl, 0x80
.disk:
    push si
    mov si, msg_disk
    call print_str
    mov al, bl
    call print_hex8
    mov si, msg_master
    pop di
    cmp byte [fs:di+DISK_SELECT], 0xE0
    je .which
    mov si, msg_slave
.which:
    call print_str
    mov eax, [fs:di+DISK_SECTORS]
    shr eax, 1
    call print_dec32
    mov si, msg_kib_chs
    call print_str
    movzx eax, word [fs:di+DISK_CYLS]
    call print_dec32
    mov al, '/'
    call console_putc
    movzx eax, word [fs:di+DISK_HEADS]
    call print_dec32
    mov al, '/'
    call console_putc
    movzx eax, word [fs:di+DISK_SPT]
    call print_dec32
    mov si, msg_crlf
    call print_str
    mov si, di
    add si, DISK_SIZE
    inc bl
    loop .disk
    pop fs
    jmp print_floppies

msg_no_disks: db "No IDE disks", 13, 10, 0
msg_disk:     db "Disk ", 0
msg_master:   db "h: IDE master, ", 0
msg_slave:    db "h: IDE slave, ", 0
msg_kib_chs:  db " KiB, CHS ", 0
msg_crlf:     db 13, 10, 0

irq14_ata:
    push ax
    push dx
    mov dx, PORT_ATA_STATUS
    in al, dx                         ; acknowledges the drive's interrupt
    mov al, 0x20
    out PORT_PIC2_CMD, al
    out PORT_PIC1_CMD, al
    pop dx
    pop ax
    iret
