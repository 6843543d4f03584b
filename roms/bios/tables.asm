; tables.asm: read-only data: scancode translation, the INT 15h C0h configuration table and the
; INT 1Eh diskette parameter table (a 1.44M drive's; boot code copies it, INT 13h 08h points at it).

; Set-1 make code -> ASCII, unshifted and with Shift (0: no character).
scan_normal:
    db 0, 27, "1234567890-=", 8, 9                ; 00-0F
    db "qwertyuiop[]", 13, 0, "as"                ; 10-1F
    db "dfghjkl;'`", 0, "\zxcv"                   ; 20-2F
    db "bnm,./", 0, "*", 0, " ", 0, 0, 0, 0, 0, 0 ; 30-3F
    db 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "-", 0, 0, 0, "+", 0   ; 40-4F
    db 0, 0, 0, 0, 0, 0, 0, 0, 0                  ; 50-58
SCAN_TABLE_SIZE equ $ - scan_normal

scan_shift:
    db 0, 27, "!@#$%^&*()_+", 8, 0                ; 00-0F
    db "QWERTYUIOP{}", 13, 0, "AS"                ; 10-1F
    db 'DFGHJKL:"~', 0, "|ZXCV"                   ; 20-2F
    db "BNM<>?", 0, "*", 0, " ", 0, 0, 0, 0, 0, 0 ; 30-3F
    db 0, 0, 0, 0, 0, 0, 0, "789-456+1"           ; 40-4F
    db "230.", 0, 0, 0, 0, 0                      ; 50-58
%if $ - scan_shift != SCAN_TABLE_SIZE
%error "scancode tables differ in size"
%endif

config_table:
    dw 8                                          ; bytes that follow
    db 0xFC                                       ; model: AT
    db 0x01                                       ; submodel
    db 0x00                                       ; BIOS revision
    db 0x60                                       ; second 8259, RTC (INT 15h/4Fh is not called)
    db 0x00, 0x00, 0x00, 0x00                     ; feature bytes 2-5

floppy_param_table:
    db 0xAF, 0x02, 0x25, 0x02, 18, 0x1B, 0xFF, 0x6C, 0xF6, 0x0F, 0x08
