; keyboard.asm: the 8042 keyboard controller and the IRQ 1 handler. POST runs the controller
; self-test, turns on scancode translation (so the keyboard's set 2 arrives as set 1) and the
; keyboard interrupt, and enables the keyboard. IRQ 1 turns set-1 make codes into (scan << 8 |
; ASCII) words in the BDA ring buffer, tracking Shift, Ctrl, Alt, Caps Lock and Num Lock;
; Ctrl+Alt+Del restarts the machine.

KBD_BUF_START equ BDA_KBD_BUF - 0x400         ; offsets relative to segment 0x40
KBD_BUF_END   equ KBD_BUF_START + 32

; Shift flag bits at 0x417
KF_RSHIFT equ 0x01
KF_LSHIFT equ 0x02
KF_CTRL   equ 0x04
KF_ALT    equ 0x08
KF_NUM    equ 0x20
KF_CAPS   equ 0x40

; Wait until the controller can take a byte (input buffer empty), bounded.
kbc_wait_write:
    push cx
    mov cx, 0xFFFF
.poll:
    in al, PORT_KBC_STATUS
    test al, 0x02
    jz .ready
    loop .poll
.ready:
    pop cx
    ret

; Wait for a byte from the controller (output buffer full); CF=1 on timeout, else AL = byte.
kbc_wait_read:
    push cx
    mov cx, 0xFFFF
.poll:
    in al, PORT_KBC_STATUS
    test al, 0x01
    jnz .ready
    loop .poll
    pop cx
    stc
    ret
.ready:
    in al, PORT_KBC_DATA
    pop cx
    clc
    ret

; AH = controller command.
kbc_command:
    call kbc_wait_write
    mov al, ah
    out PORT_KBC_CMD, al
    ret

; AH = data byte for the controller or the keyboard.
kbc_data:
    call kbc_wait_write
    mov al, ah
    out PORT_KBC_DATA, al
    ret

kbd_init:
    mov word [BDA_KBD_HEAD], KBD_BUF_START
    mov word [BDA_KBD_TAIL], KBD_BUF_START
    mov word [BDA_KBD_START], KBD_BUF_START
    mov word [BDA_KBD_END], KBD_BUF_END
    ; Shift and prefix state start clear (a VGA option ROM run before us may have used them).
    mov byte [BDA_KBD_FLAGS], 0
    mov byte [BDA_KBD_FLAGS2], 0
    mov byte [BDA_KBD_FLAGS3], 0
    ; Drain anything pending, then the controller self-test must answer 0x55.
    mov cx, 16
.drain:
    in al, PORT_KBC_STATUS
    test al, 0x01
    jz .drained
    in al, PORT_KBC_DATA
    loop .drain
.drained:
    mov ah, 0xAA
    call kbc_command
    call kbc_wait_read
    jc .fail
    cmp al, 0x55
    jne .fail
    ; Command byte: translate to set 1, system flag, mouse clock off, keyboard interrupt on.
    mov ah, 0x60
    call kbc_command
    mov ah, 0x65
    call kbc_data
    mov ah, 0xAE                      ; enable the keyboard interface
    call kbc_command
    mov ah, 0xF4                      ; keyboard: enable scanning (answers 0xFA)
    call kbc_data
    call kbc_wait_read
    ret
.fail:
    mov si, msg_kbc_fail
    call print_str
    ret

msg_kbc_fail: db "Keyboard controller self-test failed", 13, 10, 0

; Store AX in the keyboard ring buffer (dropped when full). DS = 0.
kbd_buffer_put:
    push bx
    push si
    mov bx, [BDA_KBD_TAIL]
    mov si, bx
    add si, 2
    cmp si, [BDA_KBD_END]
    jb .no_wrap
    mov si, [BDA_KBD_START]
.no_wrap:
    cmp si, [BDA_KBD_HEAD]
    je .full
    mov [0x400 + bx], ax
    mov [BDA_KBD_TAIL], si
.full:
    pop si
    pop bx
    ret

irq1_keyboard:
    push ds
    push ax
    push bx
    xor ax, ax
    mov ds, ax
    in al, PORT_KBC_DATA
    cmp al, 0xE0
    jne .not_prefix
    or byte [BDA_KBD_FLAGS3], 0x02
    jmp .eoi
.not_prefix:
    mov ah, al
    and ah, 0x7F                      ; AH = scan code without the release bit
    ; Modifiers
    mov bl, KF_LSHIFT
    cmp ah, 0x2A
    je .modifier
    mov bl, KF_RSHIFT
    cmp ah, 0x36
    je .modifier
    mov bl, KF_CTRL
    cmp ah, 0x1D
    je .modifier
    mov bl, KF_ALT
    cmp ah, 0x38
    je .modifier
    test al, 0x80
    jnz .done                         ; other releases: nothing to do
    mov bl, KF_CAPS
    cmp ah, 0x3A
    je .toggle
    mov bl, KF_NUM
    cmp ah, 0x45
    je .toggle
    cmp ah, 0x53                      ; Ctrl+Alt+Del: warm restart
    jne .translate
    mov bl, [BDA_KBD_FLAGS]
    and bl, KF_CTRL | KF_ALT
    cmp bl, KF_CTRL | KF_ALT
    je kbd_reboot
.translate:
    call kbd_translate                ; AH = scan -> AX = key word, or AX = 0
    test ax, ax
    jz .done
    call kbd_buffer_put
    jmp .done
.modifier:
    test al, 0x80
    jnz .release
    or [BDA_KBD_FLAGS], bl
    jmp .done
.release:
    not bl
    and [BDA_KBD_FLAGS], bl
    jmp .done
.toggle:
    xor [BDA_KBD_FLAGS], bl
.done:
    and byte [BDA_KBD_FLAGS3], ~0x02 & 0xFF
.eoi:
    mov al, 0x20
    out PORT_PIC1_CMD, al
    pop bx
    pop ax
    pop ds
    iret

; Restart the machine through the 8042's reset line (0x0472 = 1234h marks a warm boot).
kbd_reboot:
    mov word [0x472], 0x1234
    call kbc_wait_write
    mov al, 0xFE
    out PORT_KBC_CMD, al
.wait:
    hlt
    jmp .wait

; AH = make code (set 1) -> AX = scan << 8 | ASCII for the current shift state, 0 if none.
kbd_translate:
    cmp ah, SCAN_TABLE_SIZE
    jae .none
    movzx bx, ah
    test byte [BDA_KBD_FLAGS], KF_ALT
    jnz .alt
    test byte [BDA_KBD_FLAGS3], 0x02
    jnz .extended
    test byte [BDA_KBD_FLAGS], KF_CTRL
    jnz .ctrl
    mov al, [cs:scan_normal + bx]
    test byte [BDA_KBD_FLAGS], KF_LSHIFT | KF_RSHIFT
    jz .caps
    mov al, [cs:scan_shift + bx]
.caps:
    ; Caps Lock inverts the case of letters only.
    test byte [BDA_KBD_FLAGS], KF_CAPS
    jz .keypad
    mov bl, al
    or bl, 0x20
    cmp bl, 'a'
    jb .keypad
    cmp bl, 'z'
    ja .keypad
    xor al, 0x20
.keypad:
    ; Keypad 0x47-0x53: digits with Num Lock (xor Shift), otherwise cursor keys (ASCII 0).
    cmp ah, 0x47
    jb .have
    cmp ah, 0x53
    ja .have
    test byte [BDA_KBD_FLAGS], KF_NUM
    jz .extended
    mov al, [cs:scan_shift + bx]
    jmp .have
.extended:
    xor al, al                        ; E0-prefixed: arrows etc. report ASCII 0
    cmp ah, 0x1C
    jne .have
    mov al, 13                        ; keypad Enter
    jmp .have
.ctrl:
    mov al, [cs:scan_normal + bx]
    cmp al, 'a'
    jb .ctrl_other
    cmp al, 'z'
    ja .ctrl_other
    sub al, 0x60                      ; Ctrl-A = 1 ...
    jmp .have
.ctrl_other:
    xor al, al
    jmp .have
.alt:
    xor al, al
.have:
    ret
.none:
    xor ax, ax
    ret
