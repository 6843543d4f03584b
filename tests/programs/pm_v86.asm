; pm_v86: virtual-8086 mode (Intel 386 PRM chapter 15) and the I/O permission bitmap (chapter 8).
;
; IRET into V86 mode (only at CPL 0: POPFD, and IRET at CPL 3, ignore VM; real-mode segments: CS = F000 runs this ROM, SS:SP, DS-relative data;
; PUSHFD shows no VM bit; SMSW shows PE), INT n with IOPL 3 leaving V86 through a DPL 3 gate to
; ring 0 (TSS stack, frame with GS FS DS ES SS ESP EFLAGS CS EIP, data segment registers null in
; the handler) and IRET back restoring them; a gate to DPL 3 code is #GP(selector) from V86; CLI/STI/PUSHF/POPF/IRET working with IOPL 3 (POPF
; not changing IOPL); with IOPL 0 CLI, STI, PUSHF, POPF, INT n and IRET are #GP(0) while INT3 is
; not IOPL-sensitive (it reaches its DPL 3 gate); LAR, VERR, SLDT, ARPL are #UD and LGDT, MOV
; CR0, HLT #GP(0) in V86 mode, SMSW works; an exception in V86 (#UD) with the V86 frame;
; the I/O permission bitmap in V86 (at IOPL 0 and 3: a port with its bit set is #GP(0), a word
; access overlapping it too) and at ring 3 with IOPL < CPL (the bitmap decides; with IOPL 3 it is
; not consulted); a TSS limit that ends the bitmap early denies the ports past it.
;
; Only for a 386 (left out of the QEMU and Bochs builds, later CPUs dropped it): LOCK is
; IOPL-sensitive in V86 mode (the 386 manual, 15.4): #GP(0) at IOPL 0.
; Only on pc386 (left out of the -DQEMU build): IRET at CPL 3 with VM set in the image. The 386
; enters V86 mode only from CPL 0; QEMU 7.2 enters it from any CPL (and then runs garbage).
%define TEST_NAME "pm_v86"
%include "pm_lib.inc"

V_V86INT    equ 0x31
EFL_VM      equ 0x20000
IOMAP       equ TSS0_BASE + TSS0_IOMAP

[absolute TEST_VARS]
v_cs:       resw 1      ; written by V86 code (DS = 0)
v_ds_val:   resw 1
v_es:       resw 1
v_fs:       resw 1
v_gs:       resw 1
v_ss:       resw 1
v_flags:    resd 1
v_flags2:   resd 1
v_flags3:   resd 1
v_msw:      resw 1
v_mark:     resw 1
vi_esp:     resd 1      ; what the ring-0 handler of INT 31h saw
vi_ds:      resd 1
vi_cpl:     resd 1
vi_frame:   resd 9
r3_ok:      resd 1
section .text


main:
    SET_GATE V_V86INT, v86_int_handler, SEL_CODE0, 0xEE
    mov word [0x9000 + 0x10], 0x4242         ; read as 0900:0010 in V86

    ; --- Into V86 mode and back -------------------------------------------------------------------
    ENTER_V86 3, v86_basics
    CHECK_EQ dword [v_cs], 0xF000, "V86: CS = F000 (real-mode style)"
    movzx eax, word [v_ss]
    CHECK_EQ eax, V86_SS, "V86: SS from the IRET frame"
    CHECK_BITS dword [v_flags], EFL_VM, 0, "V86: PUSHFD shows VM clear"
    CHECK_BITS dword [v_flags], 0x3000, 0x3000, "V86: PUSHFD shows IOPL 3"
    movzx eax, word [v_msw]
    and eax, 1
    CHECK_EQ eax, 1, "V86: SMSW shows PE"
    movzx eax, word [v_mark]
    CHECK_EQ eax, 0x4242, "V86: 0900:0010 addresses linear 9010h"
    CHECK_EQ dword [0x9000 + 0x20], 0x600D, "V86: a write through DS=0900 lands at linear 9020h"
    CHECK_BITS dword [v_flags2], 0x200, 0, "V86 IOPL 3: CLI clears IF"
    CHECK_BITS dword [v_flags3], 0x3200, 0x3200, "V86 IOPL 3: STI sets IF, POPF leaves IOPL 3"

    ; --- Only IRET at CPL 0 enters V86 mode -------------------------------------------------------
    push dword 0x20002          ; POPFD never sets VM
    popfd
    xor eax, eax
    mov ax, cs
    CHECK_EQ eax, SEL_CODE0, "POPFD with VM in the image at CPL 0: still protected mode"
