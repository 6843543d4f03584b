; services.asm: the BIOS services a boot loader relies on besides the disk: INT 10h (mode, cursor,
; character/attribute, teletype, scroll), INT 11h, INT 12h, INT 15h (E820 map, E801h, 88h, A20
; 2400h-2403h, 87h block move above 1 MiB and back, C0h, 86h wait, an unsupported function), INT 1Ah (timer ticks advance, RTC time and
; date in BCD). Expects 32 MiB of RAM (qemu -m 32).
%define TEST_NAME "services"
%include "boot_lib.inc"

SMAP equ 0x534D4150

test_main:
    mov si, msg_start
    call tty_print

    ; --- INT 10h
    mov ax, 0x0003
    int 0x10
    mov ah, 0x0F
    int 0x10
    and al, 0x7F
    cmp al, 3
    FAIL_IF ne, "int10 0Fh mode"
    cmp ah, 80
    FAIL_IF ne, "int10 0Fh columns"
    mov ah, 0x02
    xor bh, bh
    mov dx, 0x050A                    ; row 5, column 10
    int 0x10
    mov ah, 0x03
    xor bh, bh
    int 0x10
    cmp dx, 0x050A
    FAIL_IF ne, "int10 03h position"
    mov ax, 0x0958                    ; 'X'
    mov bx, 0x001E
    mov cx, 3
    int 0x10
    mov ah, 0x08
    xor bh, bh
    int 0x10
    cmp ax, 0x1E58
    FAIL_IF ne, "int10 08h read back"
    push 0xB800
    pop es
    cmp word [es:(5 * 80 + 12) * 2], 0x1E58
    FAIL_IF ne, "int10 09h video memory"
    mov ah, 0x03
    xor bh, bh
    int 0x10
    cmp dx, 0x050A
    FAIL_IF ne, "int10 09h must not move the cursor"
    ; teletype: CR LF and a character move the cursor
    mov ax, 0x0E0D
    xor bx, bx
    int 0x10
    mov ax, 0x0E0A
    int 0x10
    mov ax, 0x0E41
    int 0x10
    mov ah, 0x03
    xor bh, bh
    int 0x10
    cmp dx, 0x0601
    FAIL_IF ne, "int10 0Eh cursor"
    cmp word [es:(6 * 80) * 2], 0x0741
    FAIL_IF ne, "int10 0Eh video memory"
    ; scroll rows 5..6 up by one: the 'A' moves to row 5, row 6 is blank with attribute 0x17
    mov ax, 0x0601
    mov bh, 0x17
    mov cx, 0x0500
    mov dx, 0x064F
    int 0x10
    cmp word [es:(5 * 80) * 2], 0x0741
    FAIL_IF ne, "int10 06h moved row"
    cmp word [es:(6 * 80) * 2], 0x1720
    FAIL_IF ne, "int10 06h blank row"
    ; and down again by one
    mov ax, 0x0701
    mov bh, 0x07
    mov cx, 0x0500
    mov dx, 0x064F
    int 0x10
    cmp word [es:(6 * 80) * 2], 0x0741
    FAIL_IF ne, "int10 07h moved row"
    ; write string with attribute at row 10, column 2, cursor moved after it
    push ds
    pop es
    mov bp, hello
    mov cx, 2
    mov dx, 0x0A02
    mov bx, 0x001F
    mov ax, 0x1301
    int 0x10
    push 0xB800
    pop es
    cmp word [es:(10 * 80 + 2) * 2], 0x1F48
    FAIL_IF ne, "int10 13h first character"
    cmp word [es:(10 * 80 + 3) * 2], 0x1F69
    FAIL_IF ne, "int10 13h second character"
    mov ah, 0x03
    xor bh, bh
    int 0x10
    cmp dx, 0x0A04
    FAIL_IF ne, "int10 13h cursor"
    ; teletype at the bottom scrolls the screen: 30 lines "y", then "END" on the last row
    mov ah, 0x02
    xor bh, bh
    xor dx, dx
    int 0x10
    mov cx, 30
