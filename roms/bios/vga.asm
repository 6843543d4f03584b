; vga.asm: the video hardware behind INT 10h. If a VGA option ROM sits at C000:0000 (signature
; 0x55AA, valid checksum) it is initialised with a far call to C000:0003 and keeps INT 10h; our
; INT 10h then only echoes teletype output and chains to it. Otherwise the VGA registers are
; programmed for text mode 3 (80x25, 16 colours, memory at 0xB8000, EGA palette in the DAC).
; No font is loaded in that case: a real display would need one in plane 2; emulators that
; render text mode with their own font (and the headless consoles) do not.

VGA_ROM_SEG equ 0xC000

; Mode 3 register values (standard VGA).
vga_mode3_seq:  db 0x03, 0x00, 0x03, 0x00, 0x02
vga_mode3_crtc: db 0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, 0x00
                db 0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x1F, 0x96, 0xB9, 0xA3, 0xFF
vga_mode3_gc:   db 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF
vga_mode3_attr: db 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B, 0x3C
                db 0x3D, 0x3E, 0x3F, 0x0C, 0x00, 0x0F, 0x08, 0x00

; Try the option ROM, else program the registers. DS = 0.
vga_init:
    push es
    mov ax, VGA_ROM_SEG
    mov es, ax
    cmp word [es:0], 0xAA55
    jne .registers
    ; checksum over the ROM's declared size must be 0
    movzx cx, byte [es:2]
    shl cx, 9
    jz .registers
    xor si, si
    xor ah, ah
.sum:
    add ah, [es:si]
    inc si
    loop .sum
    test ah, ah
    jnz .registers
    pop es
    call far [cs:vga_rom_entry]
    ; keep the ROM's INT 10h for chaining and put ours back in front of it
    xor ax, ax
    mov ds, ax
    push fs
    mov ax, EBDA_SEG
    mov fs, ax
    mov eax, [0x10 * 4]
    mov [fs:EBDA_VGA_INT10], eax
    pop fs
    mov word [0x10 * 4], int10_handler
    mov word [0x10 * 4 + 2], BIOS_SEG
    ret
.registers:
    pop es
    call vga_set_mode3_registers
    ret

vga_rom_entry: dw 3, VGA_ROM_SEG

vga_set_mode3_registers:
    pusha
    mov dx, 0x3C2
    mov al, 0x67                      ; misc output: colour, 25 MHz clock, RAM enabled
    out dx, al
    ; sequencer
    mov dx, 0x3C4
    xor bx, bx
.seq:
    mov al, bl
    mov ah, [cs:vga_mode3_seq + bx]
    out dx, ax
    inc bx
    cmp bx, 5
    jb .seq
    ; CRTC: clear the write protection of registers 0-7 first
    mov dx, PORT_CRTC_INDEX
    mov ax, 0x0E11
    out dx, ax
    xor bx, bx
.crtc:
    mov al, bl
    mov ah, [cs:vga_mode3_crtc + bx]
    out dx, ax
    inc bx
    cmp bx, 25
    jb .crtc
    ; graphics controller
    mov dx, 0x3CE
    xor bx, bx
.gc:
    mov al, bl
    mov ah, [cs:vga_mode3_gc + bx]
    out dx, ax
    inc bx
    cmp bx, 9
    jb .gc
    ; attribute controller: reset the index/data flip-flop, then index and value pairs
    mov dx, 0x3DA
    in al, dx
    mov dx, 0x3C0
    xor bx, bx
.attr:
    mov al, bl
    out dx, al
    mov al, [cs:vga_mode3_attr + bx]
    out dx, al
    inc bx
    cmp bx, 21
    jb .attr
    mov al, 0x20                      ; enable the display
    out dx, al
    ; DAC: the 64 EGA colours (bits 2/1/0 = 2/3 of red/green/blue, bits 5/4/3 = 1/3)
    mov dx, 0x3C8
    xor al, al
    out dx, al
    inc dx
    xor bx, bx
.dac:
    mov cl, 2                         ; red: bit 2 and bit 5
    call .component
    mov cl, 1                         ; green: bits 1 and 4
    call .component
    mov cl, 0                         ; blue: bits 0 and 3
    call .component
    inc bx
    cmp bx, 64
    jb .dac
    popa
    ret
; Output the 6-bit intensity of colour BL for the component whose primary bit is CL.
.component:
    xor al, al
    bt bx, cx
    jnc .no_primary
    add al, 42
.no_primary:
    add cl, 3
    bt bx, cx
    jnc .no_secondary
    add al, 21
.no_secondary:
    out dx, al
    ret
