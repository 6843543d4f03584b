; floppy.asm: diskette drives A: and B: on the 82077AA-compatible controller (0x3F0-0x3F7, IRQ 6,
; DMA channel 2 of the 8237A). POST reads the drive types from CMOS 10h, sets up the DMA
; controllers (channel 4 cascades the first one) and resets the controller. INT 13h for drives
; 00h/01h: 00 reset, 01 last status, 02 read, 03 write, 04 verify, 08 parameters, 15 type, 16 change
; line, 17/18 accepted. Transfers go one sector per READ/WRITE DATA command through DMA, with an
; explicit SEEK when the cylinder changes and the data rate the format needs in CCR (QEMU checks
; it); a buffer that crosses a 64 KiB boundary is refused (AH=09) as on an AT. The status of the
; last operation is kept at 0040:0041, the controller's result bytes at 0040:0042.

PORT_FDC_DOR    equ 0x3F2
PORT_FDC_MSR    equ 0x3F4
PORT_FDC_FIFO   equ 0x3F5
PORT_FDC_CCR    equ 0x3F7                  ; write: data rate; read: DIR (bit 7 disk change)
FDC_DOR_ON      equ 0x0C                   ; out of reset, DMA and IRQ enabled
FDC_POLL_LIMIT  equ 0x10000                ; MSR polls per byte before giving up
FDC_TICKS_LIMIT equ 37                     ; about 2 s of timer ticks for a command to end

; Per drive type (CMOS 10h nibble 1-5): cylinders, sectors per track, data rate (CCR).
floppy_types:
    db 40, 9, 2                            ; 1: 360K (250 kb/s)
    db 80, 15, 0                           ; 2: 1.2M (500 kb/s)
    db 80, 9, 2                            ; 3: 720K (250 kb/s)
    db 80, 18, 0                           ; 4: 1.44M (500 kb/s)
    db 80, 36, 3                           ; 5: 2.88M (1 Mb/s)
FLOPPY_TYPE_MAX equ 5

; POST: drive types, equipment word, DMA controllers, controller reset. DS = 0.
floppy_init:
    ; DMA: master clear both controllers; channel 4 in cascade mode, unmasked.
    xor al, al
    out 0x0D, al
    out 0xDA, al
    mov al, 0xC0
    out 0xD6, al
    xor al, al
    out 0xD4, al
    push fs
    mov ax, EBDA_SEG
    mov fs, ax
    mov al, 0x10
    call cmos_read
    mov ah, al
    shr al, 4
    and ah, 0x0F
    cmp al, FLOPPY_TYPE_MAX
    jbe .type0_ok
    xor al, al
.type0_ok:
    cmp ah, FLOPPY_TYPE_MAX
    jbe .type1_ok
    xor ah, ah
.type1_ok:
    mov [fs:EBDA_FLOPPY_TYPES], ax
    pop fs
    mov word [BDA_FDC_CYL], 0xFFFF          ; head positions unknown: recalibrate first
    xor cx, cx
    test al, al
    jz .no_a
    inc cx
.no_a:
    test ah, ah
    jz .counted
    inc cx
.counted:
    jcxz .done
    ; Equipment word: bit 0 diskettes present, bits 7-6 their count - 1.
    dec cx
    shl cx, 6
    or cx, 1
    or [BDA_EQUIPMENT], cx
    call fdc_reset
.done:
    ret

; IRQ 6: the controller finished a command; floppy code waits for bit 7 of 0040:003E.
irq6_floppy:
    push ax
    push ds
    xor ax, ax
    mov ds, ax
    or byte [BDA_FDC_RECAL], 0x80
    mov al, 0x20
    out PORT_PIC1_CMD, al
    pop ds
    pop ax
    iret

; AL -> the controller's FIFO when it asks for a command byte. CF=1 on timeout.
fdc_out:
    push cx
    push dx
    push ax
    mov dx, PORT_FDC_MSR
    mov cx, FDC_POLL_LIMIT - 1