.lines:
    mov ax, 0x0E79
    xor bx, bx
    int 0x10
    mov al, 13
    int 0x10
    mov al, 10
    int 0x10
    loop .lines
    mov si, msg_end
    call tty_print
    push 0xB800
    pop es
    cmp word [es:(24 * 80) * 2], 0x0745
    FAIL_IF ne, "int10 0Eh scroll: last row"
    cmp byte [es:(23 * 80) * 2], 'y'
    FAIL_IF ne, "int10 0Eh scroll: row above"
    cmp byte [es:(24 * 80 + 3) * 2], ' '
    FAIL_IF ne, "int10 0Eh scroll: blank after text"
    mov ah, 0x03
    xor bh, bh
    int 0x10
    cmp dx, 0x1803
    FAIL_IF ne, "int10 0Eh scroll: cursor"
    OK "int10"

    ; --- BIOS data area fields that boot code and old software read directly
    push ds
    push 0x40
    pop ds
    cmp word [0x00], 0x3F8
    FAIL_IF ne, "BDA COM1 base"
    cmp byte [0x49], 3
    FAIL_IF ne, "BDA video mode"
    cmp word [0x4A], 80
    FAIL_IF ne, "BDA columns"
    cmp word [0x63], 0x3D4
    FAIL_IF ne, "BDA CRTC base"
    cmp byte [0x84], 24
    FAIL_IF ne, "BDA rows - 1"
    cmp byte [0x75], 1
    FAIL_IF ne, "BDA disk count"
    mov ax, [0x1A]
    cmp ax, [0x80]
    FAIL_IF b, "BDA keyboard head below the buffer"
    cmp ax, [0x82]
    FAIL_IF ae, "BDA keyboard head past the buffer"
    mov ax, [0x0E]                    ; EBDA: its first byte is its size in KiB
    mov bx, [0x13]
    pop ds
    mov cx, bx
    shl cx, 6                         ; base memory KiB -> segment
    cmp ax, cx
    FAIL_IF ne, "BDA EBDA segment = top of base memory"
    push es
    mov es, ax
    movzx cx, byte [es:0]
    pop es
    add bx, cx
    cmp bx, 640
    FAIL_IF ne, "EBDA size + base memory = 640 KiB"
    OK "BDA"

    ; --- INT 11h / 12h
    int 0x11
    and ax, 0x30
    cmp ax, 0x20
    FAIL_IF ne, "int11 80x25 colour"
    int 0x12
    cmp ax, 512
    FAIL_IF b, "int12 base memory"
    cmp ax, 640
    FAIL_IF a, "int12 base memory"
    mov [base_kib], ax
    OK "int11 int12"

    ; --- INT 15h E820: walk the map
    xor ebx, ebx
    mov word [e820_count], 0
.e820_next:
    push ds
    pop es
    mov di, e820_entry
    mov eax, 0xE820
    mov edx, SMAP
    mov ecx, 20
    int 0x15
    FAIL_IF c, "int15 E820 carry"
    cmp eax, SMAP
    FAIL_IF ne, "int15 E820 signature"
    cmp ecx, 20
    FAIL_IF b, "int15 E820 entry size"
    inc word [e820_count]
    cmp word [e820_count], 32
    FAIL_IF a, "int15 E820 too many entries"
    cmp dword [e820_entry + 16], 1
    jne .not_usable
    cmp dword [e820_entry + 4], 0
    jne .not_usable
    ; usable: remember a block at 0 (base memory) and one at 1 MiB
    cmp dword [e820_entry], 0
    jne .not_base
    mov eax, [e820_entry + 8]
    mov [usable_low], eax
.not_base:
    cmp dword [e820_entry], 0x100000
    jne .not_usable
    mov eax, [e820_entry + 8]
    mov [usable_high], eax
.not_usable:
    test ebx, ebx
    jnz .e820_next
    ; base memory matches INT 12h
    movzx eax, word [base_kib]
    shl eax, 10
    cmp [usable_low], eax
    FAIL_IF b, "int15 E820 base memory smaller than INT 12h"
    cmp dword [usable_low], 0xA0000
    FAIL_IF a, "int15 E820 base memory reaches the video area"
    ; 32 MiB machine: between 28 and 31 MiB usable above 1 MiB
    cmp dword [usable_high], 28 << 20
    FAIL_IF b, "int15 E820 extended memory"
    cmp dword [usable_high], 31 << 20
    FAIL_IF a, "int15 E820 extended memory"
    OK "int15 E820"

    ; --- E801h and 88h
    mov ax, 0xE801
    int 0x15
    FAIL_IF c, "int15 E801 carry"
    cmp ax, 0x3C00
    FAIL_IF ne, "int15 E801 memory below 16 MiB"
    cmp ax, cx
    FAIL_IF ne, "int15 E801 AX=CX"
    cmp bx, dx
    FAIL_IF ne, "int15 E801 BX=DX"
    cmp bx, 224                       ; at least 14 MiB above 16 MiB
    FAIL_IF b, "int15 E801 memory above 16 MiB"
    cmp bx, 256
    FAIL_IF a, "int15 E801 memory above 16 MiB"
    mov ah, 0x88
    int 0x15
    FAIL_IF c, "int15 88h carry"
    cmp ax, 0x3C00
    FAIL_IF b, "int15 88h size"
    OK "int15 E801 88h"

    ; --- A20
    mov ax, 0x2403
    int 0x15
    FAIL_IF c, "int15 2403h"
    mov ax, 0x2401
    int 0x15
    FAIL_IF c, "int15 2401h"
    mov ax, 0x2402
    int 0x15
    FAIL_IF c, "int15 2402h"
    cmp al, 1
    FAIL_IF ne, "int15 2402h after enable"
    call memory_wraps
    FAIL_IF e, "A20 enabled but memory wraps"
    mov ax, 0x2400
    int 0x15
    FAIL_IF c, "int15 2400h"
    mov ax, 0x2402
    int 0x15
    cmp al, 0
    FAIL_IF ne, "int15 2402h after disable"
    call memory_wraps
    FAIL_IF ne, "A20 disabled but memory does not wrap"
    mov ax, 0x2401
    int 0x15
    OK "int15 A20"

    ; --- 87h: copy 512 bytes of this program (0x7E00) to 2 MiB, then from there to 0x30000
    mov dword [move_gdt + 0x12], 0x93007E00    ; source base 0x007E00, access byte 93h
    mov dword [move_gdt + 0x1A], 0x93200000    ; destination base 0x200000
    call block_move
    FAIL_IF c, "int15 87h to 2 MiB"
    mov dword [move_gdt + 0x12], 0x93200000
    mov dword [move_gdt + 0x1A], 0x93030000
    call block_move
    FAIL_IF c, "int15 87h from 2 MiB"
    push 0x3000
    pop es
    xor di, di
    mov si, 0x7E00
    mov cx, 128
    repe cmpsd
    FAIL_IF ne, "int15 87h data"
    OK "int15 87h"

    ; --- C0h configuration table, unsupported function
    mov ah, 0xC0
    int 0x15
    FAIL_IF c, "int15 C0h"
    cmp byte [es:bx + 2], 0xFC
    FAIL_IF ne, "int15 C0h model"
    mov ah, 0xEE
    stc
    int 0x15
    FAIL_IF nc, "int15 unsupported function must fail"
    OK "int15 C0h"

    ; --- INT 1Ah: ticks advance (timer interrupt and the BDA counter); 86h waits
    xor ah, ah
    int 0x1A
    mov [ticks], dx
    mov cx, 1000
