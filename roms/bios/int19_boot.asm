; int19_boot.asm: bootstrap. INT 19h reads LBA 0 of the first disk (0x80) to 0000:7C00, checks
; the 0x55AA signature and jumps there with DL=0x80, CS:IP=0000:7C00, SS:SP=0000:7C00 and
; interrupts enabled. INT 18h (no bootable disk) prints a message and halts.
; Direct kernel boot (pc386 run --kernel): when CMOS byte 3Eh holds 'L', the machine has put a
; Linux kernel in RAM by the x86 boot protocol, its real-mode setup at segment (CMOS 3Fh) << 8.
; We enter it as the protocol says: DS = ES = FS = GS = SS = that segment, SP = FE00h (the end of
; the heap the machine gave it in heap_end_ptr), interrupts off, CS:IP = segment + 20h : 0.

int19_handler:
    cli
    xor ax, ax
    mov ss, ax
    mov sp, STACK_TOP
    mov ds, ax
    sti
    cld
    mov al, CMOS_KERNEL_MAGIC
    out PORT_CMOS_INDEX, al
    in al, PORT_CMOS_DATA
    cmp al, 'L'
    jne .disk
    mov si, msg_kernel
    call print_str
    mov al, CMOS_KERNEL_SEG
    out PORT_CMOS_INDEX, al
    in al, PORT_CMOS_DATA
    cli
    mov ah, al
    xor al, al
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov sp, KERNEL_HEAP_END
    add ax, 0x20
    push ax
    push word 0
    retf
.disk:
    cmp byte [BDA_DISK_COUNT], 0
    je .not_bootable
    mov si, msg_booting
    call print_str
    ; Read through INT 13h so that the BDA status is what a boot sector would see.
    mov ax, 0x0201
    mov cx, 0x0001
    mov dx, 0x0080
    xor bx, bx
    mov es, bx
    mov bx, BOOT_ADDR
    mov di, 3
.retry:
    push ax
    int 0x13
    pop ax
    jnc .loaded
    dec di
    jnz .retry
    mov si, msg_read_error
    call print_str
    int 0x18
.loaded:
    cmp word [BOOT_ADDR + 510], 0xAA55
    jne .not_bootable
    xor ax, ax
    mov es, ax
    xor bx, bx
    xor cx, cx
    xor si, si
    xor di, di
    mov dx, 0x0080
    jmp 0x0000:BOOT_ADDR
.not_bootable:
    int 0x18

int18_handler:
    xor ax, ax
    mov ds, ax
    mov si, msg_no_boot
    call print_str
.halt:
    cli
    hlt
    jmp .halt

msg_booting:    db "Booting from disk 80h", 13, 10, 0
msg_kernel:     db "Booting the Linux kernel in memory", 13, 10, 0
msg_read_error: db "Disk read error", 13, 10, 0
msg_no_boot:    db "No bootable disk: system halted", 13, 10, 0
