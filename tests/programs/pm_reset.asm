; pm_reset: a triple fault resets the machine (Intel 386 PRM 9.8.8: a fault while delivering #DF
; shuts the processor down; a PC turns the shutdown cycle into a reset).
;
; First boot: CMOS byte 38h (unused without a BIOS; QEMU clears the shutdown status byte 0Fh on a
; reset, so that one cannot carry the flag) is not A5h: it is set to A5h, a marker is
; written to RAM, the IDT limit is set to 0 and UD2 runs: #UD cannot be delivered (#GP), nor can
; the #GP (#DF), nor the #DF: shutdown. Second boot (from F000:FFF0 again): the byte is A5h, the
; RAM marker survived the reset (a reset is not a power cycle), PASS.
;
; On QEMU this runs without -no-reboot (with it, QEMU exits on the triple fault).
%define TEST_NAME "pm_reset"
%include "pm_lib.inc"

MARKER      equ 0x9F000
CMOS_FLAG   equ 0x38

main:
    mov al, CMOS_FLAG
    out 0x70, al
    in al, 0x71
    cmp al, 0xA5
    je .second_boot
    PRINT "first boot: triple fault now"
    mov al, CMOS_FLAG
    out 0x70, al
    mov al, 0xA5
    out 0x71, al
    mov dword [MARKER], 0x5EB0075E
    lidt [idtr_empty]
    ud2
    PRINT "FAIL pm_reset: execution continued after the triple fault"
    mov eax, 1
    jmp exit

.second_boot:
    mov al, CMOS_FLAG
    out 0x70, al
    xor al, al
    out 0x71, al
    CHECK_EQ eax, eax, "the machine restarted at F000:FFF0 after the triple fault (CMOS flag seen)"
    CHECK_EQ dword [MARKER], 0x5EB0075E, "RAM kept its contents across the reset"
    ret

[section .rodata]
align 4
idtr_empty:
    dw 0
    dd 0
__SECT__
