; pm_gates: call gates, interrupt and trap gates, privilege changes (Intel 386 PRM 6.3.4, 9.6).
;
; A 32-bit call gate from ring 3 to ring 0 copying two dword parameters, with the stack switched
; to the TSS's SS0:ESP0 and the caller's SS:ESP and CS:EIP on it; RETF 8 back to ring 3 nulls a
; data segment register whose DPL is below the new CPL and keeps one that is not. The same with a
; 16-bit call gate (word parameters and a 16-bit frame). A call gate at the same privilege level
; (no stack switch). Call gate errors: gate DPL < CPL, not-present gate, a gate naming a data
; segment, JMP through a call gate to an inner ring. Interrupt gates clear IF, trap gates keep
; it; INT from ring 3 through a DPL 3 gate switches to the TSS stack, IRET returns to ring 3 and
; nulls DPL 0 data segments; INT n / INT3 / INTO from ring 3 through a DPL 0 gate is
; #GP(vector*8+2), a not-present gate #NP(vector*8+2), a gate of a wrong type #GP(vector*8+2),
; a vector past the IDT limit #GP(vector*8+2); a DPL 3 gate to conforming code (no privilege
; change); a 16-bit interrupt gate (a 3-word frame); IRET/RETF to ring 3 with a DPL 0 CS or a bad
; SS #GP(selector); POPF and IRET at ring 3 with IOPL 0 leave IF and
; IOPL alone.
;
; Same program on pc386 and QEMU (nothing is left out).
%define TEST_NAME "pm_gates"
%include "pm_lib.inc"

S_CGATE32   equ 0x48    ; 386 call gate, DPL 3, 2 parameters -> SEL_CODE0:gate32
S_CGATE16   equ 0x50    ; 286 call gate, DPL 3, 2 parameters -> S_ROM32:gate16
S_ROM32     equ 0x58    ; 32-bit code, DPL 0, base 0xF0000 (this ROM), limit 0xFFFF
S_STK16_3   equ 0x60    ; 16-bit stack, DPL 3, base 0x50000
S_CGATE_D0  equ 0x68    ; call gate with DPL 0
S_CGATE_NP  equ 0x70    ; call gate, DPL 3, not present
S_CGATE_BAD equ 0x78    ; call gate, DPL 3, naming a data segment
S_ROM32_3   equ 0x80    ; 32-bit code, DPL 3, base 0xF0000: a 16-bit gate's caller needs EIP < 64 KiB
S_CONF      equ 0x88    ; conforming 32-bit code, DPL 0, flat

[absolute TEST_VARS]
g_esp:      resd 1      ; what the gate handlers saw
g_ss:       resd 1
g_cs:       resd 1
g_flags:    resd 1
g_frame:    resd 8
r3_esp0:    resd 1      ; ring 3, before and after
r3_esp1:    resd 1
r3_es:      resd 1
r3_fs:      resd 1
r3_gs:      resd 1
r3_cs:      resd 1
r3_flags:   resd 1
section .text


main:
    SET_CGATE S_CGATE32, gate32, SEL_CODE0, 0xEC02
    SET_CGATE S_CGATE16, gate16 - 0xF0000, S_ROM32, 0xE402
    SET_DESC S_ROM32, 0xF0000, 0xFFFF, 0x9A, 4
    SET_DESC S_ROM32_3, 0xF0000, 0xFFFF, 0xFA, 4
    SET_DESC S_STK16_3, 0x50000, 0xFFFF, 0xF2, 0
    SET_CGATE S_CGATE_D0, gate32, SEL_CODE0, 0x8C02
    SET_CGATE S_CGATE_NP, gate32, SEL_CODE0, 0x6C02
    SET_CGATE S_CGATE_BAD, gate32, SEL_DATA0, 0xEC02
    SET_GATE 0x40, int_handler, SEL_CODE0, 0xEE     ; interrupt gate, DPL 3
    SET_GATE 0x41, int_handler, SEL_CODE0, 0xEF     ; trap gate, DPL 3
    SET_GATE 0x42, int_handler, SEL_CODE0, 0x8E     ; interrupt gate, DPL 0
    SET_GATE 0x43, int_handler, SEL_CODE0, 0x6E     ; DPL 3, not present
    SET_GATE 0x44, int_handler, SEL_CODE0, 0xE1     ; DPL 3, a TSS type: not a gate
    SET_GATE 0x45, conf_int_handler, S_CONF, 0xEE   ; DPL 3, to conforming code
    SET_GATE 0x46, int16_handler - 0xF0000, S_ROM32, 0x86   ; a 16-bit interrupt gate
    SET_DESC S_CONF, 0, 0xFFFFF, 0x9E, 0xC

    ; --- 32-bit call gate, ring 3 -> ring 0 -------------------------------------------------------
    RING3
    mov [r3_esp0], esp
    push dword 0x11111111
    push dword 0x22222222
    call S_CGATE32 | 3:0xDEAD       ; (the offset is ignored: the gate gives it)
