; ctrl_alt_del.asm: Ctrl+Alt+Del, injected through the 8042 (command D2h), must restart the
; machine. Run with QEMU's -no-reboot, a restart ends QEMU with status 0, which the driver
; expects (--expect-reset); reaching the end of this program is a failure.
%define TEST_NAME "ctrl_alt_del"
%include "boot_lib.inc"

test_main:
    mov si, msg_start
    call tty_print
    mov al, 0x1D                      ; Ctrl down
    call inject
    mov al, 0x38                      ; Alt down
    call inject
    mov al, 0x53                      ; Del down
    call inject
    ; give the interrupt handler time to act
    mov cx, 20
.wait:
    hlt
    loop .wait
    mov si, msg_no_reset
    jmp test_fail

; Hand AL to the 8042 as a byte from the keyboard.
inject:
    push ax
    call kbc_wait
    mov al, 0xD2
    out 0x64, al
    call kbc_wait
    pop ax
    out 0x60, al
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

msg_start:    db "ctrl_alt_del: restart expected", 13, 10, 0
msg_no_reset: db "no restart after Ctrl+Alt+Del", 0

%include "disk_layout.inc"
