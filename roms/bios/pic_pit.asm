; pic_pit.asm: the two 8259A interrupt controllers (master vectors 0x08-0x0F, slave 0x70-0x77,
; cascade on IRQ 2) and channel 0 of the 8254 timer at 18.2 Hz.

pic_init:
    mov al, 0x11                  ; ICW1: edge triggered, cascade, ICW4 follows
    out PORT_PIC1_CMD, al
    out PORT_PIC2_CMD, al
    mov al, 0x08                  ; ICW2: vector bases
    out PORT_PIC1_DATA, al
    mov al, 0x70
    out PORT_PIC2_DATA, al
    mov al, 0x04                  ; ICW3: slave on IRQ 2
    out PORT_PIC1_DATA, al
    mov al, 0x02
    out PORT_PIC2_DATA, al
    mov al, 0x01                  ; ICW4: 8086 mode, normal EOI
    out PORT_PIC1_DATA, al
    out PORT_PIC2_DATA, al
    ; Unmask timer (0), keyboard (1), cascade (2), COM1 (4); on the slave the IDE channel (14).
    mov al, ~(0x01 | 0x02 | 0x04 | 0x10) & 0xFF
    out PORT_PIC1_DATA, al
    mov al, ~0x40 & 0xFF
    out PORT_PIC2_DATA, al
    ret

pit_init:
    mov al, 0x36                  ; channel 0, lobyte/hibyte, mode 3 (square wave), binary
    out PORT_PIT_CMD, al
    xor al, al                    ; divisor 65536: 1193182 / 65536 = 18.2 Hz
    out PORT_PIT_CH0, al
    out PORT_PIT_CH0, al
    ret
