; pic_pit.asm: the two 8259A interrupt controllers (master vectors 0x08-0x0F, slave 0x70-0x77,
; cascade on IRQ 2) and channel 0 of the 8254 timer at 18.2 Hz.

pic_init:
    mov al, 0x11                  ; ICW1: edge triggered, cascade, ICW4 follows
    out PORT_PIC1_CMD, al
    out PORT_PIC2_CMD, al
    mov al, 0x08                  ; ICW2: vector bases
    out PORT_PIC1_DATA, al
    mov al, 0x70
    out PORT_PIC2_DATA, al
    mov al, 0x04                  ; ICW3: slave on IRQ 2
    out PORT_PIC1_DATA, al
    mov al, 0x02
    out PORT_PIC2_DATA, al
    mov al, 0x01                  ; ICW4: 8086 mode, normal EOI
    out PORT_PIC1_DATA, al
    out PORT_PIC2_DATA, al
    ; Unmask timer (0), keyboard (1), cascade (2), COM1 (4), diskette (6); on the slave the IDE
    ; channel (14).
    mov al, ~(0x01 | 0x02 | 0x04 | 0x10 | 0x40) & 0xFF
    out PORT_PIC1_DATA, al
    mov al, ~0x40 & 0xFF
    out PORT_PIC2_DATA, al
    ret

pit_init:
    mov al, 0x36                  ; channel 0, lobyte/hibyte, mode 3 (square wave), binary
    out PORT_PIT_CMD, al
    xor al, al                    ; divisor 65536: 1193182 / 65536 = 18.2 Hz
    out PORT_PIT_CH0, al
    out PORT_PIT_CH0, al
    ret

; On CPUs with a local APIC (later CPU models, e.g. QEMU's default), the 8259's INTR reaches the
; core through the APIC's LINT0 pin. Like a multiprocessor BIOS we set up "virtual wire" mode:
; APIC software-enabled, LINT0 = ExtINT, LINT1 = NMI. The APIC registers sit at 0xFEE00000, out
; of real-mode reach, so FS gets a flat 4 GiB limit through a moment in protected mode. A 386 has
; no CPUID and nothing is done.
apic_virtual_wire:
    pushfd
    pop eax
    mov ecx, eax
    xor eax, 1 << 21                  ; EFLAGS.ID can be toggled only when CPUID exists
    push eax
    popfd
    pushfd
    pop eax
    push ecx
    popfd
    xor eax, ecx
    test eax, 1 << 21
    jz .done
    ; An emulated 386 might let the ID bit toggle without having CPUID: a temporary #UD
    ; handler then skips the instruction and reports no CPUID leaves. DS = 0.
    mov word [6 * 4], cpuid_invalid_opcode
    cpu 586                           ; only reached on CPUs that have CPUID
    xor eax, eax
    cpuid
    mov word [6 * 4], dummy_iret
    test eax, eax
    jz .done
    mov eax, 1
    cpuid
    test edx, 1 << 9                  ; APIC present
    jz .done
    test edx, 1 << 5                  ; RDMSR/WRMSR present
    jz .done
    mov ecx, 0x1B                     ; IA32_APIC_BASE
    rdmsr
    test eax, 1 << 11                 ; globally disabled: the PIC is wired straight through
    jz .done
    and eax, 0xFFFFF000
    mov esi, eax
    cli
    o32 lgdt [cs:flat_gdt_pointer]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    mov bx, 8
    mov fs, bx                        ; flat data segment: base 0, limit 4 GiB
    and al, 0xFE
    mov cr0, eax
    or dword [fs:esi + 0xF0], 0x100   ; spurious vector register: APIC enabled
    mov dword [fs:esi + 0x350], 0x8700    ; LINT0: ExtINT, level
    mov dword [fs:esi + 0x360], 0x8400    ; LINT1: NMI, level
    xor bx, bx
    mov fs, bx
    cpu 386
.done:
    ret

; #UD during the CPUID probe: step over the 2-byte CPUID with EAX = 0 (no leaves).
cpuid_invalid_opcode:
    push bp
    mov bp, sp
    add word [bp+2], 2
    pop bp
    xor eax, eax
    iret

flat_gdt:
    dq 0
    dq 0x00CF92000000FFFF             ; data, base 0, limit 4 GiB, writable
flat_gdt_pointer:
    dw 15
    dd 0xF0000 + flat_gdt
