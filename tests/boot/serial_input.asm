; serial_input.asm: a headless guest driven over COM1 with the pc386 BIOS: the bytes sent to the
; serial port arrive through INT 16h. The driver sends "pc386 serial\n"; the test reads keys
; until Enter and compares, then checks INT 14h AH=03h (status) and AH=01h (send).
; (SeaBIOS does not read COM1 for INT 16h: this test runs with our BIOS only.)
%define TEST_NAME "serial_input"
%include "boot_lib.inc"

test_main:
    mov si, msg_start
    call tty_print
    mov di, line
.key:
    xor ah, ah
    int 0x16
    cmp al, 13
    je .enter
    cmp di, line + 31
    FAIL_IF ae, "line too long"
    mov [di], al
    inc di
    jmp .key
.enter:
    cmp ah, 0x1C
    FAIL_IF ne, "Enter scan code"
    mov byte [di], 0
    mov si, line
    mov di, expected
.compare:
    mov al, [si]
    cmp al, [di]
    FAIL_IF ne, "received line"
    inc si
    inc di
    test al, al
    jnz .compare
    OK "int16 line from COM1"

    mov ah, 0x03
    xor dx, dx
    int 0x14
    test ah, 0x60                     ; transmitter empty
    FAIL_IF z, "int14 03h status"
    mov si, msg_sent
.send:
    lodsb
    test al, al
    jz .sent
    mov ah, 0x01
    xor dx, dx
    int 0x14
    test ah, 0x80
    FAIL_IF nz, "int14 01h send"
    jmp .send
.sent:
    OK "int14"
    jmp test_pass

msg_start: db "serial_input: type a line", 13, 10, 0
msg_sent:  db "sent through INT 14h", 13, 10, 0
expected:  db "pc386 serial", 0
line: times 32 db 0

%include "disk_layout.inc"
