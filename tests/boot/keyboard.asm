; keyboard.asm: the keyboard path IRQ 1 -> BIOS scancode translation -> INT 16h. Scancodes are
; injected with the 8042 command D2h ("write keyboard output buffer"), which delivers a byte as
; if the keyboard had sent it, with IRQ 1. Checks: 'a' (1E61h), Shift+'a' (1E41h), Enter (1C0Dh),
; INT 16h AH=01h on an empty buffer (ZF=1) and with a key waiting (ZF=0, key not removed),
; AH=02h shift flags while Shift is held, Ctrl+C (2E03h), AH=05h store.
%define TEST_NAME "keyboard"
%include "boot_lib.inc"

test_main:
    mov si, msg_start
    call tty_print
    call drain

    mov ah, 0x01
    int 0x16
    FAIL_IF nz, "int16 01h on an empty buffer"

    mov al, 0x1E                      ; 'a' make, break
    call inject
    mov al, 0x9E
    call inject
    mov ah, 0x01
    int 0x16
    FAIL_IF z, "int16 01h with a key waiting"
    cmp ax, 0x1E61
    FAIL_IF ne, "int16 01h key"
    mov ah, 0x00
    int 0x16
    cmp ax, 0x1E61
    FAIL_IF ne, "int16 00h 'a'"
    OK "int16 a"

    mov al, 0x2A                      ; left Shift down
    call inject
    mov ah, 0x02
    int 0x16
    test al, 0x02
    FAIL_IF z, "int16 02h left shift flag"
    mov al, 0x1E
    call inject
    mov al, 0x9E
    call inject
    mov al, 0xAA                      ; left Shift up
    call inject
    mov ah, 0x10
    int 0x16
    cmp ax, 0x1E41
    FAIL_IF ne, "int16 10h shift+a"
    mov ah, 0x02
    int 0x16
    test al, 0x02
    FAIL_IF nz, "int16 02h shift released"
    OK "int16 shift"

    mov al, 0x1C                      ; Enter
    call inject
    mov al, 0x9C
    call inject
    xor ah, ah
    int 0x16
    cmp ax, 0x1C0D
    FAIL_IF ne, "int16 00h enter"
    OK "int16 enter"

    mov al, 0x1D                      ; Ctrl+C
    call inject
    mov al, 0x2E
    call inject
    mov al, 0xAE
    call inject
    mov al, 0x9D
    call inject
    xor ah, ah
    int 0x16
    cmp ax, 0x2E03
    FAIL_IF ne, "int16 00h ctrl+c"
    OK "int16 ctrl"

    mov ah, 0x05                      ; store a key, read it back
    mov cx, 0x3F00
    int 0x16
    cmp al, 0
    FAIL_IF ne, "int16 05h store"
    xor ah, ah
    int 0x16
    cmp ax, 0x3F00
    FAIL_IF ne, "int16 05h key read back"
    OK "int16 05h"

    jmp test_pass

; Hand AL to the 8042 as a byte from the keyboard, then let IRQ 1 run.
inject:
    push ax
    call kbc_wait
    mov al, 0xD2
    out 0x64, al
    call kbc_wait
    pop ax
    out 0x60, al
    ; wait until the interrupt handler has taken the byte (output buffer empty)
    mov cx, 0xFFFF
.taken:
    in al, 0x64
    test al, 0x01
    jz .done
    loop .taken
.done:
    ret

kbc_wait:
    mov cx, 0xFFFF
.poll:
    in al, 0x64
    test al, 0x02
    jz .ready
    loop .poll
.ready:
    ret

; Empty the BIOS keyboard buffer.
drain:
    mov ah, 0x01
    int 0x16
    jz .empty
    xor ah, ah
    int 0x16
    jmp drain
.empty:
    ret

msg_start: db "keyboard: IRQ 1 and INT 16h", 13, 10, 0

%include "disk_layout.inc"