%ifndef QEMU
    RING3
    push dword 0x20002
    push dword SEL_CODE3 | 3
    push dword .r3_after
    iretd                       ; at CPL 3 the VM bit of the image is ignored
.r3_after:
    xor eax, eax
    mov ax, cs
    END_RING3
    CHECK_EQ eax, SEL_CODE3 | 3, "IRET with VM in the image at CPL 3: VM ignored"
%endif

    ; --- INT n out of V86 mode and IRET back ------------------------------------------------------
    ENTER_V86 3, v86_int
    CHECK_EQ dword [vi_esp], STACK0_TSS - 36, "INT from V86: ring-0 handler at ESP0 - 36"
    CHECK_EQ dword [vi_cpl], 0, "...at CPL 0"
    CHECK_EQ dword [vi_ds], 0, "...with DS null"
    CHECK_EQ dword [vi_frame + 0], v86_int.after - 0xF0000, "...frame: IP after the INT"
    CHECK_EQ dword [vi_frame + 4], 0xF000, "...CS"
    CHECK_BITS dword [vi_frame + 8], EFL_VM | 0x3000, EFL_VM | 0x3000, "...EFLAGS with VM and IOPL"
    CHECK_EQ dword [vi_frame + 12], V86_SP, "...ESP"
    CHECK_EQ dword [vi_frame + 16], V86_SS, "...SS"
    CHECK_EQ dword [vi_frame + 20], 0x1234, "...ES"
    CHECK_EQ dword [vi_frame + 24], 0, "...DS"
    CHECK_EQ dword [vi_frame + 28], 0x2345, "...FS"
    CHECK_EQ dword [vi_frame + 32], 0x3456, "...GS"
    movzx eax, word [v_es]
    CHECK_EQ eax, 0x1234, "IRET back to V86 restores ES"
    movzx eax, word [v_fs]
    CHECK_EQ eax, 0x2345, "...FS"
    movzx eax, word [v_gs]
    CHECK_EQ eax, 0x3456, "...GS"

    SET_GATE 0x32, v86_int_handler, SEL_CODE3 | 3, 0xEE
    EXPECT_FAULT V_GP, SEL_CODE3, "INT from V86 through a gate to DPL 3 code: #GP(code selector)"
    ENTER_V86 3, v86_int32
    END_EXPECT

    ; --- Exceptions in V86 mode -----------------------------------------------------------------------
    EXPECT_FAULT V_UD, NOERR, "V86: UD2 exits to the ring-0 #UD handler"
    ENTER_V86 3, v86_ud
    END_EXPECT
    CHECK_EQ dword [exc_eip], v86_ud.ud - 0xF0000, "...saved IP = the UD2"
    CHECK_EQ dword [exc_cs], 0xF000, "...saved CS"
    CHECK_BITS dword [exc_eflags], EFL_VM, EFL_VM, "...saved EFLAGS has VM"
    CHECK_EQ dword [exc_ss3], V86_SS, "...saved SS"
    CHECK_EQ dword [exc_v86_segs + 0], 0x0800, "...saved ES"
    CHECK_EQ dword [exc_v86_segs + 4], 0, "...saved DS"

    ; --- IOPL-sensitive instructions at IOPL 0 ---------------------------------------------------
    EXPECT_FAULT V_GP, 0, "V86 IOPL 0: CLI is #GP(0)"
    ENTER_V86 0, v86_cli
    END_EXPECT
    CHECK_EQ dword [exc_eip], v86_cli - 0xF0000, "...saved IP = the CLI"
    EXPECT_FAULT V_GP, 0, "V86 IOPL 0: STI is #GP(0)"
    ENTER_V86 0, v86_sti
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "V86 IOPL 0: PUSHF is #GP(0)"
    ENTER_V86 0, v86_pushf
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "V86 IOPL 0: POPF is #GP(0)"
    ENTER_V86 0, v86_popf
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "V86 IOPL 0: INT 31h is #GP(0)"
    ENTER_V86 0, v86_intn
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "V86 IOPL 0: IRET is #GP(0)"
    ENTER_V86 0, v86_iret
    END_EXPECT
