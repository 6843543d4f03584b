; linux_stub.asm: a tiny synthetic "bzImage" for `pc386 run --kernel` (boot protocol 2.15): a
; setup header, a real-mode stub in place of Linux's setup, and a 4 KiB "protected-mode part".
; Run with --append "console=ttyS0 pc386=stub" --initrd FILE (FILE starts with "INITRD!!"), --mem
; 32. The stub checks what the protocol promises a kernel: the segments and stack, the header
; fields a loader fills in (type_of_loader, CAN_USE_HEAP, heap_end_ptr, cmd_line_ptr and the
; command line, ramdisk_image/ramdisk_size: 4 KiB aligned, as high as possible below
; initrd_addr_max, above init_size), the initrd's and the 32-bit part's bytes in memory (through
; INT 15h AH=87h) and INT 15h E820; then "PASS linux_boot" on port 0xE9 and exit 0 through port
; 0xF4, or "FAIL linux_boot: <check>" and exit 1. Assembled with -DQEMU it leaves out pc386's
; choice of SP, heap_end_ptr and type_of_loader (QEMU's ID is B0h) and passes on `qemu-system-i386 -kernel` too (SeaBIOS).
    cpu 386
    bits 16
    org 0

SETUP_SECTS   equ 3
INIT_SIZE     equ 0x40000
INITRD_MAX    equ 0x00FFFFFF          ; below 16 MiB (RAM is 32 MiB: the limit decides)
BUF           equ 0x1000              ; scratch in the setup's segment

    times 0x1F1 - ($ - $$) db 0
setup_sects:      db SETUP_SECTS
root_flags:       dw 0
syssize:          dd 4096 / 16
ram_size:         dw 0
vid_mode:         dw 0xFFFF
root_dev:         dw 0
boot_flag:        dw 0xAA55
; 0x200: the real-mode entry (setup segment + 20h : 0)
                  jmp short start
header:           db "HdrS"
version:          dw 0x020F
realmode_swtch:   dd 0
start_sys_seg:    dw 0x1000
kernel_version:   dw 0
type_of_loader:   db 0
loadflags:        db 0x01             ; LOADED_HIGH
setup_move_size:  dw 0x8000
code32_start:     dd 0x100000
ramdisk_image:    dd 0
ramdisk_size:     dd 0
bootsect_kludge:  dd 0
heap_end_ptr:     dw 0
ext_loader_ver:   db 0
ext_loader_type:  db 0
cmd_line_ptr:     dd 0
initrd_addr_max:  dd INITRD_MAX
kernel_alignment: dd 0x1000
relocatable:      db 0
min_alignment:    db 12
xloadflags:       dw 0
cmdline_size:     dd 2047
hardware_subarch: dd 0
subarch_data:     dq 0
payload_offset:   dd 0
payload_length:   dd 0
setup_data:       dq 0
pref_address:     dq 0x100000
init_size:        dd INIT_SIZE
handover_offset:  dd 0
kernel_info:      dd 0

%macro FAIL_IF 2                      ; FAIL_IF cc, "check"
    j%-1 %%ok
    mov si, %%name
    jmp fail
%%name: db %2, 0
%%ok:
%endmacro

start:
    ; Segments and stack as the protocol's example loader sets them.
%ifndef QEMU
    cmp sp, 0xFE00
    FAIL_IF ne, "SP = heap end (FE00h)"
%endif
    mov ax, ds
    mov bx, es
    cmp ax, bx
    FAIL_IF ne, "ES = DS"
    mov bx, ss
    cmp ax, bx
    FAIL_IF ne, "SS = DS"
    mov bx, fs
    cmp ax, bx
    FAIL_IF ne, "FS = DS"
    mov bx, gs
    cmp ax, bx
    FAIL_IF ne, "GS = DS"
    mov bx, cs
    sub bx, 0x20
    cmp ax, bx
    FAIL_IF ne, "CS = DS + 20h"
    pushf
    pop ax
    test ax, 0x200
    FAIL_IF nz, "interrupts off"

    ; Header fields the loader fills in.
%ifdef QEMU
    cmp byte [type_of_loader], 0      ; QEMU's own ID, B0h
    FAIL_IF e, "type_of_loader set"
%else
    cmp byte [type_of_loader], 0xFF
    FAIL_IF ne, "type_of_loader FFh"
%endif
    test byte [loadflags], 0x80
    FAIL_IF z, "loadflags CAN_USE_HEAP"
    test byte [loadflags], 0x01
    FAIL_IF z, "loadflags LOADED_HIGH kept"
%ifndef QEMU
    cmp word [heap_end_ptr], 0xFC00
    FAIL_IF ne, "heap_end_ptr FC00h"
%endif

    ; The command line: below 640 KiB, past the setup's heap, and what --append said.
    mov eax, [cmd_line_ptr]
    cmp eax, 0xA0000 - 64
    FAIL_IF ae, "cmd_line_ptr below 640 KiB"
    mov edx, ds
    shl edx, 4
    add edx, 0xFE00
    cmp eax, edx
    FAIL_IF b, "cmd_line_ptr past the heap"
    push es
    mov bx, ax
    and bx, 15
    shr eax, 4
    mov es, ax
    mov si, expected_cmdline
.cmdline:
    mov al, [si]
    cmp al, [es:bx]
    jne .cmdline_bad
    inc si
    inc bx
    test al, al
    jnz .cmdline
    pop es
    jmp .cmdline_ok
.cmdline_bad:
    pop es
    mov si, msg_cmdline
    jmp fail
.cmdline_ok:

    ; The initrd: its size, 4 KiB aligned, above the kernel's init_size, below initrd_addr_max + 1,
    ; and as high as that allows (within 4 KiB).
    cmp dword [ramdisk_size], INITRD_BYTES
    FAIL_IF ne, "ramdisk_size"
    mov eax, [ramdisk_image]
    test eax, 0xFFF
    FAIL_IF nz, "ramdisk_image 4 KiB aligned"
    cmp eax, 0x100000 + INIT_SIZE
    FAIL_IF b, "ramdisk_image above the kernel's init_size"
    add eax, INITRD_BYTES
    cmp eax, INITRD_MAX + 1
    FAIL_IF a, "initrd below initrd_addr_max"
    cmp eax, INITRD_MAX + 1 - 0x1000
    FAIL_IF be, "initrd as high as allowed"
    mov eax, [ramdisk_image]
    call fetch16
    mov si, expected_initrd
    call compare8
    FAIL_IF ne, "initrd bytes at ramdisk_image"

    ; The protected-mode part at 0x100000.
    mov eax, 0x100000
    call fetch16
    mov si, expected_pm
    call compare8
    FAIL_IF ne, "protected-mode part at 100000h"

    ; E820, which Linux's setup calls first.
    mov eax, 0xE820
    mov edx, 0x534D4150
    xor ebx, ebx
    mov ecx, 20
    mov di, BUF + 0x100
    int 0x15
    FAIL_IF c, "INT 15h E820"
    cmp eax, 0x534D4150
    FAIL_IF ne, "INT 15h E820 'SMAP'"

    mov si, msg_pass
    call print
    xor al, al
    out 0xF4, al
    cli
    hlt

fail:
    push si
    mov si, msg_fail
    call print
    pop si
    call print
    mov al, 10
    out 0xE9, al
    mov al, 1
    out 0xF4, al
    cli
    hlt

print:
    lodsb
    test al, al
    jz .done
    out 0xE9, al
    jmp print
.done:
    ret

; Copies 16 bytes from linear EAX to DS:BUF through INT 15h AH=87h.
fetch16:
    push es
    mov [gdt + 0x12], ax               ; source base 15:0
    shr eax, 16
    mov [gdt + 0x14], al               ; 23:16
    mov [gdt + 0x17], ah               ; 31:24
    mov eax, ds
    shl eax, 4
    add eax, BUF
    mov [gdt + 0x1A], ax
    shr eax, 16
    mov [gdt + 0x1C], al
    mov [gdt + 0x1F], ah
    push ds
    pop es
    mov si, gdt
    mov cx, 8                          ; words
    mov ah, 0x87
    int 0x15
    pop es
    ret

; ZF set when the 8 bytes at DS:SI equal those at DS:BUF.
compare8:
    push di
    push es
    push ds
    pop es
    mov di, BUF
    mov cx, 8
    cld
    repe cmpsb
    pop es
    pop di
    ret

gdt:
    times 16 db 0
    dw 0xFFFF, 0
    db 0, 0x93, 0, 0                   ; source
    dw 0xFFFF, 0
    db 0, 0x93, 0, 0                   ; destination
    times 16 db 0

INITRD_BYTES    equ 5000
msg_pass:        db "PASS linux_boot", 10, 0
msg_fail:        db "FAIL linux_boot: ", 0
msg_cmdline:     db "the command line", 0
expected_cmdline: db "console=ttyS0 pc386=stub", 0
expected_initrd: db "INITRD!!"
expected_pm:     db "PM32stub"

    times (SETUP_SECTS + 1) * 512 - ($ - $$) db 0
; The protected-mode part (never run: only its bytes are checked).
    db "PM32stub"
    times 4096 - 8 db 0x90
