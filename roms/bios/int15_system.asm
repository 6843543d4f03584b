; int15_system.asm: INT 15h system services.
; 24h A20 gate (2400 off, 2401 on, 2402 status, 2403 support) through port 0x92;
; 86h wait CX:DX microseconds (timer tick resolution); 87h block move; 88h extended memory size;
; 90h/91h device busy/post hooks (no-ops); C0h configuration table;
; E801h memory size; E820h memory map. Anything else: CF=1, AH=86h.

SMAP equ 0x534D4150

int15_handler:
    sti
    cld
    ENTER_FRAME
    xor ax, ax
    mov ds, ax
    mov ax, EBDA_SEG
    mov fs, ax
    mov ax, [bp+F_AX]
    cmp ax, 0xE820
    je .e820
    cmp ax, 0xE801
    je .e801
    cmp ah, 0x24
    je .a20
    cmp ah, 0x88
    je .ext_memory
    cmp ah, 0x86
    je .wait
    cmp ah, 0x87
    je .block_move
    cmp ah, 0xC0
    je .config
    cmp ah, 0x90
    je .hook
    cmp ah, 0x91
    je .hook
.unsupported:
    mov byte [bp+F_AH], 0x86
.fail:
    FRAME_CF 1
    LEAVE_FRAME
.ok:
    FRAME_CF 0
    LEAVE_FRAME

.hook:
    mov byte [bp+F_AH], 0
    jmp .ok

; AX=E820h, EDX='SMAP', EBX = continuation (0 first), ECX = buffer size, ES:DI = buffer.
; Returns EAX='SMAP', ECX=20, EBX = next continuation (0 after the last entry).
.e820:
    cmp dword [bp+F_EDX], SMAP
    jne .unsupported
    cmp dword [bp+F_ECX], 20
    jb .unsupported
    mov ebx, [bp+F_EBX]
    movzx eax, word [fs:EBDA_E820_COUNT]
    cmp ebx, eax
    jae .unsupported
    imul si, bx, 20
    add si, EBDA_E820
    mov es, [bp+F_ES]
    mov di, [bp+F_DI]
    mov cx, 5
.copy:
    mov eax, [fs:si]
    mov [es:di], eax
    add si, 4
    add di, 4
    loop .copy
    inc ebx
    movzx eax, word [fs:EBDA_E820_COUNT]
    cmp ebx, eax
    jb .more
    xor ebx, ebx
.more:
    mov [bp+F_EBX], ebx
    mov dword [bp+F_EAX], SMAP
    mov dword [bp+F_ECX], 20
    jmp .ok

; AX=CX = KiB between 1 MiB and 16 MiB, BX=DX = 64 KiB blocks above 16 MiB.
.e801:
    mov eax, [fs:EBDA_RAM_TOP]
    xor ebx, ebx
    cmp eax, 0x1000000
    jbe .below_16m
    mov ebx, eax
    sub ebx, 0x1000000
    shr ebx, 16
    cmp ebx, 0xFFFF
    jbe .blocks_ok
    mov ebx, 0xFFFF
.blocks_ok:
    mov eax, 0x1000000
.below_16m:
    sub eax, 0x100000
    shr eax, 10
    mov [bp+F_AX], ax
    mov [bp+F_CX], ax
    mov [bp+F_BX], bx
    mov [bp+F_DX], bx
    jmp .ok

; AX = KiB above 1 MiB (at most 0xFFFF).
.ext_memory:
    mov eax, [fs:EBDA_EXT_KIB]
    cmp eax, 0xFFFF
    jbe .ext_ok
    mov ax, 0xFFFF
.ext_ok:
    mov [bp+F_AX], ax
    jmp .ok

.config:
    mov word [bp+F_ES], BIOS_SEG
    mov word [bp+F_BX], config_table
    mov byte [bp+F_AH], 0
    jmp .ok