%ifndef NOT_386
    ; LOCK is IOPL-sensitive in V86 mode on the 386 (its manual, 15.4; later CPUs dropped it).
    EXPECT_FAULT V_GP, 0, "V86 IOPL 0: LOCK is #GP(0) (386 only)"
    ENTER_V86 0, v86_lock
    END_EXPECT
    CHECK_EQ dword [exc_eip], v86_lock - 0xF0000, "...saved IP = the LOCK prefix"
    CHECK_EQ dword [0x600], 0, "...the locked INC did not run"
    EXPECT_FAULT V_UD, NOERR, "V86 IOPL 3: LOCK on a register is #UD, LOCK INC memory runs (386 only)"
    ENTER_V86 3, v86_lock
    END_EXPECT
    CHECK_EQ dword [0x600], 1, "...the locked INC ran once before the #UD"
%endif
    SET_GATE V_BP, exc_stub_3, SEL_CODE0, 0xEE
    EXPECT_FAULT V_BP, NOERR, "V86 IOPL 0: INT3 is not IOPL-sensitive (#BP through its DPL 3 gate)"
    ENTER_V86 0, v86_int3
    END_EXPECT
    SET_GATE V_BP, exc_stub_3, SEL_CODE0, 0x8E
    CHECK_EQ dword [exc_eip], v86_int3.after - 0xF0000, "...saved IP after the INT3"

    ; --- Instructions V86 mode does not have: #UD for the protected-mode ones, #GP(0) privileged -----
%macro V86_FAULT 3  ; vector, name, routine
    EXPECT_FAULT %1, %[%1 == V_GP ? 0 : NOERR], %2
    ENTER_V86 3, %3
    END_EXPECT
%endmacro
    V86_FAULT V_UD, "V86: LAR is #UD", v86_lar
    V86_FAULT V_UD, "V86: VERR is #UD", v86_verr
    V86_FAULT V_UD, "V86: SLDT is #UD", v86_sldt
    V86_FAULT V_UD, "V86: ARPL is #UD", v86_arpl
    V86_FAULT V_GP, "V86: LGDT is #GP(0)", v86_lgdt
    V86_FAULT V_GP, "V86: MOV CR0 is #GP(0)", v86_movcr0
    V86_FAULT V_GP, "V86: HLT is #GP(0)", v86_hlt
    ENTER_V86 3, v86_smsw
    CHECK_BITS dword [v_msw], 1, 1, "V86: SMSW is allowed (PE set)"

    ; --- I/O permission bitmap -------------------------------------------------------------------------
    or byte [IOMAP + 0x80 / 8], 1              ; port 80h denied, 7Fh and 81h allowed
    ENTER_V86 3, v86_io_ok
    CHECK_EQ eax, eax, "V86: OUT to ports whose bitmap bits are clear"
    EXPECT_FAULT V_GP, 0, "V86 IOPL 3: OUT 80h with its bitmap bit set: #GP(0)"
    ENTER_V86 3, v86_io_80
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "V86 IOPL 0: IN from port 80h: #GP(0)"
    ENTER_V86 0, v86_in_80
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "V86: word OUT to 7Fh overlaps port 80h: #GP(0)"
    ENTER_V86 3, v86_io_7f_word
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "V86: OUT DX (DX = 80h): #GP(0)"
    ENTER_V86 3, v86_io_dx
    END_EXPECT

    RING3
    mov al, 0
    out 0x81, al
    in al, 0x7F
    mov dword [r3_ok], 1
    END_RING3
    CHECK_EQ dword [r3_ok], 1, "ring 3 IOPL 0: I/O to ports with clear bitmap bits"
    RING3
    EXPECT_FAULT V_GP, 0, "ring 3 IOPL 0: OUT 80h with its bit set: #GP(0)"
    out 0x80, al
    END_EXPECT
    END_RING3
    RING3
    EXPECT_FAULT V_GP, 0, "ring 3 IOPL 0: 32-bit IN from 7Eh overlapping 80h: #GP(0)"
    in eax, 0x7E
    END_EXPECT
    END_RING3
    RING3
    EXPECT_FAULT V_GP, 0, "ring 3 IOPL 0: CLI is #GP(0)"
    cli
    END_EXPECT
    END_RING3
    ; A TSS limit that ends the bitmap after port 7Fh: ports past it are denied.
    mov word [GDT_BASE + SEL_TSS0], TSS0_IOMAP + 0x10
    mov byte [GDT_BASE + SEL_TSS0 + 5], 0x89
    mov ax, SEL_TSS0
    ltr ax
    mov dword [r3_ok], 0
    RING3
    in al, 0x7F
    mov dword [r3_ok], 3
    END_RING3
    CHECK_EQ dword [r3_ok], 3, "ring 3 IOPL 0: port 7Fh, the last one inside a short bitmap"
    RING3
    EXPECT_FAULT V_GP, 0, "ring 3 IOPL 0: port 80h, past the TSS limit: #GP(0)"
    in al, 0x80
    END_EXPECT
    END_RING3
    EXPECT_FAULT V_GP, 0, "V86: port 90h, past the TSS limit: #GP(0)"
    ENTER_V86 3, v86_out_90
    END_EXPECT
    mov word [GDT_BASE + SEL_TSS0], TSS0_LIMIT
    mov byte [GDT_BASE + SEL_TSS0 + 5], 0x89
    mov ax, SEL_TSS0
    ltr ax

    pushfd
    or dword [esp], 0x3000                     ; IOPL 3
    popfd
    mov dword [r3_ok], 0
    RING3
    out 0x80, al
    cli
    mov dword [r3_ok], 2
    END_RING3
    pushfd
    and dword [esp], ~0x3000
    popfd
    CHECK_EQ dword [r3_ok], 2, "ring 3 IOPL 3: OUT 80h and CLI allowed (bitmap not consulted)"
    and byte [IOMAP + 0x80 / 8], ~1
    ret

