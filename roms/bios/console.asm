; console.asm: text output for the BIOS's own messages. Everything goes through the INT 10h
; teletype path, which also echoes to COM1 (build option ECHO_CONSOLE) until the guest takes COM1
; over (see serial_echo).

; Print the NUL-terminated string at CS:SI.
print_str:
    push ax
    push si
.next:
    cs lodsb
    test al, al
    jz .done
    call console_putc
    jmp .next
.done:
    pop si
    pop ax
    ret

; Print AL as a teletype character.
console_putc:
    push ds
    push es
    pushad
    xor bx, bx
    mov ds, bx
    mov bx, 0xB800
    mov es, bx
    call video_tty
    popad
    pop es
    pop ds
    ret

; Print EAX in decimal.
print_dec32:
    pushad
    mov ebx, 10
    xor cx, cx
.divide:
    xor edx, edx
    div ebx
    push dx
    inc cx
    test eax, eax
    jnz .divide
.emit:
    pop ax
    add al, '0'
    call console_putc
    loop .emit
    popad
    ret

; Print AL as two hex digits.
print_hex8:
    push ax
    shr al, 4
    call .digit
    pop ax
    push ax
    and al, 0x0F
    call .digit
    pop ax
    ret
.digit:
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 'A' - '9' - 1
.out:
    jmp console_putc

; Send AL to the headless console, COM1. Not to port 0xE9: that console belongs to the guest
; (with --debugcon stdio beside COM1 on stdio, every BIOS character would show twice).
echo_putc:
%if ECHO_CONSOLE
    call serial_echo
%endif
    ret