.poll:
    in al, dx
    and al, 0xC0
    cmp al, 0x80
    je .ready
    loop .poll
    pop ax
    stc
    jmp .out
.ready:
    pop ax
    mov dx, PORT_FDC_FIFO
    out dx, al
    clc
.out:
    pop dx
    pop cx
    ret

; AL <- a result byte from the FIFO. CF=1 on timeout.
fdc_in:
    push cx
    push dx
    mov dx, PORT_FDC_MSR
    mov cx, FDC_POLL_LIMIT - 1
.poll:
    in al, dx
    and al, 0xC0
    cmp al, 0xC0
    je .ready
    loop .poll
    stc
    jmp .out
.ready:
    mov dx, PORT_FDC_FIFO
    in al, dx
    clc
.out:
    pop dx
    pop cx
    ret

; Waits (HLT, interrupts on) for IRQ 6 and clears its flag. CF=1 after about 2 s without it.
fdc_wait_irq:
    push eax
    push ebx
    mov ebx, [BDA_TICKS]
.wait:
    cli
    test byte [BDA_FDC_RECAL], 0x80
    jnz .got
    mov eax, [BDA_TICKS]
    sub eax, ebx
    jns .diff
    add eax, TICKS_PER_DAY
.diff:
    cmp eax, FDC_TICKS_LIMIT
    ja .timeout
    sti
    hlt                                     ; STI's shadow: the IRQ cannot slip in before the HLT
    jmp .wait
.got:
    and byte [BDA_FDC_RECAL], 0x7F
    sti
    clc
    pop ebx
    pop eax
    ret
.timeout:
    sti
    stc
    pop ebx
    pop eax
    ret

; SENSE INTERRUPT STATUS -> AL = ST0, AH = present cylinder. CF=1 on timeout.
fdc_sense:
    mov al, 0x08
    call fdc_out
    jc .out
    call fdc_in
    jc .out
    mov ah, al
    call fdc_in
    xchg al, ah
.out:
    ret

; Resets the controller: the reset interrupt, the four SENSE INTERRUPT STATUS it asks for, SPECIFY
; (step rate 3 ms, head unload 240 ms, head load 4 ms, DMA). CF=1 when the controller does not answer.
fdc_reset:
    push ax
    push cx
    push dx
    and byte [BDA_FDC_RECAL], 0x7F
    mov dx, PORT_FDC_DOR
    xor al, al
    out dx, al
    mov al, FDC_DOR_ON
    out dx, al
    mov byte [BDA_FDC_MOTOR], 0
    call fdc_wait_irq
    jc .fail
    mov cx, 4
.sense:
    call fdc_sense
    jc .fail
    loop .sense
    mov al, 0x03
    call fdc_out
    jc .fail
    mov al, 0xAF
    call fdc_out
    jc .fail
    mov al, 0x02
    call fdc_out
    jc .fail
    mov word [BDA_FDC_CYL], 0xFFFF
    clc
.fail:
    pop dx
    pop cx
    pop ax
    ret

; DL = drive: its motor on and selected, the data rate of its type in CCR.
; In: SI -> the drive's floppy_types entry.
fdc_select:
    push ax
    push cx
    push dx
    mov cl, dl
    mov al, 0x10
    shl al, cl
    or al, dl
    or al, FDC_DOR_ON
    mov dx, PORT_FDC_DOR
    out dx, al
    mov al, 0x10
    shl al, cl
    mov [BDA_FDC_MOTOR], al
    mov al, [cs:si+2]
    mov dx, PORT_FDC_CCR
    out dx, al
    mov [BDA_FDC_RATE], al
    pop dx
    pop cx
    pop ax
    ret

; Moves drive DL's head to cylinder CH (recalibrates first when its position is unknown).
; Out: CF=1, AH = status on failure.
fdc_seek:
    push bx
    movzx bx, dl
    cmp byte [BDA_FDC_CYL + bx], 0xFF
    jne .known
    mov al, 0x07                            ; RECALIBRATE
    call fdc_move_head
    jc .timeout
    test al, 0xC0
    jnz .seek_error
    mov byte [BDA_FDC_CYL + bx], 0
