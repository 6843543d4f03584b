; int10_video.asm: INT 10h for the 80x25 colour text mode at 0xB8000 (mode 3, 8 pages of 4 KiB),
; with the hardware cursor driven through the CRTC at 0x3D4. Functions: 00 set mode, 01 cursor
; shape, 02/03 cursor position, 05 active page, 06/07 scroll, 08 read char/attr, 09/0A write
; char(/attr), 0E teletype, 0F get mode, 13 write string, 1A display combination. The teletype
; also echoes each character to COM1 so that headless runs see the console.

VIDEO_COLS  equ 80
VIDEO_ROWS  equ 25
VIDEO_PAGES equ 8
PAGE_BYTES  equ 0x1000

video_init:
    call vga_init
    push es
    mov ax, 0xB800
    mov es, ax
    mov al, 0x03
    call video_set_mode
    pop es
    ret

; AL = mode (only text mode 3 exists; bit 7 keeps the screen). DS = 0, ES = 0xB800.
video_set_mode:
    push ax
    and al, 0x7F
    mov byte [BDA_VIDEO_MODE], 0x03
    mov word [BDA_VIDEO_COLS], VIDEO_COLS
    mov word [BDA_VIDEO_PAGESZ], PAGE_BYTES
    mov word [BDA_VIDEO_START], 0
    mov byte [BDA_VIDEO_PAGE], 0
    mov word [BDA_CRTC_BASE], PORT_CRTC_INDEX
    mov byte [BDA_VIDEO_ROWS], VIDEO_ROWS - 1
    mov word [BDA_CHAR_HEIGHT], 16
    mov word [BDA_CURSOR_SHAPE], 0x0607
    push cx
    push di
    mov di, BDA_CURSOR_POS
    xor ax, ax
    mov cx, VIDEO_PAGES
.clear_pos:
    mov [di], ax
    add di, 2
    loop .clear_pos
    pop di
    pop cx
    pop ax
    test al, 0x80
    jnz .keep
    push cx
    push di
    xor di, di
    mov ax, 0x0720
    mov cx, VIDEO_PAGES * PAGE_BYTES / 2
    rep stosw
    pop di
    pop cx
.keep:
    ; Display start 0, cursor lines 13-14 of the 16-line cell.
    mov ax, 0x000C
    call crtc_write
    mov ax, 0x000D
    call crtc_write
    mov ax, 0x0D0A
    call crtc_write
    mov ax, 0x0E0B
    call crtc_write
    call video_update_cursor
    ret

; AL = CRTC register, AH = value.
crtc_write:
    push dx
    mov dx, PORT_CRTC_INDEX
    out dx, al
    inc dx
    xchg al, ah
    out dx, al
    xchg al, ah
    pop dx
    ret

; Move the hardware cursor to the active page's cursor position. DS = 0.
video_update_cursor:
    push ax
    push bx
    movzx bx, byte [BDA_VIDEO_PAGE]
    shl bx, 1
    mov bx, [BDA_CURSOR_POS + bx]
    call video_cell_offset            ; BX = byte offset within the page
    add bx, [BDA_VIDEO_START]
    shr bx, 1
    mov al, 0x0E
    mov ah, bh
    call crtc_write
    mov al, 0x0F
    mov ah, bl
    call crtc_write
    pop bx
    pop ax
    ret

; BL = column, BH = row -> BX = (row * 80 + column) * 2.
video_cell_offset:
    push ax
    movzx ax, bh
    imul ax, ax, VIDEO_COLS
    add al, bl
    adc ah, 0
    shl ax, 1
    mov bx, ax
    pop ax
    ret

; AL = page -> DI = page's base offset in video memory.
video_page_base:
    movzx di, al
    shl di, 12
    ret