.a20:
    mov al, [bp+F_AL]
    cmp al, 0x00
    je .a20_off
    cmp al, 0x01
    je .a20_on
    cmp al, 0x02
    je .a20_status
    cmp al, 0x03
    je .a20_support
    jmp .unsupported
.a20_off:
    in al, PORT_FAST_A20
    and al, ~0x03 & 0xFF              ; never write bit 0: it resets the machine
    out PORT_FAST_A20, al
    jmp .a20_done
.a20_on:
    in al, PORT_FAST_A20
    and al, ~0x01 & 0xFF
    or al, 0x02
    out PORT_FAST_A20, al
.a20_done:
    mov byte [bp+F_AH], 0
    jmp .ok
.a20_status:
    call a20_enabled
    mov [bp+F_AL], al
    mov byte [bp+F_AH], 0
    jmp .ok
.a20_support:
    mov word [bp+F_BX], 0x0002        ; port 0x92 (the 8042 output port is not used by the BIOS)
    mov byte [bp+F_AH], 0
    jmp .ok

; Wait CX:DX microseconds with interrupts on; the timer tick (54925 us) is the resolution.
.wait:
    movzx eax, word [bp+F_CX]
    shl eax, 16
    mov ax, [bp+F_DX]
    xor edx, edx
    mov ecx, 54925
    div ecx
    inc eax                           ; at least one tick boundary
    mov ebx, [BDA_TICKS]
.tick:
    sti
    hlt
    mov ecx, [BDA_TICKS]
    sub ecx, ebx
    jns .tick_diff
    add ecx, TICKS_PER_DAY            ; midnight wrapped
.tick_diff:
    cmp ecx, eax
    jb .tick
    mov byte [bp+F_AH], 0
    jmp .ok

; AH=87h: copy CX words between the source and destination described by the descriptors at
; ES:SI+10h and ES:SI+18h of the caller's table (any physical addresses). Runs with interrupts
; off in protected mode with flat DS/ES, A20 on for the copy and restored afterwards.
.block_move:
    movzx ecx, word [bp+F_CX]
    cmp ecx, 0x8000
    ja .move_bad
    mov es, [bp+F_ES]
    mov si, [bp+F_SI]
    mov eax, [es:si + 0x12]           ; source base bits 0-23 (+ access byte)
    and eax, 0x00FFFFFF
    mov bl, [es:si + 0x17]
    shl ebx, 24
    or eax, ebx
    mov edx, eax                      ; EDX = source
    mov eax, [es:si + 0x1A]
    and eax, 0x00FFFFFF
    xor ebx, ebx
    mov bl, [es:si + 0x1F]
    shl ebx, 24
    or eax, ebx
    mov edi, eax                      ; EDI = destination
    mov esi, edx
    cli
    in al, PORT_FAST_A20
    push ax
    and al, ~0x01 & 0xFF
    or al, 0x02
    out PORT_FAST_A20, al
    o32 lgdt [cs:flat_gdt_pointer]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    mov dx, 8
    mov ds, dx
    mov es, dx
    a32 rep movsw
    mov eax, cr0
    and al, 0xFE
    mov cr0, eax
    xor dx, dx
    mov ds, dx
    mov es, dx
    pop ax
    and al, ~0x01 & 0xFF
    out PORT_FAST_A20, al
    sti
    mov byte [bp+F_AH], 0
    jmp .ok
.move_bad:
    mov byte [bp+F_AH], 0x01
    jmp .fail

; AL = 1 when A20 is enabled: 0000:0500 and FFFF:0510 differ (tested by changing one of them).
a20_enabled:
    push ds
    push es
    push bx
    xor ax, ax
    mov ds, ax
    dec ax
    mov es, ax
    mov bl, [0x500]
    mov al, [es:0x510]
    not byte [0x500]
    cmp al, [es:0x510]
    mov [0x500], bl
    mov al, 1
    je .on
    xor al, al
.on:
    pop bx
    pop es
    pop ds
    ret