.known:
    cmp [BDA_FDC_CYL + bx], ch
    je .done
    mov al, 0x0F                            ; SEEK
    call fdc_move_head
    jc .timeout
    test al, 0xC0
    jnz .seek_error
    mov [BDA_FDC_CYL + bx], ch
.done:
    clc
    pop bx
    ret
.seek_error:
    mov byte [BDA_FDC_CYL + bx], 0xFF
    mov ah, 0x40                            ; seek failed
    stc
    pop bx
    ret
.timeout:
    mov byte [BDA_FDC_CYL + bx], 0xFF
    mov ah, 0x80
    stc
    pop bx
    ret

; Sends RECALIBRATE (AL = 07h) or SEEK (AL = 0Fh, to cylinder CH) to drive DL and waits for the
; interrupt that ends it. Out: CF=1 on a timeout; else AL = ST0 (bits 7-6 set: it did not get there).
fdc_move_head:
    mov ah, al                              ; fdc_out keeps AX
    call fdc_out
    jc .out
    mov al, dl
    call fdc_out
    jc .out
    cmp ah, 0x0F                            ; only SEEK names the cylinder
    jne .wait
    mov al, ch
    call fdc_out
    jc .out
.wait:
    call fdc_wait_irq
    jc .out
    call fdc_sense
.out:
    ret

