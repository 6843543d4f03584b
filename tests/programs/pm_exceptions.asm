; pm_exceptions: exceptions and their saved EIP (Intel 386 PRM chapters 9 and 12).
;
; Faults save the EIP of the faulting instruction, traps the EIP of the next one: #DE (DIV by 0,
; IDIV overflow), #DB from TF single-stepping (a trap after the instruction that follows the POPF
; setting TF; DR6.BS; MOV SS holding the trap for one more instruction), from a DR0 instruction
; breakpoint (a fault at the instruction; DR6.B0; RF set by the handler lets the instruction run
; once), from DR1/DR2 data breakpoints (a trap after the access; DR6.B1/B2; a write breakpoint
; ignores reads), #BP (INT3), #OF (INTO with OF=1; nothing with OF=0), #BR (BOUND), #UD (UD2, LOCK
; on a register operand), #NM (ESC with CR0.EM, ESC with CR0.TS, WAIT with MP and TS; CLTS), a
; not-present #UD gate giving #NP(6*8+2+EXT) (benign + contributory: no double fault), and the
; double fault: a #GP (or #DE) whose IDT gate is not present becomes #DF with error code 0.
;
; Only on pc386: the reset value of DX and EFLAGS.AC/ID staying clear (left out of the -DNOT_386
; builds for QEMU's 486 and Bochs's later CPU).
; On QEMU the #NP for the not-present #UD gate is checked without its EXT bit: QEMU sets EXT only
; for hardware interrupts, the 386 (and Bochs) also for an exception being delivered.
%define TEST_NAME "pm_exceptions"
%include "pm_lib.inc"

[absolute TEST_VARS]
db_eip:     resd 1
db_dr6:     resd 1
db_count:   resd 1
db_eips:    resd 4      ; the EIPs seen by db_log, in order
bp_var:     resd 1
bounds:     resd 2
section .text

main:
%ifndef NOT_386
    ; --- The 386 itself (QEMU runs a 486: AC toggles, DX holds a 486 signature) -------------------
    CHECK_EQ edx, 0x0303, "DX after reset: 0303h (386 DX, stepping 3; pm_lib leaves EDX alone)"
    pushfd
    or dword [esp], 0x240000    ; AC (bit 18) and ID (bit 21)
    popfd
    pushfd
    pop eax
    and eax, 0x240000
    CHECK_EQ eax, 0, "EFLAGS.AC and EFLAGS.ID cannot be set on a 386"
%endif

    ; --- #DE ----------------------------------------------------------------------------------------
    EXPECT_FAULT V_DE, NOERR, "DIV by zero: #DE"
    xor edx, edx
    mov eax, 1
    xor ecx, ecx
.div:
    div ecx
    END_EXPECT
    CHECK_EQ dword [exc_eip], .div, "...a fault: EIP = the DIV"
    EXPECT_FAULT V_DE, NOERR, "IDIV overflow (80000000h / -1): #DE"
    mov edx, -1
    mov eax, 0x80000000
    mov ecx, -1
.idiv:
    idiv ecx
    END_EXPECT
    CHECK_EQ dword [exc_eip], .idiv, "...EIP = the IDIV"

    ; --- #BP, #OF, #BR, #UD -------------------------------------------------------------------------
    EXPECT_FAULT V_BP, NOERR, "INT3: #BP"
    int3
.after_int3:
    END_EXPECT
    CHECK_EQ dword [exc_eip], .after_int3, "...a trap: EIP after the INT3"
    mov al, 0
    add al, 1
    into
    CHECK_EQ eax, eax, "INTO with OF=0 does nothing"
    EXPECT_FAULT V_OF, NOERR, "INTO with OF=1: #OF"
    mov al, 0x7F
    add al, 1
    into
.after_into:
    END_EXPECT
    CHECK_EQ dword [exc_eip], .after_into, "...a trap: EIP after the INTO"
    mov dword [bounds], 10
    mov dword [bounds + 4], 20
    mov eax, 20
    bound eax, [bounds]
    CHECK_EQ eax, 20, "BOUND in range does nothing"
    EXPECT_FAULT V_BR, NOERR, "BOUND above the upper bound: #BR"
    mov eax, 21
