; int13_status.asm: the end of an INT 13h call, the same for the hard disks (int13_disk.asm) and
; the diskettes (floppy.asm). Each of them keeps its own last-status byte in the BDA (0040:0074,
; 0040:0041) and then jumps here with the frame of int13_handler at BP.

; AH = status: the caller gets it in AH and CF = 1 when it is not 0; returns from the interrupt.
int13_return_status:
    mov [bp+F_AH], ah
    test ah, ah
    jnz .failed
    FRAME_CF 0
    LEAVE_FRAME
.failed:
    FRAME_CF 1
    LEAVE_FRAME
