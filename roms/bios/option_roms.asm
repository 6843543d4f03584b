; option_roms.asm: the option ROM scan of an AT BIOS, after the disks and before INT 19h. Every
; 2 KiB boundary from C800:0000 to E000:0000 that holds a ROM (signature 0x55AA, a non-zero size
; in 512-byte blocks at byte 2, all its bytes adding up to 0) is initialised with a far call to its
; offset 3, and the scan goes on past its end. pc386 --kernel puts one there that hooks INT 19h
; (src/machine/linux_loader.h); the VGA ROM at C000 is vga.asm's.

OPTION_ROM_FIRST_SEG equ 0xC800
OPTION_ROM_END_SEG   equ 0xE000

option_rom_scan:
    pusha
    push ds
    push es
    mov bx, OPTION_ROM_FIRST_SEG
.next:
    cmp bx, OPTION_ROM_END_SEG
    jae .done
    mov es, bx
    cmp word [es:0], 0xAA55
    jne .step
    movzx dx, byte [es:2]       ; size in 512-byte blocks
    mov cx, dx
    shl cx, 9                   ; bytes; 128 blocks (64 KiB) wraps to 0 and is skipped
    jz .step
    xor si, si
    xor ah, ah
.sum:
    add ah, [es:si]
    inc si
    loop .sum
    test ah, ah
    jnz .step
    push bx
    push dx
    push cs                     ; far call ES:0003, returning to .back
    push word .back
    push es
    push word 3
    retf
.back:
    pop dx
    pop bx
    shl dx, 5                   ; blocks -> paragraphs, rounded up to the next 2 KiB
    add dx, 0x7F
    and dx, 0xFF80
    add bx, dx
    jmp .next
.step:
    add bx, 0x80
    jmp .next
.done:
    pop es
    pop ds
    popa
    ret
