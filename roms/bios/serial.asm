; serial.asm: COM1 (16550 at 0x3F8, IRQ 4): initialisation at 115200 8N1, INT 14h, and the byte
; output used by the console echo. The receive interrupt is enabled only to wake a CPU halted in
; INT 16h; the bytes themselves are collected there (see int16_keyboard.asm).

serial_init:
    push fs
    mov ax, EBDA_SEG
    mov fs, ax
    ; A UART is present when its scratch register keeps what we write.
    mov dx, PORT_COM1 + UART_SCR
    mov al, 0x5A
    out dx, al
    in al, dx
    cmp al, 0x5A
    jne .absent
    mov al, 0xA5
    out dx, al
    in al, dx
    cmp al, 0xA5
    jne .absent

    mov word [BDA_COM1], PORT_COM1
    mov byte [BDA_COM_TIMEOUT], 1
    or word [BDA_EQUIPMENT], 1 << 9      ; one serial port
    mov byte [fs:EBDA_COM1_OK], 1
    mov dx, PORT_COM1
    mov al, 0x03                          ; divisor 1: 115200 baud, 8N1
    call serial_set_line
    ; FIFOs stay off (16450 mode): turning them on clears them, losing input that a driver
    ; may already have sent, and one byte of buffering is enough for polled INT 16h/14h use.
    mov dx, PORT_COM1 + UART_FCR
    xor al, al
    out dx, al
    mov dx, PORT_COM1 + UART_MCR
    mov al, 0x0B                          ; DTR, RTS, OUT2 (gates the IRQ line)
    out dx, al
    mov dx, PORT_COM1 + UART_IER
    mov al, 0x01                          ; receive data available
    out dx, al
.absent:
    pop fs
    ret

; DX = UART base, AL = line control (bits 0-4); sets divisor 1 (115200 baud).
serial_set_line:
    push ax
    add dx, UART_LCR
    mov al, 0x80                          ; DLAB
    out dx, al
    sub dx, UART_LCR
    mov al, 1
    out dx, al                            ; divisor low
    inc dx
    xor al, al
    out dx, al                            ; divisor high
    add dx, UART_LCR - 1
    pop ax
    and al, 0x1F
    out dx, al
    sub dx, UART_LCR
    ret

; Copy AL, a console character, to COM1 while the BIOS still owns the port. A guest that drives
; COM1 itself (Linux's setup with console=ttyS0, GRUB's serial terminal) also writes its text
; there, so the copy would show each character twice. The BIOS cannot see port writes, but it can
; read back what POST programmed: once LCR, IER or MCR differ from 03h, 01h, 0Bh, the guest has
; taken the port over and the copy stops until the next reset (EBDA_COM1_GUEST). A guest that only
; uses INT 10h (and INT 14h at 8N1) keeps the copy.
serial_echo:
    push ax
    push dx
    push fs
    push ds
    xor dx, dx
    mov ds, dx
    cmp word [BDA_COM1], 0                ; before POST's serial_init, or no UART
    pop ds
    je .done
    mov dx, EBDA_SEG
    mov fs, dx
    cmp byte [fs:EBDA_COM1_GUEST], 0
    jne .done
    mov ah, al
    mov dx, PORT_COM1 + UART_LCR
    in al, dx
    cmp al, 0x03
    jne .taken
    mov dx, PORT_COM1 + UART_IER
    in al, dx
    cmp al, 0x01
    jne .taken
    mov dx, PORT_COM1 + UART_MCR
    in al, dx
    cmp al, 0x0B
    jne .taken
    mov al, ah
    call serial_putc
    jmp .done
.taken:
    mov byte [fs:EBDA_COM1_GUEST], 1
.done:
    pop fs
    pop dx
    pop ax
    ret

; Send AL on COM1 if present; gives up after a bounded wait for the transmitter.
serial_putc:
    push cx
    push dx
    push ax
    push ds
    xor cx, cx
    mov ds, cx
    cmp word [BDA_COM1], 0
    pop ds
    je .done
    mov dx, PORT_COM1 + UART_LSR
    mov cx, 0xFFFF
.wait:
    in al, dx
    test al, 0x20                         ; transmitter holding register empty
    jnz .send
    loop .wait
    jmp .done
.send:
    pop ax
    push ax
    mov dx, PORT_COM1
    out dx, al
.done:
    pop ax
    pop dx
    pop cx
    ret

; IRQ 4: only wakes the CPU (INT 16h polls the UART); the line falls once the byte is read.
irq4_serial:
    push ax
    mov al, 0x20
    out PORT_PIC1_CMD, al
    pop ax
    iret

; INT 14h: serial port services for DX = port number (0-3).
; AH=00 initialise (AL = params, baud bits ignored: always 115200), 01 send AL, 02 receive into AL,
; 03 status. Returns AH = line status, AL = modem status (00/03), AH bit 7 set on timeout.
int14_handler:
    sti
    ENTER_FRAME
    xor ax, ax
    mov ds, ax
    mov bx, [bp+F_DX]
    cmp bx, 3
    ja .no_port
    shl bx, 1
    mov dx, [BDA_COM1 + bx]
    test dx, dx
    jz .no_port
    mov ah, [bp+F_AH]
    cmp ah, 0
    je .init
    cmp ah, 1
    je .send
    cmp ah, 2
    je .receive
    cmp ah, 3
    je .status
.no_port:
    mov byte [bp+F_AH], 0x80
    LEAVE_FRAME

.init:
    mov al, [bp+F_AL]
    call serial_set_line
    jmp .status

.send:
    add dx, UART_LSR
    mov ecx, 0x100000
.send_wait:
    in al, dx
    test al, 0x20
    jnz .send_now
    dec ecx
    jnz .send_wait
    or al, 0x80
    mov [bp+F_AH], al
    LEAVE_FRAME
.send_now:
    sub dx, UART_LSR
    mov al, [bp+F_AL]
    out dx, al
    add dx, UART_LSR
    in al, dx
    mov [bp+F_AH], al
    LEAVE_FRAME

.receive:
    add dx, UART_LSR
    mov ecx, 0x100000
.recv_wait:
    in al, dx
    test al, 0x01
    jnz .recv_now
    dec ecx
    jnz .recv_wait
    or al, 0x80
    mov [bp+F_AH], al
    LEAVE_FRAME
.recv_now:
    and al, 0x1E                          ; error bits only
    mov [bp+F_AH], al
    sub dx, UART_LSR
    in al, dx
    mov [bp+F_AL], al
    LEAVE_FRAME

.status:
    add dx, UART_LSR
    in al, dx
    mov [bp+F_AH], al
    inc dx                                ; MSR
    in al, dx
    mov [bp+F_AL], al
    LEAVE_FRAME