.bound:
    bound eax, [bounds]
    END_EXPECT
    CHECK_EQ dword [exc_eip], .bound, "...a fault: EIP = the BOUND"
    EXPECT_FAULT V_BR, NOERR, "BOUND below the lower bound: #BR"
    mov eax, 9
    bound eax, [bounds]
    END_EXPECT
    EXPECT_FAULT V_UD, NOERR, "UD2: #UD"
.ud2:
    ud2
    END_EXPECT
    CHECK_EQ dword [exc_eip], .ud2, "...EIP = the UD2"
    EXPECT_FAULT V_UD, NOERR, "LOCK ADD with a register destination: #UD"
    db 0xF0, 0x01, 0xD8     ; lock add eax, ebx
    END_EXPECT

    ; --- #NM ----------------------------------------------------------------------------------------
    mov eax, cr0
    or eax, 4               ; EM
    mov cr0, eax
    EXPECT_FAULT V_NM, NOERR, "ESC (FNINIT) with CR0.EM: #NM"
.esc1:
    fninit
    END_EXPECT
    CHECK_EQ dword [exc_eip], .esc1, "...EIP = the ESC instruction"
    mov eax, cr0
    and eax, ~4
    or eax, 8               ; TS
    mov cr0, eax
    EXPECT_FAULT V_NM, NOERR, "ESC (FNSTSW) with CR0.TS: #NM"
    fnstsw ax
    END_EXPECT
    wait
    CHECK_EQ eax, eax, "WAIT with TS but not MP: no fault"
    mov eax, cr0
    or eax, 2               ; MP
    mov cr0, eax
    EXPECT_FAULT V_NM, NOERR, "WAIT with CR0.MP and CR0.TS: #NM"
    wait
    END_EXPECT
    clts
    mov eax, cr0
    and eax, 8
    CHECK_EQ eax, 0, "CLTS clears CR0.TS"
    fninit
    wait
    CHECK_EQ eax, 0, "ESC and WAIT with EM and TS clear: no fault"
    mov eax, cr0
    and eax, ~2
    mov cr0, eax

    ; --- #DB ----------------------------------------------------------------------------------------
    SET_GATE V_DB, db_handler, SEL_CODE0, 0x8E
    xor eax, eax
    mov dr6, eax
    mov dword [db_count], 0
    pushfd
    or dword [esp], 0x100   ; TF
    popfd
    nop
.stepped:
    nop
    CHECK_EQ dword [db_count], 1, "TF: one #DB, the handler clears TF"
    CHECK_EQ dword [db_eip], .stepped, "...a trap after the instruction following POPF"
    CHECK_BITS dword [db_dr6], 0x4000, 0x4000, "...DR6.BS set"

    ; MOV SS holds the single-step trap until the next instruction has run.
    SET_GATE V_DB, db_log, SEL_CODE0, 0x8E
    mov dword [db_count], 0
    mov ax, ss
    pushfd
    or dword [esp], 0x100
    popfd
    mov ss, ax
    nop
.ss_next:
    nop
.ss_next2:
    pushfd
    and dword [esp], ~0x100
    popfd
    CHECK_EQ dword [db_eips], .ss_next, "TF over MOV SS: the first trap comes after the next instruction"
    CHECK_EQ dword [db_eips + 4], .ss_next2, "...then after each instruction again"
    ; RF: the handler returns with RF set, the instruction at the breakpoint runs once, RF is
    ; cleared after it so the next breakpoint fires.
    mov dword [db_count], 0
    mov eax, .rf_bp0
    mov dr0, eax
    mov eax, .rf_bp1
    mov dr1, eax
    mov eax, 5              ; L0, L1: execution breakpoints
    mov dr7, eax
    xor ecx, ecx
    nop
.rf_bp0:
    inc ecx
.rf_bp1:
    inc ecx
    xor eax, eax
    mov dr7, eax
    CHECK_EQ dword [db_count], 2, "RF set by the handler: each of two breakpoints fires once"
    CHECK_EQ dword [db_eips], .rf_bp0, "...first at DR0"
    CHECK_EQ dword [db_eips + 4], .rf_bp1, "...then at DR1 (RF was cleared after one instruction)"
    CHECK_EQ ecx, 2, "...and both instructions ran once"
    SET_GATE V_DB, db_handler, SEL_CODE0, 0x8E

    mov dword [db_count], 0
    mov eax, .bp_exec
    mov dr0, eax
    mov eax, 1              ; L0, RW0 = execute, LEN0 = 1
    mov dr7, eax
    nop