.ret32:
    mov [r3_esp1], esp
    mov [r3_es], es
    mov [r3_fs], fs
    mov [r3_gs], gs
    mov [r3_cs], cs
    END_RING3
    CHECK_EQ dword [g_cs], SEL_CODE0, "call gate: handler runs at CPL 0 (CS = gate's selector)"
    CHECK_EQ dword [g_ss], SEL_DATA0, "...on SS0 from the TSS"
    CHECK_EQ dword [g_esp], STACK0_TSS - 24, "...at ESP0 - 24 (SS ESP, 2 parameters, CS EIP)"
    CHECK_EQ dword [g_frame + 0], .ret32, "...[ESP] = the return EIP"
    CHECK_EQ dword [g_frame + 4], SEL_CODE3 | 3, "...[ESP+4] = the caller's CS"
    CHECK_EQ dword [g_frame + 8], 0x22222222, "...[ESP+8] = the last parameter pushed"
    CHECK_EQ dword [g_frame + 12], 0x11111111, "...[ESP+12] = the first parameter"
    mov eax, [r3_esp0]
    sub eax, 8
    CHECK_EQ dword [g_frame + 16], eax, "...[ESP+16] = the caller's ESP (at the parameters)"
    CHECK_EQ dword [g_frame + 20], SEL_DATA3 | 3, "...[ESP+20] = the caller's SS"
    mov eax, [r3_esp0]
    CHECK_EQ dword [r3_esp1], eax, "RETF 8 to ring 3 restores ESP past the parameters"
    CHECK_EQ dword [r3_cs], SEL_CODE3 | 3, "...and CS"
    CHECK_EQ dword [r3_es], 0, "...ES loaded with DPL 0 data in ring 0 is nulled"
    CHECK_EQ dword [r3_fs], SEL_DATA3 | 3, "...FS holding DPL 3 data is kept"
    CHECK_EQ dword [r3_gs], S_CONF, "...GS holding DPL 0 conforming code is kept"

    ; --- 16-bit call gate ----------------------------------------------------------------------------
    mov dword [g_frame], 0
    mov dword [g_frame + 4], 0
    mov dword [g_frame + 8], 0
    RING3
    mov ax, S_STK16_3 | 3
    mov ss, ax
    mov esp, 0xF000
    jmp S_ROM32_3 | 3:.low - 0xF0000
.low:
    push word 0x1111
    push word 0x2222
    call S_CGATE16 | 3:0
.ret16:
    mov [r3_esp1], esp
    mov [r3_cs], cs
    jmp SEL_CODE3 | 3:.high