.wait_tick:
    hlt
    xor ah, ah
    int 0x1A
    cmp dx, [ticks]
    jne .ticked
    loop .wait_tick
    FAIL_IF nz, "int1a ticks do not advance"
.ticked:
    mov [ticks], dx
    mov ah, 0x86
    mov cx, 0x0003                    ; 0x30D40 us = 200 ms: at least 3 ticks
    mov dx, 0x0D40
    int 0x15
    FAIL_IF c, "int15 86h"
    xor ah, ah
    int 0x1A
    sub dx, [ticks]
    cmp dx, 3
    FAIL_IF b, "int15 86h waited too little"
    OK "int1a ticks, int15 86h"

    ; --- RTC time and date in BCD
    mov ah, 0x02
    int 0x1A
    FAIL_IF c, "int1a 02h"
    mov al, ch
    mov ah, 0x23
    call check_bcd
    mov al, cl
    mov ah, 0x59
    call check_bcd
    mov al, dh
    mov ah, 0x59
    call check_bcd
    mov ah, 0x04
    int 0x1A
    FAIL_IF c, "int1a 04h"
    cmp ch, 0x19
    FAIL_IF b, "int1a 04h century"
    cmp ch, 0x21
    FAIL_IF a, "int1a 04h century"
    mov al, dh
    mov ah, 0x12
    call check_bcd
    test dh, dh
    FAIL_IF z, "int1a 04h month"
    mov al, dl
    mov ah, 0x31
    call check_bcd
    test dl, dl
    FAIL_IF z, "int1a 04h day"
    OK "int1a RTC"

    jmp test_pass

; INT 15h AH=87h with the descriptor table move_gdt, 256 words.
block_move:
    push ds
    pop es
    mov si, move_gdt
    mov word [move_gdt + 0x10], 0xFFFF
    mov word [move_gdt + 0x18], 0xFFFF
    mov cx, 256
    mov ah, 0x87
    int 0x15
    ret

; Fail unless AL is a BCD number not above AH.
check_bcd:
    push ax
    and al, 0x0F
    cmp al, 9
    FAIL_IF a, "RTC value not BCD"
    pop ax
    cmp al, ah
    FAIL_IF a, "RTC value out of range"
    ret

; ZF=1 when 0000:0600 and FFFF:0610 are the same byte (address bit 20 is masked).
memory_wraps:
    push ds
    push es
    xor ax, ax
    mov ds, ax
    dec ax
    mov es, ax
    mov byte [0x600], 0x11
    mov byte [es:0x610], 0x22
    cmp byte [0x600], 0x22
    pop es
    pop ds
    ret

hello: db "Hi"
msg_end: db "END", 0
msg_start: db "services: INT 10h/11h/12h/15h/1Ah tests", 13, 10, 0
base_kib:    dw 0
e820_count:  dw 0
ticks:       dw 0
align 4
usable_low:  dd 0
usable_high: dd 0
e820_entry:  times 24 db 0
move_gdt:    times 48 db 0

%include "disk_layout.inc"