.bp_exec:
    nop
    CHECK_EQ dword [db_count], 1, "DR0 execution breakpoint: one #DB"
    CHECK_EQ dword [db_eip], .bp_exec, "...a fault: EIP = the breakpoint address"
    CHECK_BITS dword [db_dr6], 0xF, 1, "...DR6.B0"

    mov dword [db_count], 0
    mov eax, bp_var
    mov dr1, eax
    mov eax, 0x00D00004     ; L1, RW1 = write, LEN1 = 4 bytes
    mov dr7, eax
    mov eax, [bp_var]
    CHECK_EQ dword [db_count], 0, "DR1 write breakpoint: a read does not trigger it"
    mov dword [bp_var], 5
.after_write:
    nop
    CHECK_EQ dword [db_count], 1, "DR1 write breakpoint: one #DB"
    CHECK_EQ dword [db_eip], .after_write, "...a trap: EIP after the writing instruction"
    CHECK_BITS dword [db_dr6], 0xF, 2, "...DR6.B1"
    CHECK_EQ dword [bp_var], 5, "...the write happened"

    mov dword [db_count], 0
    mov eax, bp_var
    mov dr2, eax
    mov eax, 0x0F000010     ; L2, RW2 = read/write, LEN2 = 4 bytes
    mov dr7, eax
    mov eax, [bp_var + 2]   ; overlaps the watched dword
.after_read:
    nop
    CHECK_EQ dword [db_count], 1, "DR2 read/write breakpoint: a read triggers it"
    CHECK_EQ dword [db_eip], .after_read, "...a trap after the reading instruction"
    CHECK_BITS dword [db_dr6], 0xF, 4, "...DR6.B2"
    xor eax, eax
    mov dr7, eax
    SET_GATE V_DB, exc_stub_1, SEL_CODE0, 0x8E

    ; --- Contributory faults and the double fault ---------------------------------------------------
    and byte [IDT_BASE + V_UD * 8 + 5], 0x7F         ; #UD gate not present
%ifdef QEMU
    EXPECT_FAULT V_NP, V_UD * 8 + 2, "#UD through a not-present gate: #NP(6*8+2) (QEMU: no EXT), no #DF"
%else
    EXPECT_FAULT V_NP, V_UD * 8 + 2 + 1, "#UD through a not-present gate: #NP(6*8+2+EXT), no #DF"
%endif
    ud2
    END_EXPECT
    or byte [IDT_BASE + V_UD * 8 + 5], 0x80
    and byte [IDT_BASE + V_GP * 8 + 5], 0x7F         ; #GP gate not present
    EXPECT_FAULT V_DF, 0, "#GP whose gate is not present: #DF(0)"
    mov ax, SEL_TSS0
    mov ds, ax
    END_EXPECT
    and byte [IDT_BASE + V_DE * 8 + 5], 0x7F         ; #DE gate not present, #GP still not present
    EXPECT_FAULT V_DF, 0, "#DE, then #NP for its gate (contributory twice): #DF(0)"
    xor ecx, ecx
    div ecx
    END_EXPECT
    or byte [IDT_BASE + V_DE * 8 + 5], 0x80
    or byte [IDT_BASE + V_GP * 8 + 5], 0x80
    EXPECT_FAULT V_GP, SEL_TSS0, "with the gate back, the same load is #GP(selector)"
    mov ax, SEL_TSS0
    mov ds, ax
    END_EXPECT
    ret

; #DB: logs the saved EIP (up to 4), clears DR6 and TF in the frame, sets RF in the frame.
db_log:
    push eax
    push ebx
    mov ebx, [db_count]
    cmp ebx, 4
    jae .full
    mov eax, [esp + 8]
    mov [db_eips + ebx * 4], eax
.full:
    inc dword [db_count]
    or dword [esp + 16], 0x10000
    xor eax, eax
    mov dr6, eax
    pop ebx
    pop eax
    iretd

; #DB: records the saved EIP and DR6, clears DR6, DR7 and the saved TF, returns.
db_handler:
    push eax
    mov eax, [esp + 4]
    mov [db_eip], eax
    mov eax, dr6
    mov [db_dr6], eax
    xor eax, eax
    mov dr6, eax
    mov dr7, eax
    and dword [esp + 12], ~0x100
    inc dword [db_count]
    pop eax
    iretd
