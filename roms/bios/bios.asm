; bios.asm: the pc386 BIOS, a 64 KiB real-mode ROM image for segment F000 (mapped at 0xF0000 and at
; 0xFFFF0000). This file only fixes the layout: the services live in the included files, the
; power-on jump sits at F000:FFF0 and the ROM date and model byte follow it, as on an IBM AT.
    cpu 386
    bits 16
    org 0

%include "defs.inc"

section .text start=0

rom_start:
%include "post.asm"
%include "ivt.asm"
%include "pic_pit.asm"
%include "memory.asm"
%include "serial.asm"
%include "console.asm"
%include "vga.asm"
%include "int10_video.asm"
%include "keyboard.asm"
%include "int16_keyboard.asm"
%include "ata.asm"
%include "int13_disk.asm"
%include "floppy.asm"
%include "int13_status.asm"
%include "int15_system.asm"
%include "int1a_time.asm"
%include "option_roms.asm"
%include "int19_boot.asm"
%include "tables.asm"

code_end:
    ; (a negative count here means the code has grown into the reset vector)
    times 0xFFF0 - ($ - $$) db 0xFF

; F000:FFF0: the CPU starts here after reset (CS base 0xFFFF0000, IP 0xFFF0).
reset_vector:
    jmp BIOS_SEG:post_entry
    db "11/22/26"                 ; F000:FFF5 ROM date
    db 0                          ; F000:FFFD
    db 0xFC                       ; F000:FFFE model byte: PC/AT
    db 0                          ; F000:FFFF
