; workload.asm: the protected-mode benchmark workloads of bench/compare.sh, one bare 64 KiB ROM
; per workload (nasm -f bin -DWORKLOAD=n -DPASSES=n). Every machine (pc386, QEMU, Bochs) starts it
; at F000:FFF0 without a BIOS; it switches to protected mode with paging on (the first 4 MiB
; mapped 1:1 by one page table), runs PASSES passes of its workload, prints
; "CHECKSUM xxxxxxxx" on the debug console (port 0xE9) and exits through the debug-exit port 0xF4
; (pc386, QEMU); Bochs, which has no such port, then shuts down on a triple fault.
;
; WORKLOAD 1  ALU, calls and a REP MOVSD (256 dwords) in a small loop
; WORKLOAD 2  1, plus a 512-page working set (2 MiB at 2 MiB): each pass reads and writes every page
; WORKLOAD 3  2, plus a CR3 reload (a whole TLB flush) every pass
; WORKLOAD 4  3, plus 64 of the 512 pages made not present every pass: 64 page faults a pass, each
;             handled by a 7-instruction #PF handler that sets P and IRETs
; WORKLOAD 5  fault-heavy: every pass makes all 512 pages not present, reloads CR3 and touches
;             them: 512 faults a pass, little else
; PASSES 0 runs the set-up alone: the boot cost compare.sh subtracts.
;
; The checksum folds everything the passes computed (ALU results, the copied block, the pages
; read, the fault count), so machines that disagree on any of it print different checksums.
%ifndef WORKLOAD
%error "define WORKLOAD (1-5)"
%endif
%ifndef PASSES
%error "define PASSES"
%endif

GDT_BASE    equ 0x1000
IDT_BASE    equ 0x2000
STACK_TOP   equ 0x9F000
PAGE_DIR    equ 0x10000
PAGE_TABLE  equ 0x11000      ; maps linear 0-4 MiB to physical 0-4 MiB
COPY_SRC    equ 0x20000      ; the REP MOVSD block (1 KiB)
COPY_DST    equ 0x21000
FAULTS      equ 0x30000      ; the #PF handler's count
WSET        equ 0x200000     ; the working set: 512 pages
WSET_PAGES  equ 512
NP_PAGES    equ 64           ; WORKLOAD 4: pages made not present per pass
ALU_CALLS   equ 40           ; calls of mix per pass
SEL_CODE    equ 0x08
SEL_DATA    equ 0x10

section .text start=0 vstart=0xF0000
section .reset start=0xFFF0 vstart=0xFFFF0
    jmp 0xF000:(rm_entry - 0xF0000)
    times 16 - ($ - $$) db 0
section .text

align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF       ; flat 32-bit code, DPL 0
    dq 0x00CF92000000FFFF       ; flat data, DPL 0
gdt_end:
align 4
gdtr_value:
    dw gdt_end - gdt - 1
    dd GDT_BASE
idtr_value:
    dw 15 * 8 - 1               ; up to #PF: any other exception is a triple fault
    dd IDT_BASE
idtr_none:
    dw 0
    dd 0

bits 16
rm_entry:
    cli
    cld
    xor ax, ax
    mov es, ax
    mov ax, 0xF000
    mov ds, ax
    mov si, gdt - 0xF0000
    mov di, GDT_BASE
    mov cx, gdt_end - gdt
    rep movsb
    mov ebx, gdtr_value - 0xF0000
    o32 lgdt [bx]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword SEL_CODE:pm_entry

bits 32
pm_entry:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    mov esp, STACK_TOP
    ; #PF gate (interrupt gate, DPL 0)
    mov eax, pf_handler
    mov word [IDT_BASE + 14 * 8], ax
    mov word [IDT_BASE + 14 * 8 + 2], SEL_CODE
    mov word [IDT_BASE + 14 * 8 + 4], 0x8E00
    shr eax, 16
    mov word [IDT_BASE + 14 * 8 + 6], ax
    lidt [idtr_value]
    ; page directory: entry 0 -> the page table; the table maps 0-4 MiB 1:1, read/write, supervisor
    mov edi, PAGE_DIR
    xor eax, eax
    mov ecx, 1024
    rep stosd
    mov dword [PAGE_DIR], PAGE_TABLE | 3
    mov edi, PAGE_TABLE
    mov eax, 3
    mov ecx, 1024
