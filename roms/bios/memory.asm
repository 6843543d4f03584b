; memory.asm: memory sizing from the CMOS and the E820 map. Base memory is 640 KiB minus the 1 KiB
; EBDA; RAM above 1 MiB comes from CMOS 0x30/0x31 (KiB above 1 MiB, up to 64 MiB) or, when
; non-zero, 0x34/0x35 (64 KiB blocks above 16 MiB). The E820 map is built once here and handed
; out by INT 15h AX=E820h.

; AL = CMOS register -> AL = value.
cmos_read:
    out PORT_CMOS_INDEX, al
    in al, PORT_CMOS_DATA
    ret

; AL = CMOS register, AH = value.
cmos_write:
    out PORT_CMOS_INDEX, al
    mov al, ah
    out PORT_CMOS_DATA, al
    ret

memory_init:
    push fs
    mov ax, EBDA_SEG
    mov fs, ax
    mov word [BDA_MEM_KIB], BASE_MEM_KIB
    mov word [BDA_EBDA_SEG], EBDA_SEG
    mov word [BDA_EQUIPMENT], 0x0020   ; 80x25 colour video; serial_init adds COM1

    ; Blocks of 64 KiB above 16 MiB first.
    mov al, 0x35
    call cmos_read
    mov ah, al
    mov al, 0x34
    call cmos_read
    movzx ebx, ax
    test ebx, ebx
    jz .small
    shl ebx, 16
    add ebx, 0x1000000
    jmp .have_top
.small:
    mov al, 0x31
    call cmos_read
    mov ah, al
    mov al, 0x30
    call cmos_read
    movzx ebx, ax
    shl ebx, 10
    add ebx, 0x100000
.have_top:
    mov [fs:EBDA_RAM_TOP], ebx
    mov eax, ebx
    sub eax, 0x100000
    shr eax, 10
    mov [fs:EBDA_EXT_KIB], eax

    ; The E820 map: base memory, the EBDA, the BIOS ROM, extended memory, the ROM's high alias.
    mov di, EBDA_E820
    xor eax, eax
    mov ecx, BASE_MEM_KIB * 1024
    mov dl, 1
    call .add_entry
    mov eax, BASE_MEM_KIB * 1024
    mov ecx, EBDA_KIB * 1024
    mov dl, 2
    call .add_entry
    mov eax, 0xF0000
    mov ecx, 0x10000
    mov dl, 2
    call .add_entry
    mov eax, 0x100000
    mov ecx, [fs:EBDA_RAM_TOP]
    sub ecx, eax
    jz .no_ext
    mov dl, 1
    call .add_entry
.no_ext:
    mov eax, 0xFFFF0000
    mov ecx, 0x10000
    mov dl, 2
    call .add_entry
    pop fs
    ret

; Append an entry at FS:DI: base EAX, length ECX, type DL.
.add_entry:
    mov [fs:di], eax
    mov dword [fs:di+4], 0
    mov [fs:di+8], ecx
    mov dword [fs:di+12], 0
    movzx edx, dl
    mov [fs:di+16], edx
    add di, 20
    inc word [fs:EBDA_E820_COUNT]
    ret
