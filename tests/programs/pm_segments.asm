; pm_segments: segmentation in protected mode (Intel 386 PRM chapters 5-6).
;
; The real-to-protected switch (pm_lib.inc), GDT and LDT descriptors, the descriptor cache (a
; segment register keeps its base after the GDT entry changes, until it is reloaded), the accessed
; bit, the B bit of a stack segment, the checks of segment register loads with their error codes
; (#GP(0) for a null SS, #GP(selector) for out-of-limit, wrong-type and privilege errors, #NP and
; #SS(selector) for not-present segments), LAR/LSL/VERR/VERW, ARPL, conforming code, the
; privileged instructions at ring 3 (#GP(0)), and a trip
; back to real mode (CS F000 after a far JMP, FS keeping a 4 GiB limit: "unreal mode", INT
; through the real-mode IVT) and into protected mode again.
;
; Only on pc386 (left out of the -DQEMU build): running past CS's limit, the limit checks of memory
; accesses (expand-up,
; expand-down with B=0 and B=1, G=1 scaling, a 64 KiB limit kept in real mode) and #SS(0) for a
; stack access beyond SS's limit.
; QEMU's TCG does not check segment limits on data accesses (it checks them only on loads and
; far transfers), so it would report "no exception" for them.
%define TEST_NAME "pm_segments"
%include "pm_lib.inc"

; Test descriptors (GDT unless noted).
S_DATA_A    equ 0x48    ; data, base 0x90000, limit 0xFFFF (its base is changed by the cache test)
S_SMALL     equ 0x50    ; data, base 0x90000, limit 0xFFF
S_ED16      equ 0x58    ; expand-down data, limit 0xFFF, B=0: valid 0x1000..0xFFFF
S_ED32      equ 0x60    ; expand-down data, base 0, limit 0xFFF, B=1: valid 0x1000..0xFFFFFFFF
S_XONLY     equ 0x68    ; execute-only code
S_RONLY     equ 0x70    ; read-only data
S_DATA_D3   equ 0x78    ; data, DPL 3
S_NOTP      equ 0x80    ; not-present writable data
S_CONF      equ 0x88    ; conforming readable 32-bit code, DPL 0, flat
S_STK16     equ 0x90    ; 16-bit (B=0) stack, base 0x80000, limit 0xFFFF
S_CGATE     equ 0x98    ; a 386 call gate (for LAR/LSL)
S_IGATE     equ 0xA0    ; an interrupt gate type in the GDT: LAR rejects it
S_ED_STK3   equ 0xB0    ; expand-down DPL 3 stack, base 0x80000, limit 0xFFF, B=0
S_SMALL3    equ 0xB8    ; DPL 3 data, base 0x80000, limit 0xFFF (a small ring-3 stack)
S_NOTP_CODE equ 0xC0    ; not-present code
S_BIG       equ 0xC8    ; flat 4 GiB data, DPL 0 (kept by FS through the return to real mode)
S_TINYCODE  equ 0xD0    ; 32-bit code, base 0x95000, limit 2: three NOPs, then the limit
L_DATA      equ 0x04    ; LDT 0: data, base 0x91000, limit 0xFFFF, DPL 0
L_DATA3     equ 0x0C    ; LDT 1: data, DPL 3

[absolute TEST_VARS]
r3_zf:      resb 16     ; ZF results of ring-3 VERR/VERW
r3_cs:      resd 1
r3_cs2:     resd 1
tmp_esp:    resd 1
tmp_ss:     resd 1
rm_cr0:     resd 1      ; what the real-mode excursion saw
rm_unreal:  resd 1
rm_int:     resd 1
rm_gp:      resd 1
rm_cs:      resd 1
section .text

main:
    ; --- The switch itself -------------------------------------------------------------------
    mov eax, cr0
    and eax, 1
    CHECK_EQ eax, 1, "CR0.PE set after the switch"
    xor eax, eax
    mov ax, cs
    CHECK_EQ eax, SEL_CODE0, "CS is the flat ring-0 code selector"
    str ax
    CHECK_EQ eax, SEL_TSS0, "STR reads the TSS selector loaded by LTR"
    sldt ax
    CHECK_EQ eax, SEL_LDT, "SLDT reads the LDT selector loaded by LLDT"
    movzx eax, byte [GDT_BASE + SEL_TSS0 + 5]
    CHECK_EQ eax, 0x8B, "LTR marked the TSS descriptor busy"

    SET_DESC S_DATA_A, 0x90000, 0xFFFF, 0x92, 0
    SET_DESC S_SMALL, 0x90000, 0xFFF, 0x92, 0
    SET_DESC S_ED16, 0x90000, 0xFFF, 0x96, 0
    SET_DESC S_ED32, 0, 0xFFF, 0x96, 4
    SET_DESC S_XONLY, 0, 0xFFFFF, 0x98, 0xC
    SET_DESC S_RONLY, 0, 0xFFFFF, 0x90, 0xC
    SET_DESC S_DATA_D3, 0, 0xFFFFF, 0xF2, 0xC
    SET_DESC S_NOTP, 0, 0xFFFFF, 0x12, 0xC
    SET_DESC S_CONF, 0, 0xFFFFF, 0x9E, 0xC
    SET_DESC S_STK16, 0x80000, 0xFFFF, 0x92, 0
    SET_RAW S_CGATE, (SEL_CODE0 << 16) | 0x1234, 0x0000EC02    ; DPL 3, 2 parameters
    SET_RAW S_IGATE, (SEL_CODE0 << 16) | 0x1234, 0x00008E00
    SET_DESC S_ED_STK3, 0x80000, 0xFFF, 0xF6, 0
    SET_DESC S_SMALL3, 0x80000, 0xFFF, 0xF2, 0
    SET_DESC S_NOTP_CODE, 0, 0xFFFFF, 0x1A, 0xC
    SET_DESC L_DATA, 0x91000, 0xFFFF, 0x92, 0
    SET_DESC L_DATA3, 0, 0xFFFFF, 0xF2, 0xC

    mov dword [0x90000], 0x11111111
    mov dword [0x91000], 0x22222222

    ; --- GDT, LDT, accessed bit, descriptor cache -----------------------------------------------
    movzx eax, byte [GDT_BASE + S_DATA_A + 5]
    CHECK_EQ eax, 0x92, "fresh descriptor has A clear"
    mov ax, S_DATA_A
    mov fs, ax
    movzx eax, byte [GDT_BASE + S_DATA_A + 5]
    CHECK_EQ eax, 0x93, "loading FS set the accessed bit in the GDT"
    CHECK_EQ dword [fs:0], 0x11111111, "FS reads through its descriptor's base (0x90000)"
    mov word [GDT_BASE + S_DATA_A + 2], 0x1000       ; base 0x91000 in the table only
    CHECK_EQ dword [fs:0], 0x11111111, "FS keeps the cached base after the GDT entry changed"
    mov ax, fs
    mov fs, ax
    CHECK_EQ dword [fs:0], 0x22222222, "reloading FS picks up the new base"
    mov ax, L_DATA
    mov gs, ax
    CHECK_EQ dword [gs:0], 0x22222222, "LDT selector (TI=1) reads through the LDT descriptor"
    movzx eax, byte [LDT_BASE + 5]
    CHECK_EQ eax, 0x93, "loading from the LDT set its accessed bit"
    mov word [GDT_BASE + SEL_LDT + 2], 0x8000   ; the LDT descriptor now says base 0x8000
    mov ax, L_DATA
    mov gs, ax
    CHECK_EQ dword [gs:0], 0x22222222, "LDTR keeps its cached base after the GDT entry changed"
    mov word [GDT_BASE + SEL_LDT + 2], LDT_BASE
    mov ax, SEL_DATA0
    mov fs, ax
    mov gs, ax
    lar eax, [lar_sel_data0]
    and eax, 0x00F0FF00         ; the 386 PRM leaves bits 19:16 (limit 19:16) undefined
    CHECK_EQ eax, 0x00C09300, "LAR of the flat data descriptor"

    ; --- B bit of the stack segment ------------------------------------------------------------
    mov [tmp_esp], esp
    mov ax, S_STK16
    mov ss, ax
    mov esp, 0x12340010
    push dword 0xAABBCCDD
    mov ebx, esp
    mov ax, SEL_DATA0
    mov ss, ax
    mov esp, [tmp_esp]
    CHECK_EQ ebx, 0x1234000C, "PUSH on a B=0 stack changes SP only"
    CHECK_EQ dword [0x8000C], 0xAABBCCDD, "...and writes at SS.base + SP"
    mov ax, S_STK16
    mov ss, ax
    mov esp, 0x00010000         ; SP = 0
    push word 0x5AA5
    mov ebx, esp
    mov ax, SEL_DATA0
    mov ss, ax
    mov esp, [tmp_esp]
    CHECK_EQ ebx, 0x0001FFFE, "PUSH with SP = 0 on a B=0 stack wraps SP to FFFEh"
    movzx eax, word [0x8FFFE]
    CHECK_EQ eax, 0x5AA5, "...and writes at SS.base + FFFEh"
    mov ax, SEL_DATA0
    mov ss, ax
    mov esp, 0x7E010
    push dword 0x55667788
    mov ebx, esp
    mov esp, [tmp_esp]
    CHECK_EQ ebx, 0x7E00C, "PUSH on a B=1 stack uses all of ESP"

    ; --- Segment register loads: error codes -------------------------------------------------------
    EXPECT_FAULT V_GP, 0, "MOV SS, null selector: #GP(0)"
    xor eax, eax
    mov ss, ax
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "MOV SS, null selector with RPL 3: #GP(0)"
    mov eax, 3
    mov ss, ax
    END_EXPECT
    xor eax, eax
    mov ds, ax
    mov es, ax
    mov ax, SEL_DATA0
    mov ds, ax
    mov es, ax
    CHECK_EQ eax, SEL_DATA0, "a null selector loads into DS/ES without a fault"
    EXPECT_FAULT V_GP, 0x200, "selector past the GDT limit: #GP(selector)"
    mov ax, 0x203
    mov ds, ax
    END_EXPECT
    EXPECT_FAULT V_GP, SEL_TSS0, "DS <- TSS descriptor: #GP(selector)"
    mov ax, SEL_TSS0
    mov ds, ax
    END_EXPECT
    EXPECT_FAULT V_GP, S_XONLY, "DS <- execute-only code: #GP(selector)"
    mov ax, S_XONLY
    mov es, ax
    END_EXPECT
    mov ax, S_CONF
    mov es, ax
    mov ax, SEL_DATA0
    mov es, ax
    CHECK_EQ eax, SEL_DATA0, "ES <- readable conforming code loads"
    EXPECT_FAULT V_GP, S_RONLY, "SS <- read-only data: #GP(selector)"
    mov ax, S_RONLY
    mov ss, ax
    END_EXPECT
    EXPECT_FAULT V_GP, S_CONF, "SS <- code: #GP(selector)"
    mov ax, S_CONF
    mov ss, ax
    END_EXPECT
    EXPECT_FAULT V_GP, S_DATA_D3, "SS <- DPL 3 data at CPL 0: #GP(selector)"
    mov ax, S_DATA_D3
    mov ss, ax
    END_EXPECT
    EXPECT_FAULT V_GP, SEL_DATA0, "SS <- selector with RPL 3 != CPL: #GP(selector)"
    mov ax, SEL_DATA0 | 3
    mov ss, ax
    END_EXPECT
    EXPECT_FAULT V_GP, SEL_DATA0, "DS <- RPL 3 selector of a DPL 0 segment: #GP(selector)"
    mov ax, SEL_DATA0 | 3
    mov ds, ax
    END_EXPECT
    EXPECT_FAULT V_NP, S_NOTP, "DS <- not-present segment: #NP(selector)"
    mov ax, S_NOTP
    mov ds, ax
    END_EXPECT
    EXPECT_FAULT V_SS, S_NOTP, "SS <- not-present segment: #SS(selector)"
    mov ax, S_NOTP
    mov ss, ax
    END_EXPECT
    EXPECT_FAULT V_GP, S_DATA_A, "JMP far to a data segment: #GP(selector)"
    jmp S_DATA_A:0
    END_EXPECT
    EXPECT_FAULT V_NP, S_NOTP_CODE, "JMP far to a not-present code segment: #NP(selector)"
    jmp S_NOTP_CODE:0
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "JMP far to the null selector: #GP(0)"
    jmp 0:0
    END_EXPECT
    xor eax, eax
    lldt ax
    EXPECT_FAULT V_GP, L_DATA, "LDT selector with a null LDTR: #GP(selector)"
    mov ax, L_DATA
    mov ds, ax
    END_EXPECT
    mov ax, SEL_LDT
    lldt ax
    EXPECT_FAULT V_GP, SEL_DATA0, "LLDT of a data descriptor: #GP(selector)"
    mov ax, SEL_DATA0
    lldt ax
    END_EXPECT
    EXPECT_FAULT V_GP, SEL_TSS0, "LTR of a busy TSS: #GP(selector)"
    mov ax, SEL_TSS0
    ltr ax
    END_EXPECT
    EXPECT_FAULT V_UD, NOERR, "MOV CS, r16: #UD"
    db 0x8E, 0xC8           ; mov cs, ax
    END_EXPECT

    SET_DESC S_TINYCODE, 0x95000, 2, 0x9A, 4
    mov dword [0x95000], 0x90909090
    EXPECT_FAULT V_GP, 0, "JMP far to an offset past the code segment's limit: #GP(0)"
.jmp_past:
    jmp S_TINYCODE:3
    END_EXPECT
    CHECK_EQ dword [exc_eip], .jmp_past, "...EIP = the JMP"
%ifndef QEMU
    EXPECT_FAULT V_GP, 0, "running off the end of a code segment: #GP(0)"
    jmp S_TINYCODE:0
    END_EXPECT
    CHECK_EQ dword [exc_eip], 3, "...EIP = the limit + 1 (after three NOPs)"
    CHECK_EQ dword [exc_cs], S_TINYCODE, "...in that segment"
    mov byte [0x95002], 0xB0                   ; MOV AL, imm8 at offset 2: its second byte is past
    EXPECT_FAULT V_GP, 0, "an instruction straddling the code segment's limit: #GP(0)"
    jmp S_TINYCODE:0
    END_EXPECT
    CHECK_EQ dword [exc_eip], 2, "...EIP = the start of that instruction"

    ; --- Limit checks on memory accesses (pc386 only: see the header) ------------------------------
    mov ax, S_SMALL
    mov ds, ax
    mov eax, [0xFFC]
    mov ax, SEL_DATA0
    mov ds, ax
    CHECK_EQ eax, eax, "dword read at limit-3 of a 4 KiB segment"
    EXPECT_FAULT V_GP, 0, "dword read at limit-2: #GP(0)"
    mov ax, S_SMALL
    mov ds, ax
    mov eax, [0xFFD]
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "byte write at limit+1: #GP(0)"
    mov ax, S_SMALL
    mov es, ax
    mov byte [es:0x1000], 1
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "read through a null DS: #GP(0)"
    xor eax, eax
    mov ds, ax
    mov eax, [0]
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "write to read-only data: #GP(0)"
    mov ax, S_RONLY
    mov es, ax
    mov [es:0x90000], eax
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "write through CS: #GP(0)"
    mov [cs:0x90000], eax
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "read of execute-only code through CS: #GP(0)"
    jmp S_XONLY:.xonly
.xonly:
    mov eax, [cs:0x90000]
    END_EXPECT
    ; expand-down, B=0: offsets limit+1 .. 0xFFFF
    mov ax, S_ED16
    mov es, ax
    mov al, [es:0x1000]
    mov al, [es:0xFFFF]
    mov ax, SEL_DATA0
    mov es, ax
    CHECK_EQ eax, SEL_DATA0, "expand-down B=0: bytes at limit+1 and 0xFFFF are inside"
    EXPECT_FAULT V_GP, 0, "expand-down B=0: byte at the limit is outside: #GP(0)"
    mov ax, S_ED16
    mov es, ax
    mov al, [es:0xFFF]
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "expand-down B=0: word at 0xFFFF runs past 64 KiB: #GP(0)"
    mov ax, S_ED16
    mov es, ax
    mov ax, [es:0xFFFF]
    END_EXPECT
    EXPECT_FAULT V_GP, 0, "expand-down B=0: offset 0x10000 is outside: #GP(0)"
    mov ax, S_ED16
    mov es, ax
    mov al, [es:0x10000]
    END_EXPECT
    ; expand-down, B=1: offsets limit+1 .. 0xFFFFFFFF
    mov ax, S_ED32
    mov es, ax
    mov eax, [es:0x10000]
    mov ax, SEL_DATA0
    mov es, ax
    CHECK_EQ eax, SEL_DATA0, "expand-down B=1: offset 0x10000 is inside"
    EXPECT_FAULT V_GP, 0, "expand-down B=1: dword at limit-1 is outside: #GP(0)"
    mov ax, S_ED32
    mov es, ax
    mov eax, [es:0xFFE]
    END_EXPECT
    ; G=1: limit 0 means 4 KiB
    SET_DESC S_SMALL, 0x90000, 0, 0x92, 8
    mov ax, S_SMALL
    mov ds, ax
    mov eax, [0xFFC]
    mov ax, SEL_DATA0
    mov ds, ax
    CHECK_EQ eax, eax, "G=1 limit 0: offset 0xFFC is inside"
    EXPECT_FAULT V_GP, 0, "G=1 limit 0: offset 0x1000 is outside: #GP(0)"
    mov ax, S_SMALL
    mov ds, ax
    mov al, [0x1000]
    END_EXPECT
    ; #SS vs #GP: the stack segment's violations are #SS(0). At ring 3 so that the handler gets a
    ; fresh stack from the TSS.
    RING3
    EXPECT_FAULT V_SS, 0, "ring 3: PUSH below an expand-down stack's limit: #SS(0)"
    mov ax, S_ED_STK3 | 3
    mov ss, ax
    mov esp, 0x1002
    push eax
    END_EXPECT
    END_RING3
    CHECK_EQ dword [exc_ss3], S_ED_STK3 | 3, "...the #SS frame holds the ring-3 SS"
    CHECK_EQ dword [exc_esp3], 0x1002, "...and the ESP before the PUSH"
    RING3
    EXPECT_FAULT V_SS, 0, "ring 3: [EBP] past SS's limit: #SS(0)"
    mov ax, S_SMALL3 | 3
    mov ss, ax
    mov esp, 0x800
    mov ebp, 0x1000
    mov eax, [ebp]
    END_EXPECT
    END_RING3
    RING3
    EXPECT_FAULT V_GP, 0, "ring 3: the same offset through DS: #GP(0)"
    mov ax, S_SMALL3 | 3
    mov ds, ax
    mov eax, [0x1000]
    END_EXPECT
    END_RING3
%endif

    ; --- LAR, LSL, VERR, VERW --------------------------------------------------------------------
    mov ebx, 0x12345678
    mov ecx, S_SMALL
    SET_DESC S_SMALL, 0x90000, 0xFFF, 0x92, 0
    lsl ebx, ecx
    setz al
    CHECK_EQ ebx, 0xFFF, "LSL of a 4 KiB byte-granular segment"
    lsl ebx, [lar_sel_data0]
    CHECK_EQ ebx, 0xFFFFFFFF, "LSL of a 4 GiB page-granular segment"
    mov ecx, SEL_TSS0
    lsl ebx, ecx
    CHECK_EQ ebx, TSS0_LIMIT, "LSL of the TSS"
    lar ebx, ecx
    CHECK_EQ ebx, 0x00008B00, "LAR of the busy TSS"
    mov ecx, S_CGATE
    lar ebx, ecx
    setz al
    movzx eax, al
    CHECK_EQ eax, 1, "LAR accepts a call gate (ZF=1)"
    CHECK_EQ ebx, 0x0000EC00, "...and returns its access byte"
    mov ebx, 0x5A5A5A5A
    lsl ebx, ecx
    setz al
    movzx eax, al
    CHECK_EQ eax, 0, "LSL rejects a call gate (ZF=0)"
    CHECK_EQ ebx, 0x5A5A5A5A, "...and leaves the destination alone"
    mov ecx, S_IGATE
    lar ebx, ecx
    setz al
    movzx eax, al
    CHECK_EQ eax, 0, "LAR rejects an interrupt gate type in the GDT"
    xor ecx, ecx
    lar ebx, ecx
    setz al
    movzx eax, al
    CHECK_EQ eax, 0, "LAR of the null selector: ZF=0"
    mov ecx, 0x200
    lar ebx, ecx
    setz al
    movzx eax, al
    CHECK_EQ eax, 0, "LAR past the GDT limit: ZF=0"
    mov ecx, S_NOTP
    lar ebx, ecx
    setz al
    movzx eax, al
    CHECK_EQ eax, 1, "LAR of a not-present segment: ZF=1"
    mov ecx, S_XONLY
    verr cx
    setz al
    movzx eax, al
    CHECK_EQ eax, 0, "VERR execute-only code: ZF=0"
    mov ecx, SEL_CODE0
    verr cx
    setz al
    movzx eax, al
    CHECK_EQ eax, 1, "VERR readable code: ZF=1"
    verw cx
    setz al
    movzx eax, al
    CHECK_EQ eax, 0, "VERW code: ZF=0"
    mov ecx, S_RONLY
    verw cx
    setz al
    movzx eax, al
    CHECK_EQ eax, 0, "VERW read-only data: ZF=0"
    verr cx
    setz al
    movzx eax, al
    CHECK_EQ eax, 1, "VERR read-only data: ZF=1"
    mov ecx, SEL_DATA0
    verw cx
    setz al
    movzx eax, al
    CHECK_EQ eax, 1, "VERW writable data: ZF=1"
    mov ecx, SEL_DATA0 | 3
    verw cx
    setz al
    movzx eax, al
    CHECK_EQ eax, 0, "VERW with RPL 3 of a DPL 0 segment: ZF=0"
    mov ecx, SEL_TSS0
    verr cx
    setz al
    movzx eax, al
    CHECK_EQ eax, 0, "VERR of a TSS: ZF=0"

    ; --- ARPL -------------------------------------------------------------------------------------
    mov ax, 0x0010
    mov bx, 0x0023
    arpl ax, bx
    setz cl
    movzx ecx, cl
    movzx eax, ax
    CHECK_EQ eax, 0x13, "ARPL raises the RPL to the source's"
    CHECK_EQ ecx, 1, "...and sets ZF"
    mov ax, 0x0013
    mov bx, 0x0020
    arpl ax, bx
    setz cl
    movzx ecx, cl
    movzx eax, ax
    CHECK_EQ eax, 0x13, "ARPL leaves a higher RPL alone"
    CHECK_EQ ecx, 0, "...and clears ZF"

    ; --- Ring 3: visibility, privilege checks, conforming code -------------------------------------
    RING3
    mov ecx, SEL_DATA0
    verr cx
    setz [r3_zf + 0]
    mov ecx, SEL_DATA3 | 3
    verw cx
    setz [r3_zf + 1]
    mov ecx, S_CONF | 3
    verr cx
    setz [r3_zf + 2]
    mov ecx, SEL_CODE0 | 3
    verr cx
    setz [r3_zf + 3]
    mov ecx, L_DATA3 | 3
    verw cx
    setz [r3_zf + 4]
    mov ecx, SEL_TSS0
    lar ebx, ecx
    setz [r3_zf + 5]
    mov ecx, S_CGATE | 3
    lar ebx, ecx
    setz [r3_zf + 6]
    mov ax, cs
    mov [r3_cs], eax
    call S_CONF:conforming_code
    mov [r3_cs2], eax
    END_RING3
    movzx eax, byte [r3_zf + 0]
    CHECK_EQ eax, 0, "ring 3: VERR of DPL 0 data: ZF=0"
    movzx eax, byte [r3_zf + 1]
    CHECK_EQ eax, 1, "ring 3: VERW of DPL 3 data: ZF=1"
    movzx eax, byte [r3_zf + 2]
    CHECK_EQ eax, 1, "ring 3: VERR of DPL 0 conforming readable code: ZF=1"
    movzx eax, byte [r3_zf + 3]
    CHECK_EQ eax, 0, "ring 3: VERR of DPL 0 non-conforming code: ZF=0"
    movzx eax, byte [r3_zf + 4]
    CHECK_EQ eax, 1, "ring 3: VERW of a DPL 3 LDT descriptor: ZF=1"
    movzx eax, byte [r3_zf + 5]
    CHECK_EQ eax, 0, "ring 3: LAR of the DPL 0 TSS: ZF=0"
    movzx eax, byte [r3_zf + 6]
    CHECK_EQ eax, 1, "ring 3: LAR of a DPL 3 call gate: ZF=1"
    CHECK_EQ dword [r3_cs], SEL_CODE3 | 3, "ring 3: CS has RPL 3"
    CHECK_EQ dword [r3_cs2], S_CONF | 3, "CALL to DPL 0 conforming code from ring 3 runs at CPL 3"
    RING3
    EXPECT_FAULT V_GP, SEL_DATA0, "ring 3: DS <- DPL 0 data: #GP(selector)"
    mov ax, SEL_DATA0
    mov ds, ax
    END_EXPECT
    END_RING3
    RING3
    EXPECT_FAULT V_GP, SEL_CODE0, "ring 3: CALL far to DPL 0 non-conforming code: #GP(selector)"
    call SEL_CODE0:main
    END_EXPECT
    END_RING3
    RING3
    EXPECT_FAULT V_GP, SEL_DATA3, "ring 3: SS <- selector with RPL 0 != CPL: #GP(selector)"
    mov ax, SEL_DATA3
    mov ss, ax
    END_EXPECT
    END_RING3
%macro RING3_GP0 2  ; name, instruction: at ring 3 the instruction is #GP(0)
    RING3
    EXPECT_FAULT V_GP, 0, %1
    %2
    END_EXPECT
    END_RING3
%endmacro
    RING3_GP0 "ring 3: LGDT is privileged: #GP(0)", {lgdt [gdtr_value]}
    RING3_GP0 "ring 3: LIDT: #GP(0)", {lidt [gdtr_value]}
    RING3_GP0 "ring 3: LLDT: #GP(0)", {lldt ax}
    RING3_GP0 "ring 3: LTR: #GP(0)", {ltr ax}
    RING3_GP0 "ring 3: LMSW: #GP(0)", {lmsw ax}
    RING3_GP0 "ring 3: CLTS: #GP(0)", {clts}
    RING3_GP0 "ring 3: MOV CR0, EAX: #GP(0)", {mov cr0, eax}
    RING3_GP0 "ring 3: MOV EAX, CR3: #GP(0)", {mov eax, cr3}
    RING3_GP0 "ring 3: MOV DR7, EAX: #GP(0)", {mov dr7, eax}
    RING3_GP0 "ring 3: HLT: #GP(0)", {hlt}
    mov dword [r3_cs], 0
    RING3
    smsw ax
    mov ax, S_CONF | 3
    mov es, ax                  ; conforming readable code: no privilege check for a data load
    mov dword [r3_cs], 1
    END_RING3
    CHECK_EQ dword [r3_cs], 1, "ring 3: SMSW, and ES <- DPL 0 conforming readable code, allowed"

    ; --- Back to real mode and forward again --------------------------------------------------------
    SET_DESC S_BIG, 0, 0xFFFFF, 0x92, 0xC
    mov ax, S_BIG
    mov fs, ax                  ; 4 GiB limit, kept in real mode ("unreal mode")
    mov ax, SEL_DATA16
    mov gs, ax                  ; 64 KiB limit
    mov [tmp_esp], esp
    mov word [0x60 * 4], rm_int_handler - 0xF0000
    mov word [0x60 * 4 + 2], 0xF000
    mov word [13 * 4], rm_gp_handler - 0xF0000
    mov word [13 * 4 + 2], 0xF000
    jmp SEL_CODE16:.pm16 - 0xF0000
bits 16
.pm16:
    mov ax, SEL_DATA16
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, cr0
    and al, ~1
    mov cr0, eax
    jmp 0xF000:.real - 0xF0000
.real:
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7000
    mov ebx, idtr_real - 0xF0000
    lidt [cs:bx]
    mov eax, cr0
    mov [rm_cr0], eax
    mov [rm_cs], cs
    mov eax, [fs:dword 0x90000]
    mov [rm_unreal], eax
    int 0x60
%ifndef QEMU
    mov al, [gs:dword 0x10000]  ; past GS's 64 KiB limit: #GP (vector 13 through the IVT)
.after_gp:
%endif
    mov ebx, idtr_value - 0xF0000
    o32 lidt [cs:bx]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword SEL_CODE0:.pm32
bits 32
.pm32:
    mov ax, SEL_DATA0
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, [tmp_esp]
    CHECK_BITS dword [rm_cr0], 1, 0, "real mode again: CR0.PE clear"
    CHECK_EQ dword [rm_cs], 0xF000, "...CS = F000 after the far JMP"
    CHECK_EQ dword [rm_unreal], 0x11111111, "...FS keeps its 4 GiB limit (unreal mode)"
    CHECK_EQ dword [rm_int], 0x60, "...INT 60h goes through the real-mode IVT at 0"
%ifndef QEMU
    CHECK_EQ dword [rm_gp], 1, "...GS keeps its 64 KiB limit: offset 10000h is #GP (via the IVT)"
%endif
    ret

bits 16
; Real mode: INT 60h and the #GP of the limit check (vector 13), through the IVT.
rm_int_handler:
    mov dword [rm_int], 0x60
    iret
rm_gp_handler:
%ifndef QEMU
    push bp
    mov bp, sp
    mov word [bp + 2], main.after_gp - 0xF0000     ; resume after the faulting MOV
    inc dword [rm_gp]
    pop bp
%endif
    iret
bits 32

[section .rodata]
idtr_real:
    dw 0x3FF
    dd 0
__SECT__

; Reached by a far CALL from ring 3: the CS it runs with (RPL = CPL 3) in EAX.
conforming_code:
    xor eax, eax
    mov ax, cs
    retf

[section .rodata]
lar_sel_data0: dd SEL_DATA0
__SECT__