; Ring 0, from INT 31h in V86 mode (DPL 3 interrupt gate): records ESP, DS, CPL and the 9-dword
; frame, returns to V86 mode with IRETD.
v86_int_handler:
    mov [ss:vi_esp], esp
    push eax
    xor eax, eax
    mov ax, ds
    mov [ss:vi_ds], eax
    mov ax, cs
    and eax, 3
    mov [ss:vi_cpl], eax
    mov ax, SEL_DATA0
    mov ds, ax
    mov es, ax
    push esi
    push edi
    push ecx
    lea esi, [esp + 16]
    mov edi, vi_frame
    mov ecx, 9
    cld
    rep movsd
    pop ecx
    pop edi
    pop esi
    pop eax
    iretd

; ---- V86 code (16-bit, CS = F000) ------------------------------------------------------------------
bits 16
v86_basics:
    mov [v_cs], cs
    mov [v_ss], ss
    pushfd
    pop dword [v_flags]
    smsw [v_msw]
    mov ax, 0x0900
    mov ds, ax
    mov ax, [0x10]
    mov word [0x20], 0x600D
    xor bx, bx
    mov ds, bx
    mov [v_mark], ax
    sti
    cli
    pushfd
    pop dword [v_flags2]
    push word 0                                ; POPF with IOPL 0 in the image
    popf
    sti
    pushfd
    pop dword [v_flags3]
    cli
    push word 0x0002 | 0x3000                  ; an IRET within V86 mode
    push cs
    push word .after_iret - 0xF0000
    iret
.after_iret:
    int 0x30

v86_int:
    mov ax, 0x1234
    mov es, ax
    mov ax, 0x2345
    mov fs, ax
    mov ax, 0x3456
    mov gs, ax
    int V_V86INT
.after:
    mov [v_es], es
    mov [v_fs], fs
    mov [v_gs], gs
    int 0x30

v86_int32:
    int 0x32
    int 0x30

v86_ud:
    mov ax, 0x0800
    mov es, ax
.ud:
    ud2

v86_cli:
    cli
    int 0x30
v86_sti:
    sti
    int 0x30
v86_pushf:
    pushf
    int 0x30
v86_popf:
    popf
    int 0x30
v86_intn:
    int V_V86INT
    int 0x30
v86_iret:
    iret
v86_int3:
    int3
.after:
    int 0x30
v86_lock:
    lock inc word [0x600]   ; DS = 0 in V86 (linear 0x600, free)
    db 0xF0, 0x40           ; LOCK INC AX: #UD (nasm refuses to write it)
    int 0x30

v86_lar:
    lar ax, bx
    int 0x30
v86_verr:
    verr bx
    int 0x30
v86_sldt:
    sldt ax
    int 0x30
v86_arpl:
    arpl ax, bx
    int 0x30
v86_lgdt:
    lgdt [0]
    int 0x30
v86_movcr0:
    mov eax, cr0
    int 0x30
v86_hlt:
    hlt
    int 0x30
v86_smsw:
    mov word [v_msw], 0
    smsw [v_msw]
    int 0x30

v86_io_ok:
    mov al, 0
    out 0x81, al
    in al, 0x7F
    int 0x30
v86_io_80:
    out 0x80, al
    int 0x30
v86_in_80:
    in al, 0x80
    int 0x30
v86_io_7f_word:
    out 0x7F, ax
    int 0x30
v86_out_90:
    out 0x90, al
    int 0x30
v86_io_dx:
    mov dx, 0x80
    out dx, al
    int 0x30
bits 32