.high:
    mov ax, SEL_DATA3 | 3
    mov ss, ax
    mov esp, STACK3_TOP
    END_RING3
    CHECK_EQ dword [g_cs], S_ROM32, "16-bit call gate: handler at CPL 0"
    CHECK_EQ dword [g_esp], STACK0_TSS - 12, "...at ESP0 - 12 (a frame of words)"
    mov eax, .ret16 - 0xF0000
    shl eax, 16
    shr eax, 16
    or eax, (S_ROM32_3 | 3) << 16
    CHECK_EQ dword [g_frame + 0], eax, "...[ESP] = IP, [ESP+2] = CS"
    CHECK_EQ dword [g_frame + 4], 0x11112222, "...then the two word parameters"
    CHECK_EQ dword [g_frame + 8], ((S_STK16_3 | 3) << 16) | 0xEFFC, "...then SP and SS"
    movzx eax, word [r3_esp1]
    CHECK_EQ eax, 0xF000, "16-bit RETF 4 restores SP past the parameters"
    CHECK_EQ dword [r3_cs], S_ROM32_3 | 3, "...and CS"

    ; --- Same privilege level: no stack switch ------------------------------------------------------
    mov ebx, esp
    push dword 0x33333333
    push dword 0x44444444
    call S_CGATE32:0
.ret0:
    sub ebx, 16
    CHECK_EQ dword [g_esp], ebx, "call gate at CPL 0: no stack switch (ESP - 16)"
    CHECK_EQ dword [g_frame + 0], .ret0, "...[ESP] = EIP"
    CHECK_EQ dword [g_frame + 4], SEL_CODE0, "...[ESP+4] = CS"
    CHECK_EQ dword [g_frame + 8], 0x44444444, "...the parameters are where the caller left them"

    ; --- Call gate errors -----------------------------------------------------------------------------
    RING3
    EXPECT_FAULT V_GP, S_CGATE_D0, "ring 3: CALL through a DPL 0 call gate: #GP(gate)"
    call S_CGATE_D0 | 3:0
    END_EXPECT
    END_RING3
    RING3
    EXPECT_FAULT V_NP, S_CGATE_NP, "ring 3: CALL through a not-present call gate: #NP(gate)"
    call S_CGATE_NP | 3:0
    END_EXPECT
    END_RING3
    RING3
    EXPECT_FAULT V_GP, SEL_DATA0, "ring 3: call gate naming a data segment: #GP(that selector)"
    call S_CGATE_BAD | 3:0
    END_EXPECT
    END_RING3
    RING3
    EXPECT_FAULT V_GP, SEL_CODE0, "ring 3: JMP through a call gate to ring 0: #GP(code selector)"
    jmp S_CGATE32 | 3:0
    END_EXPECT
    END_RING3

    ; --- Interrupt and trap gates ------------------------------------------------------------------
    sti
    int 0x40
    cli
    CHECK_BITS dword [g_flags], 0x200, 0, "interrupt gate: IF cleared in the handler"
    CHECK_BITS dword [g_frame + 8], 0x200, 0x200, "...the pushed EFLAGS has IF set"
    sti
    int 0x41
    cli
    CHECK_BITS dword [g_flags], 0x200, 0x200, "trap gate: IF kept in the handler"
    mov ebx, esp
    int 0x42
    sub ebx, 12
    CHECK_EQ dword [g_esp], ebx, "INT at CPL 0: EFLAGS CS EIP on the same stack"
    CHECK_EQ dword [g_frame + 4], SEL_CODE0, "...[ESP+4] = CS"

    RING3
    mov [r3_esp0], esp
    int 0x40
.ret_int:
    mov [r3_esp1], esp
    mov [r3_es], es
    mov [r3_cs], cs
    END_RING3
    CHECK_EQ dword [g_ss], SEL_DATA0, "INT from ring 3: handler on SS0 from the TSS"
    CHECK_EQ dword [g_esp], STACK0_TSS - 20, "...at ESP0 - 20 (SS ESP EFLAGS CS EIP)"
    CHECK_EQ dword [g_frame + 0], .ret_int, "...[ESP] = the EIP after INT"
    CHECK_EQ dword [g_frame + 4], SEL_CODE3 | 3, "...[ESP+4] = ring 3's CS"
    mov eax, [r3_esp0]
    CHECK_EQ dword [g_frame + 12], eax, "...[ESP+12] = ring 3's ESP"
    CHECK_EQ dword [g_frame + 16], SEL_DATA3 | 3, "...[ESP+16] = ring 3's SS"
    CHECK_EQ dword [r3_esp1], eax, "IRET to ring 3 restores ESP"
    CHECK_EQ dword [r3_cs], SEL_CODE3 | 3, "...and CS"
    CHECK_EQ dword [r3_es], 0, "...and nulls ES holding DPL 0 data"

    RING3
    EXPECT_FAULT V_GP, 0x42 * 8 + 2, "ring 3: INT 42h through a DPL 0 gate: #GP(42h*8+2)"