; Teletype AL on the active page, scrolling at the bottom. DS = 0, ES = 0xB800.
video_tty:
    call echo_putc
    push ax
    push bx
    push cx
    push dx
    push di
    push ax
    mov al, [BDA_VIDEO_PAGE]
    call video_page_base
    movzx bx, byte [BDA_VIDEO_PAGE]
    shl bx, 1
    mov dx, [BDA_CURSOR_POS + bx]     ; DL = column, DH = row
    pop ax
    cmp al, 7
    je .done
    cmp al, 8
    je .backspace
    cmp al, 13
    je .cr
    cmp al, 10
    je .lf
    push bx
    mov bx, dx
    call video_cell_offset
    mov [es:di+bx], al
    pop bx
    inc dl
    cmp dl, VIDEO_COLS
    jb .store
    xor dl, dl
.lf:
    inc dh
    cmp dh, VIDEO_ROWS
    jb .store
    mov dh, VIDEO_ROWS - 1
    push bx
    push cx
    push dx
    mov al, 1
    mov bh, 0x07
    xor cx, cx
    mov dx, ((VIDEO_ROWS - 1) << 8) | (VIDEO_COLS - 1)
    call video_scroll_up
    pop dx
    pop cx
    pop bx
    jmp .store
.backspace:
    test dl, dl
    jz .store
    dec dl
    jmp .store
.cr:
    xor dl, dl
.store:
    mov [BDA_CURSOR_POS + bx], dx
    call video_update_cursor
.done:
    pop di
    pop dx
    pop cx
    pop bx
    pop ax
    ret

; Scroll the window CH,CL (top row, left column) .. DH,DL (bottom row, right column) of the page
; at DI up or down by AL lines (0 or more than the height: clear it), filling with attribute BH.
; ES = 0xB800. Uses the saved registers of its PUSHAD frame as its variables.
video_scroll_up:
    push si
    xor si, si
    jmp video_scroll
video_scroll_down:
    push si
    mov si, 1
video_scroll:
    push ds
    pushad
    mov bp, sp
.lines equ 12                         ; byte in the (unused) saved ESP slot
.width equ 14                         ; word
    push es
    pop ds
    cmp dl, VIDEO_COLS - 1
    jbe .col_ok
    mov dl, VIDEO_COLS - 1
.col_ok:
    cmp dh, VIDEO_ROWS - 1
    jbe .row_ok
    mov dh, VIDEO_ROWS - 1
.row_ok:
    mov [bp+F_DX], dx
    cmp cl, dl
    ja .out
    cmp ch, dh
    ja .out
    mov ah, dh
    sub ah, ch
    inc ah                            ; AH = height
    test al, al
    jz .clear_all
    cmp al, ah
    jb .have_lines
.clear_all:
    mov al, ah
.have_lines:
    mov [bp+.lines], al
    mov al, dl
    sub al, cl
    inc al
    xor ah, ah
    mov [bp+.width], ax
    test si, si
    jnz .down

    ; Up: rows CH .. DH-lines receive rows CH+lines .. DH; the rest is blanked.
    mov bl, ch                        ; BL = destination row
.up_copy:
    mov bh, bl
    add bh, [bp+.lines]
    cmp bh, [bp+F_DH]
    ja .up_fill
    call .copy_row
    inc bl
    jmp .up_copy
.up_fill:
    cmp bl, [bp+F_DH]
    ja .out
    call .fill_row
    inc bl
    jmp .up_fill

    ; Down: rows DH .. CH+lines receive rows DH-lines .. CH; the rest is blanked.
.down:
    mov bl, dh
.down_copy:
    mov bh, bl
    sub bh, [bp+.lines]
    jc .down_fill
    cmp bh, [bp+F_CH]
    jb .down_fill
    call .copy_row
    dec bl
    jmp .down_copy
.down_fill:
    cmp bl, [bp+F_CH]
    jb .out
    call .fill_row
    test bl, bl
    jz .out
    dec bl
    jmp .down_fill

.out:
    popad
    pop ds
    pop si
    ret

