; pm_486: what the 486 adds to the 386 (Intel i486 Programmer's Reference Manual): run on pc386
; with `--cpu 486` and on QEMU's -cpu 486.
;
; Checks: the reset signature in DX (family 4), EFLAGS.AC and EFLAGS.ID toggle (how software
; tells a 486 from a 386, and a CPUID-capable 486 from an older one), CPUID leaf 0 (GenuineIntel,
; a highest leaf of at least 1) and leaf 1 (family 4), BSWAP, XADD (result, exchanged source,
; flags as ADD), CMPXCHG equal and unequal (ZF, the destination or the accumulator loaded, flags
; as CMP), LOCK CMPXCHG / LOCK XADD on memory, INVD and WBINVD
; at ring 0 (and #GP(0) at ring 3), CR0.NE/AM/WP read back, INVLPG with a register operand #UD,
; INVLPG at ring 3 #GP(0), INVLPG really dropping a stale translation (the PTE changed without a
; CR3 reload: the page reads the new frame after INVLPG), CR0.WP: clear, a supervisor write to a
; read-only user page succeeds; set, it is #PF(P|W) with CR2, for user and supervisor pages and a
; read-only PDE, while writable pages stay writable and a ring-3 write is still #PF(P|W|U).
; CR4 (the later 486s have it, as QEMU's 486 does): reads 0, takes back its value with PAE clear
; (GRUB 2's relocator).
;
; Only on pc386 (left out of the -DQEMU build): LOCK XADD with a register destination #UD (QEMU
; 7.2 runs it), CPUID leaf 1 EDX without the FPU bit (pc386 has no x87; QEMU's 486 has one), the
; stale translation still being used before INVLPG (QEMU's TLB may or may not hold it: only
; noted), MOV CR0 with NW set and CD clear #GP(0) (QEMU 7.2 accepts it), and alignment checking (CR0.AM + EFLAGS.AC at ring 3: a misaligned dword or word
; access is #AC(0); aligned ones, bytes and ring 0 are not checked): QEMU's TCG does not model #AC.
; Not run on Bochs (its CPU is a later family).
%define TEST_NAME "pm_486"
%include "pm_lib.inc"

PD          equ 0x20000     ; page directory
PT0         equ 0x21000     ; 0x000000-0x3FFFFF: the first MiB identity-mapped, user, writable
PT1         equ 0x22000     ; 0x400000-0x7FFFFF: test pages (PDE user, writable)
PT2         equ 0x23000     ; 0x800000: PDE read-only (user), PTE writable
P           equ 1
W           equ 2
U           equ 4
V_AC        equ 17
EFL_AC      equ 1 << 18
EFL_ID      equ 1 << 21
CR0_NE      equ 1 << 5
CR0_WP      equ 1 << 16
CR0_AM      equ 1 << 18
CR0_NW      equ 1 << 29
CR0_CD      equ 1 << 30
CR4_PSE     equ 1 << 4
CR4_PAE     equ 1 << 5

LIN_TLB     equ 0x400000    ; PT1 0: -> 0x30000, then 0x31000
LIN_URO     equ 0x401000    ; PT1 1: user read-only -> 0x32000
LIN_SRO     equ 0x402000    ; PT1 2: supervisor read-only -> 0x33000
LIN_RW      equ 0x403000    ; PT1 3: supervisor writable -> 0x34000
LIN_PDE_RO  equ 0x800000    ; PT2 0: writable PTE under a read-only PDE -> 0x35000

[absolute TEST_VARS]
var:        resd 4
saved_edx:  resd 1
stale:      resd 1
section .text

; toggles EFLAGS bit(s) %1: EAX = the bits that changed
%macro TOGGLE_EFLAGS 1
    pushfd
    pop eax
    mov ecx, eax
    xor eax, %1
    push eax
    popfd
    pushfd
    pop eax
    push ecx
    popfd
    xor eax, ecx
    and eax, %1
%endmacro

main:
    mov [saved_edx], edx
    ; --- Identification -----------------------------------------------------------------------------
    CHECK_BITS dword [saved_edx], 0xF00, 0x400, "DX after reset: family 4"
    TOGGLE_EFLAGS EFL_AC
    CHECK_EQ eax, EFL_AC, "EFLAGS.AC toggles (a 486, not a 386)"
    TOGGLE_EFLAGS EFL_ID
    CHECK_EQ eax, EFL_ID, "EFLAGS.ID toggles (CPUID is there)"
    xor eax, eax
    cpuid
    CHECK_EQ ebx, 0x756E6547, "CPUID 0: 'Genu'"
    CHECK_EQ edx, 0x49656E69, "CPUID 0: 'ineI'"
    CHECK_EQ ecx, 0x6C65746E, "CPUID 0: 'ntel'"
    cmp eax, 1
    setae al
    movzx eax, al
    CHECK_EQ eax, 1, "CPUID 0: highest leaf >= 1"
    mov eax, 1
    cpuid
    CHECK_BITS eax, 0xF00, 0x400, "CPUID 1: family 4"
%ifndef QEMU
    CHECK_BITS edx, 1, 0, "CPUID 1: EDX.FPU clear (no x87)"
%endif

    ; --- BSWAP, XADD, CMPXCHG -------------------------------------------------------------------------
    mov eax, 0x12345678
    bswap eax
    CHECK_EQ eax, 0x78563412, "BSWAP EAX"
    mov esi, 0x80000001
    bswap esi
    CHECK_EQ esi, 0x01000080, "BSWAP ESI"

    mov dword [var], 0xFFFFFFFF
    mov ecx, 1
    xadd [var], ecx
    pushfd
    pop ebx
    CHECK_EQ dword [var], 0, "XADD [m], ECX: the sum in memory"
    CHECK_EQ ecx, 0xFFFFFFFF, "...the old value in ECX"
    CHECK_BITS ebx, 0x8C5, 0x45, "...flags as ADD (CF ZF PF set, SF OF clear)"
    mov ebx, 0x70
    mov ecx, 0x10
    xadd bl, cl
    pushfd
    pop edx
    CHECK_EQ ebx, 0x80, "XADD BL, CL"
    CHECK_EQ ecx, 0x70, "...CL = old BL"
    CHECK_BITS edx, 0x881, 0x880, "...OF SF set, CF clear"

    mov dword [var], 5
    mov eax, 5
    mov ecx, 0xCAFE
    cmpxchg [var], ecx
    pushfd
    pop ebx
    CHECK_EQ dword [var], 0xCAFE, "CMPXCHG equal: the source stored"
    CHECK_EQ eax, 5, "...EAX kept"
    CHECK_BITS ebx, 0x40, 0x40, "...ZF set"
    mov eax, 3
    cmpxchg [var], ecx
    pushfd
    pop ebx
    CHECK_EQ dword [var], 0xCAFE, "CMPXCHG unequal: memory kept"
    CHECK_EQ eax, 0xCAFE, "...EAX loaded from memory"
    CHECK_BITS ebx, 0x41, 0x01, "...ZF clear, CF set (as CMP 3, CAFEh)"
    mov ax, 0x1234
    mov dx, 0x5678
    mov dword [var + 4], 0x1234
    lock cmpxchg [var + 4], dx
    CHECK_EQ dword [var + 4], 0x5678, "LOCK CMPXCHG [m], DX"
    mov dword [var + 8], 40
    mov ecx, 2
    lock xadd [var + 8], ecx
    CHECK_EQ dword [var + 8], 42, "LOCK XADD [m], ECX"
%ifndef QEMU
    EXPECT_FAULT V_UD, NOERR, "LOCK XADD with a register destination: #UD"
    db 0xF0, 0x0F, 0xC1, 0xC1   ; lock xadd ecx, eax
    END_EXPECT
%endif

    ; --- Cache control ---------------------------------------------------------------------------------
    invd
    wbinvd
    CHECK_EQ eax, eax, "INVD, WBINVD at ring 0"
    RING3
    EXPECT_FAULT V_GP, 0, "WBINVD at ring 3: #GP(0)"
    wbinvd
    END_EXPECT
    END_RING3

    ; --- CR0 -----------------------------------------------------------------------------------------
    mov ebx, cr0
    mov eax, ebx
    or eax, CR0_NE | CR0_AM | CR0_WP
    mov cr0, eax
    mov eax, cr0
    mov cr0, ebx
    CHECK_BITS eax, CR0_NE | CR0_AM | CR0_WP, CR0_NE | CR0_AM | CR0_WP, "CR0.NE, AM, WP read back"
%ifndef QEMU
    mov eax, ebx
    and eax, ~CR0_CD
    or eax, CR0_NW
    EXPECT_FAULT V_GP, 0, "MOV CR0 with NW set and CD clear: #GP(0)"
    mov cr0, eax
    END_EXPECT
    mov cr0, ebx
%endif

    ; --- CR4 (the later 486s; QEMU's 486): GRUB 2's relocator reads it and writes it back with PAE clear
    mov eax, cr4
    CHECK_EQ eax, 0, "CR4 reads 0 after reset"
    and eax, ~CR4_PAE
    mov cr4, eax
    mov eax, cr4
    CHECK_EQ eax, 0, "CR4 written back with PAE clear"
%ifndef QEMU
    mov eax, 1 << 31
    EXPECT_FAULT V_GP, 0, "MOV CR4 with a reserved bit (31): #GP(0)"
    mov cr4, eax
    END_EXPECT
    mov eax, CR4_PSE
    EXPECT_FAULT V_GP, 0, "MOV CR4 with PSE (not modelled): #GP(0)"
    mov cr4, eax
    END_EXPECT
    mov eax, CR4_PAE
    EXPECT_FAULT V_GP, 0, "MOV CR4 with PAE (not a 486's): #GP(0)"
    mov cr4, eax
    END_EXPECT
%endif

    ; --- Paging: INVLPG and CR0.WP -----------------------------------------------------------------------
    cld
    mov edi, PD
    mov ecx, 4 * 1024
    xor eax, eax
    rep stosd
    mov edi, 0x30000
    mov ecx, 6 * 1024
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
    mov dword [PD + 2 * 4], PT2 | P | U
    mov dword [PT1 + 0 * 4], 0x30000 | P | W | U
    mov dword [PT1 + 1 * 4], 0x32000 | P | U
    mov dword [PT1 + 2 * 4], 0x33000 | P
    mov dword [PT1 + 3 * 4], 0x34000 | P | W
    mov dword [PT2 + 0 * 4], 0x35000 | P | W | U
    mov dword [0x30000], 0x30303030
    mov dword [0x31000], 0x31313131
    mov eax, PD
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp .paged
.paged:
    CHECK_EQ dword [LIN_TLB], 0x30303030, "paging on: the test page reads frame A"
    EXPECT_FAULT V_UD, NOERR, "INVLPG with a register operand: #UD"
    db 0x0F, 0x01, 0xF8         ; invlpg eax (mod = 3)
    END_EXPECT
    RING3
    EXPECT_FAULT V_GP, 0, "INVLPG at ring 3: #GP(0)"
    invlpg [LIN_TLB]
    END_EXPECT
    END_RING3
    mov eax, [LIN_TLB]          ; the translation is in the TLB
    mov dword [PT1 + 0 * 4], 0x31000 | P | W | U   ; frame B, no CR3 reload
    mov eax, [LIN_TLB]
    mov [stale], eax
%ifndef QEMU
    CHECK_EQ dword [stale], 0x30303030, "PTE changed without a flush: the TLB still gives frame A"
%else
    cmp eax, 0x30303030
    jne .not_cached
    PRINT "note: the old translation was still cached before INVLPG"
.not_cached:
%endif
    invlpg [LIN_TLB]
    CHECK_EQ dword [LIN_TLB], 0x31313131, "INVLPG: the page now reads frame B"

    mov dword [LIN_URO], 0x11111111
    CHECK_EQ dword [0x32000], 0x11111111, "WP clear: a supervisor write to a user read-only page"
    mov eax, cr0
    or eax, CR0_WP
    mov cr0, eax
    EXPECT_FAULT V_PF, P | W, "WP set: a supervisor write to a user read-only page: #PF(P|W)"
    mov dword [LIN_URO + 4], 0x22222222
    END_EXPECT
    CHECK_EQ dword [exc_cr2], LIN_URO + 4, "...CR2"
    CHECK_EQ dword [0x32004], 0, "...nothing written"
    EXPECT_FAULT V_PF, P | W, "WP set: a write to a supervisor read-only page: #PF(P|W)"
    mov byte [LIN_SRO + 0xFFF], 1
    END_EXPECT
    CHECK_EQ dword [exc_cr2], LIN_SRO + 0xFFF, "...CR2"
    EXPECT_FAULT V_PF, P | W, "WP set: a write under a read-only PDE: #PF(P|W)"
    mov dword [LIN_PDE_RO], 1
    END_EXPECT
    mov dword [LIN_RW], 0x33333333
    CHECK_EQ dword [0x34000], 0x33333333, "WP set: a writable supervisor page is still writable"
    RING3
    EXPECT_FAULT V_PF, P | W | U, "WP set: ring 3 write to a read-only page: #PF(P|W|U)"
    mov dword [LIN_URO], 0
    END_EXPECT
    END_RING3
    CHECK_EQ dword [0x32000], 0x11111111, "...nothing written"

%ifndef QEMU
    ; --- Alignment check ---------------------------------------------------------------------------------
    mov eax, cr0
    or eax, CR0_AM
    mov cr0, eax
    mov ebx, var + 1
    mov eax, [ebx]              ; ring 0: never checked
    pushfd
    or dword [esp], EFL_AC
    popfd                       ; RING3 carries AC into ring 3
    mov eax, [ebx]
    CHECK_EQ eax, eax, "AM and AC set: a misaligned read at ring 0 is not checked"
    RING3
    EXPECT_FAULT V_AC, 0, "AM, AC, ring 3: a misaligned dword read: #AC(0)"
    mov eax, [ebx]
    END_EXPECT
    END_RING3
    CHECK_BITS dword [exc_eflags], EFL_AC, EFL_AC, "...the frame has AC set"
    CHECK_EQ dword [exc_cs], SEL_CODE3 | 3, "...from ring 3"
    pushfd
    or dword [esp], EFL_AC
    popfd
    RING3
    EXPECT_FAULT V_AC, 0, "AM, AC, ring 3: a misaligned word write: #AC(0)"
    mov word [ebx + 2], 1
    END_EXPECT
    END_RING3
    pushfd
    or dword [esp], EFL_AC
    popfd
    RING3
    mov al, [ebx]
    mov ax, [ebx + 1]
    mov eax, [ebx + 3]
    mov eax, 0x600D
    END_RING3
    CHECK_EQ eax, 0x600D, "AM, AC, ring 3: bytes, an aligned word and dword: no #AC"
    RING3                       ; EFLAGS = 2 after END_RING3: AC clear
    mov eax, [ebx]
    mov eax, 0x600D
    END_RING3
    CHECK_EQ eax, 0x600D, "AM set, AC clear: no #AC at ring 3"
    mov eax, cr0
    and eax, ~CR0_AM
    mov cr0, eax
%endif
    ret