.int42:
    int 0x42
    END_EXPECT
    END_RING3
    CHECK_EQ dword [exc_eip], .int42, "...EIP = the INT instruction"
    RING3
    EXPECT_FAULT V_GP, 3 * 8 + 2, "ring 3: INT3 through the DPL 0 gate 3: #GP(3*8+2)"
    int3
    END_EXPECT
    END_RING3
    RING3
    EXPECT_FAULT V_GP, 4 * 8 + 2, "ring 3: INTO with OF=1 through the DPL 0 gate 4: #GP(4*8+2)"
    mov al, 0x7F
    add al, 1
    into
    END_EXPECT
    END_RING3
    RING3
    EXPECT_FAULT V_NP, 0x43 * 8 + 2, "ring 3: INT 43h through a not-present gate: #NP(43h*8+2)"
    int 0x43
    END_EXPECT
    END_RING3
    RING3
    EXPECT_FAULT V_GP, 0x44 * 8 + 2, "ring 3: INT 44h through a TSS type in the IDT: #GP(44h*8+2)"
    int 0x44
    END_EXPECT
    END_RING3
    lidt [idtr_short]
    EXPECT_FAULT V_GP, 0x41 * 8 + 2, "INT 41h past an IDT limit of 41h*8-1: #GP(41h*8+2)"
    int 0x41
    END_EXPECT
    lidt [idtr_value]
    EXPECT_FAULT V_UD, NOERR, "ring 3: an exception goes through its DPL 0 gate (#UD)"
    RING3
    ud2
    END_RING3
    END_EXPECT
    CHECK_EQ dword [exc_cs], SEL_CODE3 | 3, "...from ring 3"

    ; --- A gate to conforming code, a 16-bit interrupt gate, IRET errors -----------------------------
    RING3
    mov [r3_esp0], esp
    int 0x45
.ret_conf:
    END_RING3
    CHECK_EQ dword [g_cs], S_CONF | 3, "INT from ring 3 to conforming code: CPL stays 3"
    CHECK_EQ dword [g_ss], SEL_DATA3 | 3, "...no stack switch: ring 3's SS"
    mov eax, [r3_esp0]
    sub eax, 12
    CHECK_EQ dword [g_esp], eax, "...ESP - 12 (EFLAGS CS EIP)"
    CHECK_EQ dword [g_frame], .ret_conf, "...[ESP] = EIP after the INT"
    mov dword [g_frame], 0
    mov dword [g_frame + 4], 0
    mov ebx, esp
    jmp S_ROM32:.ilow - 0xF0000
.ilow:
    int 0x46
.iret16:
    jmp SEL_CODE0:.ihigh