; AL = row -> AX = offset of the window's left cell in that row.
.row_addr:
    movzx ax, al
    imul ax, ax, VIDEO_COLS
    add al, [bp+F_CL]
    adc ah, 0
    shl ax, 1
    add ax, [bp+F_DI]
    ret

; Copy row BH of the window to row BL.
.copy_row:
    mov al, bh
    call .row_addr
    mov si, ax
    mov al, bl
    call .row_addr
    mov di, ax
    mov cx, [bp+.width]
    rep movsw
    ret

; Blank row BL of the window with the fill attribute.
.fill_row:
    mov al, bl
    call .row_addr
    mov di, ax
    mov ah, [bp+F_BH]
    mov al, ' '
    mov cx, [bp+.width]
    rep stosw
    ret

int10_handler:
    ; With a VGA option ROM: echo teletype output, then continue in the ROM's handler (the far
    ; return below jumps there with the caller's IRET frame on the stack).
    sub sp, 4                         ; room for the ROM's entry point
    push bp
    mov bp, sp
    push ds
    push ax
    mov ax, EBDA_SEG
    mov ds, ax
    mov ax, [EBDA_VGA_INT10]
    mov [bp+2], ax
    mov ax, [EBDA_VGA_INT10 + 2]
    mov [bp+4], ax
    test ax, ax
    pop ax
    pop ds
    pop bp
    jz .own
    cmp ah, 0x0E
    jne .chain
    call echo_putc
.chain:
    retf
.own:
    add sp, 4
    sti
    cld
    ENTER_FRAME
    xor bx, bx
    mov ds, bx
    mov bx, 0xB800
    mov es, bx
    mov al, [bp+F_AH]
    cmp al, 0x00
    je .set_mode
    cmp al, 0x01
    je .cursor_shape
    cmp al, 0x02
    je .set_cursor
    cmp al, 0x03
    je .get_cursor
    cmp al, 0x05
    je .set_page
    cmp al, 0x06
    je .scroll_up
    cmp al, 0x07
    je .scroll_down
    cmp al, 0x08
    je .read_char
    cmp al, 0x09
    je .write_char_attr
    cmp al, 0x0A
    je .write_char
    cmp al, 0x0E
    je .teletype
    cmp al, 0x0F
    je .get_mode
    cmp al, 0x13
    je .write_string
    cmp al, 0x1A
    je .display_combination
.done:
    LEAVE_FRAME

.set_mode:
    mov al, [bp+F_AL]
    call video_set_mode
    mov byte [bp+F_AL], 0x30          ; as VGA BIOSes report for text modes
    jmp .done

.cursor_shape:
    mov cx, [bp+F_CX]
    mov [BDA_CURSOR_SHAPE], cx
    mov al, 0x0A
    mov ah, ch
    call crtc_write
    mov al, 0x0B
    mov ah, cl
    call crtc_write
    jmp .done

.set_cursor:
    movzx bx, byte [bp+F_BH]
    and bx, VIDEO_PAGES - 1
    shl bx, 1
    mov dx, [bp+F_DX]
    mov [BDA_CURSOR_POS + bx], dx
    call video_update_cursor
    jmp .done

.get_cursor:
    movzx bx, byte [bp+F_BH]
    and bx, VIDEO_PAGES - 1
    shl bx, 1
    mov dx, [BDA_CURSOR_POS + bx]
    mov [bp+F_DX], dx
    mov cx, [BDA_CURSOR_SHAPE]
    mov [bp+F_CX], cx
    mov word [bp+F_AX], 0
    jmp .done

.set_page:
    mov al, [bp+F_AL]
    cmp al, VIDEO_PAGES
    jae .done
    mov [BDA_VIDEO_PAGE], al
    call video_page_base
    mov [BDA_VIDEO_START], di
    shr di, 1
    mov ax, di
    mov al, 0x0C
    call crtc_write
    mov ax, di
    mov ah, al
    mov al, 0x0D
    call crtc_write
    call video_update_cursor
    jmp .done