.map:
    stosd
    add eax, 0x1000
    loop .map
    mov eax, PAGE_DIR
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp .paged
.paged:
    ; the copy source: a pattern; the working set's first dword of each page: its number
    mov edi, COPY_SRC
    mov eax, 0x9E3779B9
    mov ecx, 256
.fill:
    stosd
    rol eax, 5
    add eax, ecx
    loop .fill
    mov dword [FAULTS], 0
    mov edi, WSET
    xor eax, eax
.wsinit:
    mov [edi], eax
    inc eax
    add edi, 0x1000
    cmp eax, WSET_PAGES
    jne .wsinit

    mov ebp, PASSES             ; passes left
    mov eax, 0x12345678         ; the ALU state
    mov ebx, 0x0BADF00D
    xor edx, edx                ; the checksum
    test ebp, ebp
    jz .done
.pass:
%if WORKLOAD <= 4
    mov ecx, ALU_CALLS
.alu:
    call mix
    loop .alu
    add edx, eax
    push edx
    mov esi, COPY_SRC
    mov edi, COPY_DST
    mov ecx, 256
    rep movsd
    pop edx
    add edx, [COPY_DST + 4 * 255]
    inc dword [COPY_SRC + 4 * 255]
%endif
%if WORKLOAD == 4
    ; 64 pages of the working set made not present (a different 64 each pass)
    mov esi, ebp
    and esi, 7
    shl esi, 6                  ; first page: (pass & 7) * 64
    mov ecx, NP_PAGES
.unmap:
    and dword [PAGE_TABLE + (WSET >> 12) * 4 + esi * 4], ~1
    inc esi
    loop .unmap
%elif WORKLOAD == 5
    mov esi, PAGE_TABLE + (WSET >> 12) * 4
    mov ecx, WSET_PAGES
.unmap:
    and dword [esi], ~1
    add esi, 4
    loop .unmap
%endif
%if WORKLOAD >= 3
    mov ecx, cr3
    mov cr3, ecx                ; flushes the TLB
%endif
%if WORKLOAD >= 2
    ; every page of the working set: read its first dword, write a dword further in
    mov esi, WSET
    mov ecx, WSET_PAGES
.touch:
    add edx, [esi]
    mov [esi + 8], edx
    add esi, 0x1000
    loop .touch
%endif
    dec ebp
    jnz .pass
.done:
    add edx, [FAULTS]
    add edx, ebx
    mov eax, edx
    call print_checksum
    mov dx, 0xF4
    xor al, al
    out dx, al                  ; pc386, QEMU: exit
    lidt [idtr_none]            ; Bochs: a triple fault ends the run
    int3
    hlt

; The ALU part: a few dependent operations on EAX and EBX.
mix:
    add eax, ebx
    rol eax, 3
    xor ebx, eax
    sub ebx, 0x01234567
    imul eax, eax, 5
    shr ebx, 1
    adc eax, 0
    ret

; #PF: the page becomes present again and the access is restarted (7 instructions).
pf_handler:
    push eax
    mov eax, cr2
    shr eax, 12
    or dword [PAGE_TABLE + eax * 4], 1
    inc dword [FAULTS]
    pop eax
    add esp, 4                  ; the error code
    iretd

; "CHECKSUM " and EAX in hex, a newline, on port 0xE9.
print_checksum:
    mov esi, checksum_text
.text:
    mov al, [esi]
    test al, al
    jz .hex
    out 0xE9, al
    inc esi
    jmp .text
.hex:
    mov ecx, 8
.digit:
    rol edx, 4
    mov eax, edx
    and eax, 15
    mov al, [hex_digits + eax]
    out 0xE9, al
    loop .digit
    mov al, 10
    out 0xE9, al
    ret

checksum_text: db "CHECKSUM ", 0
hex_digits: db "0123456789ABCDEF"