.ihigh:
    sub ebx, 6
    CHECK_EQ dword [g_esp], ebx, "16-bit interrupt gate: a frame of 3 words"
    mov eax, .iret16 - 0xF0000
    or eax, S_ROM32 << 16
    CHECK_EQ dword [g_frame], eax, "...IP and CS"
    CHECK_EQ dword [g_cs], S_ROM32, "...handler CS"
    EXPECT_FAULT V_GP, SEL_CODE0, "IRET to RPL 3 with a DPL 0 code segment: #GP(CS selector)"
    push dword SEL_DATA3 | 3
    push dword STACK3_TOP
    push dword 2
    push dword SEL_CODE0 | 3
    push dword main
    iretd
    END_EXPECT
    EXPECT_FAULT V_GP, SEL_DATA3, "IRET to ring 3 with an SS of RPL 0: #GP(SS selector)"
    push dword SEL_DATA3
    push dword STACK3_TOP
    push dword 2
    push dword SEL_CODE3 | 3
    push dword main
    iretd
    END_EXPECT
    EXPECT_FAULT V_GP, SEL_DATA0, "RETF to ring 3 with a DPL 0 SS: #GP(SS selector)"
    push dword SEL_DATA0 | 3
    push dword STACK3_TOP
    push dword SEL_CODE3 | 3
    push dword main
    retf
    END_EXPECT

    ; --- POPF and IRET at CPL 3 > IOPL: IF and IOPL unchanged ---------------------------------------
    RING3
    pushfd
    or dword [esp], 0x3200          ; IOPL 3, IF
    popfd
    pushfd
    pop dword [r3_flags]
    END_RING3
    CHECK_BITS dword [r3_flags], 0x3200, 0, "ring 3 IOPL 0: POPF leaves IF and IOPL alone"
    RING3
    pushfd
    or dword [esp], 0x3200
    push cs
    push dword .after_iret
    iretd
.after_iret:
    pushfd
    pop dword [r3_flags]
    END_RING3
    CHECK_BITS dword [r3_flags], 0x3200, 0, "ring 3 IOPL 0: IRET leaves IF and IOPL alone"
    ret

; Records the frame of a 32-bit call gate (two parameters), loads ES with DPL 0 data and FS with
; DPL 3 data and GS with DPL 0 conforming code, returns with RETF 8.
gate32:
    mov [g_esp], esp
    mov [g_ss], ss
    mov [g_cs], cs
    push esi
    push edi
    push ecx
    lea esi, [esp + 12]
    mov edi, g_frame
    mov ecx, 6
    rep movsd
    pop ecx
    pop edi
    pop esi
    push eax
    mov ax, SEL_DATA0
    mov es, ax
    mov ax, SEL_DATA3 | 3
    mov fs, ax
    mov ax, S_CONF
    mov gs, ax
    pop eax
    retf 8

; Entered through the 16-bit call gate (CS = S_ROM32, base 0xF0000): copies the 12-byte frame.
gate16:
    mov [g_esp], esp
    mov [g_cs], cs
    push eax
    mov eax, [esp + 4]
    mov [g_frame], eax
    mov eax, [esp + 8]
    mov [g_frame + 4], eax
    mov eax, [esp + 12]
    mov [g_frame + 8], eax
    pop eax
    o16 retf 4

; INT 40h-44h: records SS:ESP, its EFLAGS and the 5-dword frame, loads ES with DPL 0 data.
int_handler:
    mov [g_esp], esp
    mov [g_ss], ss
    push eax
    pushfd
    pop dword [g_flags]
    mov eax, [esp + 4]
    mov [g_frame], eax
    mov eax, [esp + 8]
    mov [g_frame + 4], eax
    mov eax, [esp + 12]
    mov [g_frame + 8], eax
    mov eax, [esp + 16]
    mov [g_frame + 12], eax
    mov eax, [esp + 20]
    mov [g_frame + 16], eax
    mov ax, SEL_DATA0
    mov es, ax
    pop eax
    iretd

; INT 45h, conforming code (runs at the caller's CPL): records CS, SS:ESP and EIP.
conf_int_handler:
    mov [g_esp], esp
    mov [g_ss], ss
    mov [g_cs], cs
    push eax
    mov eax, [esp + 4]
    mov [g_frame], eax
    pop eax
    iretd

; INT 46h through a 16-bit gate (CS = S_ROM32): records SP, CS and the IP:CS words, IRET (16-bit).
int16_handler:
    mov [g_esp], esp
    mov [g_cs], cs
    push eax
    mov eax, [esp + 4]
    mov [g_frame], eax
    pop eax
    o16 iret

[section .rodata]
align 4
idtr_short:
    dw 0x41 * 8 - 1
    dd IDT_BASE
__SECT__
