; pm_tasks: hardware task switches (Intel 386 PRM chapter 7).
;
; JMP to a TSS (the outgoing task's registers saved in its TSS, its busy bit cleared, the new
; one's set, no back link, NT clear, CR0.TS set, DR7's local enables cleared, the new task's LDT
; loaded) and JMP back; CALL to a TSS (back link, NT set, the caller stays busy) and IRET with NT
; back to the caller (NT cleared in the returning task's saved EFLAGS, its busy bit cleared); a
; second CALL resumes the task after its IRET; nested CALLs (back links chained, every caller
; busy) unwound by two IRETs; INT through a task gate; an exception (#GP with its error code
; pushed on the handler task's stack) through a task gate; #TS for a bad SS0 (null, then DPL 3)
; on an INT from ring 3 through a task gate whose task repairs the TSS, the INT then restarting;
; a V86 task (VM in its TSS's EFLAGS, real-mode segments from its TSS, its INT leaving V86 mode on
; its own ESP0). Errors: JMP to the busy current TSS #GP(sel), a TSS with a limit below 67h
; #TS(sel), a not-present TSS #NP(sel), a task gate in the GDT naming a data segment #GP(sel),
; IRET with NT and a null back link #TS(0), a TSS whose CS is a data segment: #TS(CS selector)
; raised after the switch, in the new task. A 286 (16-bit) TSS: CALL to it from the 386 task (its
; registers from the 286 layout, NT, busy type 3, the back link at offset 0), IRET back (BX and IP
; saved in the 286 layout, type 1 again), a second CALL resuming it, INT through a task gate to it,
; and a 286 TSS with a limit below 2Bh: #TS(sel). Entering the 16-bit task loads FS and GS with the
; null selector (a 286 TSS has none) and sets the upper words of the general registers to FFFFh
; (EAX, ESP, EBP checked): what a real 386 does (test386.asm, verified on hardware) and Bochs does.
; QEMU 7.2 nulls FS/GS but keeps the upper words: those checks are left out of its build.
;
; Only on pc386 (left out of the -DQEMU build): the T bit of a TSS (a #DB with DR6.BT before the
; new task's first instruction); QEMU 7.2 ignores it.
%define TEST_NAME "pm_tasks"
%include "pm_lib.inc"

S_TSS1      equ 0x48    ; reached by JMP
S_TSS2      equ 0x50    ; reached by CALL, returns with IRET
S_TSS3      equ 0x58    ; behind the task gate of INT 50h
S_TSS4      equ 0x60    ; behind the task gate of #GP
S_TSS_BADCS equ 0x68    ; its CS is a data selector
S_TSS_SHORT equ 0x70    ; limit 50h
S_TSS_NP    equ 0x78    ; not present
S_LDT1      equ 0x80    ; task 1's LDT
S_TGATE     equ 0x88    ; a task gate in the GDT (to S_TSS3)
S_TGATE_BAD equ 0x90    ; a task gate naming a data segment
S_TSS5      equ 0x98    ; behind the task gate of #TS
TSS5        equ 0x10500
S_TSS6      equ 0xA0    ; a V86 task
TSS6        equ 0x10600
S_TSS7      equ 0xA8    ; calls task 3 (nesting)
TSS7        equ 0x10700
S_TSS8      equ 0xB0    ; its TSS has the T bit set
TSS8        equ 0x10800 - 0x80
S_TSS16     equ 0xB8    ; a 286 (16-bit) TSS, reached by CALL and a task gate
S_TSS16_SHORT equ 0xC0  ; the same with limit 2Ah
TSS16       equ 0x9800  ; below 64 KiB: the 16-bit task reads it through SEL_DATA16
TSS1        equ 0x10000
TSS2        equ 0x10100
TSS3        equ 0x10200
TSS4        equ 0x10300
TSS_BADCS   equ 0x10400
LDT1        equ 0x10800
T_BACKLINK  equ 0x00
T_EIP       equ 0x20
T_EFLAGS    equ 0x24
T_EAX       equ 0x28
T_EBX       equ 0x34
T_ESP       equ 0x38
T_LDT       equ 0x60

[absolute TEST_VARS]
t_tr:       resd 1      ; what the tasks saw
t_flags:    resd 1
t_cr0:      resd 1
t_busy_old: resd 1
t_dr7:      resd 1
t_busy_new: resd 1
t_ldt:      resd 1
t_link:     resd 1
t_error:    resd 1
t_esp:      resd 1
t2_entries: resd 1
t5_count:   resd 1
t5_errors:  resd 4
t_int_count: resd 1
v6_cs:      resw 1      ; written by the V86 task (DS = 0)
v6_es:      resw 1
v6_flags:   resd 1
v6_esp:     resd 1      ; what its ring-0 INT handler saw
v6_tr:      resd 1
v6_frame:   resd 9
t7_busy:    resd 1
t8_db_eip:  resd 1
t8_db_dr6:  resd 1
t8_db_tr:   resd 1
t16_tr:     resd 1      ; what the 16-bit task saw
t16_ax:     resd 1
t16_bx:     resd 1
t16_si:     resd 1
t16_flags:  resd 1
t16_busy:   resd 1
t16_entries: resd 1
t16_eax:    resd 1      ; the 16-bit task's 32-bit registers and FS/GS on its first entry
t16_esp:    resd 1
t16_ebp:    resd 1
t16_fs:     resd 1
t16_gs:     resd 1
section .text

; init_tss(base, eip, esp, ldt): a fresh 386 TSS running flat ring-0 code with IF=0.
init_tss:
    pushad
    mov edi, [esp + 36]
    push edi
    mov ecx, 0x68 / 4
    xor eax, eax
    rep stosd
    pop edi
    mov eax, [esp + 40]
    mov [edi + T_EIP], eax
    mov dword [edi + T_EFLAGS], 2
    mov eax, [esp + 44]
    mov [edi + T_ESP], eax
    mov dword [edi + 0x48], SEL_DATA0          ; ES
    mov dword [edi + 0x4C], SEL_CODE0          ; CS
    mov dword [edi + 0x50], SEL_DATA0          ; SS
    mov dword [edi + 0x54], SEL_DATA0          ; DS
    mov eax, [esp + 48]
    mov [edi + T_LDT], eax
    mov dword [edi + 4], STACK0_TSS            ; ESP0, SS0
    mov dword [edi + 8], SEL_DATA0
    mov word [edi + 0x66], 0x68                ; no I/O bitmap
    popad
    ret 16

%macro INIT_TSS 4
    push dword %4
    push dword %3
    push dword %2
    push dword %1
    call init_tss
%endmacro

; record_task: TR, EFLAGS, CR0, the busy bytes of TSS0 and of the current task; then CLTS.
record_task:
    push eax
    pushfd
    pop dword [t_flags]
    xor eax, eax
    str ax
    mov [t_tr], eax
    movzx eax, byte [GDT_BASE + eax + 5]
    mov [t_busy_new], eax
    movzx eax, byte [GDT_BASE + SEL_TSS0 + 5]
    mov [t_busy_old], eax
    mov eax, cr0
    mov [t_cr0], eax
    mov eax, dr7
    mov [t_dr7], eax
    clts
    pop eax
    ret

main:
    mov word [TSS0_BASE + T_LDT], SEL_LDT      ; the main task's LDT (reloaded on the way back)
    INIT_TSS TSS1, task1, 0x69000, S_LDT1
    INIT_TSS TSS2, task2, 0x6A000, 0
    INIT_TSS TSS3, task3, 0x6B000, 0
    INIT_TSS TSS4, task4, 0x6C000, 0
    INIT_TSS TSS_BADCS, task1, 0x6D000, 0
    mov dword [TSS_BADCS + 0x4C], SEL_DATA0    ; CS = a data segment
    SET_DESC S_TSS1, TSS1, 0x67, 0x89, 0
    SET_DESC S_TSS2, TSS2, 0x67, 0x89, 0
    SET_DESC S_TSS3, TSS3, 0x67, 0x89, 0
    SET_DESC S_TSS4, TSS4, 0x67, 0x89, 0
    SET_DESC S_TSS_BADCS, TSS_BADCS, 0x67, 0x89, 0
    SET_DESC S_TSS_SHORT, TSS3, 0x50, 0x89, 0
    SET_DESC S_TSS_NP, TSS3, 0x67, 0x09, 0
    SET_DESC S_LDT1, LDT1, 7, 0x82, 0
    SET_RAW S_TGATE, S_TSS3 << 16, 0x8500
    SET_RAW S_TGATE_BAD, SEL_DATA0 << 16, 0x8500
    mov dword [LDT1], 0x2000FFFF               ; LDT1[0]: data, base 0x92000
    mov dword [LDT1 + 4], 0x00009209
    mov dword [0x92000], 0x1D71D71D
    SET_GATE 0x50, 0, S_TSS3, 0x85             ; INT 50h: task gate

    ; --- JMP to a TSS and back ------------------------------------------------------------------
    xor eax, eax
    mov dr0, eax            ; instruction breakpoints at linear 0: never reached
    mov dr1, eax
    mov eax, 0x0F           ; L0 G0 L1 G1
    mov dr7, eax
    mov eax, 0x0A0A0A0A
    mov ebx, 0x0B0B0B0B
    mov esi, 0x05050505
    jmp S_TSS1:0
.back_from_1:
    CHECK_EQ eax, 0x0A0A0A0A, "JMP back to the main task restores its EAX"
    CHECK_EQ ebx, 0x0B0B0B0B, "...EBX"
    CHECK_EQ esi, 0x05050505, "...ESI"
    mov eax, 0
    str ax
    CHECK_EQ eax, SEL_TSS0, "...and TR"
    sldt ax
    CHECK_EQ eax, SEL_LDT, "...and the LDTR from its TSS"
    CHECK_EQ dword [TSS0_BASE + T_EIP], .back_from_1, "the main TSS saved the EIP after the JMP"
    CHECK_EQ dword [t_tr], S_TSS1, "in task 1: TR = its TSS"
    CHECK_EQ dword [t_busy_new], 0x8B, "in task 1: its TSS is busy"
    CHECK_EQ dword [t_busy_old], 0x89, "in task 1: the TSS left by JMP is not busy"
    CHECK_BITS dword [t_flags], 0x4000, 0, "in task 1: NT clear after a JMP"
    CHECK_BITS dword [t_cr0], 8, 8, "in task 1: CR0.TS set by the task switch"
    CHECK_EQ dword [t_ldt], 0x1D71D71D, "in task 1: its own LDT is loaded"
    mov eax, [t_dr7]
    and eax, 0xFF
    CHECK_EQ eax, 0x0A, "in task 1: the switch cleared DR7's local enables, kept the global ones"
    xor eax, eax
    mov dr7, eax
    CHECK_EQ dword [TSS1 + T_BACKLINK], 0, "JMP writes no back link"
    CHECK_EQ dword [TSS1 + T_EAX], 0xAAAA1111, "task 1's TSS saved its EAX"
    movzx eax, byte [GDT_BASE + S_TSS1 + 5]
    CHECK_EQ eax, 0x89, "JMP back cleared task 1's busy bit"
    movzx eax, byte [GDT_BASE + SEL_TSS0 + 5]
    CHECK_EQ eax, 0x8B, "...and set the main task's"
    mov eax, cr0
    and eax, 8
    CHECK_EQ eax, 8, "CR0.TS set again by the switch back"
    clts

    ; --- CALL to a TSS, IRET back -------------------------------------------------------------------
    mov ebx, 0x0B0B0B0B
    call S_TSS2:0
    CHECK_EQ ebx, 0x0B0B0B0B, "IRET from the called task restores the caller's EBX"
    CHECK_EQ dword [t_tr], S_TSS2, "in task 2: TR = its TSS"
    CHECK_EQ dword [t_busy_old], 0x8B, "in task 2: the caller stays busy"
    CHECK_EQ dword [t_busy_new], 0x8B, "in task 2: its TSS is busy"
    CHECK_BITS dword [t_flags], 0x4000, 0x4000, "in task 2: NT set after a CALL"
    CHECK_EQ dword [t_link], SEL_TSS0, "in task 2: back link = the caller's TSS"
    movzx eax, byte [GDT_BASE + S_TSS2 + 5]
    CHECK_EQ eax, 0x89, "IRET cleared the called task's busy bit"
    CHECK_BITS dword [TSS2 + T_EFLAGS], 0x4000, 0, "...and NT in its saved EFLAGS"
    pushfd
    pop eax
    and eax, 0x4000
    CHECK_EQ eax, 0, "the caller runs with NT clear"
    clts
    call S_TSS2:0
    CHECK_EQ dword [t2_entries], 2, "a second CALL resumes task 2 after its IRET"
    clts

    ; --- Nested tasks: main CALLs task 7, which CALLs task 3; two IRETs unwind ---------------------
    INIT_TSS TSS7, task7, 0x6D400, 0
    SET_DESC S_TSS7, TSS7, 0x67, 0x89, 0
    mov dword [t_tr], 0
    call S_TSS7:0
    clts
    CHECK_EQ dword [t_tr], S_TSS3, "nested CALLs: task 3 ran"
    CHECK_EQ dword [t_link], S_TSS7, "...its back link is task 7"
    CHECK_EQ dword [t_busy_old], 0x8B, "...with the main task still busy two levels up"
    CHECK_EQ dword [t7_busy], 0x8B, "...task 7 stays busy after task 3's IRET"
    movzx eax, byte [GDT_BASE + S_TSS7 + 5]
    CHECK_EQ eax, 0x89, "...and is free after its own IRET"
    movzx eax, byte [GDT_BASE + S_TSS3 + 5]
    CHECK_EQ eax, 0x89, "...as is task 3"

%ifndef QEMU
    ; --- The T bit: a debug trap before the new task's first instruction --------------------------
    INIT_TSS TSS8, task8, 0x6D200, 0
    mov word [TSS8 + 0x64], 1
    SET_DESC S_TSS8, TSS8, 0x67, 0x89, 0
    SET_GATE V_DB, t_bit_handler, SEL_CODE0, 0x8E
    xor eax, eax
    mov dr6, eax
    jmp S_TSS8:0
    clts
    SET_GATE V_DB, exc_stub_1, SEL_CODE0, 0x8E
    CHECK_EQ dword [t8_db_tr], S_TSS8, "T bit: #DB in the new task"
    CHECK_EQ dword [t8_db_eip], task8, "...before its first instruction"
    CHECK_BITS dword [t8_db_dr6], 0x8000, 0x8000, "...DR6.BT set"
%endif

    ; --- A 286 TSS: CALL from the 386 task, IRET back, a second CALL, a task gate ---------------
    mov edi, TSS16
    mov ecx, 0x2C / 2
    xor eax, eax
    rep stosw
    mov word [TSS16 + 0x0E], task16 - 0xF0000  ; IP (CS = SEL_CODE16, base F0000)
    mov word [TSS16 + 0x10], 2                 ; FLAGS
    mov word [TSS16 + 0x12], 0x1111            ; AX
    mov word [TSS16 + 0x14], 0x2222            ; CX
    mov word [TSS16 + 0x16], 0x3333            ; DX
    mov word [TSS16 + 0x18], 0x4444            ; BX
    mov word [TSS16 + 0x1A], 0x9F00            ; SP
    mov word [TSS16 + 0x1E], 0x5555            ; SI
    mov word [TSS16 + 0x20], 0x6666            ; DI
    mov word [TSS16 + 0x22], SEL_DATA16        ; ES
    mov word [TSS16 + 0x24], SEL_CODE16        ; CS
    mov word [TSS16 + 0x26], SEL_DATA16        ; SS
    mov word [TSS16 + 0x28], SEL_DATA16        ; DS
    SET_DESC S_TSS16, TSS16, 0x2B, 0x81, 0
    SET_DESC S_TSS16_SHORT, TSS16, 0x2A, 0x81, 0
    mov ebx, 0x0B0B0B0B
    mov eax, 0x12340000
    mov ebp, 0x56780000
    mov cx, SEL_DATA0
    mov fs, cx
    mov gs, cx
    mov dword [t16_fs], 0xFFFF
    mov dword [t16_gs], 0xFFFF
    call S_TSS16:0
    CHECK_EQ ebx, 0x0B0B0B0B, "286 TSS: IRET back restores the 386 caller's EBX"
%ifndef QEMU
    CHECK_EQ dword [t16_eax], 0xFFFF1111, "...the 16-bit task's EAX: upper word FFFFh"
    CHECK_EQ dword [t16_esp], 0xFFFF9F00, "...ESP: upper word FFFFh"
    CHECK_EQ dword [t16_ebp], 0xFFFF0000, "...EBP: upper word FFFFh"
%endif
    movzx eax, word [t16_fs]
    CHECK_EQ eax, 0, "...FS null (a 286 TSS has no FS)"
    movzx eax, word [t16_gs]
    CHECK_EQ eax, 0, "...GS null"
    CHECK_EQ dword [t16_tr], S_TSS16, "286 TSS: CALL runs the 16-bit task (TR)"
    CHECK_EQ dword [t16_ax], 0x1111, "...AX from its TSS (offset 12h)"
    CHECK_EQ dword [t16_bx], 0x4444, "...BX (18h)"
    CHECK_EQ dword [t16_si], 0x5555, "...SI (1Eh)"
    CHECK_BITS dword [t16_flags], 0x4000, 0x4000, "...NT set in the called task"
    CHECK_EQ dword [t16_busy], 0x83, "...its TSS is busy (type 3)"
    movzx eax, word [TSS16]
    CHECK_EQ eax, SEL_TSS0, "...back link (offset 0) = the caller"
    movzx eax, byte [GDT_BASE + S_TSS16 + 5]
    CHECK_EQ eax, 0x81, "IRET from the 16-bit task: its TSS available again (type 1)"
    movzx eax, word [TSS16 + 0x18]
    CHECK_EQ eax, 0x7777, "...BX saved in its TSS at the IRET"
    movzx eax, word [TSS16 + 0x0E]
    CHECK_EQ eax, task16.resume - 0xF0000, "...IP saved: after the IRET"
    movzx eax, byte [GDT_BASE + SEL_TSS0 + 5]
    CHECK_EQ eax, 0x8B, "...the 386 caller busy again"
    call S_TSS16:0
    CHECK_EQ dword [t16_entries], 1, "a second CALL resumes the 16-bit task after its IRET"
    SET_GATE 0x51, 0, S_TSS16, 0x85
    int 0x51
    CHECK_EQ dword [t16_entries], 2, "INT 51h through a task gate to the 286 TSS"
    CHECK_EQ dword [t16_tr], S_TSS16, "...runs it (TR)"
    EXPECT_FAULT V_TS, S_TSS16_SHORT, "CALL to a 286 TSS with limit 2Ah: #TS(selector)"
    call S_TSS16_SHORT:0
    END_EXPECT
    clts

    ; --- Task gates ---------------------------------------------------------------------------------
    mov dword [t_tr], 0
    int 0x50
    CHECK_EQ dword [t_tr], S_TSS3, "INT 50h through a task gate runs task 3"
    CHECK_EQ dword [t_link], SEL_TSS0, "...with the back link to the interrupted task"
    CHECK_BITS dword [t_flags], 0x4000, 0x4000, "...and NT set"
    mov dword [t_tr], 0
    call S_TGATE:0
    CHECK_EQ dword [t_tr], S_TSS3, "CALL through a task gate in the GDT runs task 3 again"
    clts

    SET_GATE V_GP, 0, S_TSS4, 0x85             ; #GP through a task gate
    mov ax, SEL_TSS0
    mov ds, ax                                 ; #GP(28h); task 4 moves EIP to .after_gp
    mov ax, 0xDEAD
.after_gp:
    SET_GATE V_GP, exc_stub_13, SEL_CODE0, 0x8E
    clts
    CHECK_EQ dword [t_tr], S_TSS4, "#GP through a task gate runs task 4"
    CHECK_EQ dword [t_error], SEL_TSS0, "...with the error code on its stack"
    CHECK_EQ dword [t_esp], 0x6C000 - 4, "...just below its initial ESP"
    CHECK_EQ dword [t_link], SEL_TSS0, "...back link to the faulting task"
    mov ax, ds
    movzx eax, ax
    CHECK_EQ eax, SEL_DATA0, "the faulting load did not change DS"

    ; --- #TS through a task gate: a bad SS0 for an INT from ring 3, fixed by the handler task -------
    INIT_TSS TSS5, task5, 0x6D800, 0
    SET_DESC S_TSS5, TSS5, 0x67, 0x89, 0
    SET_GATE V_TS, 0, S_TSS5, 0x85
    SET_GATE 0x40, t_int_handler, SEL_CODE0, 0xEE
    mov dword [TSS0_BASE + 8], 0               ; SS0 null
    RING3
    int 0x40                                   ; #TS, task 5 fixes SS0 (twice), INT restarts
    END_RING3
    SET_GATE V_TS, exc_stub_10, SEL_CODE0, 0x8E
    clts
    CHECK_EQ dword [t5_count], 2, "INT from ring 3 with a bad SS0: two #TS through the task gate"
    CHECK_EQ dword [t5_errors], 0, "...null SS0: #TS(0)"
    CHECK_EQ dword [t5_errors + 4], SEL_DATA3, "...SS0 with DPL 3: #TS(SS0 selector)"
    CHECK_EQ dword [t_int_count], 1, "...then the restarted INT reaches its handler once"
    CHECK_EQ dword [TSS0_BASE + 8], SEL_DATA0, "...with the SS0 the handler task wrote"

    ; --- A V86 task: JMP to a TSS whose EFLAGS has VM -------------------------------------------------
    INIT_TSS TSS6, v86_task - 0xF0000, 0xF000, 0
    mov dword [TSS6 + T_EFLAGS], 0x23002       ; VM, IOPL 3
    mov dword [TSS6 + 0x48], 0x1234            ; ES
    mov dword [TSS6 + 0x4C], 0xF000            ; CS
    mov dword [TSS6 + 0x50], 0x5000            ; SS
    mov dword [TSS6 + 0x54], 0                 ; DS
    mov dword [TSS6 + 4], 0x6E800              ; ESP0 of the V86 task
    SET_DESC S_TSS6, TSS6, 0x67, 0x89, 0
    SET_GATE 0x41, v86_task_int, SEL_CODE0, 0xEE
    jmp S_TSS6:0
    clts
    movzx eax, word [v6_cs]
    CHECK_EQ eax, 0xF000, "V86 task: runs at F000 (CS from its TSS, real-mode style)"
    movzx eax, word [v6_es]
    CHECK_EQ eax, 0x1234, "...ES from its TSS"
    CHECK_BITS dword [v6_flags], 0x3000, 0x3000, "...IOPL 3 from its TSS's EFLAGS"
    CHECK_EQ dword [v6_tr], S_TSS6, "...its INT reaches ring 0 in the same task"
    CHECK_EQ dword [v6_esp], 0x6E800 - 36, "...on the ESP0 of the V86 task's TSS"
    CHECK_BITS dword [v6_frame + 8], 0x20000, 0x20000, "...frame EFLAGS with VM"
    CHECK_EQ dword [v6_frame + 20], 0x1234, "...frame ES"
    movzx eax, byte [GDT_BASE + S_TSS6 + 5]
    CHECK_EQ eax, 0x89, "JMP back from the handler: the V86 task is no longer busy"

    ; --- Errors ---------------------------------------------------------------------------------------
    EXPECT_FAULT V_GP, SEL_TSS0, "JMP to the busy current TSS: #GP(selector)"
    jmp SEL_TSS0:0
    END_EXPECT
    EXPECT_FAULT V_TS, S_TSS_SHORT, "JMP to a TSS with limit 50h: #TS(selector)"
    jmp S_TSS_SHORT:0
    END_EXPECT
    EXPECT_FAULT V_NP, S_TSS_NP, "CALL to a not-present TSS: #NP(selector)"
    call S_TSS_NP:0
    END_EXPECT
    EXPECT_FAULT V_GP, SEL_DATA0, "CALL through a task gate naming a data segment: #GP(selector)"
    call S_TGATE_BAD:0
    END_EXPECT
    EXPECT_FAULT V_TS, 0, "IRET with NT set and a null back link: #TS(0)"
    pushfd
    or dword [esp], 0x4000
    popfd
    iretd
    END_EXPECT
    pushfd
    and dword [esp], ~0x4000
    popfd
    EXPECT_FAULT V_TS, SEL_DATA0, "new TSS with a data selector as CS: #TS(CS selector)"
    jmp S_TSS_BADCS:0
    END_EXPECT
    xor eax, eax
    str ax
    CHECK_EQ eax, S_TSS_BADCS, "...raised after the switch: TR is the new TSS"
    movzx eax, byte [GDT_BASE + SEL_TSS0 + 5]
    CHECK_EQ eax, 0x89, "...and the old TSS is no longer busy"
    and byte [GDT_BASE + S_TSS_BADCS + 5], ~2
    mov ax, SEL_TSS0
    ltr ax
    mov ax, SEL_LDT
    lldt ax
    clts
    ret

; Task 1 (JMP): records what it sees, reads through its LDT, jumps back.
task1:
    call record_task
    mov ax, 4
    mov fs, ax
    mov eax, [fs:0]
    mov [t_ldt], eax
    mov eax, 0xAAAA1111
    mov ebx, 0xBBBB1111
    mov esi, 0x55551111
    jmp SEL_TSS0:0
    jmp task1

; Task 2 (CALL): records, returns with IRET; a second CALL continues after the IRET.
task2:
    call record_task
    movzx eax, word [TSS2 + T_BACKLINK]
    mov [t_link], eax
    inc dword [t2_entries]
    mov ebx, 0xBBBB2222
    iretd
    inc dword [t2_entries]
    iretd
    jmp task2

; Task 3 (task gates): records, returns; loops so each entry starts at the top.
task3:
    call record_task
    movzx eax, word [TSS3 + T_BACKLINK]
    mov [t_link], eax
    iretd
    jmp task3

; Task 4 (#GP task gate): pops the error code, makes the faulting task resume at .after_gp.
task4:
    call record_task
    pop eax
    mov [t_error], eax
    mov [t_esp], esp
    sub dword [t_esp], 4
    movzx eax, word [TSS4 + T_BACKLINK]
    mov [t_link], eax
    mov dword [TSS0_BASE + T_EIP], main.after_gp
    iretd
    jmp task4

; Task 5 (#TS task gate): logs the error code, repairs TSS0's SS0 one step (null -> DPL 3 data ->
; ring-0 data) and returns to the faulting task, which restarts the INT.
task5:
    call record_task
    pop eax
    mov ebx, [t5_count]
    mov [t5_errors + ebx * 4], eax
    inc dword [t5_count]
    mov dword [TSS0_BASE + 8], SEL_DATA3
    cmp ebx, 0
    je .fixed
    mov dword [TSS0_BASE + 8], SEL_DATA0
.fixed:
    iretd
    jmp task5

; INT 40h (DPL 3 interrupt gate).
t_int_handler:
    inc dword [t_int_count]
    iretd

; Ring 0, INT 41h from the V86 task: records what it sees and jumps back to the main task.
v86_task_int:
    mov [ss:v6_esp], esp
    mov ax, SEL_DATA0
    mov ds, ax
    mov es, ax
    xor eax, eax
    str ax
    mov [v6_tr], eax
    mov esi, esp
    mov edi, v6_frame
    mov ecx, 9
    cld
    rep movsd
    jmp SEL_TSS0:0

bits 16
; The V86 task (CS = F000, DS = 0).
v86_task:
    mov [v6_cs], cs
    mov [v6_es], es
    pushfd
    pop dword [v6_flags]
    int 0x41
    jmp v86_task

; The 16-bit task (286 TSS; CS = SEL_CODE16 at F0000, DS = SEL_DATA16 at 0): records what it
; sees, changes BX, returns with IRET (NT: a task switch back); each later entry counts itself.
task16:
    mov [t16_eax], eax
    mov [t16_esp], esp
    mov [t16_ebp], ebp
    mov [t16_fs], fs
    mov [t16_gs], gs
    movzx eax, ax
    mov [t16_ax], eax
    movzx eax, bx
    mov [t16_bx], eax
    movzx eax, si
    mov [t16_si], eax
    pushf
    pop ax
    movzx eax, ax
    mov [t16_flags], eax
    xor eax, eax
    str ax
    mov [t16_tr], eax
    movzx eax, byte [GDT_BASE + S_TSS16 + 5]
    mov [t16_busy], eax
    mov bx, 0x7777
    iret
.resume:
    inc dword [t16_entries]
    jmp task16
bits 32

; Task 7: calls task 3 (a nested task), notes its own busy bit, returns.
task7:
    call S_TSS3:0
    movzx eax, byte [GDT_BASE + S_TSS7 + 5]
    mov [t7_busy], eax
    iretd
    jmp task7

; Task 8 (T bit set in its TSS): jumps straight back.
task8:
    jmp SEL_TSS0:0
    jmp task8

; #DB from the T bit: records the saved EIP, DR6 and TR.
t_bit_handler:
    push eax
    mov eax, [esp + 4]
    mov [t8_db_eip], eax
    mov eax, dr6
    mov [t8_db_dr6], eax
    xor eax, eax
    mov dr6, eax
    str ax
    mov [t8_db_tr], eax
    pop eax
    iretd

