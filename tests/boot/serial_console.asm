; serial_console.asm: our BIOS copies INT 10h teletype output to COM1 until the guest takes COM1
; over. First a line through INT 10h only: the BIOS copy puts it on COM1. Then the UART is
; programmed as Linux's real-mode setup does for console=ttyS0 (8N1, no interrupts, no FIFO,
; DTR+RTS, divisor 1), and a line goes out as Linux's puts() sends it: each character through
; INT 10h and straight to the UART. The driver (--expect-once) checks that COM1 shows each line
; exactly once; with the copy still on, the second would read "sseeccoonndd".
; (SeaBIOS does not copy INT 10h to COM1: this test runs with our BIOS only.)
%define TEST_NAME "serial_console"
%include "boot_lib.inc"

COM1 equ 0x3F8

test_main:
    mov si, msg_bios
    call tty_print
    OK "INT 10h line"

    mov dx, COM1 + 3
    mov al, 0x03                      ; LCR: 8N1
    out dx, al
    mov dx, COM1 + 1
    xor al, al                        ; IER: no interrupts
    out dx, al
    mov dx, COM1 + 2
    out dx, al                        ; FCR: no FIFO
    mov dx, COM1 + 4
    mov al, 0x03                      ; MCR: DTR, RTS
    out dx, al
    mov dx, COM1 + 3
    mov al, 0x83                      ; DLAB: divisor 1 (115200 baud)
    out dx, al
    mov dx, COM1
    mov al, 1
    out dx, al
    inc dx
    xor al, al
    out dx, al
    mov dx, COM1 + 3
    mov al, 0x03
    out dx, al
    OK "UART programmed"

    mov si, msg_guest
.next:
    lodsb
    test al, al
    jz .done
    mov ah, 0x0E                      ; the screen...
    mov bx, 0x0007
    int 0x10
    mov ah, al
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20                     ; transmitter holding register empty
    jz .wait
    mov al, ah
    mov dx, COM1                      ; ...and the serial console
    out dx, al
    jmp .next
.done:
    OK "guest line"
    jmp test_pass

msg_bios:  db "serial_console: from the BIOS copy", 13, 10, 0
msg_guest: db "serial_console: second line, from the guest", 13, 10, 0

%include "disk_layout.inc"
