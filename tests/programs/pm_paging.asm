; pm_paging: the 386's two-level paging (Intel 386 PRM chapter 5.2, 6.4, 9.8.14).
;
; Page tables are built in RAM, CR0.PG is set with the first MiB identity-mapped (user, writable),
; and test pages are mapped above 4 MiB. Checks: #PF with CR2 and the error code (P, W/R, U/S) for
; reads, writes and instruction fetches, not-present and protection faults, user/supervisor (at
; ring 3 through IRET), U/S and R/W taken from both levels (PDE and PTE), supervisor writes to a
; read-only page succeed (the 386 has no CR0.WP; QEMU's 486 has WP, clear unless set), A and D set
; in the PDE and PTE, the TLB after a PTE change (a 386 may or may not still use the old
; translation before CR3 is reloaded: only the new mapping after the reload is checked), a write
; straddling two pages that faults on the second page and leaves the first unwritten, an
; instruction fetch straddling into a not-present page (CR2 = the second page, EIP = the
; instruction), a supervisor translation in the TLB not letting ring 3 in, a faulting access
; restarted by a handler that maps the page (demand paging; also a REP MOVSB that faults half-way
; with ECX/ESI/EDI at the faulting byte), the last directory entry mapping the
; directory itself, a linear access wrapping from 0xFFFFFFFF to 0 (the directory index wraps from
; 1023 to 0), a #PF while delivering a #PF (the ring-0 stack not present) becoming #DF(0)
; handled by a task through a task gate, a #GP whose delivery faults on that page being just a
; #PF (contributory then page fault: no #DF), CR3 loaded from the TSS by a task switch (and the main task's back), V86 accesses
; checked as user accesses, and MOV CR0 with PG set but PE clear: #GP(0).
;
; Only on pc386 (left out of the -DQEMU build): MOV CR0 with PG but not PE (QEMU 7.2 accepts it),
; and the 386's lack of CR0.WP and INVLPG (QEMU's -cpu 486 has both, as a 486 does; so has
; Bochs's CPU: the -DNOT_386 build leaves them out).
%define TEST_NAME "pm_paging"
%include "pm_lib.inc"

PD          equ 0x20000     ; page directory
PT0         equ 0x21000     ; 0x000000-0x3FFFFF: the first MiB identity-mapped, user, writable
PT1         equ 0x22000     ; 0x400000-0x7FFFFF: test pages (PDE user, writable)
PT2         equ 0x23000     ; 0x800000: PDE supervisor, PTE user
PT3         equ 0x24000     ; 0xC00000: fresh PDE and PTE for the A/D checks
PT4         equ 0x25000     ; 0x1000000: PDE read-only, PTE writable
P           equ 1
W           equ 2
U           equ 4
A_BIT       equ 0x20
D_BIT       equ 0x40

; Linear test pages in PT1 (index, physical frame, flags).
LIN_NP      equ 0x400000    ; 0: not present
LIN_RO      equ 0x401000    ; 1: user read-only -> 0x30000
LIN_SUP     equ 0x402000    ; 2: supervisor writable -> 0x31000
LIN_S1      equ 0x404000    ; 4: user writable -> 0x33000, followed by
LIN_S2      equ 0x405000    ; 5: not present
LIN_TLB     equ 0x406000    ; 6: -> 0x35000, then 0x36000
LIN_DEMAND  equ 0x407000    ; 7: not present until the #PF handler maps it to 0x37000
LIN_CODE    equ 0x408000    ; 8: user code page -> 0x38000
LIN_SCODE   equ 0x409000    ; 9: the same frame, supervisor only
LIN_STR1    equ 0x40B000    ; 11: -> 0x3F000, followed by
LIN_STR2    equ 0x40C000    ; 12: not present until the #PF handler maps it to 0x3E000
STR_SRC     equ 0x3D800     ; 32 bytes 0..31 (identity-mapped)
LIN_PDE_S   equ 0x800000    ; PDE supervisor, PTE user -> 0x39000
LIN_AD      equ 0xC00000    ; -> 0x3A000
LIN_PDE_RO  equ 0x1000000   ; PDE read-only, PTE writable -> 0x3B000
S_WRAP      equ 0x48        ; data segment with base 0xFFFFF000
S_TSS_CR3   equ 0x50        ; a task with its own page directory
TSS_CR3     equ 0x10000
PD2         equ 0x26000     ; its directory: PT0 as in PD, PT5 at 4 MiB
PT5         equ 0x27000     ; maps LIN_TLB to 0x3C000
S_TSS_DF    equ 0x58        ; the double-fault task
TSS_DF      equ 0x10100

[absolute TEST_VARS]
demand_count: resd 1
str_regs:   resd 3      ; ECX ESI EDI after the faulting REP MOVSB
r3_value:   resd 1
tlb_before: resd 1
task_cr3:   resd 1
task_value: resd 1
v86_value:  resd 1
df_count:   resd 1
df_error:   resd 1
df_cr2:     resd 1
df_tr:      resd 1
section .text

%macro PTE 3  ; table, index, value
    mov dword [%1 + (%2) * 4], %3
%endmacro

main:
    ; --- Build the tables -------------------------------------------------------------------------
    cld
    mov edi, PD
    mov ecx, 6 * 1024
    xor eax, eax
    rep stosd
    mov edi, 0x30000        ; the test frames 0x30000-0x3CFFF
    mov ecx, 13 * 1024
    rep stosd
    mov edi, PT0
    mov eax, P | W | U
    mov ecx, 256
.identity:
    stosd
    add eax, 0x1000
    loop .identity
    mov dword [PD + 0 * 4], PT0 | P | W | U
    mov dword [PD + 1 * 4], PT1 | P | W | U
    mov dword [PD + 2 * 4], PT2 | P | W
    mov dword [PD + 3 * 4], PT3 | P | W | U
    mov dword [PD + 4 * 4], PT4 | P | U
    mov dword [PD + 1023 * 4], PD | P | W        ; the directory maps itself at 0xFFC00000
    PTE PT1, 1, 0x30000 | P | U
    PTE PT1, 2, 0x31000 | P | W
    PTE PT1, 4, 0x33000 | P | W | U
    PTE PT1, 6, 0x35000 | P | W | U
    PTE PT1, 8, 0x38000 | P | W | U
    PTE PT1, 9, 0x38000 | P | W
    PTE PT2, 0, 0x39000 | P | W | U
    PTE PT3, 0, 0x3A000 | P | W | U
    PTE PT4, 0, 0x3B000 | P | W | U
    mov dword [0x30000], 0x0A0A0A0A
    mov dword [0x31000], 0x0B0B0B0B
    mov dword [0x33FFC], 0xAAAAAAAA
    mov dword [0x35000], 0x35353535
    mov dword [0x36000], 0x36363636
    mov dword [0x37000], 0x37373737
    mov dword [0x39000], 0x39393939
    mov esi, page_code      ; a routine for the fetch checks
    mov edi, 0x38000
    mov ecx, page_code_end - page_code
    rep movsb
    mov word [0], 0xBEEF    ; read by the wrap check through linear 0

    mov eax, PD
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp .paged              ; (the 386 wants a jump after setting PG)
.paged:
    mov eax, cr0
    shr eax, 31
    CHECK_EQ eax, 1, "CR0.PG set, execution continues through the identity map"
    mov eax, cr3
    CHECK_EQ eax, PD, "CR3 reads back the directory"
    CHECK_EQ dword [LIN_RO], 0x0A0A0A0A, "read through a PTE above 4 MiB"
    CHECK_EQ dword [LIN_PDE_S], 0x39393939, "supervisor read through a supervisor PDE"

    ; --- Not-present faults at ring 0 ---------------------------------------------------------------
    EXPECT_FAULT V_PF, 0, "supervisor read of a not-present page: #PF(0)"
.np_read:
    mov eax, [LIN_NP + 0x123]
    END_EXPECT
    CHECK_EQ dword [exc_cr2], LIN_NP + 0x123, "...CR2 = the faulting linear address"
    CHECK_EQ dword [exc_eip], .np_read, "...EIP = the faulting instruction"
    EXPECT_FAULT V_PF, W, "supervisor write to a not-present page: #PF(W)"
    mov dword [LIN_NP + 0xFFC], 1
    END_EXPECT
    CHECK_EQ dword [exc_cr2], LIN_NP + 0xFFC, "...CR2"
    EXPECT_FAULT V_PF, 0, "supervisor read through a not-present PDE: #PF(0)"
    mov eax, [0x2000000]
    END_EXPECT
    CHECK_EQ dword [exc_cr2], 0x2000000, "...CR2"

    ; --- Supervisor writes ignore R/W (no CR0.WP on the 386) ---------------------------------------
    mov dword [LIN_RO], 0x5A5A5A5A
    CHECK_EQ dword [0x30000], 0x5A5A5A5A, "supervisor write to a read-only user page succeeds"
    mov dword [LIN_PDE_RO], 0x3B3B3B3B
    CHECK_EQ dword [0x3B000], 0x3B3B3B3B, "supervisor write through a read-only PDE succeeds"

%ifndef NOT_386
    ; The 386 has no CR0.WP (a 486 addition): the bit does not stick and changes nothing.
    mov eax, cr0
    or eax, 0x10000
    mov cr0, eax
    mov eax, cr0
    and eax, 0x10000
    CHECK_EQ eax, 0, "386: CR0.WP does not exist (reads back 0)"
    mov dword [LIN_RO + 4], 0x5A5A0004
    CHECK_EQ dword [0x30004], 0x5A5A0004, "...supervisor writes to read-only pages still succeed"
    EXPECT_FAULT V_UD, NOERR, "386: INVLPG (a 486 instruction) is #UD"
    invlpg [LIN_RO]
    END_EXPECT
%endif

    ; --- Instruction fetches ------------------------------------------------------------------------
    call LIN_CODE
    CHECK_EQ eax, 0x600DC0DE, "call into a mapped code page"
    PTE PT1, 8, 0
    mov eax, cr3
    mov cr3, eax
    EXPECT_FAULT V_PF, 0, "fetch from a not-present page: #PF(0)"
    call LIN_CODE
    END_EXPECT
    CHECK_EQ dword [exc_cr2], LIN_CODE, "...CR2 = the target"
    CHECK_EQ dword [exc_eip], LIN_CODE, "...EIP = the target (the fetch faulted, not the CALL)"
    PTE PT1, 8, 0x38000 | P | W | U
    PTE PT1, 9, 0
    mov eax, cr3
    mov cr3, eax
    mov byte [0x38FFD], 0xB8                   ; MOV EAX, imm32: 3 bytes here, 2 on the next page
    EXPECT_FAULT V_PF, 0, "fetch of an instruction straddling into a not-present page: #PF(0)"
    call LIN_CODE + 0xFFD
    END_EXPECT
    CHECK_EQ dword [exc_cr2], LIN_CODE + 0x1000, "...CR2 = the start of the second page"
    CHECK_EQ dword [exc_eip], LIN_CODE + 0xFFD, "...EIP = the start of the instruction"
    PTE PT1, 9, 0x38000 | P | W
    mov eax, cr3
    mov cr3, eax
    mov byte [0x38FFD], 0

    ; --- User (ring 3) accesses ------------------------------------------------------------------
    RING3
    mov eax, [LIN_RO]
    mov [r3_value], eax
    call LIN_CODE
    END_RING3
    CHECK_EQ dword [r3_value], 0x5A5A5A5A, "ring 3: read of a user read-only page"
    CHECK_EQ eax, 0x600DC0DE, "ring 3: call into a user code page"
    RING3
    EXPECT_FAULT V_PF, P | W | U, "ring 3: write to a read-only page: #PF(P|W|U)"
    mov dword [LIN_RO + 8], 1
    END_EXPECT
    END_RING3
    CHECK_EQ dword [exc_cr2], LIN_RO + 8, "...CR2"
    CHECK_EQ dword [exc_cs], SEL_CODE3 | 3, "...CS of ring 3 in the frame"
    mov eax, [LIN_SUP]                         ; a supervisor translation in the TLB
    RING3
    EXPECT_FAULT V_PF, P | U, "ring 3: read of a supervisor page: #PF(P|U)"
    mov eax, [LIN_SUP]
    END_EXPECT
    END_RING3
    CHECK_EQ dword [exc_cr2], LIN_SUP, "...CR2"
    RING3
    EXPECT_FAULT V_PF, P | W | U, "ring 3: write to a supervisor page: #PF(P|W|U)"
    mov byte [LIN_SUP + 0xFFF], 1
    END_EXPECT
    END_RING3
    CHECK_EQ dword [exc_cr2], LIN_SUP + 0xFFF, "...CR2"
    CHECK_BITS dword [PT1 + 2 * 4], D_BIT, 0, "...the faulting write did not set D"
    RING3
    EXPECT_FAULT V_PF, U, "ring 3: read of a not-present page: #PF(U)"
    mov eax, [LIN_NP]
    END_EXPECT
    END_RING3
    RING3
    EXPECT_FAULT V_PF, W | U, "ring 3: write to a not-present page: #PF(W|U)"
    mov [LIN_NP], eax
    END_EXPECT
    END_RING3
    RING3
    EXPECT_FAULT V_PF, P | U, "ring 3: fetch from a supervisor page: #PF(P|U)"
    call LIN_SCODE
    END_EXPECT
    END_RING3
    CHECK_EQ dword [exc_cr2], LIN_SCODE, "...CR2"
    RING3
    EXPECT_FAULT V_PF, P | U, "ring 3: user PTE under a supervisor PDE: #PF(P|U)"
    mov eax, [LIN_PDE_S]
    END_EXPECT
    END_RING3
    RING3
    mov eax, [LIN_PDE_RO]
    mov [r3_value], eax
    END_RING3
    CHECK_EQ dword [r3_value], 0x3B3B3B3B, "ring 3: read through a read-only PDE"
    RING3
    EXPECT_FAULT V_PF, P | W | U, "ring 3: write through a read-only PDE, writable PTE: #PF(P|W|U)"
    mov dword [LIN_PDE_RO], 0
    END_EXPECT
    END_RING3

    ; --- Accessed and dirty bits ------------------------------------------------------------------
    CHECK_BITS dword [PD + 3 * 4], A_BIT, 0, "fresh PDE: A clear"
    CHECK_BITS dword [PT3], A_BIT | D_BIT, 0, "fresh PTE: A and D clear"
    mov eax, [LIN_AD]
    CHECK_BITS dword [PD + 3 * 4], A_BIT, A_BIT, "a read sets A in the PDE"
    CHECK_BITS dword [PT3], A_BIT | D_BIT, A_BIT, "a read sets A in the PTE, not D"
    mov eax, cr3
    mov cr3, eax
    mov dword [LIN_AD + 4], 0x12345678
    CHECK_BITS dword [PT3], A_BIT | D_BIT, A_BIT | D_BIT, "a write sets D in the PTE"
    CHECK_BITS dword [PD + 3 * 4], D_BIT, 0, "...but not in the PDE"
    CHECK_EQ dword [0x3A004], 0x12345678, "...and reached the frame"
    and dword [PT3], ~(A_BIT | D_BIT)
    mov eax, cr3
    mov cr3, eax
    mov dword [LIN_AD + 8], 1
    CHECK_BITS dword [PT3], A_BIT | D_BIT, A_BIT | D_BIT, "a first write to a clean page sets A and D"

    ; --- TLB: a changed PTE takes effect after the CR3 reload -------------------------------------
    mov eax, [LIN_TLB]
    PTE PT1, 6, 0x36000 | P | W | U
    mov eax, [LIN_TLB]
    mov [tlb_before], eax
    cmp eax, 0x35353535
    jne .not_cached
    PRINT "note: before the CR3 reload the old translation was still used (a cached TLB entry)"
    jmp .reload
.not_cached:
    PRINT "note: before the CR3 reload the new translation was already used (no cached entry)"
.reload:
    mov eax, cr3
    mov cr3, eax
    CHECK_EQ dword [LIN_TLB], 0x36363636, "after a CR3 reload the new PTE is used"
    PTE PT1, 6, 0
    mov eax, cr3
    mov cr3, eax
    EXPECT_FAULT V_PF, 0, "after a CR3 reload a cleared PTE faults"
    mov eax, [LIN_TLB]
    END_EXPECT

    ; Linear pages 4 MiB apart (the same slot of a direct-mapped 1024-entry TLB) keep apart.
    PTE PT2, 1, 0x3D000 | P | W | U
    mov dword [0x3D000], 0x3D3D3D3D
    mov eax, [LIN_RO]
    mov ebx, [LIN_PDE_S + 0x1000]
    mov ecx, [LIN_RO]
    CHECK_EQ ebx, 0x3D3D3D3D, "two linear pages 4 MiB apart: the second reads its own frame"
    CHECK_EQ ecx, eax, "...and the first still reads its own"

    ; --- A write straddling two pages -------------------------------------------------------------
    EXPECT_FAULT V_PF, W, "dword write across into a not-present page: #PF(W)"
    mov dword [LIN_S2 - 2], 0x11223344
    END_EXPECT
    CHECK_EQ dword [exc_cr2], LIN_S2, "...CR2 = the start of the second page"
    CHECK_EQ dword [0x33FFC], 0xAAAAAAAA, "...and the first page was not written"
    EXPECT_FAULT V_PF, 0, "dword read across into a not-present page: #PF(0)"
    mov eax, [LIN_S2 - 1]
    END_EXPECT
    CHECK_EQ dword [exc_cr2], LIN_S2, "...CR2 = the start of the second page"
    RING3
    EXPECT_FAULT V_PF, P | W | U, "ring 3: word write across into a supervisor page: #PF(P|W|U)"
    mov word [LIN_SCODE - 1], 0x7777
    END_EXPECT
    END_RING3
    CHECK_EQ dword [exc_cr2], LIN_SCODE, "...CR2 = the start of the second page"
    movzx eax, byte [0x38FFF]
    CHECK_EQ eax, 0, "...and the first page was not written"

    ; --- Demand paging: the handler maps the page, IRET restarts the instruction -------------------
    SET_GATE V_PF, demand_handler, SEL_CODE0, 0x8E
    mov ebx, LIN_DEMAND + 0x10
    mov eax, [ebx - 0x10]
    SET_GATE V_PF, exc_stub_14, SEL_CODE0, 0x8E
    CHECK_EQ eax, 0x37373737, "a restarted read gets the page the handler mapped"
    CHECK_EQ dword [demand_count], 1, "...after exactly one #PF"

    ; REP MOVSB across into a not-present page: the fault leaves the registers at the faulting
    ; byte; the handler maps the page and the restarted instruction finishes the copy.
    PTE PT1, 11, 0x3F000 | P | W | U
    mov edi, STR_SRC
    xor eax, eax
.fill:
    stosb
    inc eax
    cmp eax, 32
    jb .fill
    mov esi, STR_SRC
    mov edi, LIN_STR2 - 16
    mov ecx, 32
    cld
    EXPECT_FAULT V_PF, W, "REP MOVSB into a not-present page: #PF(W)"
    rep movsb
    END_EXPECT
    mov [str_regs], ecx
    mov [str_regs + 4], esi
    mov [str_regs + 8], edi
    CHECK_EQ dword [exc_cr2], LIN_STR2, "...CR2 = the first byte of the second page"
    CHECK_EQ dword [str_regs], 16, "...ECX = the bytes not yet copied"
    CHECK_EQ dword [str_regs + 4], STR_SRC + 16, "...ESI at the faulting element"
    CHECK_EQ dword [str_regs + 8], LIN_STR2, "...EDI at the faulting element"
    CHECK_EQ dword [0x3FFF0], 0x03020100, "...the first page holds the bytes copied so far"
    SET_GATE V_PF, demand_handler, SEL_CODE0, 0x8E
    rep movsb                                  ; resume with the same registers
    SET_GATE V_PF, exc_stub_14, SEL_CODE0, 0x8E
    CHECK_EQ ecx, 0, "restarted REP MOVSB finishes: ECX = 0"
    CHECK_EQ dword [demand_count], 2, "...after one more #PF mapped the page"
    CHECK_EQ dword [0x3E00C], 0x1F1E1D1C, "...the second page holds the rest"

    ; --- The top of the linear space --------------------------------------------------------------
    CHECK_EQ dword [0xFFFFF000 + 1023 * 4], PD | P | W | A_BIT, "PDE 1023 maps the directory at 0xFFFFF000"
    CHECK_EQ dword [0xFFC00000 + 1 * 4096 + 1 * 4], 0x30000 | P | U | A_BIT | D_BIT, "PT1 seen at 0xFFC01000"
    SET_DESC S_WRAP, 0xFFFFF000, 0xFFFF, 0x92, 0
    mov ax, S_WRAP
    mov es, ax
    mov eax, [es:0xFFE]     ; bytes at 0xFFFFFFFE-0xFFFFFFFF (PDE 1023, high word) and 0-1
    mov ebx, [es:0x1000]    ; 0xFFFFF000 + 0x1000 wraps to linear 0
    mov cx, SEL_DATA0
    mov es, cx
    CHECK_EQ eax, 0xBEEF0002, "a dword at 0xFFFFFFFE reads PDE 1023's page and then linear 0"
    movzx ebx, bx
    CHECK_EQ ebx, 0xBEEF, "base 0xFFFFF000 + 0x1000 wraps to linear 0"

%ifndef QEMU
    EXPECT_FAULT V_GP, 0, "MOV CR0 with PG set and PE clear: #GP(0)"
    mov eax, cr0
    and eax, ~1
    mov cr0, eax
    END_EXPECT
%endif

    ; --- A task switch loads CR3 from the new TSS ------------------------------------------------
    mov edi, PD2
    mov ecx, 2 * 1024
    xor eax, eax
    cld
    rep stosd
    mov dword [PD2], PT0 | P | W | U
    mov dword [PD2 + 1 * 4], PT5 | P | W | U
    mov dword [PT5 + 6 * 4], 0x3C000 | P | W | U
    mov dword [0x3C000], 0x3C3C3C3C
    mov edi, TSS_CR3
    mov ecx, 0x68 / 4
    xor eax, eax
    rep stosd
    mov dword [TSS_CR3 + 0x1C], PD2
    mov dword [TSS_CR3 + 0x20], cr3_task
    mov dword [TSS_CR3 + 0x24], 2
    mov dword [TSS_CR3 + 0x38], 0x69000
    mov dword [TSS_CR3 + 0x48], SEL_DATA0
    mov dword [TSS_CR3 + 0x4C], SEL_CODE0
    mov dword [TSS_CR3 + 0x50], SEL_DATA0
    mov dword [TSS_CR3 + 0x54], SEL_DATA0
    mov word [TSS_CR3 + 0x66], 0x68
    mov dword [TSS0_BASE + 0x1C], PD                ; (CR3 is loaded from a TSS, never saved)
    mov word [TSS0_BASE + 0x60], SEL_LDT
    SET_DESC S_TSS_CR3, TSS_CR3, 0x67, 0x89, 0
    PTE PT1, 6, 0x36000 | P | W | U
    jmp S_TSS_CR3:0
    clts
    CHECK_EQ dword [task_cr3], PD2, "task switch: CR3 loaded from the new TSS"
    CHECK_EQ dword [task_value], 0x3C3C3C3C, "...the task sees its own mapping of the page"
    mov eax, cr3
    CHECK_EQ eax, PD, "...and the switch back restores the main task's CR3"
    CHECK_EQ dword [LIN_TLB], 0x36363636, "...and its mapping"

    ; --- #PF while delivering #PF: #DF, handled by a task (the OS's way) ----------------------------
    mov edi, TSS_DF
    mov ecx, 0x68 / 4
    xor eax, eax
    rep stosd
    mov dword [TSS_DF + 0x1C], PD
    mov dword [TSS_DF + 0x20], df_task
    mov dword [TSS_DF + 0x24], 2
    mov dword [TSS_DF + 0x38], 0x68000
    mov dword [TSS_DF + 0x48], SEL_DATA0
    mov dword [TSS_DF + 0x4C], SEL_CODE0
    mov dword [TSS_DF + 0x50], SEL_DATA0
    mov dword [TSS_DF + 0x54], SEL_DATA0
    mov word [TSS_DF + 0x66], 0x68
    SET_DESC S_TSS_DF, TSS_DF, 0x67, 0x89, 0
    SET_GATE V_DF, 0, S_TSS_DF, 0x85
    and dword [PT0 + ((STACK0_TSS - 4) >> 12) * 4], ~P    ; the ring-0 stack page: not present
    mov eax, cr3
    mov cr3, eax
    RING3
    EXPECT_FAULT V_PF, U, "#PF on a not-present ring-0 stack: #DF to a task, which maps it; then #PF"
    mov eax, [LIN_NP]
    END_EXPECT
    END_RING3
    SET_GATE V_DF, exc_stub_8, SEL_CODE0, 0x8E
    clts
    CHECK_EQ dword [df_count], 1, "...one #DF"
    CHECK_EQ dword [df_tr], S_TSS_DF, "...handled in the double-fault task"
    CHECK_EQ dword [df_error], 0, "...with error code 0"
    mov eax, [df_cr2]
    and eax, 0xFFFFF000
    CHECK_EQ eax, (STACK0_TSS - 4) & 0xFFFFF000, "...CR2 in the ring-0 stack page"
    CHECK_EQ dword [exc_cr2], LIN_NP, "...and the restarted access's #PF has CR2 = its address"
    ; #GP (contributory) then #PF while delivering it: just the #PF (no #DF).
    SET_GATE V_PF, 0, S_TSS_DF, 0x85
    and dword [PT0 + ((STACK0_TSS - 4) >> 12) * 4], ~P
    mov eax, cr3
    mov cr3, eax
    RING3
    EXPECT_FAULT V_GP, SEL_TSS0, "#GP with a not-present ring-0 stack: #PF first (to a task), then #GP"
    mov ax, SEL_TSS0
    mov ds, ax
    END_EXPECT
    END_RING3
    SET_GATE V_PF, exc_stub_14, SEL_CODE0, 0x8E
    clts
    CHECK_EQ dword [df_count], 2, "...the #PF task ran once (no #DF)"
    CHECK_EQ dword [df_error], W, "...#PF(W): a supervisor write, whatever the CPL"
    mov eax, [df_cr2]
    and eax, 0xFFFFF000
    CHECK_EQ eax, (STACK0_TSS - 4) & 0xFFFFF000, "...CR2 in the ring-0 stack page"

    ; --- V86 mode is user level for paging ---------------------------------------------------------
    and dword [PT0 + 9 * 4], ~U                    ; linear 9000h: supervisor
    mov eax, cr3
    mov cr3, eax
    mov dword [0x9000], 0x99999999
    EXPECT_FAULT V_PF, P | U, "V86: read of a supervisor page: #PF(P|U)"
    ENTER_V86 3, v86_read_9000
    END_EXPECT
    CHECK_EQ dword [exc_cr2], 0x9000, "...CR2"
    CHECK_BITS dword [exc_eflags], 0x20000, 0x20000, "...from V86 mode"
    or dword [PT0 + 9 * 4], U
    mov eax, cr3
    mov cr3, eax
    ENTER_V86 3, v86_read_9000_ok
    CHECK_EQ dword [v86_value], 0x99999999, "V86: the same read once the page is user"

    ; --- Paging off again ---------------------------------------------------------------------------
    mov eax, cr0
    and eax, 0x7FFFFFFF
    mov cr0, eax
    jmp .unpaged
.unpaged:
    CHECK_EQ dword [0x36000], 0x36363636, "paging off: linear = physical again"
    ret

; #PF handler for the demand-paging checks: maps LIN_DEMAND or LIN_STR2 and returns to the
; faulting instruction.
demand_handler:
    push eax
    mov eax, cr2
    and eax, 0xFFFFF000
    cmp eax, LIN_STR2
    je .str
    cmp eax, LIN_DEMAND
    jne .wrong
    mov dword [PT1 + 7 * 4], 0x37000 | P | W | U
    jmp .mapped
.str:
    mov dword [PT1 + 12 * 4], 0x3E000 | P | W | U
.mapped:
    inc dword [demand_count]
    pop eax
    add esp, 4              ; the error code
    iretd
.wrong:
    pop eax
    jmp exc_stub_14

; Copied to 0x38000 (LIN_CODE): returns a marker in EAX.
page_code:
    mov eax, 0x600DC0DE
    ret
page_code_end:

; The task with its own directory: records CR3 and what LIN_TLB holds there, jumps back.
cr3_task:
    mov eax, cr3
    mov [task_cr3], eax
    mov eax, [LIN_TLB]
    mov [task_value], eax
    jmp SEL_TSS0:0
    jmp cr3_task

; The double-fault (and, later, page-fault) task: records, maps the ring-0 stack page again, returns to the faulting task
; (IRET with NT), which restarts the faulting instruction.
df_task:
    pop eax
    mov [df_error], eax
    mov eax, cr2
    mov [df_cr2], eax
    xor eax, eax
    str ax
    mov [df_tr], eax
    inc dword [df_count]
    or dword [PT0 + ((STACK0_TSS - 4) >> 12) * 4], P
    mov eax, cr3
    mov cr3, eax
    iretd
    jmp df_task

bits 16
v86_read_9000:
    mov eax, [0x9000]
    int 0x30
v86_read_9000_ok:
    mov eax, [0x9000]
    mov [v86_value], eax
    int 0x30
bits 32

