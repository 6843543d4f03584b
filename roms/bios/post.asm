; post.asm: power-on self test. Runs once from the reset vector: sets up the stack, clears the
; vector table and data areas, initialises the interrupt controllers, timer, memory size, COM1,
; video, keyboard controller and IDE disks, prints the banner, then boots through INT 19h.

post_entry:
    cli
    cld
    POST_CODE 0x01

    ; A warm restart requested through the CMOS shutdown byte (0x0F) resumes through the
    ; far pointer at 0040:0067 without re-running POST (286-style return from protected mode).
    mov al, 0x0F
    out PORT_CMOS_INDEX, al
    in al, PORT_CMOS_DATA
    cmp al, 0x05
    je .resume_with_eoi
    cmp al, 0x0A
    je .resume
    jmp .cold

.resume_with_eoi:
    mov al, 0x20
    out PORT_PIC1_CMD, al
.resume:
    mov al, 0x0F
    out PORT_CMOS_INDEX, al
    xor al, al
    out PORT_CMOS_DATA, al
    xor ax, ax
    mov ds, ax
    jmp far [0x467]

.cold:
    xor ax, ax
    mov ss, ax
    mov sp, STACK_TOP
    mov ds, ax
    mov es, ax

    ; Clear the vector table, the BIOS data area and low RAM below the stack.
    POST_CODE 0x02
    xor di, di
    mov cx, STACK_TOP / 2
    rep stosw
    ; Clear the EBDA and record its size.
    mov ax, EBDA_SEG
    mov es, ax
    xor di, di
    xor ax, ax
    mov cx, EBDA_KIB * 512
    rep stosw
    mov byte [es:0], EBDA_KIB
    xor ax, ax
    mov es, ax

    POST_CODE 0x03
    call ivt_init
    POST_CODE 0x04
    call apic_virtual_wire
    call pic_init
    call pit_init
    POST_CODE 0x05
    call memory_init
    POST_CODE 0x06
    call serial_init
    POST_CODE 0x07
    call video_init
    call print_banner
    POST_CODE 0x08
    call kbd_init
    POST_CODE 0x09
    call ata_init
    call floppy_init
    POST_CODE 0x0A
    call print_disks
    POST_CODE 0x0B
    call option_rom_scan

    POST_CODE 0x0F
    sti
    int 0x19
    ; INT 19h does not return.
    jmp int18_handler

; Print "pc386 BIOS" and the memory size on the console.
print_banner:
    mov si, msg_banner
    call print_str
    xor eax, eax
    mov ax, [BDA_MEM_KIB]
    call print_dec32
    mov si, msg_kib_base
    call print_str
    push fs
    mov ax, EBDA_SEG
    mov fs, ax
    mov eax, [fs:EBDA_EXT_KIB]
    pop fs
    call print_dec32
    mov si, msg_kib_ext
    call print_str
    ret

msg_banner:   db "pc386 BIOS", 13, 10, "Memory: ", 0
msg_kib_base: db " KiB base, ", 0
msg_kib_ext:  db " KiB extended", 13, 10, 0
