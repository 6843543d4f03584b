; int1a_time.asm: time keeping. IRQ 0 counts ticks (18.2 Hz) in the BDA at 0040:006C, wraps at
; midnight (0x1800B0 ticks) setting 0040:0070, and calls INT 1Ch. INT 1Ah: 00/01 get/set ticks,
; 02/03 get/set RTC time, 04/05 get/set RTC date (BCD, from the CMOS clock). IRQ 8 (RTC)
; acknowledges the clock's interrupt.

irq0_timer:
    push ds
    push eax
    xor ax, ax
    mov ds, ax
    mov eax, [BDA_TICKS]
    inc eax
    cmp eax, TICKS_PER_DAY
    jb .store
    xor eax, eax
    mov byte [BDA_MIDNIGHT], 1
.store:
    mov [BDA_TICKS], eax
    int 0x1C
    mov al, 0x20
    out PORT_PIC1_CMD, al
    pop eax
    pop ds
    iret

irq8_rtc:
    push ax
    mov al, 0x0C
    call cmos_read                    ; reading status C clears the interrupt
    mov al, 0x20
    out PORT_PIC2_CMD, al
    out PORT_PIC1_CMD, al
    pop ax
    iret

; Wait (bounded) while the RTC is updating its registers. CF=1 if it never finished.
rtc_wait_update:
    push cx
    mov cx, 0xFFFF
.poll:
    mov al, 0x0A
    call cmos_read
    test al, 0x80
    jz .ready
    loop .poll
    pop cx
    stc
    ret
.ready:
    pop cx
    clc
    ret

int1a_handler:
    sti
    ENTER_FRAME
    xor ax, ax
    mov ds, ax
    mov ah, [bp+F_AH]
    cmp ah, 0x00
    je .get_ticks
    cmp ah, 0x01
    je .set_ticks
    cmp ah, 0x02
    je .get_time
    cmp ah, 0x03
    je .set_time
    cmp ah, 0x04
    je .get_date
    cmp ah, 0x05
    je .set_date
.fail:
    FRAME_CF 1
    LEAVE_FRAME
.ok:
    FRAME_CF 0
    LEAVE_FRAME

.get_ticks:
    cli
    mov eax, [BDA_TICKS]
    mov [bp+F_DX], ax
    shr eax, 16
    mov [bp+F_CX], ax
    mov al, [BDA_MIDNIGHT]
    mov [bp+F_AL], al
    mov byte [BDA_MIDNIGHT], 0
    sti
    jmp .ok

.set_ticks:
    cli
    mov ax, [bp+F_CX]
    shl eax, 16
    mov ax, [bp+F_DX]
    mov [BDA_TICKS], eax
    mov byte [BDA_MIDNIGHT], 0
    sti
    mov byte [bp+F_AH], 0
    jmp .ok

.get_time:
    cli
    call rtc_wait_update
    jc .busy
    mov al, 0x04
    call cmos_read
    mov [bp+F_CH], al                 ; hours
    mov al, 0x02
    call cmos_read
    mov [bp+F_CL], al                 ; minutes
    mov al, 0x00
    call cmos_read
    mov [bp+F_DH], al                 ; seconds
    mov al, 0x0B
    call cmos_read
    and al, 0x01
    mov [bp+F_DL], al                 ; daylight saving
    sti
    mov byte [bp+F_AH], 0
    jmp .ok
.busy:
    sti
    jmp .fail

.set_time:
    cli
    call rtc_wait_update
    mov al, 0x0B
    call cmos_read
    or al, 0x80                       ; hold updates while writing
    mov ah, al
    mov al, 0x0B
    call cmos_write
    mov ah, [bp+F_CH]
    mov al, 0x04
    call cmos_write
    mov ah, [bp+F_CL]
    mov al, 0x02
    call cmos_write
    mov ah, [bp+F_DH]
    mov al, 0x00
    call cmos_write
    jmp .release

.get_date:
    cli
    call rtc_wait_update
    jc .busy
    mov al, 0x32
    call cmos_read
    mov [bp+F_CH], al                 ; century
    mov al, 0x09
    call cmos_read
    mov [bp+F_CL], al                 ; year
    mov al, 0x08
    call cmos_read
    mov [bp+F_DH], al                 ; month
    mov al, 0x07
    call cmos_read
    mov [bp+F_DL], al                 ; day
    sti
    mov byte [bp+F_AH], 0
    jmp .ok

.set_date:
    cli
    call rtc_wait_update
    mov al, 0x0B
    call cmos_read
    or al, 0x80
    mov ah, al
    mov al, 0x0B
    call cmos_write
    mov ah, [bp+F_CH]
    mov al, 0x32
    call cmos_write
    mov ah, [bp+F_CL]
    mov al, 0x09
    call cmos_write
    mov ah, [bp+F_DH]
    mov al, 0x08
    call cmos_write
    mov ah, [bp+F_DL]
    mov al, 0x07
    call cmos_write
.release:
    mov al, 0x0B
    call cmos_read
    and al, 0x7F
    mov ah, al
    mov al, 0x0B
    call cmos_write
    sti
    mov byte [bp+F_AH], 0
    jmp .ok
