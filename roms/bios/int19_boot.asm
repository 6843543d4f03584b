; int19_boot.asm: bootstrap. INT 19h tries the devices of the CMOS boot order (3Dh: the diskette
; in A:, the first hard disk): it reads the first sector to 0000:7C00, checks the 0x55AA signature
; and jumps there with DL = the drive (00h or 80h), CS:IP=0000:7C00, SS:SP=0000:7C00 and interrupts
; enabled. INT 18h (no bootable disk) prints a message and halts.

int19_handler:
    cli
    xor ax, ax
    mov ss, ax
    mov sp, STACK_TOP
    mov ds, ax
    sti
    cld
    ; The boot order from CMOS 3Dh (as QEMU and the Bochs BIOS keep it): first device in the low
    ; nibble, second in the high one; 1 is the diskette in A:, 2 the first hard disk.
    mov al, CMOS_BOOT_ORDER
    call cmos_read
    mov bl, al
    mov cx, 2
.device:
    mov al, bl
    and al, 0x0F
    mov dl, 0x00
    cmp al, 1
    je .try
    mov dl, 0x80
    cmp al, 2
    jne .next
.try:
    push bx
    push cx
    call boot_drive                   ; returns only if the drive cannot boot
    pop cx
    pop bx
.next:
    shr bl, 4
    loop .device
    int 0x18

; DL = BIOS drive: reads its first sector to 0000:7C00 through INT 13h (3 tries, a reset between
; them, so the BDA status is what a boot sector would see), checks 0x55AA and jumps there with DL
; = the drive. Returns if the drive is absent or has no boot sector.
boot_drive:
    test dl, dl
    js .hard_disk
    push fs
    mov ax, EBDA_SEG
    mov fs, ax
    cmp byte [fs:EBDA_FLOPPY_TYPES], 0
    pop fs
    je .absent
    mov si, msg_booting_floppy
    jmp .announce
.hard_disk:
    cmp byte [BDA_DISK_COUNT], 0
    je .absent
    mov si, msg_booting
.announce:
    call print_str
    mov di, 3
.retry:
    mov ax, 0x0201
    mov cx, 0x0001
    xor dh, dh
    xor bx, bx
    mov es, bx
    mov bx, BOOT_ADDR
    push dx
    int 0x13
    pop dx
    jnc .loaded
    xor ah, ah                        ; reset the drive before the next try
    int 0x13
    dec di
    jnz .retry
    mov si, msg_read_error
    call print_str
.absent:
    ret
.loaded:
    cmp word [BOOT_ADDR + 510], 0xAA55
    je .jump
    mov si, msg_no_signature
    call print_str
    ret
.jump:
    xor ax, ax
    mov es, ax
    xor bx, bx
    xor cx, cx
    xor si, si
    xor di, di
    xor dh, dh
    jmp 0x0000:BOOT_ADDR

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
msg_booting_floppy: db "Booting from floppy A:", 13, 10, 0
msg_no_signature: db "No boot signature (55AA)", 13, 10, 0
msg_read_error: db "Disk read error", 13, 10, 0
msg_no_boot:    db "No bootable disk: system halted", 13, 10, 0
