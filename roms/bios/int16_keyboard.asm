; int16_keyboard.asm: INT 16h keyboard services over the BDA ring buffer. Bytes received on COM1
; are fed into the same buffer first, so a headless guest can be driven over the serial line:
; CR or LF becomes Enter (0x1C0D, a CR LF pair gives one Enter), DEL/BS becomes Backspace (0x0E08),
; other bytes arrive with scan code 0.
; Functions: 00/10 wait for a key, 01/11 check (ZF=1: none), 02/12 shift flags, 05 store a key.

; Move every byte waiting in the COM1 receiver into the keyboard buffer. DS = 0.
serial_poll:
    push ax
    push dx
    push fs
    cmp word [BDA_COM1], 0
    je .done
    mov ax, EBDA_SEG
    mov fs, ax
.next:
    mov dx, PORT_COM1 + UART_LSR
    in al, dx
    test al, 0x01
    jz .done
    mov dx, PORT_COM1
    in al, dx
    mov ah, [fs:EBDA_SERIAL_CR]
    mov byte [fs:EBDA_SERIAL_CR], 0
    cmp al, 10
    jne .not_lf
    test ah, ah
    jnz .next                         ; LF right after CR: already sent Enter
    jmp .enter
.not_lf:
    cmp al, 13
    jne .not_cr
    mov byte [fs:EBDA_SERIAL_CR], 1
.enter:
    mov ax, 0x1C0D
    jmp .put
.not_cr:
    cmp al, 0x7F
    je .backspace
    cmp al, 8
    jne .plain
.backspace:
    mov ax, 0x0E08
    jmp .put
.plain:
    xor ah, ah
.put:
    call kbd_buffer_put
    jmp .next
.done:
    pop fs
    pop dx
    pop ax
    ret

int16_handler:
    sti
    push ds
    push bx
    push si
    xor bx, bx
    mov ds, bx
    cmp ah, 0x00
    je .read
    cmp ah, 0x10
    je .read
    cmp ah, 0x01
    je .peek
    cmp ah, 0x11
    je .peek
    cmp ah, 0x02
    je .flags
    cmp ah, 0x12
    je .flags_ext
    cmp ah, 0x05
    je .store
.out:
    pop si
    pop bx
    pop ds
    iret

.read:
    cli
    call serial_poll
    mov bx, [BDA_KBD_HEAD]
    cmp bx, [BDA_KBD_TAIL]
    jne .take
    sti
    hlt                               ; the timer, keyboard or COM1 interrupt wakes us
    jmp .read
.take:
    mov ax, [0x400 + bx]
    add bx, 2
    cmp bx, [BDA_KBD_END]
    jb .no_wrap
    mov bx, [BDA_KBD_START]
.no_wrap:
    mov [BDA_KBD_HEAD], bx
    sti
    jmp .out

.peek:
    cli
    call serial_poll
    mov bx, [BDA_KBD_HEAD]
    cmp bx, [BDA_KBD_TAIL]
    sti
    je .empty
    mov ax, [0x400 + bx]
    pop si
    pop bx
    pop ds
    ; ZF=0 in the caller's flags: key available.
    push bp
    mov bp, sp
    and byte [bp+6], ~FLAG_ZF & 0xFF
    pop bp
    iret
.empty:
    pop si
    pop bx
    pop ds
    push bp
    mov bp, sp
    or byte [bp+6], FLAG_ZF
    pop bp
    iret

.flags:
    mov al, [BDA_KBD_FLAGS]
    jmp .out
.flags_ext:
    mov al, [BDA_KBD_FLAGS]
    mov ah, [BDA_KBD_FLAGS2]
    jmp .out

.store:
    cli
    mov bx, [BDA_KBD_TAIL]
    mov ax, cx
    call kbd_buffer_put
    cmp bx, [BDA_KBD_TAIL]
    sti
    mov al, 0                         ; stored
    jne .out
    mov al, 1                         ; buffer full
    jmp .out