.scroll_up:
.scroll_down:
    mov al, [BDA_VIDEO_PAGE]
    call video_page_base
    mov al, [bp+F_AL]
    mov bh, [bp+F_BH]
    mov cx, [bp+F_CX]
    mov dx, [bp+F_DX]
    cmp byte [bp+F_AH], 0x06
    jne .down
    call video_scroll_up
    jmp .done
.down:
    call video_scroll_down
    jmp .done

; BH = page -> DI = offset of the page's cursor cell.
.cursor_cell:
    movzx bx, byte [bp+F_BH]
    and bx, VIDEO_PAGES - 1
    mov al, bl
    call video_page_base
    shl bx, 1
    mov bx, [BDA_CURSOR_POS + bx]
    call video_cell_offset
    add di, bx
    ret

.read_char:
    call .cursor_cell
    mov ax, [es:di]
    mov [bp+F_AX], ax
    jmp .done

.write_char_attr:
    call .cursor_cell
    mov al, [bp+F_AL]
    mov ah, [bp+F_BL]
    mov cx, [bp+F_CX]
    call .clip_count
    rep stosw
    jmp .done

.write_char:
    call .cursor_cell
    mov al, [bp+F_AL]
    mov cx, [bp+F_CX]
    call .clip_count
    test cx, cx
    jz .done
.write_char_loop:
    stosb
    inc di
    loop .write_char_loop
    jmp .done

; Limit CX so that writes from DI stay inside the page's 80x25 cells.
.clip_count:
    push ax
    push dx
    mov ax, di
    and ax, PAGE_BYTES - 1
    shr ax, 1
    mov dx, VIDEO_COLS * VIDEO_ROWS
    sub dx, ax
    cmp cx, dx
    jbe .clip_ok
    mov cx, dx
.clip_ok:
    pop dx
    pop ax
    ret

.teletype:
    mov al, [bp+F_AL]
    call video_tty
    jmp .done

.get_mode:
    mov al, [BDA_VIDEO_MODE]
    mov ah, [BDA_VIDEO_COLS]
    mov [bp+F_AX], ax
    mov al, [BDA_VIDEO_PAGE]
    mov [bp+F_BH], al
    jmp .done

; ES:BP = string, CX = length, DH,DL = row, column, BH = page (the active page is used), BL =
; attribute, AL bit 0 = move the cursor, bit 1 = the string alternates characters and attributes.
.write_string:
    movzx bx, byte [BDA_VIDEO_PAGE]
    shl bx, 1
    push word [BDA_CURSOR_POS + bx]   ; restored unless AL bit 0
    mov dx, [bp+F_DX]
    mov [BDA_CURSOR_POS + bx], dx
    mov cx, [bp+F_CX]
    mov fs, [bp+F_ES]
    mov si, [bp+F_BP]
    jcxz .ws_end
.ws_loop:
    mov al, [fs:si]
    inc si
    mov ah, [bp+F_BL]
    test byte [bp+F_AL], 2
    jz .ws_have_attr
    mov ah, [fs:si]
    inc si
.ws_have_attr:
    ; Give the cursor cell its attribute, then let the teletype store the character and move on.
    push ax
    push bx
    mov al, [BDA_VIDEO_PAGE]
    call video_page_base
    mov bx, [BDA_CURSOR_POS + bx]
    call video_cell_offset
    mov [es:di+bx+1], ah
    pop bx
    pop ax
    call video_tty
    loop .ws_loop
.ws_end:
    pop dx
    test byte [bp+F_AL], 1
    jnz .ws_moved
    mov [BDA_CURSOR_POS + bx], dx
.ws_moved:
    call video_update_cursor
    jmp .done

.display_combination:
    cmp byte [bp+F_AL], 0
    jne .done
    mov byte [bp+F_AL], 0x1A
    mov word [bp+F_BX], 0x0008        ; VGA with colour display, no secondary
    jmp .done