; One sector: drive DL, cylinder CH, head DH, sector CL, buffer at linear EDI; BL = DMA mode
; (46h read, 4Ah write, 42h verify), BH = command (E6h READ DATA, C5h WRITE DATA).
; SI -> the drive's floppy_types entry. Out: AH = status (0 ok), CF=1 on error.
fdc_sector:
    call fdc_seek
    jc .out
    ; DMA channel 2: masked while it is programmed.
    mov al, 0x06
    out 0x0A, al
    mov al, bl
    out 0x0B, al
    out 0x0C, al                            ; any value clears the flip-flop
    mov eax, edi
    out 0x04, al
    mov al, ah
    out 0x04, al
    shr eax, 16
    out 0x81, al
    out 0x0C, al
    mov al, 0xFF                            ; 512 bytes: count 511
    out 0x05, al
    mov al, 0x01
    out 0x05, al
    mov al, 0x02
    out 0x0A, al
    ; The command: drive and head, C H R N, EOT (the format's last sector), gap, data length.
    mov al, bh
    call fdc_out
    jc .timeout
    mov al, dh
    shl al, 2
    or al, dl
    call fdc_out
    jc .timeout
    mov al, ch
    call fdc_out
    jc .timeout
    mov al, dh
    call fdc_out
    jc .timeout
    mov al, cl
    call fdc_out
    jc .timeout
    mov al, 2
    call fdc_out
    jc .timeout
    mov al, [cs:si+1]
    call fdc_out
    jc .timeout
    mov al, 0x1B
    call fdc_out
    jc .timeout
    mov al, 0xFF
    call fdc_out
    jc .timeout
    call fdc_wait_irq
    jc .timeout
    push cx
    push di
    mov di, BDA_FDC_RESULT
    mov cx, 7
.result:
    call fdc_in
    jc .result_timeout
    mov [di], al
    inc di
    loop .result
    pop di
    pop cx
    ; ST0 bits 7-6: 00 normal termination.
    test byte [BDA_FDC_RESULT], 0xC0
    jz .ok
    mov al, [BDA_FDC_RESULT + 1]            ; ST1 -> INT 13h status
    mov ah, 0x03                            ; write protected
    test al, 0x02
    jnz .error
    mov ah, 0x04                            ; sector not found (no data, end of cylinder)
    test al, 0x84
    jnz .error
    mov ah, 0x02                            ; address mark not found
    test al, 0x01
    jnz .error
    mov ah, 0x10                            ; CRC error
    test al, 0x20
    jnz .error
    mov ah, 0x20                            ; controller failure
.error:
    stc
    ret
.ok:
    xor ah, ah
    clc
.out:
    ret
.result_timeout:
    pop di
    pop cx
.timeout:
    mov byte [BDA_FDC_CYL], 0xFF            ; start over from a reset next time
    mov byte [BDA_FDC_CYL + 1], 0xFF
    mov ah, 0x80
    stc
    ret

; ---- INT 13h for DL < 80h (entered from int13_handler: frame at BP, DS = 0, FS = EBDA) ----------
floppy_int13:
    mov ah, [bp+F_AH]
    cmp ah, 0x01
    je .get_status
    mov dl, [bp+F_DL]
    cmp ah, 0x08                            ; answers for an absent drive too
    je .parameters
    cmp ah, 0x15
    je .drive_type
    cmp dl, 1
    ja .no_drive
    movzx bx, dl
    movzx si, byte [fs:EBDA_FLOPPY_TYPES + bx]
    test si, si
    jz .no_drive
    dec si                                  ; SI -> floppy_types entry
    imul si, si, 3
    add si, floppy_types
    cmp ah, 0x00
    je .reset
    cmp ah, 0x02
    je .read
    cmp ah, 0x03
    je .write
    cmp ah, 0x04
    je .verify
    cmp ah, 0x16
    je .change_line
    cmp ah, 0x17
    je .success
    cmp ah, 0x18
    je .success
    mov ah, 0x01
    jmp .finish
.no_drive:
    mov ah, 0x80                            ; no drive answers: time out
    jmp .finish
.success:
    xor ah, ah
; AH = status: store it, return it in AH and CF.
.finish:
    mov [BDA_FDC_STATUS], ah
    jmp int13_return_status

; 01h: the last status, which stays.
.get_status:
    mov ah, [BDA_FDC_STATUS]
    jmp int13_return_status

.reset:
    call fdc_reset
    mov ah, 0x20
    jc .finish
    jmp .success

.read:
    mov bx, 0xE646                          ; READ DATA (MT MFM SK), DMA write to memory
    jmp .transfer
.write:
    mov bx, 0xC54A                          ; WRITE DATA (MT MFM), DMA read from memory
    jmp .transfer
.verify:
    mov bx, 0xE642                          ; READ DATA into the DMA's verify mode
; AL sectors from CH/CL/DH to ES:BX, one sector at a time, on across heads and cylinders.
.transfer:
    movzx ecx, byte [bp+F_AL]
    test ecx, ecx
    jz .bad_request
    ; The buffer may not cross a 64 KiB boundary: the DMA page register does not carry.
    movzx edi, word [bp+F_ES]
    shl edi, 4
    movzx eax, word [bp+F_BX]
    add edi, eax
    shl ecx, 9
    lea eax, [edi + ecx - 1]
    shr ecx, 9
    xor eax, edi
    test eax, 0xFFFF0000
    jnz .boundary
    cmp edi, 0x1000000 - 0x10000            ; ISA DMA reaches 16 MiB
    jae .boundary
    movzx eax, byte [bp+F_AL]               ; the count asked for rides in ESI's top half
    shl eax, 16
    and esi, 0x0000FFFF
    or esi, eax
    mov dl, [bp+F_DL]
    call fdc_select
    mov ch, [bp+F_CH]
    mov cl, [bp+F_CL]
    and cl, 0x3F
    mov dh, [bp+F_DH]
    mov byte [bp+F_AL], 0                   ; sectors done so far
    ; Range checks against the format.
    cmp ch, [cs:si]
    jae .not_found
    cmp dh, 1
    ja .not_found
    test cl, cl
    jz .not_found
    cmp cl, [cs:si+1]
    ja .not_found
.next_sector:
    call fdc_sector
    jc .finish                              ; AH = status, AL = the sectors done
    inc byte [bp+F_AL]
    add edi, 512
    mov eax, esi
    shr eax, 16                             ; AL = sectors asked for
    cmp al, [bp+F_AL]
    je .success
    inc cl                                  ; the next sector: on to head 1, then the next cylinder
    cmp cl, [cs:si+1]
    jbe .next_sector
    mov cl, 1
    inc dh
    cmp dh, 1
    jbe .next_sector
    xor dh, dh
    inc ch
    jmp .next_sector
.not_found:
    mov ah, 0x04
    jmp .finish
.boundary:
    mov byte [bp+F_AL], 0
    mov ah, 0x09
    jmp .finish
.bad_request:
    mov ah, 0x01
    jmp .finish

.change_line:
    call fdc_select
    mov dx, PORT_FDC_CCR
    in al, dx
    test al, 0x80
    jz .success
    mov ah, 0x06                            ; changed (CF=1, as the AT BIOS reports it)
    jmp .finish

.drive_type:
    cmp dl, 1
    ja .absent
    movzx bx, dl
    cmp byte [fs:EBDA_FLOPPY_TYPES + bx], 0
    je .absent
    mov byte [bp+F_AH], 0x02                ; diskette drive with change line
    jmp .type_done
.absent:
    mov byte [bp+F_AH], 0x00
.type_done:
    mov byte [BDA_FDC_STATUS], 0
    FRAME_CF 0
    LEAVE_FRAME

; BL = drive type, CH/CL = last cylinder and sectors per track, DH = last head, DL = drives,
; ES:DI = the INT 1Eh parameter table.
.parameters:
    xor cx, cx
    mov al, [fs:EBDA_FLOPPY_TYPES]
    test al, al
    jz .count_b
    inc cx
.count_b:
    cmp byte [fs:EBDA_FLOPPY_TYPES + 1], 0
    je .counted
    inc cx
.counted:
    mov [bp+F_DL], cl
    cmp dl, 1
    ja .param_absent
    movzx bx, dl
    movzx si, byte [fs:EBDA_FLOPPY_TYPES + bx]
    test si, si
    jz .param_absent
    mov [bp+F_BL], si
    dec si
    imul si, si, 3
    add si, floppy_types
    mov al, [cs:si]
    dec al
    mov [bp+F_CH], al
    mov al, [cs:si+1]
    mov [bp+F_CL], al
    mov byte [bp+F_DH], 1
    mov word [bp+F_ES], BIOS_SEG
    mov word [bp+F_DI], floppy_param_table
    mov byte [bp+F_AL], 0
    mov byte [bp+F_BH], 0
    jmp .success
.param_absent:
    mov word [bp+F_AX], 0
    mov word [bp+F_BX], 0
    mov word [bp+F_CX], 0
    mov byte [bp+F_DH], 0
    mov word [bp+F_ES], 0
    mov word [bp+F_DI], 0
    jmp .success

; POST: "Floppy A: 1.44M" for each drive in CMOS 10h.
print_floppies:
    push fs
    mov ax, EBDA_SEG
    mov fs, ax
    xor bx, bx
.drive:
    movzx si, byte [fs:EBDA_FLOPPY_TYPES + bx]
    test si, si
    jz .next
    push si
    mov si, msg_floppy
    call print_str
    mov al, 'A'
    add al, bl
    call console_putc
    mov si, msg_floppy_colon
    call print_str
    pop si
    dec si
    shl si, 3
    add si, msg_floppy_types
    call print_str
    mov si, msg_crlf
    call print_str
.next:
    inc bx
    cmp bx, 2
    jb .drive
    pop fs
    ret

msg_floppy:       db "Floppy ", 0
msg_floppy_colon: db ": ", 0
msg_floppy_types:                           ; 8 bytes per type, in CMOS order
    db "360K", 0, 0, 0, 0
    db "1.2M", 0, 0, 0, 0
    db "720K", 0, 0, 0, 0
    db "1.44M", 0, 0, 0
    db "2.88M", 0, 0, 0
