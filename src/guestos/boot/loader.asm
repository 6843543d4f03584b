; loader.asm: the first sectors of the system partition, loaded at 0x8000 by the MBR, followed in
; the same file by the kernel (incbin KERNEL_BIN, a flat binary linked at 0xC0100000).
;
; Real mode:  load the kernel to 0x10000 (INT 13h AH=42h, 64 sectors a call), read the BIOS
;             memory map (INT 15h E820, compacted to 20-byte entries; AH=88h as a fallback),
;             enable A20 (INT 15h AX=2401h and port 0x92).
; Protected:  copy the kernel to 1 MiB, map the first 4 MiB at 0 and at 0xC0000000 (one page table
;             shared by both directory entries), enable paging and jump to 0xC0100000 with
;             EAX = BOOT_MAGIC and EBX = the physical address of struct boot_info (kernel/boot.h).
bits 16
org 0x8000

%ifndef LOADER_SECTORS
%define LOADER_SECTORS 8
%endif
PART_TABLE   equ 0x7C00 + 0x1BE       ; the MBR is still in memory
KERNEL_BUF   equ 0x10000              ; real-mode landing zone (up to 0x9F000)
KERNEL_PHYS  equ 0x100000
KERNEL_ENTRY equ 0xC0100000
BOOT_INFO    equ 0x5000               ; struct boot_info, then the E820 entries
E820_MAP     equ BOOT_INFO + 16
E820_MAX     equ 32
BOOT_PD      equ 0x1000
BOOT_PT      equ 0x2000
BOOT_MAGIC   equ 0x36384221           ; "!B86"

loader:
    mov [drive], dl
    mov si, msg_hello
    call print

    ; ---- the kernel, 64 sectors (32 KiB) at a time, to KERNEL_BUF ----
    mov eax, [PART_TABLE + 8]
    add eax, LOADER_SECTORS
    mov [dap.lba], eax
    mov word [dap.seg], KERNEL_BUF >> 4
    mov word [left], KERNEL_SECTORS
.next_chunk:
    mov ax, [left]
    test ax, ax
    jz .loaded
    cmp ax, 64
    jbe .count
    mov ax, 64
.count:
    mov [dap.count], ax
    mov si, dap
    mov dl, [drive]
    mov ah, 0x42
    int 0x13
    jc disk_error
    mov ax, [dap.count]
    sub [left], ax
    movzx eax, ax
    add [dap.lba], eax
    shl ax, 5                         ; sectors -> paragraphs
    add [dap.seg], ax
    jmp .next_chunk
.loaded:

    ; ---- memory map ----
    xor ebx, ebx
    xor bp, bp                        ; entries stored
    mov di, e820_tmp
.e820:
    mov eax, 0xE820
    mov edx, 0x534D4150               ; "SMAP"
    mov ecx, 24
    mov dword [e820_tmp + 20], 1      ; ACPI 3 "valid" bit, for BIOSes that honour it
    int 0x15
    jc .e820_done
    cmp eax, 0x534D4150
    jne .e820_done
    cmp ecx, 20
    jb .e820_skip
    mov si, e820_tmp                  ; compact to 20 bytes
    mov ax, bp
    mov cx, 20
    mul cx
    add ax, E820_MAP
    push di
    mov di, ax
    mov cx, 20
    rep movsb
    pop di
    inc bp
.e820_skip:
    test ebx, ebx
    jz .e820_done
    cmp bp, E820_MAX
    jb .e820
.e820_done:
    test bp, bp
    jnz .have_map
    call map_from_88h
.have_map:
    movzx eax, bp
    mov [BOOT_INFO + 0], eax          ; boot_info.e820_count
    mov dword [BOOT_INFO + 4], E820_MAP
    movzx eax, byte [drive]
    mov [BOOT_INFO + 8], eax
    mov dword [BOOT_INFO + 12], KERNEL_SECTORS

    ; ---- A20: ask the BIOS, then make sure through port 0x92 ----
    mov ax, 0x2401
    int 0x15
    in al, 0x92
    or al, 2
    and al, 0xFE                      ; never the reset bit
    out 0x92, al

    ; ---- protected mode ----
    cli
    lgdt [gdt_desc]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    jmp 0x08:pm32

; Fallback map when E820 is missing: conventional memory and the AH=88h extended memory.
map_from_88h:
    int 0x12                          ; AX = KiB below 640 KiB
    movzx eax, ax
    shl eax, 10
    mov dword [E820_MAP + 0], 0
    mov dword [E820_MAP + 4], 0
    mov [E820_MAP + 8], eax
    mov dword [E820_MAP + 12], 0
    mov dword [E820_MAP + 16], 1
    mov ah, 0x88
    int 0x15
    movzx eax, ax
    shl eax, 10
    mov dword [E820_MAP + 20], KERNEL_PHYS
    mov dword [E820_MAP + 24], 0
    mov [E820_MAP + 28], eax
    mov dword [E820_MAP + 32], 0
    mov dword [E820_MAP + 36], 1
    mov bp, 2
    ret

disk_error:
    mov si, msg_disk
    call print
.halt:
    cli
    hlt
    jmp .halt

; Prints the NUL-terminated string at DS:SI with INT 10h teletype.
print:
    lodsb
    test al, al
    jz .done
    mov ah, 0x0E
    mov bx, 7
    int 0x10
    jmp print
.done:
    ret

bits 32
pm32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, 0x7C00
    cld
    mov esi, KERNEL_BUF
    mov edi, KERNEL_PHYS
    mov ecx, KERNEL_SECTORS * 128
    rep movsd
    ; boot page tables: directory entries 0 and 768 share one table mapping 0..4 MiB
    mov edi, BOOT_PD
    xor eax, eax
    mov ecx, 1024
    rep stosd
    mov edi, BOOT_PT
    mov eax, 0x003                    ; present, writable
    mov ecx, 1024
.pte:
    stosd
    add eax, 4096
    loop .pte
    mov dword [BOOT_PD], BOOT_PT | 3
    mov dword [BOOT_PD + 768 * 4], BOOT_PT | 3
    mov eax, BOOT_PD
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    mov eax, BOOT_MAGIC
    mov ebx, BOOT_INFO
    mov ecx, KERNEL_ENTRY
    jmp ecx

align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF             ; 0x08 code, flat 4 GiB
    dq 0x00CF92000000FFFF             ; 0x10 data, flat 4 GiB
gdt_desc:
    dw 3 * 8 - 1
    dd gdt

align 4
dap:
    db 16, 0
.count: dw 0
    dw 0                              ; offset
.seg: dw 0
.lba: dd 0, 0

drive: db 0
left: dw 0
msg_hello: db "pc386 loader", 13, 10, 0
msg_disk: db "loader: disk read error", 13, 10, 0
align 4
e820_tmp: times 24 db 0

    times LOADER_SECTORS * 512 - ($ - $$) db 0
kernel_start:
    incbin KERNEL_BIN
kernel_end:
    times (512 - ($ - $$) % 512) % 512 db 0
KERNEL_SECTORS equ (kernel_end - kernel_start + 511) / 512
; The kernel must fit between KERNEL_BUF and 0x9F000 (the EBDA): 1144 sectors.
    times -((KERNEL_SECTORS > (0x9F000 - KERNEL_BUF) / 512) * 1) db 0
