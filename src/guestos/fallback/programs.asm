; programs.asm: the fallback builtin_programs[] table (abi/syscall.h) with the one program INIT_BIN.
section .rodata
align 4
global builtin_programs
builtin_programs:
    dd init_name, init_image, init_end - init_image
    dd 0, 0, 0
init_name: db "init", 0
align 4
init_image: incbin INIT_BIN
init_end:
section .note.GNU-stack noalloc noexec nowrite progbits
